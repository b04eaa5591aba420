// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr export --prometheus: the module's figures in the Prometheus text
 * exposition format 0.0.4, for node_exporter's textfile collector (written
 * atomically with -o). Fleet-safe by default: per-cgroup and system series,
 * per-process series only for a bounded set of processes (the largest and
 * the leaking), labelled by pid alone, with memattr_process_info carrying
 * comm and cgroup; nothing node_exporter already exports.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"

/* ---- rendering (pure) ---- */

/*
 * A label value: escaped as text output escapes it (control characters and
 * invalid UTF-8 as \xNN, so the value is valid UTF-8 on one line), then
 * per the exposition format: backslash, double quote and newline.
 */
static void prom_label(FILE *f, const char *name, const char *val,
		       bool first)
{
	char *esc = pr_text_escape(val, strlen(val));
	const char *s = esc ? esc : "";

	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
	free(esc);
}

static void prom_head(FILE *f, const char *name, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Per-process series carry the pid only: memattr_process_info has the rest. */
static void proc_labels(FILE *f, const struct memattr_proc *p)
{
	fprintf(f, "{pid=\"%u\"}", p->pid);
}

/* The one label name for a memory cgroup, on every series that has one. */
static void cgroup_labels(FILE *f, const struct memattr_cgroup *cg)
{
	fputc('{', f);
	prom_label(f, "cgroup", cg->path, true);
	fputc('}', f);
}

/* A per-process metric: one sample per process that has the attribute. */
struct proc_metric {
	const char *name;
	const char *type;
	const char *help;
	unsigned int attr;	/* MEMATTR_A_PROC_* */
	size_t off;		/* of the value in struct memattr_proc */
	bool is_signed;
	uint64_t scale;		/* KiB to bytes: 1024 */
};

#define PROC_M(n, t, h, a, field, sgn, sc)				\
	{ n, t, h, a, offsetof(struct memattr_proc, field), sgn, sc }

static const struct proc_metric proc_metrics[] = {
	PROC_M("memattr_process_rss_bytes", "gauge",
	       "Resident set size of the process (VmRSS) at the last sample.",
	       MEMATTR_A_PROC_RSS_KB, rss_kb, false, 1024),
	PROC_M("memattr_process_anon_bytes", "gauge",
	       "Resident anonymous memory of the process (RssAnon).",
	       MEMATTR_A_PROC_ANON_KB, anon_kb, false, 1024),
	PROC_M("memattr_process_file_bytes", "gauge",
	       "Resident file-backed memory of the process (RssFile).",
	       MEMATTR_A_PROC_FILE_KB, file_kb, false, 1024),
	PROC_M("memattr_process_shmem_bytes", "gauge",
	       "Resident shared memory of the process (RssShmem).",
	       MEMATTR_A_PROC_SHMEM_KB, shmem_kb, false, 1024),
	PROC_M("memattr_process_swap_bytes", "gauge",
	       "Swapped-out memory of the process (VmSwap).",
	       MEMATTR_A_PROC_SWAP_KB, swap_kb, false, 1024),
	PROC_M("memattr_process_peak_rss_bytes", "gauge",
	       "Peak resident set size of the process (VmHWM).",
	       MEMATTR_A_PROC_PEAK_RSS_KB, peak_rss_kb, false, 1024),
	PROC_M("memattr_process_virtual_bytes", "gauge",
	       "Virtual memory size of the process (VmSize).",
	       MEMATTR_A_PROC_VM_KB, vm_kb, false, 1024),
	PROC_M("memattr_process_page_tables_bytes", "gauge",
	       "Page tables of the process (VmPTE).",
	       MEMATTR_A_PROC_PGTABLES_KB, pgtables_kb, false, 1024),
	PROC_M("memattr_process_page_allocs_total", "counter",
	       "Pages allocated in the context of the process since memattr tracked it.",
	       MEMATTR_A_PROC_PAGE_ALLOCS, page_allocs, false, 1),
	PROC_M("memattr_process_page_frees_total", "counter",
	       "Pages freed in the context of the process since memattr tracked it.",
	       MEMATTR_A_PROC_PAGE_FREES, page_frees, false, 1),
	PROC_M("memattr_process_growth_bytes_per_hour", "gauge",
	       "Slope of the floor of the process's unreclaimable footprint over the leak window.",
	       MEMATTR_A_PROC_GROWTH_KB_PER_HOUR, growth_kb_per_hour, true,
	       1024),
	PROC_M("memattr_process_leak_state", "gauge",
	       "Leak detector's verdict on the process: 0 ok, 1 suspect, 2 leak.",
	       MEMATTR_A_PROC_LEAK_STATE, leak_state, false, 0),
	/*
	 * Per-process time to exhaustion (memattr_process_exhaust_seconds,
	 * absent when never) goes here, with the rest of the {pid} series.
	 */
};

static uint64_t field_u64(const void *base, size_t off, unsigned int attr,
			  bool is_signed, int64_t *sv)
{
	const char *p = (const char *)base + off;
	uint64_t v = 0;

	/* the one u8 among them */
	if (attr == MEMATTR_A_PROC_LEAK_STATE ||
	    attr == MEMATTR_A_CGROUP_LEAK_STATE) {
		v = *(const uint8_t *)p;
	} else if (is_signed) {
		memcpy(sv, p, sizeof(*sv));
		return 0;
	} else if (attr == MEMATTR_A_CGROUP_NR_PROCS) {
		v = *(const uint32_t *)p;
	} else {
		memcpy(&v, p, sizeof(v));
	}
	return v;
}

/* v * scale, saturated: a module sending nonsense gets no wrapped value */
static unsigned long long mul_u(uint64_t v, uint64_t scale)
{
	uint64_t r;

	return __builtin_mul_overflow(v, scale, &r) ? UINT64_MAX : r;
}

static long long mul_s(int64_t v, uint64_t scale)
{
	int64_t r;

	if (!__builtin_mul_overflow(v, (int64_t)scale, &r))
		return r;
	return v < 0 ? INT64_MIN : INT64_MAX;
}

static void prom_value(FILE *f, uint64_t v, int64_t sv, bool is_signed,
		       uint64_t scale)
{
	if (!scale)
		scale = 1;
	if (is_signed)
		fprintf(f, " %lld\n", mul_s(sv, scale));
	else
		fprintf(f, " %llu\n", mul_u(v, scale));
}

/* What the leak detector watches: anon + shmem + swap + page tables, KiB. */
static uint64_t proc_footprint_kb(const struct memattr_proc *p)
{
	uint64_t kb = 0, v;

	v = p->present & MEMATTR_BIT(MEMATTR_A_PROC_ANON_KB) ? p->anon_kb : 0;
	kb += v;
	v = p->present & MEMATTR_BIT(MEMATTR_A_PROC_SHMEM_KB) ? p->shmem_kb : 0;
	kb = __builtin_add_overflow(kb, v, &kb) ? UINT64_MAX : kb;
	v = p->present & MEMATTR_BIT(MEMATTR_A_PROC_SWAP_KB) ? p->swap_kb : 0;
	kb = __builtin_add_overflow(kb, v, &kb) ? UINT64_MAX : kb;
	v = p->present & MEMATTR_BIT(MEMATTR_A_PROC_PGTABLES_KB) ?
	    p->pgtables_kb : 0;
	kb = __builtin_add_overflow(kb, v, &kb) ? UINT64_MAX : kb;
	return kb;
}

static unsigned int proc_state(const struct memattr_proc *p)
{
	return p->present & MEMATTR_BIT(MEMATTR_A_PROC_LEAK_STATE) ?
	       p->leak_state : MEMATTR_LEAK_OK;
}

static bool proc_leaking(const struct memattr_proc *p)
{
	return proc_state(p) == MEMATTR_LEAK_SUSPECT ||
	       proc_state(p) == MEMATTR_LEAK_LEAK;
}

static const struct memattr_proc *sort_procs;

/* Largest footprint first, then lowest pid. */
static int by_footprint(const void *a, const void *b)
{
	const struct memattr_proc *p = &sort_procs[*(const size_t *)a];
	const struct memattr_proc *q = &sort_procs[*(const size_t *)b];
	uint64_t fp = proc_footprint_kb(p), fq = proc_footprint_kb(q);

	if (fp != fq)
		return fp < fq ? 1 : -1;
	return (p->pid > q->pid) - (p->pid < q->pid);
}

/* leak before suspect, then fastest growth, then lowest pid */
static int by_leak(const void *a, const void *b)
{
	const struct memattr_proc *p = &sort_procs[*(const size_t *)a];
	const struct memattr_proc *q = &sort_procs[*(const size_t *)b];

	if (proc_state(p) != proc_state(q))
		return proc_state(p) < proc_state(q) ? 1 : -1;
	if (p->growth_kb_per_hour != q->growth_kb_per_hour)
		return p->growth_kb_per_hour < q->growth_kb_per_hour ? 1 : -1;
	return (p->pid > q->pid) - (p->pid < q->pid);
}

static int by_pid(const void *a, const void *b)
{
	const struct memattr_proc *p = &sort_procs[*(const size_t *)a];
	const struct memattr_proc *q = &sort_procs[*(const size_t *)b];

	if (p->pid != q->pid)
		return (p->pid > q->pid) - (p->pid < q->pid);
	return (*(const size_t *)a > *(const size_t *)b) -
	       (*(const size_t *)a < *(const size_t *)b);
}

int memattr_prom_select(const struct memattr_proc *procs, size_t nr,
			unsigned int max, size_t *idx, size_t *nr_idx)
{
	size_t i, k, top, leaking;
	bool *taken;

	*nr_idx = 0;
	if (max == MEMATTR_PROM_ALL || nr <= max) {
		for (i = 0; i < nr; i++)
			idx[i] = i;
		*nr_idx = nr;
		return 0;
	}
	taken = calloc(nr, sizeof(*taken));
	if (!taken)
		return -ENOMEM;
	sort_procs = procs;
	for (i = 0; i < nr; i++)
		idx[i] = i;
	/* the max largest */
	qsort(idx, nr, sizeof(*idx), by_footprint);
	for (top = 0; top < max; top++)
		taken[idx[top]] = true;
	/* up to max in suspect or leak that are not among them */
	for (i = 0, k = 0; i < nr; i++)
		if (proc_leaking(&procs[i]) && !taken[i])
			idx[max + k++] = i;
	/* idx[0..max) the largest, idx[max..max+k) the leaking others */
	qsort(idx + max, k, sizeof(*idx), by_leak);
	leaking = k < max ? k : max;
	*nr_idx = max + leaking;
	qsort(idx, *nr_idx, sizeof(*idx), by_pid);
	free(taken);
	return 0;
}

static void write_procs(FILE *f, const struct memattr_prom *in,
			const size_t *idx, size_t nr)
{
	const struct proc_metric *m;
	const struct memattr_proc *p;
	size_t i, k, n;
	uint64_t v;
	int64_t sv = 0;
	char pid[16];

	if (nr) {
		prom_head(f, "memattr_process_info", "gauge",
			  "Always 1: the labels of a process whose series are exported (the largest by footprint and those the leak detector suspects), for joining on pid.");
		for (i = 0; i < nr; i++) {
			p = &in->procs[idx[i]];
			snprintf(pid, sizeof(pid), "%u", p->pid);
			fputs("memattr_process_info{", f);
			prom_label(f, "pid", pid, true);
			prom_label(f, "comm", p->comm, false);
			prom_label(f, "cgroup", p->cgroup, false);
			fputs("} 1\n", f);
		}
	}
	for (k = 0; k < ARRAY_SIZE(proc_metrics); k++) {
		m = &proc_metrics[k];
		for (n = 0, i = 0; i < nr; i++)
			n += !!(in->procs[idx[i]].present & MEMATTR_BIT(m->attr));
		if (!n)
			continue;
		prom_head(f, m->name, m->type, m->help);
		for (i = 0; i < nr; i++) {
			p = &in->procs[idx[i]];
			if (!(p->present & MEMATTR_BIT(m->attr)))
				continue;
			v = field_u64(p, m->off, m->attr, m->is_signed, &sv);
			fputs(m->name, f);
			proc_labels(f, p);
			prom_value(f, v, sv, m->is_signed, m->scale);
		}
	}
}

/* How many tracked processes are in each leak state, exported or not. */
static void write_proc_counts(FILE *f, const struct memattr_prom *in)
{
	static const char *const names[] = { "ok", "suspect", "leak" };
	uint64_t count[ARRAY_SIZE(names)] = {};
	size_t i;

	if (!in->stats)
		return;
	for (i = 0; i < in->nr_procs; i++)
		if (proc_state(&in->procs[i]) < ARRAY_SIZE(names))
			count[proc_state(&in->procs[i])]++;
	prom_head(f, "memattr_processes", "gauge",
		  "Processes the module tracks, by the leak detector's verdict, whether their series are exported or not.");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		fprintf(f, "memattr_processes{state=\"%s\"} %llu\n", names[i],
			(unsigned long long)count[i]);
}

struct cgroup_metric {
	const char *name;
	const char *type;
	const char *help;
	unsigned int attr;	/* MEMATTR_A_CGROUP_* */
	size_t off;
	bool is_signed;
	uint64_t scale;
};

#define CG_M(n, t, h, a, field, sgn, sc)				\
	{ n, t, h, a, offsetof(struct memattr_cgroup, field), sgn, sc }

static const struct cgroup_metric cgroup_metrics[] = {
	CG_M("memattr_cgroup_usage_bytes", "gauge",
	     "Memory charged to the memory cgroup (memory.current) at the last sample. Hierarchical: includes the descendants' (cgroup=\"/\" is the whole system), so sum() across cgroups counts memory more than once.",
	     MEMATTR_A_CGROUP_USAGE_KB, usage_kb, false, 1024),
	CG_M("memattr_cgroup_anon_bytes", "gauge",
	     "Anonymous memory of the memory cgroup. Hierarchical: includes the descendants' (cgroup=\"/\" is the whole system), so sum() across cgroups counts memory more than once.",
	     MEMATTR_A_CGROUP_ANON_KB, anon_kb, false, 1024),
	CG_M("memattr_cgroup_file_bytes", "gauge",
	     "Page cache of the memory cgroup, shmem included. Hierarchical: includes the descendants' (cgroup=\"/\" is the whole system), so sum() across cgroups counts memory more than once.",
	     MEMATTR_A_CGROUP_FILE_KB, file_kb, false, 1024),
	CG_M("memattr_cgroup_shmem_bytes", "gauge",
	     "Shared memory of the memory cgroup. Hierarchical: includes the descendants' (cgroup=\"/\" is the whole system), so sum() across cgroups counts memory more than once.",
	     MEMATTR_A_CGROUP_SHMEM_KB, shmem_kb, false, 1024),
	CG_M("memattr_cgroup_kernel_bytes", "gauge",
	     "Usage of the memory cgroup that is neither anonymous nor file. Hierarchical: includes the descendants' (cgroup=\"/\" is the whole system), so sum() across cgroups counts memory more than once.",
	     MEMATTR_A_CGROUP_KERNEL_KB, kernel_kb, false, 1024),
	CG_M("memattr_cgroup_limit_bytes", "gauge",
	     "Limit of the memory cgroup (memory.max); absent when there is none.",
	     MEMATTR_A_CGROUP_LIMIT_KB, limit_kb, false, 1024),
	CG_M("memattr_cgroup_processes", "gauge",
	     "Processes memattr tracks in the memory cgroup. Only the processes directly in the cgroup, not its descendants': sum() across cgroups adds up.",
	     MEMATTR_A_CGROUP_NR_PROCS, nr_procs, false, 1),
	CG_M("memattr_cgroup_page_allocs_total", "counter",
	     "Pages allocated by the tracked processes of the memory cgroup. Only the processes directly in the cgroup, not its descendants': sum() across cgroups adds up.",
	     MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS, procs_page_allocs, false, 1),
	CG_M("memattr_cgroup_growth_bytes_per_hour", "gauge",
	     "Slope of the floor of the memory cgroup's usage over the leak window; usage includes the descendants'.",
	     MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR, growth_kb_per_hour, true,
	     1024),
	CG_M("memattr_cgroup_leak_state", "gauge",
	     "Leak detector's verdict on the memory cgroup: 0 ok, 1 suspect, 2 leak.",
	     MEMATTR_A_CGROUP_LEAK_STATE, leak_state, false, 0),
};

static void write_cgroups(FILE *f, const struct memattr_prom *in)
{
	const struct cgroup_metric *m;
	const struct memattr_cgroup *cg;
	size_t i, k, n;
	uint64_t v;
	int64_t sv = 0;

	for (k = 0; k < ARRAY_SIZE(cgroup_metrics); k++) {
		m = &cgroup_metrics[k];
		for (n = 0, i = 0; i < in->nr_cgroups; i++)
			n += !!(in->cgroups[i].present & MEMATTR_BIT(m->attr));
		if (!n)
			continue;
		prom_head(f, m->name, m->type, m->help);
		for (i = 0; i < in->nr_cgroups; i++) {
			cg = &in->cgroups[i];
			if (!(cg->present & MEMATTR_BIT(m->attr)))
				continue;
			v = field_u64(cg, m->off, m->attr, m->is_signed, &sv);
			fputs(m->name, f);
			cgroup_labels(f, cg);
			prom_value(f, v, sv, m->is_signed, m->scale);
		}
	}
	/* only where usage would reach the limit */
	for (n = 0, i = 0; i < in->nr_cgroups; i++)
		n += (in->cgroups[i].present &
		      MEMATTR_BIT(MEMATTR_A_CGROUP_EXHAUST_S)) &&
		     in->cgroups[i].exhaust_s >= 0;
	if (!n)
		return;
	prom_head(f, "memattr_cgroup_exhaust_seconds", "gauge",
		  "Seconds until the memory cgroup's usage reaches its limit at the current growth; absent when never.");
	for (i = 0; i < in->nr_cgroups; i++) {
		cg = &in->cgroups[i];
		if (!(cg->present & MEMATTR_BIT(MEMATTR_A_CGROUP_EXHAUST_S)) ||
		    cg->exhaust_s < 0)
			continue;
		fputs("memattr_cgroup_exhaust_seconds", f);
		cgroup_labels(f, cg);
		fprintf(f, " %lld\n", (long long)cg->exhaust_s);
	}
}

static bool sys_has(const struct memattr_system *sys, unsigned int attr)
{
	return sys && (sys->present & MEMATTR_BIT(attr));
}

/*
 * No MemTotal, MemFree or MemAvailable: node_exporter's node_memory_*
 * has them. used_ratio stays: it is the figure the watermarks compare.
 */
static void write_system(FILE *f, const struct memattr_system *sys)
{
	if (sys_has(sys, MEMATTR_A_SYSTEM_USED_PCT)) {
		prom_head(f, "memattr_system_used_ratio", "gauge",
			  "Memory in use, (MemTotal - MemAvailable) / MemTotal, to the percent, at the last sample: what the watermarks compare.");
		fprintf(f, "memattr_system_used_ratio %u.%02u\n",
			sys->used_pct / 100, sys->used_pct % 100);
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR)) {
		prom_head(f, "memattr_system_growth_bytes_per_hour", "gauge",
			  "Slope of the memory in use over the leak window.");
		fprintf(f, "memattr_system_growth_bytes_per_hour %lld\n",
			mul_s(sys->growth_kb_per_hour, 1024));
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_EXHAUST_S) && sys->exhaust_s >= 0) {
		prom_head(f, "memattr_system_exhaust_seconds", "gauge",
			  "Seconds until no memory is available at the current growth; absent when never.");
		fprintf(f, "memattr_system_exhaust_seconds %lld\n",
			(long long)sys->exhaust_s);
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_WATERMARK_LEVEL)) {
		prom_head(f, "memattr_system_watermark_level", "gauge",
			  "Watermark levels the memory in use is above, 0 for none (see memattr_watermark_threshold_ratio).");
		fprintf(f, "memattr_system_watermark_level %u\n",
			sys->watermark_level);
	}
}

/* "85,92,97": memattr_watermark_threshold_ratio{level="1"} 0.85 ... */
static void write_watermarks(FILE *f, const struct memattr_config *cfg)
{
	const char *s;
	unsigned int level = 0, pct;
	int used;

	if (!cfg || !(cfg->present & MEMATTR_BIT(MEMATTR_A_CONFIG_WATERMARKS)) ||
	    !memattr_watermarks_valid(cfg->watermarks))
		return;
	prom_head(f, "memattr_watermark_threshold_ratio", "gauge",
		  "Memory in use, as a ratio of MemTotal, above which memattr_system_watermark_level reaches level (the module parameter watermarks); going back down takes 2 points of hysteresis.");
	for (s = cfg->watermarks; *s; s += used + (s[used] == ',')) {
		if (sscanf(s, "%u%n", &pct, &used) != 1)
			break;
		fprintf(f, "memattr_watermark_threshold_ratio{level=\"%u\"} %u.%02u\n",
			++level, pct / 100, pct % 100);
	}
	prom_head(f, "memattr_watermark_levels", "gauge",
		  "How many watermark levels are set: the highest value memattr_system_watermark_level can take.");
	fprintf(f, "memattr_watermark_levels %u\n", level);
}

static bool stats_has(const struct memattr_stats *st, unsigned int attr)
{
	return st && (st->present & MEMATTR_BIT(attr));
}

static void write_module(FILE *f, const struct memattr_prom *in)
{
	const struct memattr_stats *st = in->stats;

	if (stats_has(st, MEMATTR_A_STATS_MODULE_VERSION)) {
		prom_head(f, "memattr_module_info", "gauge",
			  "The loaded memattr module; always 1.");
		fputs("memattr_module_info{", f);
		prom_label(f, "version", st->module_version, true);
		fputs("} 1\n", f);
	}
	if (stats_has(st, MEMATTR_A_STATS_TRACKED_PROCS)) {
		prom_head(f, "memattr_module_tracked_processes", "gauge",
			  "Processes the module tracks.");
		fprintf(f, "memattr_module_tracked_processes %u\n",
			st->tracked_procs);
	}
	if (stats_has(st, MEMATTR_A_STATS_MAX_PROCS)) {
		prom_head(f, "memattr_module_max_processes", "gauge",
			  "Most processes the module tracks at once (max_procs).");
		fprintf(f, "memattr_module_max_processes %u\n",
			st->max_procs);
	}
	if (stats_has(st, MEMATTR_A_STATS_TRACKED_CGROUPS)) {
		prom_head(f, "memattr_module_tracked_cgroups", "gauge",
			  "Memory cgroups the module tracks.");
		fprintf(f, "memattr_module_tracked_cgroups %u\n",
			st->tracked_cgroups);
	}
	if (stats_has(st, MEMATTR_A_STATS_PROCS_DROPPED)) {
		prom_head(f, "memattr_module_processes_dropped_total", "counter",
			  "Processes not tracked because the table was full.");
		fprintf(f, "memattr_module_processes_dropped_total %llu\n",
			(unsigned long long)st->procs_dropped);
	}
	if (stats_has(st, MEMATTR_A_STATS_OWN_MEM_BYTES)) {
		prom_head(f, "memattr_module_memory_bytes", "gauge",
			  "Memory the memattr module itself uses.");
		fprintf(f, "memattr_module_memory_bytes %llu\n",
			(unsigned long long)st->own_mem_bytes);
	}
	if (stats_has(st, MEMATTR_A_STATS_SAMPLE_MS)) {
		prom_head(f, "memattr_module_sample_interval_seconds", "gauge",
			  "The module's sampling period.");
		fprintf(f, "memattr_module_sample_interval_seconds %u.%03u\n",
			st->sample_ms / 1000, st->sample_ms % 1000);
	}
}

/* Written whatever happened, so a failed export is seen, never stale. */
static void write_up(FILE *f, const struct memattr_prom *in)
{
	prom_head(f, "memattr_up", "gauge",
		  "1 when this export read everything from the memattr module, 0 when it could not (module not loaded, no permission, an error).");
	fprintf(f, "memattr_up %d\n", in->up ? 1 : 0);
	if (in->last_success_s < 0)
		return;
	prom_head(f, "memattr_last_success_timestamp_seconds", "gauge",
		  "When an export last read everything from the module, seconds since the Epoch; carried over from the previous file while memattr_up is 0.");
	fprintf(f, "memattr_last_success_timestamp_seconds %lld\n",
		(long long)in->last_success_s);
}

int memattr_prom_write(FILE *f, const struct memattr_prom *in)
{
	size_t *idx = NULL, nr = 0;
	int ret = 0;

	if (in->nr_procs) {
		idx = calloc(in->nr_procs, sizeof(*idx));
		if (!idx)
			return -ENOMEM;
		ret = memattr_prom_select(in->procs, in->nr_procs,
					  in->max_procs, idx, &nr);
	}
	write_up(f, in);
	write_system(f, in->sys);
	write_watermarks(f, in->cfg);
	write_proc_counts(f, in);
	write_procs(f, in, idx, nr);
	write_cgroups(f, in);
	write_module(f, in);
	free(idx);
	if (ret)
		return ret;
	return ferror(f) ? -EIO : 0;
}

/* ---- arguments ---- */

/* 0 to 1000000, digits only */
static int parse_count(const char *s, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > 1000000)
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

static int export_parse(int argc, char **argv, void *data, FILE *err)
{
	static const struct option opts[] = {
		{ "prometheus",	no_argument,		NULL,	'P' },
		{ "output",	required_argument,	NULL,	'o' },
		{ "processes",	required_argument,	NULL,	'N' },
		{ NULL,		0,			NULL,	0 },
	};
	struct memattr_export_args *a = data;
	char **av;
	int c, ret = 0;

	av = memattr_cmd_argv("export", argc, argv, err);
	if (!av)
		return -ENOMEM;
	optind = 0;
	opterr = 0;
	while (!ret &&
	       (c = getopt_long(argc + 1, av, "+o:", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			a->prometheus = true;
			break;
		case 'o':
			if (!*optarg) {
				fprintf(err,
					"memattr: export: -o needs a file name; try 'memattr export help'\n");
				ret = -EINVAL;
			}
			a->output = optarg;
			break;
		case 'N':
			a->procs_set = true;
			if (!strcmp(optarg, "all")) {
				a->max_procs = MEMATTR_PROM_ALL;
			} else if (parse_count(optarg, &a->max_procs)) {
				fprintf(err,
					"memattr: export: --processes wants a count, 0 to 1000000, or 'all'; try 'memattr export help'\n");
				ret = -EINVAL;
			}
			break;
		default:
			if (optopt == 'o')
				fprintf(err,
					"memattr: export: option '-o' needs a file name; try 'memattr export help'\n");
			else if (optopt == 'N')
				fprintf(err,
					"memattr: export: option '--processes' needs a count or 'all'; try 'memattr export help'\n");
			else if (!strncmp(av[optind - 1], "--", 2))
				fprintf(err,
					"memattr: export: invalid option '%s'; try 'memattr export help'\n",
					av[optind - 1]);
			else
				fprintf(err,
					"memattr: export: invalid option '-%c'; try 'memattr export help'\n",
					optopt);
			ret = -EINVAL;
		}
	}
	if (!ret && optind < argc + 1) {
		fprintf(err,
			"memattr: export: unexpected argument '%s'; try 'memattr export help'\n",
			av[optind]);
		ret = -EINVAL;
	}
	if (!ret && !a->prometheus) {
		fprintf(err,
			"memattr: export: say which format: --prometheus; try 'memattr export help'\n");
		ret = -EINVAL;
	}
	free(av);
	return ret;
}

/* ---- running ---- */

/*
 * memattr_last_success_timestamp_seconds from the file an earlier export
 * wrote: -1 when there is none.
 */
static int64_t read_last_success(const char *path)
{
	static const char key[] = "memattr_last_success_timestamp_seconds ";
	char line[256];
	long long v;
	int64_t ret = -1;
	FILE *f;

	if (!path)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, sizeof(key) - 1) &&
		    sscanf(line + sizeof(key) - 1, "%lld", &v) == 1 && v >= 0) {
			ret = v;
			break;
		}
	fclose(f);
	return ret;
}

/*
 * Write buf to path atomically: path.tmp.<pid> in the same directory,
 * fsync, rename over path. On error the temporary file is removed.
 */
static int write_atomic(struct memattr_ctx *ctx, const char *path,
			const char *buf, size_t len)
{
	char *tmp = NULL, *dup, *dir;
	size_t off = 0;
	ssize_t n;
	int fd, dfd, err = 0;

	if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0) {
		fprintf(ctx->err, "memattr: out of memory\n");
		return -ENOMEM;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		fprintf(ctx->err, "memattr: export: cannot create %s: %s\n",
			tmp, strerror(errno));
		free(tmp);
		return err;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		fprintf(ctx->err, "memattr: export: cannot write %s: %s\n",
			path, strerror(-err));
		unlink(tmp);
		free(tmp);
		return err;
	}
	/* the rename itself, durable */
	dup = strdup(path);
	if (dup) {
		dir = dirname(dup);
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(dup);
	free(tmp);
	return 0;
}

static int export_run(struct memattr_ctx *ctx, const void *data)
{
	const struct memattr_export_args *args = data;
	struct memattr_prom in = { .last_success_s = -1 };
	struct memattr_proc *procs = NULL;
	struct memattr_cgroup *cgs = NULL;
	struct memattr_system sys;
	struct memattr_config cfg;
	struct memattr_stats st;
	size_t len = 0, i, nr_procs = 0, nr_cgs = 0;
	char *buf = NULL;
	int ret = MEMATTR_EXIT_FAIL;
	FILE *f;

	in.max_procs = args->procs_set ? args->max_procs : MEMATTR_PROM_PROCS;
	/* a failed read still writes memattr_up 0, never a partial export */
	in.up = !memattr_system_get(ctx, &sys) &&
		!memattr_stats_get(ctx, &st) &&
		!memattr_config_get(ctx, &cfg) &&
		!memattr_procs_dump(ctx, &procs, &nr_procs) &&
		!memattr_cgroups_dump(ctx, &cgs, &nr_cgs);
	if (in.up) {
		in.sys = &sys;
		in.stats = &st;
		in.cfg = &cfg;
		in.procs = procs;
		in.nr_procs = nr_procs;
		in.cgroups = cgs;
		in.nr_cgroups = nr_cgs;
		in.last_success_s = (int64_t)time(NULL);
	} else {
		in.last_success_s = read_last_success(args->output);
	}

	f = open_memstream(&buf, &len);
	if (!f) {
		fprintf(ctx->err, "memattr: out of memory\n");
		goto out;
	}
	ret = memattr_prom_write(f, &in);
	if (fclose(f) || ret) {
		ret = MEMATTR_EXIT_FAIL;
		fprintf(ctx->err, "memattr: out of memory\n");
		goto out;
	}
	ret = MEMATTR_EXIT_FAIL;
	if (args->output) {
		if (!write_atomic(ctx, args->output, buf, len) && in.up)
			ret = MEMATTR_EXIT_OK;
	} else if (fwrite(buf, 1, len, ctx->out) == len &&
		   !fflush(ctx->out)) {
		if (in.up)
			ret = MEMATTR_EXIT_OK;
	} else {
		fprintf(ctx->err, "memattr: export: cannot write: %s\n",
			strerror(errno));
	}
out:
	free(buf);
	for (i = 0; procs && i < nr_procs; i++)
		memattr_proc_free(&procs[i]);
	free(procs);
	free(cgs);
	return ret;
}

const struct memattr_command cmd_export = {
	.name		= "export",
	.args		= "--prometheus [-o FILE] [--processes N|all]",
	.summary	= "the module's figures in the Prometheus text format",
	.help		=
"Print the module's figures in the Prometheus text exposition format 0.0.4,\n"
"for node_exporter's textfile collector (--collector.textfile.directory).\n"
"Fleet-safe: the series count does not grow with the number of processes.\n"
"Global -j and -H have no effect. Unprivileged, only the caller's own\n"
"processes are seen (as in ps).\n"
"\n"
"Options:\n"
"  --prometheus        the format (required; the only one)\n"
"  -o, --output FILE   write FILE atomically instead of stdout: FILE.tmp.<pid>\n"
"                      in the same directory, fsync, rename over FILE; on\n"
"                      error the temporary file is removed and FILE is left\n"
"                      as it was (exit 1). Mode 0644.\n"
"  --processes N|all   per-process series for the N largest processes by\n"
"                      footprint (anon + shmem + swap + page tables) and up\n"
"                      to N more that the leak detector calls suspect or\n"
"                      leak, so at most 2N (default 10: at most 20; 0 to\n"
"                      1000000); all: every tracked process\n"
"\n"
"When the module cannot be read (not loaded, no permission, an error),\n"
"the output still holds memattr_up 0 and the last success's timestamp,\n"
"carried over from FILE, and the exit status is 1.\n"
"\n"
"Metrics (sizes in bytes, times in seconds; a series is left out when the\n"
"module did not send the figure):\n"
"  memattr_up (1: read, 0: failed), memattr_last_success_timestamp_seconds\n"
"  labels {pid, comm, cgroup}: memattr_process_info 1, for each process\n"
"    exported; join the series below on pid\n"
"  labels {pid}, gauges unless named _total:\n"
"    memattr_process_rss_bytes, _anon_bytes, _file_bytes, _shmem_bytes,\n"
"    _swap_bytes, _peak_rss_bytes, _virtual_bytes, _page_tables_bytes,\n"
"    memattr_process_page_allocs_total, _page_frees_total (counters, pages),\n"
"    memattr_process_growth_bytes_per_hour (footprint floor's slope),\n"
"    memattr_process_leak_state (0 ok, 1 suspect, 2 leak)\n"
"  labels {state} (ok, suspect, leak): memattr_processes, every tracked\n"
"    process counted, exported or not\n"
"  labels {cgroup} (the memory cgroup's path, \"/\" for the root):\n"
"    memattr_cgroup_usage_bytes, _anon_bytes, _file_bytes, _shmem_bytes,\n"
"    _kernel_bytes, memattr_cgroup_limit_bytes (only with a limit),\n"
"    memattr_cgroup_growth_bytes_per_hour, memattr_cgroup_leak_state,\n"
"    memattr_cgroup_exhaust_seconds (only when the limit would be reached):\n"
"    hierarchical, a cgroup includes its descendants (cgroup=\"/\" is the\n"
"    whole system), so do not sum() them across cgroups;\n"
"    memattr_cgroup_processes, memattr_cgroup_page_allocs_total (counter):\n"
"    the processes directly in the cgroup only, so sum() adds up\n"
"  labels {level} (1, 2, ...): memattr_watermark_threshold_ratio\n"
"  no labels:\n"
"    memattr_watermark_levels (how many are set),\n"
"    memattr_system_used_ratio (0 to 1), memattr_system_growth_bytes_per_hour,\n"
"    memattr_system_exhaust_seconds (only when finite),\n"
"    memattr_system_watermark_level (levels crossed, 0 none),\n"
"    memattr_module_info{version} 1, memattr_module_tracked_processes,\n"
"    memattr_module_max_processes, memattr_module_tracked_cgroups,\n"
"    memattr_module_processes_dropped_total (counter),\n"
"    memattr_module_memory_bytes, memattr_module_sample_interval_seconds\n"
"MemTotal, MemFree, MemAvailable and the OOM kill count are node_exporter's\n"
"(node_memory_*, node_vmstat_oom_kill), not exported again.\n"
"Label values are escaped as text output escapes strings (\\xNN), then per\n"
"the format (\\\\, \\\", \\n).",
	.parse		= export_parse,
	.args_size	= sizeof(struct memattr_export_args),
	.run		= export_run,
};
