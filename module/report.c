// SPDX-License-Identifier: GPL-2.0-only
/*
 * The post-mortem report's content: the snapshot the sampler drafts each
 * tick and the formatter of its lines. Pure logic: nothing here locks,
 * sleeps, allocates or reads a table, so the panic path can format a report
 * and KUnit can test it.
 *
 * The lines are the kernel log lines' form (line.c's builder and escaper):
 * "report=KIND" first, then key=value fields, as the UAPI header's
 * "Post-mortem report" section lists them.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include <uapi/linux/memattr.h>

#include "line.h"
#include "report.h"

/**
 * memattr_report_draft_begin() - start a tick's snapshot
 * @s: the draft
 * @now_ms: the tick's time, CLOCK_MONOTONIC ms
 */
void memattr_report_draft_begin(struct memattr_report_snap *s, u64 now_ms)
{
	s->time_ms = now_ms;
	s->nr_fp = 0;
	s->nr_growth = 0;
	s->nr_cg = 0;
	s->nr_paths = 0;
}

static s64 memattr_report_key(const struct memattr_report_proc *p,
			      bool by_growth)
{
	return by_growth ? p->growth_kb_per_hour :
			   (s64)min_t(u64, p->footprint_kb, S64_MAX);
}

/*
 * Keep @p among the MEMATTR_REPORT_PROCS largest (by growth or by
 * footprint), the first *@nr of @top in use; a candidate equal to one
 * kept goes after it.
 */
static void memattr_report_insert(struct memattr_report_proc *top, u32 *nr,
				  const struct memattr_report_proc *p,
				  bool by_growth)
{
	s64 key = memattr_report_key(p, by_growth);
	u32 i;

	for (i = *nr; i > 0 && memattr_report_key(&top[i - 1], by_growth) < key;
	     i--)
		if (i < MEMATTR_REPORT_PROCS)
			top[i] = top[i - 1];
	if (i < MEMATTR_REPORT_PROCS) {
		top[i] = *p;
		if (*nr < MEMATTR_REPORT_PROCS)
			(*nr)++;
	}
}

/**
 * memattr_report_draft_proc() - weigh a process for the two rankings
 * @s: the draft
 * @p: the process as this tick saw it
 *
 * It joins the footprint ranking if among the MEMATTR_REPORT_PROCS largest
 * unreclaimable footprints so far, and the growth ranking if it grows and
 * is among the fastest.
 */
void memattr_report_draft_proc(struct memattr_report_snap *s,
			       const struct memattr_report_proc *p)
{
	memattr_report_insert(s->fp, &s->nr_fp, p, false);
	if (p->growth_kb_per_hour > 0)
		memattr_report_insert(s->growth, &s->nr_growth, p, true);
}

static const struct memattr_cgroup_row *
memattr_report_cg_find(const struct memattr_cgroup_row *cgs, u32 nr, u64 id)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (cgs[i].id == id)
			return &cgs[i];
	return NULL;
}

/* Keep the path of cgroup @id once, when known and when room is left. */
static void memattr_report_add_path(struct memattr_report_snap *s,
				    const struct memattr_cgroup_row *cgs,
				    u32 nr, u64 id)
{
	const struct memattr_cgroup_row *r;
	u32 i;

	if (!id)
		return;
	for (i = 0; i < s->nr_paths; i++)
		if (s->paths[i].id == id)
			return;
	r = memattr_report_cg_find(cgs, nr, id);
	if (!r || s->nr_paths >= MEMATTR_REPORT_PATHS)
		return;
	s->paths[s->nr_paths].id = id;
	strscpy(s->paths[s->nr_paths].path, r->path,
		sizeof(s->paths[s->nr_paths].path));
	s->nr_paths++;
}

/**
 * memattr_report_draft_end() - finish a tick's snapshot
 * @s: the draft
 * @sys: the system row, judged (growth, time to exhaustion, watermark)
 * @cgs: the cgroup rows, judged (leak states)
 * @nr: how many
 *
 * Ranks the cgroups by usage, largest first (the root is left out: the
 * system line covers it), and keeps the paths of every cgroup named.
 */
void memattr_report_draft_end(struct memattr_report_snap *s,
			      const struct memattr_system_row *sys,
			      const struct memattr_cgroup_row *cgs, u32 nr)
{
	u32 i, j;

	s->sys = *sys;
	for (i = 0; i < nr; i++) {
		const struct memattr_cgroup_row *r = &cgs[i];
		struct memattr_report_cgroup c = {
			.id = r->id,
			.nr_procs = r->nr_procs,
			.usage_kb = r->usage_kb,
			.limit_kb = r->limit_kb,
			.growth_kb_per_hour = r->leak.growth_kb_per_hour,
			.leak = r->leak.state,
			.since_ms = div_u64(r->leak.since_ns, NSEC_PER_MSEC),
			.exhaust_s = r->exhaust_s,
		};

		if (!strcmp(r->path, "/"))
			continue;
		for (j = s->nr_cg; j > 0 && s->cg[j - 1].usage_kb < c.usage_kb; j--)
			if (j < MEMATTR_REPORT_CGROUPS)
				s->cg[j] = s->cg[j - 1];
		if (j < MEMATTR_REPORT_CGROUPS) {
			s->cg[j] = c;
			if (s->nr_cg < MEMATTR_REPORT_CGROUPS)
				s->nr_cg++;
		}
	}
	for (i = 0; i < s->nr_fp; i++)
		memattr_report_add_path(s, cgs, nr, s->fp[i].cgroup_id);
	for (i = 0; i < s->nr_growth; i++)
		memattr_report_add_path(s, cgs, nr, s->growth[i].cgroup_id);
	for (i = 0; i < s->nr_cg; i++)
		memattr_report_add_path(s, cgs, nr, s->cg[i].id);
}

/* The report being written: @len bytes of @buf in use, NUL-terminated. */
struct memattr_report_out {
	char *buf;
	size_t size;
	size_t len;
	unsigned int lines;
};

/* Room kept for the end line, whatever comes before it. */
#define MEMATTR_REPORT_END_ROOM	64

/*
 * Start a line at the end of the report, "report=KIND" its first field;
 * false when no room is left for one (the end line's room aside).
 */
static bool memattr_report_begin_line(struct memattr_report_out *o,
				      struct memattr_line *l,
				      const char *kind, size_t keep)
{
	size_t room = o->size - o->len;

	if (room < keep + sizeof(MEMATTR_LINE_TRUNCATED) + 24)
		return false;
	room -= keep;
	*l = (struct memattr_line) {
		.buf = o->buf + o->len,
		/* one byte for the '\n' */
		.size = min_t(size_t, room, MEMATTR_LINE_MAX) - 1,
	};
	l->buf[0] = '\0';
	memattr_line_add(l, "report=%s", kind);
	return true;
}

static void memattr_report_end_line(struct memattr_report_out *o,
				    struct memattr_line *l)
{
	size_t n = memattr_line_end(l);

	o->buf[o->len + n] = '\n';
	o->len += n + 1;
	o->buf[o->len] = '\0';
	o->lines++;
}

static const char *memattr_report_leak_name(u8 state)
{
	switch (state) {
	case MEMATTR_LEAK_SUSPECT:
		return "suspect";
	case MEMATTR_LEAK_LEAK:
		return "leak";
	}
	return "ok";
}

static const char *memattr_report_path(const struct memattr_report_snap *s,
				       u64 id)
{
	u32 i;

	for (i = 0; i < s->nr_paths && i < MEMATTR_REPORT_PATHS; i++)
		if (s->paths[i].id == id)
			return s->paths[i].path;
	return NULL;
}

static void memattr_report_add_cgroup(struct memattr_line *l,
				      const struct memattr_report_snap *s,
				      u64 id)
{
	const char *path;

	if (!id)
		return;
	memattr_line_add(l, " cgroup_id=%llu", id);
	path = memattr_report_path(s, id);
	if (path)
		memattr_line_add_str(l, "cgroup", path, MEMATTR_CGROUP_PATH_LEN);
}

static void memattr_report_add_exhaust(struct memattr_line *l, s64 s)
{
	if (s < 0)
		memattr_line_add(l, " exhaust_s=none");
	else
		memattr_line_add(l, " exhaust_s=%lld", s);
}

static void memattr_report_procs(struct memattr_report_out *o,
				 const struct memattr_report_snap *s,
				 const char *by,
				 const struct memattr_report_proc *procs,
				 u32 nr)
{
	struct memattr_line l;
	u32 i;

	for (i = 0; i < nr && i < MEMATTR_REPORT_PROCS; i++) {
		const struct memattr_report_proc *p = &procs[i];

		if (!memattr_report_begin_line(o, &l, "proc",
					       MEMATTR_REPORT_END_ROOM))
			return;
		memattr_line_add(&l, " by=%s rank=%u pid=%d", by, i + 1, p->pid);
		memattr_line_add_str(&l, "comm", p->comm, sizeof(p->comm));
		memattr_report_add_cgroup(&l, s, p->cgroup_id);
		memattr_line_add(&l, " footprint_kb=%llu rss_kb=%llu",
				 p->footprint_kb, p->rss_kb);
		memattr_line_add(&l, " growth_kb_per_hour=%lld leak=%s since_ms=%llu",
				 p->growth_kb_per_hour,
				 memattr_report_leak_name(p->leak),
				 p->since_ms);
		memattr_report_end_line(o, &l);
	}
}

static void memattr_report_snap_lines(struct memattr_report_out *o,
				      const struct memattr_report_snap *s)
{
	const struct memattr_system_row *sys = &s->sys;
	struct memattr_line l;
	u32 i;

	if (memattr_report_begin_line(o, &l, "system", MEMATTR_REPORT_END_ROOM)) {
		memattr_line_add(&l, " mem_total_kb=%llu mem_available_kb=%llu",
				 sys->mem_total_kb, sys->mem_available_kb);
		memattr_line_add(&l, " used_pct=%u watermark_level=%u growth_kb_per_hour=%lld",
				 sys->used_pct, sys->watermark_level,
				 sys->growth_kb_per_hour);
		memattr_report_add_exhaust(&l, sys->exhaust_s);
		memattr_report_end_line(o, &l);
	}
	memattr_report_procs(o, s, "footprint", s->fp, s->nr_fp);
	memattr_report_procs(o, s, "growth", s->growth, s->nr_growth);
	for (i = 0; i < s->nr_cg && i < MEMATTR_REPORT_CGROUPS; i++) {
		const struct memattr_report_cgroup *c = &s->cg[i];

		if (!memattr_report_begin_line(o, &l, "cgroup",
					       MEMATTR_REPORT_END_ROOM))
			return;
		memattr_line_add(&l, " rank=%u", i + 1);
		memattr_report_add_cgroup(&l, s, c->id);
		memattr_line_add(&l, " nr_procs=%u usage_kb=%llu", c->nr_procs,
				 c->usage_kb);
		if (c->limit_kb != U64_MAX)
			memattr_line_add(&l, " limit_kb=%llu", c->limit_kb);
		memattr_line_add(&l, " growth_kb_per_hour=%lld leak=%s since_ms=%llu",
				 c->growth_kb_per_hour,
				 memattr_report_leak_name(c->leak), c->since_ms);
		memattr_report_add_exhaust(&l, c->exhaust_s);
		memattr_report_end_line(o, &l);
	}
}

/**
 * memattr_report_format() - the post-mortem report's lines
 * @buf: where they go, each ending in '\n', without the "memattr: " prefix;
 *	 NUL-terminated
 * @size: room in @buf; MEMATTR_REPORT_MAX holds every report whole
 * @in: what the report is made of
 * @lines: where the number of lines goes
 *
 * begin, system, the processes by footprint then by growth, the cgroups,
 * the last OOM report, end: the UAPI header's "Post-mortem report". With
 * no tick yet (@in->snap->time_ms 0), begin, oom and end only. When room
 * runs out the lines stop, but the end line is always written (it says how
 * many lines came, itself included). Context: any; never sleeps, never
 * allocates, takes no lock.
 *
 * Return: the length written, without the NUL; 0 when @size is too small
 * for the begin and end lines.
 */
size_t memattr_report_format(char *buf, size_t size,
			     const struct memattr_report_in *in,
			     unsigned int *lines)
{
	struct memattr_report_out o = { .buf = buf, .size = size };
	const struct memattr_report_snap *s = in->snap;
	struct memattr_line l;

	*lines = 0;
	if (size)
		buf[0] = '\0';
	if (!memattr_report_begin_line(&o, &l, "begin", MEMATTR_REPORT_END_ROOM))
		return 0;
	memattr_line_add(&l, " reason=%s time_ms=%llu",
			 in->reason == MEMATTR_REPORT_PANIC ? "panic" : "on_demand",
			 in->now_ms);
	memattr_line_add_str(&l, "version", in->version ?: "unknown", 64);
	memattr_line_add(&l, " snapshot_ms=%llu", s ? s->time_ms : 0);
	if (in->torn)
		memattr_line_add(&l, " torn=1");
	memattr_report_end_line(&o, &l);

	if (s && s->time_ms)
		memattr_report_snap_lines(&o, s);
	if (in->oom &&
	    memattr_report_begin_line(&o, &l, "oom", MEMATTR_REPORT_END_ROOM)) {
		memattr_line_add(&l, " time_ms=%llu", in->oom->time_ms);
		memattr_line_add_oom(&l, &in->oom->kill);
		memattr_report_end_line(&o, &l);
	}
	/* The room kept for it is enough: MEMATTR_REPORT_END_ROOM. */
	if (memattr_report_begin_line(&o, &l, "end", 0)) {
		memattr_line_add(&l, " lines=%u", o.lines + 1);
		memattr_report_end_line(&o, &l);
	}
	*lines = o.lines;
	return o.len;
}
