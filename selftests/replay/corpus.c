// SPDX-License-Identifier: GPL-2.0-only
/*
 * The replay corpus: day-scale footprints with their ground truth.
 *
 * Each generator is called once per tick, in order, with the tick's real
 * time in seconds, and returns the process's anon + swap + page tables,
 * its RssShmem and the KiB allocated in its context so far (from which
 * memattr_leak_metric_kb() makes what the sampler pushes), and its memory
 * cgroup's metric (usage - (file - shmem)). Randomness comes from the scenario's fixed seed
 * only, so a scenario replays bit for bit.
 *
 * Sizes are in MiB, rates in MiB per real hour, times in hours unless a
 * parameter says otherwise. Unless a scenario is about noise, its counters
 * wiggle by up to 16 pages a sample, as a live process's do.
 */
#include <math.h>

#include "replay.h"

#define PAGE_KB		4.0
#define QUIET_PAGES	16

/* splitmix64: fixed seed, same sequence on every host. */
static u64 replay_next(struct replay_gen *g)
{
	u64 z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
double replay_uniform(struct replay_gen *g)
{
	return (double)(replay_next(g) >> 11) / (double)(1ULL << 53);
}

static double between(struct replay_gen *g, double lo, double hi)
{
	return lo + (hi - lo) * replay_uniform(g);
}

/* Counter noise: a whole number of pages in [-pages, pages], KiB. */
static double noise(struct replay_gen *g, unsigned int pages)
{
	return PAGE_KB * (double)((long)(replay_next(g) % (2 * pages + 1)) -
				  (long)pages);
}

static u32 kb(double v)
{
	return v <= 0 ? 0 : v >= 4294967295.0 ? 4294967295U : (u32)v;
}

static void same(struct replay_sample *out, double proc_kb)
{
	out->proc_kb = kb(proc_kb);
	out->shmem_kb = 0;
	out->alloc_kb = 0;
	out->cg_kb = out->proc_kb;
}

/* p: base, rate/h, start h, stop h (< 0: never); quiet noise. */
static void fp_linear(const struct replay_scn *s, struct replay_gen *g,
		      double t, struct replay_sample *out)
{
	double h = t / REPLAY_HOUR, grown = 0, stop = s->p[3];

	if (h > s->p[2])
		grown = ((stop < 0 || h < stop) ? h : stop) - s->p[2];
	same(out, (s->p[0] + s->p[1] * grown) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/* p: base, rate/h, noise pages. */
static void fp_noisy(const struct replay_scn *s, struct replay_gen *g,
		     double t, struct replay_sample *out)
{
	same(out, (s->p[0] + s->p[1] * t / REPLAY_HOUR) * REPLAY_MB +
		  noise(g, (unsigned int)s->p[2]));
}

/* p: mean, amplitude, period h: a daily traffic cycle. */
static void fp_daily(const struct replay_scn *s, struct replay_gen *g,
		     double t, struct replay_sample *out)
{
	double x = 2 * M_PI * t / (s->p[2] * REPLAY_HOUR);

	same(out, (s->p[0] + s->p[1] * sin(x)) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/*
 * p: base, cache size, fill minutes, eviction period h (0: never). The
 * cache fills linearly from empty; an eviction drops it to empty and it
 * fills again.
 */
static void fp_lru(const struct replay_scn *s, struct replay_gen *g,
		   double t, struct replay_sample *out)
{
	double since = s->p[3] > 0 ? fmod(t, s->p[3] * REPLAY_HOUR) : t;
	double fill = fmin(since / (s->p[2] * 60), 1.0);

	same(out, (s->p[0] + s->p[1] * fill) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/*
 * p: base, buffer size, build minutes, most idle minutes: a batch buffer
 * built linearly, freed at once, then idle up to the most before the next
 * batch.
 */
static void fp_batch(const struct replay_scn *s, struct replay_gen *g,
		     double t, struct replay_sample *out)
{
	double build = s->p[2] * 60, buf = 0;

	if (t >= g->next_s) {
		g->seg_s = t;
		g->next_s = t + build + between(g, 0, s->p[3] * 60);
	}
	if (t - g->seg_s < build)
		buf = s->p[1] * (t - g->seg_s) / build;
	same(out, (s->p[0] + buf) * REPLAY_MB + noise(g, QUIET_PAGES));
}

/*
 * p: base, amplitude: a floor wandering to a new level within +-amplitude
 * every 10 to 30 minutes, moving there linearly.
 */
static void fp_wander(const struct replay_scn *s, struct replay_gen *g,
		      double t, struct replay_sample *out)
{
	double x;

	if (t >= g->next_s) {
		g->from = g->to;
		g->to = between(g, -s->p[1], s->p[1]);
		g->seg_s = t;
		g->seg_len = between(g, 600, 1800);
		g->next_s = t + g->seg_len;
	}
	x = (t - g->seg_s) / g->seg_len;
	same(out, (s->p[0] + g->from + (g->to - g->from) * x) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/* p: base, size, minutes: a start-up ramp, fast then slowing, then flat. */
static void fp_startup(const struct replay_scn *s, struct replay_gen *g,
		       double t, struct replay_sample *out)
{
	double x = fmin(t / (s->p[2] * 60), 1.0);

	same(out, (s->p[0] + s->p[1] * (1 - (1 - x) * (1 - x))) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/*
 * p: base, old generation's plateau, its time constant (min), young
 * generation: the old generation warms up to a plateau while the young
 * one fills and is collected every 5 to 20 s.
 */
static void fp_jvm(const struct replay_scn *s, struct replay_gen *g,
		   double t, struct replay_sample *out)
{
	double old = s->p[1] * (1 - exp(-t / (s->p[2] * 60)));

	if (t >= g->next_s) {
		g->seg_s = t;
		g->seg_len = between(g, 5, 20);
		g->next_s = t + g->seg_len;
	}
	same(out, (s->p[0] + old + s->p[3] * (t - g->seg_s) / g->seg_len) *
		  REPLAY_MB + noise(g, QUIET_PAGES));
}

/*
 * p: live heap, leak/h, GOGC %, jitter %: a Go heap. Each cycle (5 to
 * 60 s) the heap grows to live * (1 + GOGC) and a GC drops RSS back, lazily
 * returning pages: down to the live heap plus 5 % of the base heap, give or
 * take the jitter (each cycle its own).
 */
static void fp_gogc(const struct replay_scn *s, struct replay_gen *g,
		    double t, struct replay_sample *out)
{
	double live = s->p[0] + s->p[1] * t / REPLAY_HOUR;
	double top = live * (1 + s->p[2] / 100);

	if (t >= g->next_s) {
		g->from = live + s->p[0] * (5 + between(g, -s->p[3], s->p[3])) / 100;
		g->seg_s = t;
		g->seg_len = between(g, 5, 60);
		g->next_s = t + g->seg_len;
	}
	same(out, (g->from + (top - g->from) * (t - g->seg_s) / g->seg_len) *
		  REPLAY_MB + noise(g, QUIET_PAGES));
}

/*
 * p: base, step, every h, stop h (0: never): a staircase, each step taken
 * over 2 minutes; none from the stop on.
 */
static void fp_stairs(const struct replay_scn *s, struct replay_gen *g,
		      double t, struct replay_sample *out)
{
	double every = s->p[2] * REPLAY_HOUR, n;

	if (s->p[3] > 0)
		t = fmin(t, s->p[3] * REPLAY_HOUR);
	n = floor(t / every);
	double steps = n < 1 ? 0 : n - 1 + fmin((t - n * every) / 120, 1.0);

	same(out, (s->p[0] + s->p[1] * steps) * REPLAY_MB +
		  noise(g, QUIET_PAGES));
}

/*
 * p: own anon, segment size, walk hours, walk start h: a reader that maps
 * a shared segment another process of its cgroup created and touches it
 * gradually. Its RssShmem climbs to the segment's size; what it allocates
 * in its own context is its anon's growth and the page tables of the walk
 * (one page per 512); the cgroup was charged for the segment when it was
 * written, before the reader started.
 */
static void fp_shm(const struct replay_scn *s, struct replay_gen *g,
		   double t, struct replay_sample *out)
{
	double x = fmin(fmax((t / REPLAY_HOUR - s->p[3]) / s->p[2], 0), 1);
	double anon = s->p[0] * REPLAY_MB + noise(g, QUIET_PAGES);
	double shm = floor(s->p[1] * x * REPLAY_MB / PAGE_KB) * PAGE_KB;

	if (anon > g->v)
		g->from += anon - g->v;
	g->v = anon;
	out->proc_kb = kb(anon);
	out->shmem_kb = kb(shm);
	out->alloc_kb = (u64)(g->from + floor(shm / 512 / PAGE_KB) * PAGE_KB);
	out->cg_kb = kb(anon + s->p[1] * REPLAY_MB);
}

/*
 * p: own anon, rate/h: a writer that maps a /dev/shm file and writes new
 * pages into it at a leak's rate: each one allocated in its own context,
 * counted at once, while its RssShmem moves 64 pages at a time (6.1 caches
 * a thread's RSS events and flushes them every 64).
 */
static void fp_shm_writer(const struct replay_scn *s, struct replay_gen *g,
			  double t, struct replay_sample *out)
{
	double anon = s->p[0] * REPLAY_MB + noise(g, QUIET_PAGES);
	double shm = floor(s->p[1] * t / REPLAY_HOUR * REPLAY_MB / PAGE_KB) *
		     PAGE_KB;
	double rss = floor(shm / (64 * PAGE_KB)) * 64 * PAGE_KB;

	if (anon > g->v)
		g->from += anon - g->v;
	g->v = anon;
	out->proc_kb = kb(anon);
	out->shmem_kb = kb(rss);
	out->alloc_kb = (u64)(g->from + shm +
			      floor(shm / 512 / PAGE_KB) * PAGE_KB);
	out->cg_kb = kb(anon + shm);
}

#define NEVER		REPLAY_NONE
#define HEALTHY		{ 0, 0, NEVER, 0, 0 }
#define LEAK(rate, start, stop)	{ (rate) * REPLAY_MB, start, stop, 0, 0 }

const struct replay_scn replay_corpus[] = {
	/* Healthy patterns: never a leak. */
	{ "daily-cycle", "daily traffic cycle, 400 MiB +-100 MiB over 24 h",
	  72, 101, fp_daily, { 400, 100, 24 },
	  { 0, 0, NEVER, 0, 24 }, true },
	{ "lru-fill", "LRU cache fills 256 MiB in 40 min, then flat",
	  24, 102, fp_lru, { 150, 256, 40, 0 }, HEALTHY, true },
	{ "cache-refill", "256 MiB cache evicted every 8 h, refilled in 40 min",
	  48, 103, fp_lru, { 150, 256, 40, 8 }, HEALTHY, false },
	{ "batch-buffer", "200 MiB batch buffer built in 30 min, freed, built again",
	  48, 104, fp_batch, { 100, 200, 30, 0 }, HEALTHY, false },
	{ "wander-4", "300 MiB floor wandering +-4 MiB every 10-30 min",
	  72, 105, fp_wander, { 300, 4 }, HEALTHY, false },
	{ "wander-12", "300 MiB floor wandering +-12 MiB every 10-30 min",
	  72, 106, fp_wander, { 300, 12 }, HEALTHY, false },
	{ "wander-25", "300 MiB floor wandering +-25 MiB every 10-30 min",
	  72, 107, fp_wander, { 300, 25 }, HEALTHY, false },
	{ "startup-ramp", "start-up ramp of 180 MiB over 45 min, then flat",
	  24, 108, fp_startup, { 20, 180, 45 }, HEALTHY, false },
	{ "jvm-warmup",
	  "JVM old gen warms up to +300 MiB (tau 45 min), young gen 40 MiB every 5-20 s",
	  48, 109, fp_jvm, { 100, 300, 45, 40 }, HEALTHY, false },
	{ "shm-reader", "maps a 512 MiB shm segment that exists, touches it over 3 h from 1 h",
	  24, 110, fp_shm, { 60, 512, 3, 1 }, HEALTHY, true, true },
	{ "shm-writer", "writes new pages into a /dev/shm file it maps, 37 MiB/h from 0 h",
	  24, 128, fp_shm_writer, { 60, 37 }, LEAK(37, 0, NEVER), true, true },
	{ "growth-1.75", "healthy service growing 1.75 MiB/h (below leak_min)",
	  72, 111, fp_linear, { 300, 1.75, 0, NEVER }, HEALTHY, false },
	{ "noisy-flat", "flat 300 MiB, counters +-64 pages a sample",
	  72, 112, fp_noisy, { 300, 0, 64 }, HEALTHY, false },
	{ "gogc", "Go heap 200 MiB, GOGC=30, 5-60 s cycles, RSS returned lazily to live + 5 %",
	  72, 113, fp_gogc, { 200, 0, 30, 0 }, HEALTHY, true },
	{ "gogc-jitter", "the Go heap, RSS returned to live + 2..8 % (each cycle its own)",
	  72, 126, fp_gogc, { 200, 0, 30, 3 }, HEALTHY, false },
	/* Leaks. */
	{ "gogc-leak-6", "the Go heap leaking 6 MiB/h from 0 h",
	  72, 114, fp_gogc, { 200, 6, 30, 0 }, LEAK(6, 0, NEVER), false },
	{ "gogc-jitter-leak-6", "the jittery Go heap leaking 6 MiB/h from 0 h",
	  72, 127, fp_gogc, { 200, 6, 30, 3 }, LEAK(6, 0, NEVER), false },
	{ "leak-2-t0", "2 MiB/h from 0 h (below leak_min: not to be flagged)",
	  24, 115, fp_linear, { 200, 2, 0, NEVER }, HEALTHY, false },
	{ "leak-5-t0", "5 MiB/h from 0 h",
	  24, 116, fp_linear, { 200, 5, 0, NEVER }, LEAK(5, 0, NEVER), false },
	{ "leak-37-t0", "37 MiB/h from 0 h (the +890 MiB/24 h field report)",
	  24, 117, fp_linear, { 200, 37, 0, NEVER }, LEAK(37, 0, NEVER), true },
	{ "leak-200-t0", "200 MiB/h from 0 h",
	  24, 118, fp_linear, { 200, 200, 0, NEVER }, LEAK(200, 0, NEVER), false },
	{ "leak-2-t10", "2 MiB/h after 10 h steady (below leak_min)",
	  36, 119, fp_linear, { 200, 2, 10, NEVER }, HEALTHY, false },
	{ "leak-5-t10", "5 MiB/h after 10 h steady",
	  36, 120, fp_linear, { 200, 5, 10, NEVER }, LEAK(5, 10, NEVER), false },
	{ "leak-37-t10", "37 MiB/h after 10 h steady",
	  36, 121, fp_linear, { 200, 37, 10, NEVER }, LEAK(37, 10, NEVER), true },
	{ "leak-200-t10", "200 MiB/h after 10 h steady",
	  36, 122, fp_linear, { 200, 200, 10, NEVER }, LEAK(200, 10, NEVER), false },
	{ "leak-stops", "37 MiB/h from 0 h, stops at 12 h",
	  24, 123, fp_linear, { 200, 37, 0, 12 }, LEAK(37, 0, 12), true },
	{ "staircase", "+50 MiB every 2 h, never returned (+1.75 GiB in 72 h)",
	  72, 124, fp_stairs, { 200, 50, 2 },
	  { 25 * REPLAY_MB, 0, NEVER, 8, 0 }, false },
	{ "staircase-stops", "+50 MiB every 2 h; the step due at 12 h never comes",
	  24, 130, fp_stairs, { 200, 50, 2, 12 },
	  { 25 * REPLAY_MB, 0, 12, 8, 0 }, false },
	{ "noisy-leak-5", "5 MiB/h from 0 h, counters +-64 pages a sample",
	  24, 125, fp_noisy, { 300, 5, 64 }, LEAK(5, 0, NEVER), false },
	{ "leak-37-stall", "37 MiB/h from 0 h; at 12 h the sampler stalls 900 periods (15 min)",
	  24, 129, fp_linear, { 200, 37, 0, NEVER }, LEAK(37, 0, NEVER), false,
	  false, 12, 900 },
};

const unsigned int replay_corpus_nr = sizeof(replay_corpus) /
				      sizeof(replay_corpus[0]);
