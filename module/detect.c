// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detection driven by the sampler (see detect.h).
 *
 * cgroups: the leak metric is memcg usage less its reclaimable file cache
 * (usage - file + shmem): page cache is not a leak, tmpfs is. Each memory
 * cgroup has a history and a leak state that live as long as the cgroup.
 * Time to exhaustion: headroom under memory.max at the present slope.
 *
 * System: memory in use (MemTotal - MemAvailable) has a history too; its
 * slope gives the time until nothing is available. Watermarks compare the
 * used percentage with the configured levels, with hysteresis.
 */
#include <linux/bsearch.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "detect.h"
#include "mem.h"
#include "params.h"
#include "parse.h"
#include "watermark.h"

#define MEMATTR_DETECT_EVENTS	16	/* per tick; more are dropped */

/* A memory cgroup's detection state, keyed by cgroup id. */
struct memattr_cg_state {
	struct hlist_node node;
	u64 id;
	u64 seen;			/* tick it was last found in */
	struct memattr_hist hist;	/* usage - file + shmem, KiB */
	struct memattr_leak_info leak;
};

static DEFINE_HASHTABLE(memattr_cg_states, 6);
static u64 memattr_detect_ticks;

static struct memattr_hist memattr_sys_hist;	/* memory in use, KiB */
static struct memattr_leak_info memattr_sys_leak;
static struct memattr_wm_state memattr_wm;

static struct memattr_event memattr_queue[MEMATTR_DETECT_EVENTS];
static unsigned int memattr_queued;
static u64 memattr_events_dropped;

/**
 * memattr_detect_cfg() - the detector's configuration, from the parameters
 * @cfg: where it goes
 */
void memattr_detect_cfg(struct memattr_leak_cfg *cfg)
{
	cfg->sample_ms = memattr_params_sample_ms();
	cfg->window_s = memattr_params_leak_window_s();
	cfg->min_kb_per_hour = memattr_params_leak_min_kb_per_hour();
}

/**
 * memattr_detect_event_slot() - room for one more event of this tick
 *
 * Context: the sampler; may hold spinlocks (it neither sleeps nor
 * allocates).
 * Return: a zeroed event to fill, or NULL when this tick's queue is full
 * (the event is dropped and counted).
 */
struct memattr_event *memattr_detect_event_slot(void)
{
	struct memattr_event *ev;

	if (memattr_queued == MEMATTR_DETECT_EVENTS) {
		memattr_events_dropped++;
		return NULL;
	}
	ev = &memattr_queue[memattr_queued++];
	memset(ev, 0, sizeof(*ev));
	ev->time_ms = div_u64(ktime_get_ns(), NSEC_PER_MSEC);
	return ev;
}

static struct memattr_cg_state *memattr_cg_state_get(u64 id)
{
	struct memattr_cg_state *st;

	hash_for_each_possible(memattr_cg_states, st, node, id)
		if (st->id == id)
			return st;
	st = memattr_mem_alloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return NULL;
	st->id = id;
	hash_add(memattr_cg_states, &st->node, id);
	return st;
}

static void memattr_leak_event(const struct memattr_leak_info *leak, u8 entity,
			       s64 exhaust_s, struct memattr_event **evp)
{
	struct memattr_event *ev = memattr_detect_event_slot();

	*evp = ev;
	if (!ev)
		return;
	ev->kind = leak->state == MEMATTR_LEAK_LEAK ? MEMATTR_EV_LEAK :
						       MEMATTR_EV_LEAK_CLEARED;
	ev->entity = entity;
	ev->growth_kb_per_hour = leak->growth_kb_per_hour;
	ev->since_ms = div_u64(leak->since_ns, NSEC_PER_MSEC);
	ev->exhaust_s = exhaust_s;
}

/**
 * memattr_detect_cgroups() - judge every memory cgroup
 * @cgs: this tick's cgroup rows; their leak and exhaust_s are filled in
 * @nr: how many
 * @cfg: the detector's configuration
 * @reset: the sampling period changed: restart every history
 * @force: the parameters changed: judge every cgroup afresh
 * @now_ns: ktime_get_ns() of this tick
 * @periods: sampling periods this tick stands for (memattr_hist_periods())
 *
 * Judging is lazy, as a process's (memattr_leak_step_lazy()): the detector
 * runs when a history completes a slot it reads, not at every tick; the
 * verdicts are the same (the replay, selftests/replay, checks it).
 * Context: the sampler (process, may sleep).
 */
void memattr_detect_cgroups(struct memattr_cgroup_row *cgs, u32 nr,
			    const struct memattr_leak_cfg *cfg, bool reset,
			    bool force, u64 now_ns, unsigned int periods)
{
	struct memattr_cg_state *st;
	struct memattr_leak_lazy lz;
	struct hlist_node *tmp;
	unsigned int bkt;
	u32 i;

	memattr_detect_ticks++;
	memattr_leak_lazy_init(&lz, cfg);
	for (i = 0; i < nr; i++) {
		struct memattr_cgroup_row *r = &cgs[i];
		struct memattr_event *ev;
		bool changed;
		u64 metric;

		r->exhaust_s = -1;
		st = memattr_cg_state_get(r->id);
		if (!st)
			continue;
		st->seen = memattr_detect_ticks;
		if (reset)
			memattr_hist_reset(&st->hist);
		metric = r->usage_kb - min(r->usage_kb,
					   r->file_kb - min(r->file_kb,
							    r->shmem_kb));
		memattr_hist_push_n(&st->hist, min_t(u64, metric, U32_MAX),
				    periods);
		changed = memattr_leak_step_keyed(&st->leak, cfg, &lz, &st->hist,
						  now_ns, force);
		r->leak = st->leak;
		if (r->limit_kb != U64_MAX)
			r->exhaust_s = memattr_leak_exhaust_s(r->limit_kb -
							      min(r->limit_kb, r->usage_kb),
							      st->leak.growth_kb_per_hour);
		if (changed) {
			memattr_leak_event(&st->leak, MEMATTR_ENTITY_CGROUP,
					   r->exhaust_s, &ev);
			if (ev) {
				ev->cgroup_id = r->id;
				strscpy(ev->cgroup, r->path, sizeof(ev->cgroup));
			}
		}
	}
	/* Cgroups gone since the last tick take their state with them. */
	hash_for_each_safe(memattr_cg_states, bkt, tmp, st, node) {
		if (st->seen == memattr_detect_ticks)
			continue;
		hash_del(&st->node);
		memattr_mem_free(st, sizeof(*st));
	}
}

/**
 * memattr_detect_system() - the system's trend and watermarks
 * @sys: this tick's system row; growth, exhaust_s and watermark_level are
 *	 filled in
 * @cfg: the detector's configuration
 * @reset: the sampling period changed: restart the history
 * @force: the parameters changed: judge afresh
 * @now_ns: ktime_get_ns() of this tick
 * @periods: sampling periods this tick stands for
 *
 * Judged lazily, as a cgroup is (memattr_detect_cgroups()).
 * Context: the sampler.
 */
void memattr_detect_system(struct memattr_system_row *sys,
			   const struct memattr_leak_cfg *cfg, bool reset,
			   bool force, u64 now_ns, unsigned int periods)
{
	struct memattr_wm_crossing cross[MEMATTR_WATERMARKS_MAX];
	u8 levels[MEMATTR_WATERMARKS_MAX];
	unsigned int nr, n, i;
	u64 used;

	if (reset)
		memattr_hist_reset(&memattr_sys_hist);
	used = sys->mem_total_kb - min(sys->mem_total_kb, sys->mem_available_kb);
	memattr_hist_push_n(&memattr_sys_hist, min_t(u64, used, U32_MAX),
			    periods);
	memattr_leak_step_lazy(&memattr_sys_leak, cfg, &memattr_sys_hist, now_ns,
			       force);
	sys->growth_kb_per_hour = memattr_sys_leak.growth_kb_per_hour;
	sys->exhaust_s = memattr_leak_exhaust_s(sys->mem_available_kb,
						sys->growth_kb_per_hour);

	nr = memattr_params_watermarks(levels);
	n = memattr_wm_crossings(&memattr_wm, levels, nr, sys->used_pct, cross,
				 ARRAY_SIZE(cross));
	/* One event per level crossed, in the order they were crossed. */
	for (i = 0; i < n; i++) {
		struct memattr_event *ev = memattr_detect_event_slot();

		if (!ev)
			break;
		ev->kind = MEMATTR_EV_WATERMARK;
		ev->entity = MEMATTR_ENTITY_SYSTEM;
		ev->level = cross[i].idx + 1;
		ev->level_pct = levels[cross[i].idx];
		ev->up = cross[i].up;
		ev->used_pct = sys->used_pct;
	}
	sys->watermark_level = memattr_wm.level;
}

static int memattr_cg_id_cmp(const void *key, const void *elt)
{
	u64 id = *(const u64 *)key;
	const struct memattr_cgroup_row *r = elt;

	return id < r->id ? -1 : id > r->id;
}

/**
 * memattr_detect_flush() - emit this tick's events
 * @cgs: this tick's cgroup rows (sorted by id), to name processes' cgroups
 * @nr: how many
 *
 * Context: the sampler, no lock held (emitting may sleep).
 */
void memattr_detect_flush(const struct memattr_cgroup_row *cgs, u32 nr)
{
	unsigned int i;

	for (i = 0; i < memattr_queued; i++) {
		struct memattr_event *ev = &memattr_queue[i];
		const struct memattr_cgroup_row *r;

		if (ev->entity == MEMATTR_ENTITY_PROCESS && !ev->cgroup[0]) {
			r = bsearch(&ev->cgroup_id, cgs, nr, sizeof(*cgs),
				    memattr_cg_id_cmp);
			if (r)
				strscpy(ev->cgroup, r->path, sizeof(ev->cgroup));
		}
		memattr_events_emit(ev);
	}
	memattr_queued = 0;
}

/**
 * memattr_detect_exit() - free the detection state
 *
 * ORDER: after the sampler stopped.
 */
void memattr_detect_exit(void)
{
	struct memattr_cg_state *st;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(memattr_cg_states, bkt, tmp, st, node) {
		hash_del(&st->node);
		memattr_mem_free(st, sizeof(*st));
	}
	memset(&memattr_sys_hist, 0, sizeof(memattr_sys_hist));
	memset(&memattr_sys_leak, 0, sizeof(memattr_sys_leak));
	memset(&memattr_wm, 0, sizeof(memattr_wm));
	memattr_queued = 0;
}
