// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replay harness: the module's leak.c and hist.c, built unmodified for the
 * host (shim/ stands in for the few kernel headers they include), fed the
 * corpus's day-scale footprints exactly as the sampler feeds them:
 *
 *  - a process (sampler.c, memattr_sample_procs()): every tick computes its
 *    footprint with memattr_leak_metric_kb() (anon + swap + page tables,
 *    and the mapped shmem its own allocations pay for) and pushes it with
 *    memattr_hist_push_n() for the periods memattr_hist_periods() says the
 *    tick stands for, then memattr_leak_step_lazy(), forced on the module's
 *    first tick (the configuration differs from the zeroed one last seen);
 *  - a memory cgroup (detect.c, memattr_detect_cgroups(); the system's
 *    history in memattr_detect_system() is judged the same way): every tick
 *    pushes usage - (file - shmem) for those periods, then
 *    memattr_leak_step_lazy(), forced on the first tick; and once more with
 *    memattr_leak_step() at every tick, as the module judged before, which
 *    must give the same transitions.
 *
 * At the defaults (params.h): sample_ms 1000, leak_window_s 3600,
 * leak_min_kb_per_hour 4096. Ticks come when they do on a real kernel at
 * HZ=250: the sampler aims tick n at its first tick + n * 1000 ms and arms
 * the delayed work for what is left, rounded up to a jiffy; the timer
 * wheel (level 1, 8-jiffy granularity) fires it at the next 8-jiffy
 * boundary after that, up to 32 ms late, and the worker wakes up 0.1 to
 * 1.5 ms later (one tick in 1000 by 4 to 16 ms more; one in 20000 is held
 * up 1.5 to 3.5 periods and the sampler catches up). The lateness never
 * adds up: a history's sample i is i periods old.
 *
 *   replay --md FILE       run the corpus and the other seeds, write the
 *                          results tables to FILE, print the summaries
 *   replay --tap EXPECTED OUT
 *                          the same, the tables to OUT; TAP: every run as
 *                          recorded in EXPECTED, every scenario with every
 *                          other seed, and what today's detector must keep
 *   --seeds N              (first) N other seeds a scenario, not 12
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/linux/memattr.h>

#include "../../module/hist.h"
#include "../../module/leak.h"
#include "replay.h"

#define JIFFY_NS	4000000ULL	/* HZ=250 */
#define PERIOD_NS	(cfg.sample_ms * 1000000ULL)
#define NS		1e9

static const struct memattr_leak_cfg cfg = {
	.sample_ms = 1000,
	.window_s = 3600,
	.min_kb_per_hour = 4096,
};

enum replay_path { PATH_PROC, PATH_CG, PATH_EAGER };

struct replay_result {
	u8 final;			/* state at the end */
	u64 ticks;
	double suspect_h;		/* first SUSPECT or LEAK, or none */
	double leak_h;			/* first LEAK, or none */
	double detect_h;		/* first LEAK while leaking, or none */
	u64 detect_samples;		/* samples in the history then */
	s64 event_kbh;			/* growth in that LEAK event */
	s64 false_event_kbh;		/* growth in the first false one */
	s64 in_min_kbh, in_max_kbh;	/* growth while LEAK (true ones) */
	bool in_leak;			/* some tick was LEAK while leaking */
	unsigned int false_eps;		/* LEAK entered while not leaking */
	double false_h;			/* hours in those */
	unsigned int early_eps;		/* of those, entered before clean_h */
	double early_h;			/* hours in those */
	double clear_h;			/* stop -> out of LEAK; none: n/a */
	bool never_cleared;		/* still LEAK at the end */
	u64 digest;			/* every state change, for equality */
	u64 missed;			/* periods caught up after stalls */
	u64 samples;			/* in the history at the end */
	u64 axis_periods;		/* periods since the first tick, + 1 */
};

static const char *const state_name[] = { "ok", "suspect", "LEAK" };

/*
 * The tick's real time. The sampler aims tick k at start + k * sample_ms
 * (sampler.c, memattr_sampler_fn()): it arms the delayed work for what is
 * left until then, rounded up to whole milliseconds and jiffies, and the
 * timer wheel (level 1 at HZ=250: 8-jiffy buckets) fires it at the next
 * bucket boundary strictly after that jiffy; the worker then wakes up
 * 0.1 to 1.5 ms later (one tick in 1000: 4 to 16 ms more). One tick in
 * 20000 is held up for 1.5 to 3.5 periods (a long stall of the unbound
 * workqueue), and the sampler catches up.
 */
static u64 replay_tick_ns(struct replay_gen *clk, u64 target_ns)
{
	u64 jiffy = (target_ns + JIFFY_NS - 1) / JIFFY_NS;
	u64 late = 100000 + (u64)(1400000 * replay_uniform(clk));

	jiffy = ((jiffy >> 3) + 1) << 3;
	if (replay_uniform(clk) < 0.001)
		late += 4000000 + (u64)(12000000 * replay_uniform(clk));
	if (replay_uniform(clk) < 0.00005)
		late += (u64)(PERIOD_NS * (1.5 + 2 * replay_uniform(clk)));
	return jiffy * JIFFY_NS + late;
}

static bool replay_leaking(const struct replay_truth *t, double h)
{
	return t->rate_kbh >= cfg.min_kb_per_hour && h >= t->start_h &&
	       (t->stop_h < 0 || h < t->stop_h);
}

static void replay_digest(u64 *d, u64 v)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		*d ^= (v >> (8 * i)) & 0xff;
		*d *= 0x100000001b3ULL;	/* FNV-1a */
	}
}

/* A scenario's long stall: its tick at or after stall_h comes late. */
static u64 replay_stall(const struct replay_scn *s, u64 now, bool *stalled)
{
	if (!s->stall_periods || *stalled ||
	    now / NS < s->stall_h * REPLAY_HOUR)
		return now;
	*stalled = true;
	return now + s->stall_periods * PERIOD_NS;
}

/*
 * Replay @s through one entity path; @cg_metric: push the cgroup's metric
 * instead of the process's.
 */
static void replay_run(const struct replay_scn *s, enum replay_path path,
		       bool cg_metric, struct replay_result *r)
{
	struct replay_gen gen = { .rng = s->seed }, clk = { .rng = ~s->seed };
	struct memattr_leak_info info = { 0 };
	struct memattr_hist *h = calloc(1, sizeof(*h));
	double end_s = s->hours * REPLAY_HOUR, ep_h = 0, t = 0;
	bool ep_false = false, ep_early = false, stalled = false;
	u8 old = MEMATTR_LEAK_OK;
	u64 k, n = 0, start, now;
	struct replay_sample prev = { 0 };
	struct memattr_leak_shmem sh = { 0 };
	u32 kb;

	if (!h)
		exit(2);
	memset(r, 0, sizeof(*r));
	r->suspect_h = REPLAY_NONE;
	r->leak_h = REPLAY_NONE;
	r->detect_h = REPLAY_NONE;
	r->clear_h = REPLAY_NONE;
	r->digest = 0xcbf29ce484222325ULL;
	memattr_hist_reset(h);
	start = replay_tick_ns(&clk, 0);
	for (k = 0, now = start;; k++) {
		struct replay_sample smp;
		unsigned int reps = 1;
		double hr;
		u8 st;

		t = now / NS;
		if (t >= end_s)
			break;
		hr = t / REPLAY_HOUR;
		if (k)
			reps = memattr_hist_periods(&n, start, now, cfg.sample_ms);
		r->missed += reps - 1;
		s->fp(s, &gen, t, &smp);
		kb = cg_metric ? smp.cg_kb :
			memattr_leak_metric_kb(&sh, smp.proc_kb,
					       smp.shmem_kb, prev.proc_kb,
					       prev.shmem_kb,
					       smp.alloc_kb - prev.alloc_kb);
		prev = smp;
		memattr_hist_push_n(h, kb, reps);
		if (path != PATH_EAGER)
			memattr_leak_step_lazy(&info, &cfg, h, now, k == 0);
		else
			memattr_leak_step(&info, &cfg, h, now);
		st = info.state;
		if (st != MEMATTR_LEAK_OK && r->suspect_h < 0)
			r->suspect_h = hr;
		if (st != old) {
			replay_digest(&r->digest, k);
			replay_digest(&r->digest, st);
			replay_digest(&r->digest, info.growth_kb_per_hour);
		}
		if (st == MEMATTR_LEAK_LEAK && old != MEMATTR_LEAK_LEAK) {
			ep_h = hr;
			ep_false = !replay_leaking(&s->truth, hr);
			if (r->leak_h < 0)
				r->leak_h = hr;
			if (ep_false && !r->false_eps)
				r->false_event_kbh = info.growth_kb_per_hour;
			r->false_eps += ep_false;
			ep_early = ep_false && hr < s->truth.clean_h;
			r->early_eps += ep_early;
			if (!ep_false && r->detect_h < 0) {
				r->detect_h = hr;
				r->detect_samples = h->samples;
				r->event_kbh = info.growth_kb_per_hour;
			}
		}
		if (st == MEMATTR_LEAK_LEAK && replay_leaking(&s->truth, hr)) {
			s64 g = info.growth_kb_per_hour;

			if (!r->in_leak || g < r->in_min_kbh)
				r->in_min_kbh = g;
			if (!r->in_leak || g > r->in_max_kbh)
				r->in_max_kbh = g;
			r->in_leak = true;
		}
		if (st != MEMATTR_LEAK_LEAK && old == MEMATTR_LEAK_LEAK) {
			if (ep_false)
				r->false_h += hr - ep_h;
			if (ep_early)
				r->early_h += hr - ep_h;
			if (s->truth.stop_h >= 0 && hr >= s->truth.stop_h &&
			    r->clear_h < 0)
				r->clear_h = hr - s->truth.stop_h;
		}
		old = st;
		now = replay_tick_ns(&clk, start + (n + 1) * PERIOD_NS);
		now = replay_stall(s, now, &stalled);
	}
	if (old == MEMATTR_LEAK_LEAK) {
		if (ep_false)
			r->false_h += t / REPLAY_HOUR - ep_h;
		if (ep_early)
			r->early_h += t / REPLAY_HOUR - ep_h;
		r->never_cleared = s->truth.stop_h >= 0 && r->clear_h < 0;
	}
	r->final = old;
	r->ticks = k;
	r->samples = h->samples;
	r->axis_periods = n + 1;
	free(h);
}

/* ---- what the results say ---- */

struct buf {
	char s[512];
	size_t n;
};

static void bput(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->n = b->n + n < sizeof(b->s) ? b->n + n : sizeof(b->s) - 1;
}

static double mib(s64 kbh)
{
	return kbh / REPLAY_MB;
}

/* Percent off the true rate (KiB per real hour). */
static double off_pct(s64 kbh, double rate)
{
	return 100.0 * (kbh - rate) / rate;
}

/*
 * Judge @r against the targets for a detector (deliverable 2):
 * no LEAK while not leaking; a leak at or above leak_min is LEAK within
 * 1.25 windows of its start (a staircase: by truth.by_h), with the event's
 * growth within 10 % of the true rate; a stopped leak clears within one
 * window. Return: true when all hold; @why lists what failed.
 */
static bool replay_judge(const struct replay_scn *s,
			 const struct replay_result *r, struct buf *why)
{
	const struct replay_truth *t = &s->truth;
	double win_h = cfg.window_s / REPLAY_HOUR;
	bool ok = true;

	why->n = 0;
	why->s[0] = 0;
	if (r->false_eps > r->early_eps) {
		bput(why, "%u false LEAK (%.1f h); ", r->false_eps - r->early_eps,
		     r->false_h - r->early_h);
		ok = false;
	}
	if (t->rate_kbh < cfg.min_kb_per_hour)
		goto out;
	if (r->detect_h < 0) {
		bput(why, "leak missed; ");
		ok = false;
		goto out;
	}
	if (t->by_h > 0 ? r->detect_h > t->by_h :
	    r->detect_h - t->start_h > 1.25 * win_h) {
		bput(why, "LEAK late (%.2f h); ", r->detect_h - t->start_h);
		ok = false;
	}
	if (!t->by_h && (r->event_kbh < 0.9 * t->rate_kbh ||
			 r->event_kbh > 1.1 * t->rate_kbh)) {
		bput(why, "event slope %+.0f %%; ",
		     off_pct(r->event_kbh, t->rate_kbh));
		ok = false;
	}
	if (r->never_cleared || r->clear_h > win_h) {
		if (r->never_cleared)
			bput(why, "never clears; ");
		else
			bput(why, "clears after %.2f h; ", r->clear_h);
		ok = false;
	}
out:
	if (why->n >= 2)
		why->s[why->n - 2] = 0;
	return ok;
}

static void fmt_h(struct buf *b, double h)
{
	if (h < 0)
		bput(b, "-");
	else
		bput(b, "%.2f h", h);
}

/* One row of the results table, without a newline. */
static bool replay_row(const struct replay_scn *s, const char *path,
		       const struct replay_result *r, struct buf *row)
{
	const struct replay_truth *t = &s->truth;
	struct buf why;
	bool ok = replay_judge(s, r, &why);

	row->n = 0;
	bput(row, "| %s%s | ", s->name, path);
	if (t->rate_kbh > 0) {
		bput(row, "leak %.0f MiB/h", t->rate_kbh / REPLAY_MB);
		if (t->start_h > 0)
			bput(row, " from %.0f h", t->start_h);
		if (t->stop_h >= 0)
			bput(row, " to %.0f h", t->stop_h);
	} else {
		bput(row, "ok");
	}
	bput(row, " | %s | ", state_name[r->final]);
	fmt_h(row, r->suspect_h);
	bput(row, " | ");
	fmt_h(row, r->leak_h);
	if (r->detect_h >= 0 && t->rate_kbh > 0)
		bput(row, " (leak +%.2f h, %llu samples)",
		     r->detect_h - t->start_h,
		     (unsigned long long)r->detect_samples);
	bput(row, " | ");
	if (r->detect_h >= 0 && t->rate_kbh > 0)
		bput(row, "%.2f (%+.1f %%)", mib(r->event_kbh),
		     off_pct(r->event_kbh, t->rate_kbh));
	else if (r->false_eps)
		bput(row, "%.2f (false)", mib(r->false_event_kbh));
	else
		bput(row, "-");
	bput(row, " | ");
	if (r->in_leak)
		bput(row, "%.2f .. %.2f", mib(r->in_min_kbh),
		     mib(r->in_max_kbh));
	else
		bput(row, "-");
	bput(row, " | %u, %.1f h | ", r->false_eps, r->false_h);
	if (r->never_cleared)
		bput(row, "never");
	else
		fmt_h(row, r->clear_h);
	bput(row, " | %s%s%s", ok ? "pass" : "**FAIL**", ok ? "" : ": ",
	     why.s);
	if (r->early_eps)
		bput(row, "%s%u false LEAK (%.1f h) in the first %.0f h, allowed",
		     ok ? "; " : ", ", r->early_eps, r->early_h, t->clean_h);
	bput(row, " |");
	return ok;
}

/* ---- the corpus, run ---- */

struct replay_all {
	struct replay_result proc[64], cg[64], eager[64];
	char rows[128][512];
	bool ok[128];
	unsigned int nrows, npass;
};

static void replay_all(struct replay_all *a)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < replay_corpus_nr && i < 64; i++) {
		const struct replay_scn *s = &replay_corpus[i];
		struct buf row;

		replay_run(s, PATH_PROC, false, &a->proc[i]);
		a->ok[a->nrows] = replay_row(s, "", &a->proc[i], &row);
		memcpy(a->rows[a->nrows++], row.s, sizeof(row.s));
		if (!s->cgroup)
			continue;
		replay_run(s, PATH_CG, true, &a->cg[i]);
		replay_run(s, PATH_EAGER, true, &a->eager[i]);
		a->ok[a->nrows] = replay_row(s, " (cgroup)", &a->cg[i], &row);
		memcpy(a->rows[a->nrows++], row.s, sizeof(row.s));
	}
	for (i = 0; i < a->nrows; i++)
		a->npass += a->ok[i];
}

/* ---- beyond the corpus's seeds ---- */

/*
 * The corpus's seeds are one draw of each footprint's randomness (noise, a
 * wandering floor's levels, GC cycles, ticks' lateness and stalls): a
 * detector tuned on them can pass them by luck. The sweep runs every
 * scenario again with REPLAY_SEEDS other seeds on the process path (the
 * path the cgroup rows share their detector with) and judges each run as
 * the corpus's.
 */
#define REPLAY_SEEDS	12

struct replay_sweep_row {
	unsigned int pass;		/* runs that match the ground truth */
	unsigned int false_runs;	/* runs with a false LEAK (not allowed) */
	unsigned int false_eps;		/* their episodes */
	double false_h;			/* and hours */
	unsigned int detected;		/* runs where the leak was LEAK */
	double det_min_h, det_max_h;	/* LEAK after the leak's start */
	double off_min, off_max;	/* the event's slope, % off */
	struct buf fails;		/* seed: why, of the runs that fail */
	struct buf line;		/* its row of the table */
};

struct replay_sweep {
	unsigned int nseeds, runs, npass;
	struct replay_sweep_row row[64];
};

static u64 replay_seed(const struct replay_scn *s, unsigned int k)
{
	return s->seed + 1000ULL * (k + 1);
}

/* @w's row of the table, without a newline. */
static void replay_sweep_line(const struct replay_scn *s,
			      struct replay_sweep_row *w, unsigned int nseeds)
{
	struct buf *b = &w->line;

	bput(b, "| %s | %u/%u | %u, %u, %.1f h | ", s->name, w->pass, nseeds,
	     w->false_runs, w->false_eps, w->false_h);
	if (s->truth.rate_kbh < cfg.min_kb_per_hour)
		bput(b, "- | - | ");
	else if (!w->detected)
		bput(b, "missed | - | ");
	else
		bput(b, "%.2f .. %.2f h (%u/%u) | %+.1f .. %+.1f %% | ",
		     w->det_min_h, w->det_max_h, w->detected, nseeds,
		     w->off_min, w->off_max);
	bput(b, "%s |", w->fails.n ? w->fails.s : "-");
}

static void replay_sweep(struct replay_sweep *sw, unsigned int nseeds)
{
	unsigned int i, k;

	memset(sw, 0, sizeof(*sw));
	sw->nseeds = nseeds;
	for (i = 0; i < replay_corpus_nr && i < 64; i++) {
		struct replay_sweep_row *w = &sw->row[i];
		struct replay_scn s = replay_corpus[i];
		const struct replay_truth *t = &s.truth;

		for (k = 0; k < nseeds; k++) {
			struct replay_result r;
			struct buf why;
			double d, off;

			s.seed = replay_seed(&replay_corpus[i], k);
			replay_run(&s, PATH_PROC, false, &r);
			sw->runs++;
			if (replay_judge(&s, &r, &why)) {
				w->pass++;
				sw->npass++;
			} else {
				bput(&w->fails, "%s%llu: %s",
				     w->fails.n ? "; " : "",
				     (unsigned long long)s.seed, why.s);
			}
			if (r.false_eps > r.early_eps) {
				w->false_runs++;
				w->false_eps += r.false_eps - r.early_eps;
				w->false_h += r.false_h - r.early_h;
			}
			if (t->rate_kbh < cfg.min_kb_per_hour ||
			    r.detect_h < 0)
				continue;
			d = r.detect_h - t->start_h;
			off = off_pct(r.event_kbh, t->rate_kbh);
			if (!w->detected || d < w->det_min_h)
				w->det_min_h = d;
			if (!w->detected || d > w->det_max_h)
				w->det_max_h = d;
			if (!w->detected || off < w->off_min)
				w->off_min = off;
			if (!w->detected || off > w->off_max)
				w->off_max = off;
			w->detected++;
		}
		replay_sweep_line(&s, w, nseeds);
	}
}

static void replay_sweep_summary(FILE *f, const struct replay_sweep *sw)
{
	unsigned int i;

	fprintf(f, "replay: over %u other seeds a scenario, %u of %u runs match the "
		"ground truth%s", sw->nseeds, sw->npass, sw->runs,
		sw->npass < sw->runs ? "; fail:" : "");
	for (i = 0; i < replay_corpus_nr; i++)
		if (sw->row[i].pass < sw->nseeds)
			fprintf(f, " %s %u/%u", replay_corpus[i].name,
				sw->row[i].pass, sw->nseeds);
	fprintf(f, "\n");
}

static void replay_sweep_md(FILE *f, const struct replay_sweep *sw)
{
	unsigned int i;

	fprintf(f, "\n## Other seeds\n\n");
	fprintf(f, "Every scenario again with %u other seeds (seed + 1000 k, k = 1..%u: "
		"its footprint's randomness and the ticks'), on the process path, "
		"judged as above.\n\n", sw->nseeds, sw->nseeds);
	fprintf(f, "| scenario | pass | false LEAK (runs, episodes, hours) | "
		"LEAK after the leak's start | slope at the event | failing seeds |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---|\n");
	for (i = 0; i < replay_corpus_nr; i++)
		fprintf(f, "%s\n", sw->row[i].line.s);
	fprintf(f, "\n");
	replay_sweep_summary(f, sw);
}

/* What the table cannot say: which rule each scenario needs (issue 11). */
static const char replay_notes[] =
"Each rule of the detector (README, Leak detection) has a scenario here that "
"fails without it:\n\n"
"- measured time (memattr_hist_periods(), ticks aimed at absolute times): "
"leak-37-t0, leak-200-t0 (event slopes +2.4 % with a 1024 ms re-arm), and the "
"time-axis check;\n"
"- the newest quarter still grows (slope_recent): lru-fill, cache-refill;\n"
"- linear (the newer half grows 2/3 to 3/2 as fast as the older): jvm-warmup "
"(slowing down), wander-12, leak-37-t10, leak-200-t10 (event slope -17 % "
"while the window still holds the flat part);\n"
"- a new high (above what the entity held in the day before, by half its "
"spread): daily-cycle, batch-buffer, wander-4, wander-12, leak-stops;\n"
"- the long horizon (4 windows, stepwise LEAK): staircase; steady on it: "
"jvm-warmup;\n"
"- a staircase still steps (a rise within 2.5 windows, or a stepwise LEAK "
"clears): staircase-stops (clears 1.37 h after the step due at 12 h without "
"it);\n"
"- a stepwise LEAK only while the window's floor is not falling faster than "
"half the minimum rate: wander-25 over 36 other seeds (`replay --seeds 36`: "
"seed 17107 is a stepwise LEAK at 28.4 h for 0.9 h without it, and seed 29107 "
"keeps its false LEAK 0.5 h longer);\n"
"- the floor's fall-back in the day before (a new high must clear it too), "
"and a flat older half for the half-window path: wander-12, wander-25 over "
"other seeds (7 and 6 of 12 without them);\n"
"- the process's own shmem (memattr_leak_metric_kb()): shm-reader; shm-writer "
"stays LEAK.\n\n"
"daily-cycle, first day: a rise of 26 MiB/h from the start of a process's life "
"is, for its first 1.25 windows, the same footprint as a 26 MiB/h leak that "
"started with the process, which must be LEAK by then; so the first day's "
"rising half is LEAK (1.0 h to 6 h here), and the days after are not.\n";

static void replay_summary(FILE *f, const struct replay_all *a)
{
	unsigned int i;

	fprintf(f, "replay: today's detector at the defaults matches the ground truth in "
		"%u of %u day-scale runs (%u scenarios)%s",
		a->npass, a->nrows, replay_corpus_nr,
		a->npass < a->nrows ? "; fails:" : "");
	for (i = 0; i < a->nrows; i++) {
		const char *name = a->rows[i] + 2;

		if (!a->ok[i])
			fprintf(f, " %.*s", (int)(strchr(name, '|') - name - 1),
				name);
	}
	fprintf(f, "\n");
}

static int replay_md(const struct replay_all *a,
		     const struct replay_sweep *sw, const char *path,
		     bool quiet)
{
	unsigned int i;
	FILE *f;

	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(f, "# memattr leak detector: day-scale replay\n\n");
	fprintf(f, "Written by `make replay` (selftests/replay/); `make check` fails when "
		"it is stale.\n\n");
	fprintf(f, "- detector: module/leak.c and module/hist.c as committed, built for "
		"the host\n");
	fprintf(f, "- parameters: the defaults, sample_ms %u, leak_window_s %u, "
		"leak_min_kb_per_hour %u\n",
		cfg.sample_ms, cfg.window_s, cfg.min_kb_per_hour);
	fprintf(f, "- ticks: aimed at start + k * %u ms (HZ=250: armed for what is left, "
		"fired at the timer wheel's next 8-jiffy boundary), each 0.1-1.5 ms late "
		"(1 in 1000: 4-16 ms more; 1 in 20000 held up 1.5-3.5 periods, caught up "
		"by repeating the sample); fixed seeds\n",
		cfg.sample_ms);
	fprintf(f, "- process rows, as sampler.c: memattr_leak_metric_kb() (anon + swap + "
		"page tables + the mapped shmem it allocated itself) pushed with "
		"memattr_hist_push_n() for the periods memattr_hist_periods() says the "
		"tick stands for, then memattr_leak_step_lazy(), forced on the first "
		"tick; `(cgroup)` rows: the cgroup's metric and memattr_leak_step_lazy() "
		"the same way, as detect.c (its transitions checked against "
		"memattr_leak_step() at every tick)\n");
	fprintf(f, "- times are real hours since the process started; slopes are the "
		"detector's growth_kb_per_hour in MiB/h, and the percent is off the "
		"true rate per real hour\n");
	fprintf(f, "- vs truth: the issue's targets, not today's contract: no LEAK while "
		"not leaking; a leak >= leak_min LEAK within 1.25 windows of its start "
		"(the staircase: before its 4th step, 8 h) with the event's growth "
		"within 10 %%; a stopped leak clear within one window; the daily cycle: "
		"no LEAK once it has 24 h of history (the issue asks at most suspect on "
		"the first day too: see the note below)\n\n");
	fprintf(f, "| scenario | footprint |\n|---|---|\n");
	for (i = 0; i < replay_corpus_nr; i++)
		fprintf(f, "| %s | %s, %u h |\n", replay_corpus[i].name,
			replay_corpus[i].what, replay_corpus[i].hours);
	fprintf(f, "\n| run | truth | verdict at the end | first suspect | first LEAK | "
		"slope at the event (MiB/h) | slope while LEAK | false LEAK (episodes, "
		"hours) | time to clear | vs truth |\n");
	fprintf(f, "|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
	for (i = 0; i < a->nrows; i++)
		fprintf(f, "%s\n", a->rows[i]);
	fprintf(f, "\n");
	replay_summary(f, a);
	fprintf(f, "\n%s", replay_notes);
	replay_sweep_md(f, sw);
	if (fclose(f))
		return 1;
	if (!quiet) {
		replay_summary(stdout, a);
		replay_sweep_summary(stdout, sw);
	}
	return 0;
}

/* ---- TAP ---- */

static unsigned int tap_fail;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok - ", ok ? "" : "not ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_fail += !ok;
}

static const struct replay_scn *scn(const char *name, unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < replay_corpus_nr; i++)
		if (!strcmp(replay_corpus[i].name, name)) {
			*idx = i;
			return &replay_corpus[i];
		}
	fprintf(stderr, "replay: no scenario %s\n", name);
	exit(2);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (!f || fseek(f, 0, SEEK_END)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		exit(2);
	s = calloc(1, n + 1);
	if (!s || fread(s, 1, n, f) != (size_t)n)
		exit(2);
	fclose(f);
	return s;
}

/* A whole line of @text equal to @line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/*
 * Every scenario with every other seed: its row as recorded in @text (any
 * change to the detector shows here, for better or worse), saying how many
 * seeds match the ground truth.
 */
static void replay_tap_sweep(const struct replay_sweep *sw, const char *text)
{
	unsigned int i;

	for (i = 0; i < replay_corpus_nr; i++) {
		const struct replay_sweep_row *w = &sw->row[i];

		tap(has_line(text, w->line.s),
		    "%s: as recorded with %u other seeds (%u match the ground truth%s%s)",
		    replay_corpus[i].name, sw->nseeds, w->pass,
		    w->fails.n ? "; fail: " : "", w->fails.s);
	}
}

static int replay_tap(const char *expected, const char *out,
		      unsigned int nseeds)
{
	static struct replay_sweep sw;
	static struct replay_all a;
	char *text = slurp(expected);
	const struct replay_result *r;
	const struct replay_scn *s;
	double rate, tick_ratio = 1.0;
	unsigned int i, j;

	replay_all(&a);
	replay_sweep(&sw, nseeds);
	if (replay_md(&a, &sw, out, true))
		return 1;
	/* Every run as recorded: any change to the detector shows here. */
	for (i = 0; i < a.nrows; i++) {
		const char *name = a.rows[i] + 2;

		tap(has_line(text, a.rows[i]),
		    "%.*s: as recorded (%s)", (int)(strchr(name, '|') - name - 1),
		    name, a.ok[i] ? "matches the truth" :
		    "today's detector misses the truth");
	}

	/* Every run meets the targets (see replay_judge()). */
	for (i = 0; i < a.nrows; i++) {
		const char *name = a.rows[i] + 2;

		tap(a.ok[i], "%.*s: matches the ground truth",
		    (int)(strchr(name, '|') - name - 1), name);
	}

	/*
	 * Measured time: ticks aimed at absolute times, and the periods a
	 * stalled tick missed repeated, keep sample i of every history i
	 * periods old over days.
	 */
	for (i = 0, j = 0; i < replay_corpus_nr; i++) {
		r = &a.proc[i];
		j += r->missed > 0;
		if (replay_corpus[i].stall_periods)
			continue;
		if (r->samples != r->axis_periods)
			break;
	}
	tap(i == replay_corpus_nr && j > 0,
	    "time axis: every history holds one sample per elapsed period, "
	    "%u runs caught up stalled ticks", j);

	/*
	 * Lazy judging changes nothing: judging at every tick gives the same
	 * transitions, for a cgroup's metric and, where it is the same, for
	 * the process's.
	 */
	for (i = 0; i < replay_corpus_nr; i++) {
		if (!replay_corpus[i].cgroup)
			continue;
		tap(a.cg[i].digest == a.eager[i].digest &&
		    a.cg[i].final == a.eager[i].final,
		    "%s (cgroup): memattr_leak_step_lazy() and memattr_leak_step() every tick agree",
		    replay_corpus[i].name);
		if (replay_corpus[i].cg_differs)
			continue;
		tap(a.eager[i].digest == a.proc[i].digest &&
		    a.eager[i].final == a.proc[i].final,
		    "%s: memattr_leak_step_lazy() and memattr_leak_step() every tick agree",
		    replay_corpus[i].name);
	}

	/*
	 * A stall longer than MEMATTR_HIST_CATCHUP_MAX periods: the tick after
	 * it stands for that many, so the history's time axis falls behind by
	 * the rest, for good; a leak stays LEAK through it.
	 */
	s = scn("leak-37-stall", &i);
	r = &a.proc[i];
	tap(r->axis_periods - r->samples ==
	    s->stall_periods + 1 - MEMATTR_HIST_CATCHUP_MAX &&
	    r->detect_h >= 0 && r->detect_h < s->stall_h && !r->false_eps &&
	    r->final == MEMATTR_LEAK_LEAK,
	    "leak-37-stall: a %u-period stall at %.0f h: the history falls behind "
	    "by %llu periods (%u - %u + the tick's own), and the leak stays LEAK",
	    s->stall_periods, s->stall_h,
	    (unsigned long long)(r->axis_periods - r->samples),
	    s->stall_periods, MEMATTR_HIST_CATCHUP_MAX);

	/* What held up and must keep holding (issue 11). */
	for (j = 0; j < 2; j++) {
		s = scn(j ? "gogc-jitter" : "gogc", &i);
		r = &a.proc[i];
		tap(!r->false_eps && r->leak_h < 0,
		    "%s: a Go GC sawtooth is never LEAK in %u h", s->name,
		    s->hours);
	}
	/*
	 * Within 3 %, not the 0.2 % issue 11 saw: a sample lands up to a
	 * tick after a GC's trough, while the heap already regrows.
	 */
	s = scn("gogc-leak-6", &i);
	r = &a.proc[i];
	rate = s->truth.rate_kbh * tick_ratio;
	tap(r->in_leak && !r->false_eps &&
	    r->in_min_kbh >= 0.97 * rate && r->in_max_kbh <= 1.03 * rate,
	    "gogc-leak-6: LEAK, slopes %lld..%lld KiB/h within 3 %% of %.0f (the "
	    "rate per real hour)",
	    (long long)r->in_min_kbh, (long long)r->in_max_kbh, rate);
	s = scn("growth-1.75", &i);
	r = &a.proc[i];
	tap(r->leak_h < 0 && r->final == MEMATTR_LEAK_OK,
	    "growth-1.75: a service growing 1.75 MiB/h stays ok for %u h",
	    s->hours);
	for (j = 0; j < 2; j++) {
		s = scn(j ? "leak-37-t0" : "leak-stops", &i);
		r = &a.proc[i];
		rate = s->truth.rate_kbh * tick_ratio;
		tap(r->detect_samples == cfg.window_s * 1000 / cfg.sample_ms &&
		    !r->false_eps,
		    "%s: LEAK once the history holds exactly one window (%llu samples)",
		    s->name, (unsigned long long)r->detect_samples);
		tap(r->event_kbh >= 0.998 * rate && r->event_kbh <= 1.002 * rate,
		    "%s: the event's slope %lld KiB/h is the rate per real hour, %.0f, "
		    "within 0.2 %%",
		    s->name, (long long)r->event_kbh, rate);
	}
	s = scn("leak-stops", &i);
	r = &a.proc[i];
	tap(!r->never_cleared && r->clear_h >= 0 &&
	    r->clear_h * REPLAY_HOUR <= (0.5 * cfg.window_s + 256) * tick_ratio,
	    "leak-stops: clears %.3f h after the leak stops, within half a window "
	    "(and a 256-sample judging step)",
	    r->clear_h);
	replay_tap_sweep(&sw, text);
	free(text);
	return tap_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct replay_sweep sw;
	static struct replay_all a;
	unsigned int nseeds = REPLAY_SEEDS;

	if (argc >= 3 && !strcmp(argv[1], "--seeds")) {
		nseeds = strtoul(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc == 3 && !strcmp(argv[1], "--md")) {
		replay_all(&a);
		replay_sweep(&sw, nseeds);
		return replay_md(&a, &sw, argv[2], false);
	}
	if (argc == 4 && !strcmp(argv[1], "--tap"))
		return replay_tap(argv[2], argv[3], nseeds);
	fprintf(stderr, "usage: replay [--seeds N] --md FILE | "
		"[--seeds N] --tap EXPECTED_MD FILE\n");
	return 2;
}
