// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for everything that reads bytes from the kernel or
 * writes bytes to the terminal:
 *  - the same input as a netlink message to every reply parser (GET_STATS,
 *    GET_PROC, GET_CGROUP, GET_SYSTEM, GET_LEAKS, GET_OOM, GET_CONFIG,
 *    family, ACK), which must reject it or return results inside the
 *    buffer or their own terminated copies;
 *  - accepted replies printed as text and JSON, as the commands print them;
 *  - the same input as a MEMATTR_CMD_EVENT, printed as a line and as JSON,
 *    and its --exec environment, which must stay as clean;
 *  - accepted process, cgroup, system and stats replies exported in the
 *    Prometheus format: clean lines, label values properly quoted;
 *  - the same input as kernel log lines to memattr last-boot's parser, in
 *    two chunks, twice (duplicates), and inflated when it is deflate data;
 *    its records printed as text and JSON, which must stay as clean;
 *  - the same input as a program for the printer (open/close/values),
 *    whose text and JSON output must stay free of raw control characters
 *    and invalid UTF-8.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lastboot.h"
#include "memattr.h"
#include "pprof.h"
#include "model.h"

#define BUF_MAX		65536
#define DEPTH_MAX	8

/* Output may hold '\n' and spaces, never other controls or bad UTF-8. */
static void check_clean(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		if (s[i] < 0x80) {
			assert(s[i] >= 0x20 || s[i] == '\n');
			assert(s[i] != 0x7f);
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 2;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 3;
		else
			n = 4;
		assert(s[i] >= 0xc2 && s[i] <= 0xf4 && i + n <= len);
		for (k = 1; k < n; k++)
			assert((s[i + k] & 0xc0) == 0x80);
		/* no overlongs, surrogates or code points past U+10FFFF */
		assert(!(s[i] == 0xe0 && s[i + 1] < 0xa0));
		assert(!(s[i] == 0xed && s[i + 1] > 0x9f));
		assert(!(s[i] == 0xf0 && s[i + 1] < 0x90));
		assert(!(s[i] == 0xf4 && s[i + 1] > 0x8f));
		i += n;
	}
}

typedef void (*emit_fn)(struct pr *pr, const void *arg);

static void render_checked(unsigned int flags, emit_fn emit, const void *arg,
			   bool valid)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct pr *pr;
	int err;

	assert(f);
	pr = pr_new(f, flags);
	assert(pr);
	emit(pr, arg);
	err = pr_free(pr);
	fclose(f);
	if (valid && err)
		fprintf(stderr, "pr_free: %d (flags %#x)\n", err, flags);
	if (valid)
		assert(err == 0);
	check_clean((const unsigned char *)out, len);
	free(out);
}

static void emit_stats(struct pr *pr, const void *arg)
{
	memattr_stats_print(pr, arg);
}

struct ev_arg {
	const struct memattr_event *ev;
	int64_t wall_ms;
};

static void emit_event(struct pr *pr, const void *arg)
{
	const struct ev_arg *a = arg;

	memattr_event_print(pr, a->ev, a->wall_ms);
}

static void emit_proc(struct pr *pr, const void *arg)
{
	pr_arr_open(pr, NULL);
	memattr_proc_print(pr, NULL, arg, MEMATTR_PF_BRIEF);
	pr_arr_close(pr);
	memattr_proc_print(pr, NULL, arg, MEMATTR_PF_HISTORY);
}

static void emit_cgroup(struct pr *pr, const void *arg)
{
	pr_arr_open(pr, NULL);
	memattr_cgroup_print(pr, NULL, arg, MEMATTR_PF_BRIEF);
	pr_arr_close(pr);
	memattr_cgroup_print(pr, NULL, arg, 0);
}

static void emit_system(struct pr *pr, const void *arg)
{
	memattr_system_print(pr, NULL, arg);
}

static void emit_leak(struct pr *pr, const void *arg)
{
	pr_arr_open(pr, NULL);
	memattr_leak_print(pr, NULL, arg, 1000);
	pr_arr_close(pr);
}

static void emit_oom(struct pr *pr, const void *arg)
{
	pr_arr_open(pr, NULL);
	memattr_oom_print(pr, NULL, arg);
	pr_arr_close(pr);
}

static void emit_config(struct pr *pr, const void *arg)
{
	memattr_config_print(pr, NULL, arg);
}

static void render_all(emit_fn emit, const void *arg)
{
	render_checked(0, emit, arg, true);
	render_checked(PR_JSON, emit, arg, true);
	render_checked(PR_JSON | PR_PRETTY, emit, arg, true);
}

/* A copied string: terminated inside its array. */
#define CHECK_STR_COPY(a)	assert(strnlen(a, sizeof(a)) < sizeof(a))

/* A GET_PROFILE message: parsed twice (a dump), then as pprof and folded. */
static void fuzz_profile(const void *buf, size_t size)
{
	struct memattr_profile pf = { 0 };
	struct pprof_profile p;
	char *out = NULL;
	size_t len = 0, i;
	FILE *f;
	int ti;

	if (memattr_profile_parse(buf, size, &pf) ||
	    memattr_profile_parse(buf, size, &pf)) {
		memattr_profile_free(&pf);
		return;
	}
	for (i = 0; i < pf.nr_stacks; i++)
		assert(pf.stacks[i].depth <= MEMATTR_PROFILE_MAX_DEPTH &&
		       (pf.stacks[i].depth ||
			pf.stacks[i].bucket != MEMATTR_STACK_FRAMES));
	pprof_init(&p);
	if (!memattr_profile_to_pprof(&pf, MEMATTR_PT_SPACE, &p, &ti)) {
		f = open_memstream(&out, &len);
		assert(f);
		assert(!pprof_write_folded(&p, ti, f));
		assert(!pprof_write_top(&p, ti, 20, f));
		fclose(f);
		free(out);
	}
	pprof_free(&p);
	memattr_profile_free(&pf);
}

static void fuzz_model(const void *buf, size_t size)
{
	struct memattr_proc p;
	struct memattr_cgroup cg;
	struct memattr_system sys;
	struct memattr_leak l;
	struct memattr_oom o;
	struct memattr_config cfg;
	size_t i;

	if (!memattr_proc_parse(buf, size, &p)) {
		CHECK_STR_COPY(p.comm);
		CHECK_STR_COPY(p.cgroup);
		assert(!p.nr_history == !p.history);
		render_all(emit_proc, &p);
	}
	memattr_proc_free(&p);
	if (!memattr_cgroup_parse(buf, size, &cg)) {
		CHECK_STR_COPY(cg.path);
		render_all(emit_cgroup, &cg);
	}
	if (!memattr_system_parse(buf, size, &sys))
		render_all(emit_system, &sys);
	if (!memattr_leak_parse(buf, size, &l)) {
		CHECK_STR_COPY(l.comm);
		CHECK_STR_COPY(l.cgroup);
		render_all(emit_leak, &l);
	}
	if (!memattr_oom_parse(buf, size, &o)) {
		CHECK_STR_COPY(o.comm);
		CHECK_STR_COPY(o.cgroup);
		assert(o.nr_top <= MEMATTR_OOM_TOP_MAX);
		for (i = 0; i < o.nr_top; i++)
			CHECK_STR_COPY(o.top[i].comm);
		render_all(emit_oom, &o);
	}
	memattr_oom_free(&o);
	if (!memattr_config_parse(buf, size, &cfg)) {
		CHECK_STR_COPY(cfg.watermarks);
		render_all(emit_config, &cfg);
	}
	fuzz_profile(buf, size);
}

/*
 * The input as one process, cgroup, system and stats reply each, exported
 * for Prometheus: clean UTF-8 lines, every label value's quotes balanced
 * once escapes are skipped.
 */
static void fuzz_prom(const void *buf, size_t size)
{
	static struct memattr_stats st;
	struct memattr_proc p;
	struct memattr_cgroup cg;
	struct memattr_system sys;
	struct memattr_prom in = { .max_procs = MEMATTR_PROM_ALL };
	struct memattr_config cfg;
	char *out = NULL;
	size_t len = 0, i;
	bool quoted = false;
	FILE *f;

	if (!memattr_proc_parse(buf, size, &p)) {
		in.procs = &p;
		in.nr_procs = 1;
	}
	if (!memattr_cgroup_parse(buf, size, &cg)) {
		in.cgroups = &cg;
		in.nr_cgroups = 1;
	}
	if (!memattr_system_parse(buf, size, &sys))
		in.sys = &sys;
	if (!memattr_stats_parse(buf, size, &st))
		in.stats = &st;
	if (!memattr_config_parse(buf, size, &cfg))
		in.cfg = &cfg;
	in.up = in.stats;
	f = open_memstream(&out, &len);
	assert(f);
	assert(!memattr_prom_write(f, &in));
	fclose(f);
	check_clean((const unsigned char *)out, len);
	for (i = 0; i < len; i++) {
		if (quoted && out[i] == '\\')
			i++;
		else if (out[i] == '"')
			quoted = !quoted;
		else
			assert(!(quoted && out[i] == '\n'));
	}
	assert(!quoted);
	free(out);
	memattr_proc_free(&p);
}

static bool inside(const void *p, const void *buf, size_t len)
{
	return (const char *)p >= (const char *)buf &&
	       (const char *)p < (const char *)buf + len;
}

static void fuzz_parsers(const void *buf, size_t size)
{
	static struct memattr_stats st;	/* large: hooks */
	struct memattr_event ev;
	struct nl_family fam;
	struct nl_ack ack;

	if (!memattr_stats_parse(buf, size, &st)) {
		CHECK_STR_COPY(st.module_version);
		assert(st.nr_hooks <= MEMATTR_HOOKS_MAX);
		render_all(emit_stats, &st);
	}
	if (!memattr_event_parse(buf, size, &ev)) {
		struct ev_arg a = { &ev, (int64_t)ev.time_ms };
		char **env;
		unsigned int i;

		assert(ev.nr_top <= MEMATTR_EV_TOP_MAX);
		if (ev.comm)
			assert(inside(ev.comm, buf, size));
		if (ev.cgroup)
			assert(inside(ev.cgroup, buf, size));
		for (i = 0; i < ev.nr_top; i++)
			if (ev.top[i].comm)
				assert(inside(ev.top[i].comm, buf, size));
		render_checked(PR_LINE, emit_event, &a, true);
		render_checked(PR_JSON, emit_event, &a, true);
		a.wall_ms = -1;
		render_checked(0, emit_event, &a, true);
		env = memattr_event_env(&ev);
		for (i = 0; env && env[i]; i++)
			check_clean((const unsigned char *)env[i],
				    strlen(env[i]));
		memattr_event_env_free(env);
	}
	fuzz_model(buf, size);
	fuzz_prom(buf, size);
	memattr_watch_family_gone(buf, size, 0x1c);
	if (!nl_family_parse(buf, size, &fam)) {
		assert(fam.n_mcgrps <= NL_MCGRPS_MAX);
		assert(strnlen(fam.name, sizeof(fam.name)) < sizeof(fam.name));
	}
	if (!nl_ack_parse(buf, size, &ack)) {
		assert(ack.error <= 0 && ack.error >= -4095);
		if (ack.msg)
			assert(inside(ack.msg, buf, size) &&
			       strnlen(ack.msg, size) < size);
	}
}

struct prog {
	const uint8_t *p;
	size_t len;
};

static const char *const keys[] = { "a", "pid", "comm", "rss_kib", "x y" };

/* The input as printer calls; kept valid so pr_free() must succeed. */
static void emit_prog(struct pr *pr, const void *arg)
{
	const struct prog *prog = arg;
	bool in_obj[DEPTH_MAX + 1] = { false };
	unsigned int depth = 0;
	const char *key;
	size_t i, n;

	for (i = 0; i < prog->len; i++) {
		uint8_t op = prog->p[i];

		key = in_obj[depth] ? keys[(op >> 4) % 5] : NULL;
		switch (op & 0xf) {
		case 0:
		case 1:
			if (depth == DEPTH_MAX)
				break;
			if (op & 1)
				pr_arr_open(pr, key);
			else
				pr_obj_open(pr, key);
			in_obj[++depth] = !(op & 1);
			break;
		case 2:
			if (!depth)
				break;
			if (in_obj[depth])
				pr_obj_close(pr);
			else
				pr_arr_close(pr);
			depth--;
			break;
		case 3:
			n = i + 1 < prog->len ? prog->p[i + 1] % 32 : 0;
			if (n > prog->len - i - 2)
				n = prog->len > i + 2 ? prog->len - i - 2 : 0;
			pr_strn(pr, key, (const char *)prog->p + i + 2, n);
			i += n + 1;
			break;
		case 4:
			pr_u64(pr, key, (uint64_t)op << 56 | i);
			break;
		case 5:
			pr_s64(pr, key, -(int64_t)i);
			break;
		case 6:
			pr_bool(pr, key, op & 0x10);
			break;
		case 7:
			pr_null(pr, key);
			break;
		default:
			break;
		}
	}
	while (depth) {
		if (in_obj[depth--])
			pr_obj_close(pr);
		else
			pr_arr_close(pr);
	}
}

static void emit_lastboot(struct pr *pr, const void *arg)
{
	lastboot_print_json(pr, arg);
}

/* Every value as logged: printable ASCII without '=' or '"'. */
static void check_rec(const struct lb_rec *r, const char *first)
{
	size_t i, j;

	assert(r->nf >= 1 && !strcmp(r->f[0].key, first));
	for (i = 0; i < r->nf; i++)
		for (j = 0; j < r->f[i].raw_len; j++)
			assert(r->f[i].raw[j] > 0x20 && r->f[i].raw[j] < 0x7f &&
			       r->f[i].raw[j] != '=' && r->f[i].raw[j] != '"');
}

static void fuzz_lastboot(const uint8_t *data, size_t size)
{
	size_t cut = size ? data[0] % (size + 1) : 0, i, j, len = 0, zlen;
	char *out = NULL, *z = NULL;
	struct lb lb;
	FILE *f;

	lb_init(&lb);
	assert(lb_src_add(&lb, "a") == 0);
	lb_feed(&lb, data, cut);
	lb_feed(&lb, data + cut, size - cut);
	lb_src_end(&lb);
	/* the same stream: a report may go on in the next source */
	assert(lb_src_add(&lb, "b") == 1);
	lb_feed(&lb, data, size);
	lb_src_end(&lb);
	lb_stream_end(&lb);
	if (!lb_inflate(data, size, BUF_MAX, &z, &zlen)) {
		assert(zlen <= BUF_MAX);
		assert(lb_src_add(&lb, "c.enc.z") == 2);
		lb_feed(&lb, z, zlen);
		lb_src_end(&lb);
		lb_stream_end(&lb);
		free(z);
	}
	lb_finish(&lb);
	assert(!lb.nomem);
	for (i = 0; i < lb.nev; i++) {
		check_rec(&lb.ev[i], "event");
		assert(!i || !lb.ev[i].has_time || lb.ev[i - 1].has_time);
	}
	for (i = 0; i < lb.nrep; i++) {
		assert(lb.rep[i].n);
		for (j = 0; j < lb.rep[i].n; j++)
			check_rec(&lb.rep[i].line[j], "report");
	}
	render_checked(PR_JSON, emit_lastboot, &lb, true);
	f = open_memstream(&out, &len);
	assert(f);
	lastboot_print_text(f, &lb);
	fclose(f);
	check_clean((const unsigned char *)out, len);
	free(out);
	lb_free(&lb);
}

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
	static uint64_t buf[BUF_MAX / 8];	/* netlink buffers are aligned */
	struct prog prog = { data, size };

	if (size > BUF_MAX)
		return -1;
	memcpy(buf, data, size);
	fuzz_parsers(buf, size);
	fuzz_lastboot(data, size);
	render_checked(0, emit_prog, &prog, true);
	render_checked(PR_JSON | PR_PRETTY, emit_prog, &prog, true);
	return 0;
}
