// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr export --prometheus: every process, memory cgroup and system
 * figure the module has, in the Prometheus text exposition format 0.0.4,
 * for node_exporter's textfile collector (written atomically with -o).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
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

static void proc_labels(FILE *f, const struct memattr_proc *p)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%u", p->pid);
	fputc('{', f);
	prom_label(f, "pid", pid, true);
	prom_label(f, "comm", p->comm, false);
	prom_label(f, "cgroup", p->cgroup, false);
	fputc('}', f);
}

static void cgroup_labels(FILE *f, const struct memattr_cgroup *cg)
{
	fputc('{', f);
	prom_label(f, "path", cg->path, true);
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

static void write_procs(FILE *f, const struct memattr_prom *in)
{
	const struct proc_metric *m;
	const struct memattr_proc *p;
	size_t i, k, n;
	uint64_t v;
	int64_t sv = 0;

	for (k = 0; k < ARRAY_SIZE(proc_metrics); k++) {
		m = &proc_metrics[k];
		for (n = 0, i = 0; i < in->nr_procs; i++)
			n += !!(in->procs[i].present & MEMATTR_BIT(m->attr));
		if (!n)
			continue;
		prom_head(f, m->name, m->type, m->help);
		for (i = 0; i < in->nr_procs; i++) {
			p = &in->procs[i];
			if (!(p->present & MEMATTR_BIT(m->attr)))
				continue;
			v = field_u64(p, m->off, m->attr, m->is_signed, &sv);
			fputs(m->name, f);
			proc_labels(f, p);
			prom_value(f, v, sv, m->is_signed, m->scale);
		}
	}
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
	     "Memory charged to the memory cgroup (memory.current) at the last sample.",
	     MEMATTR_A_CGROUP_USAGE_KB, usage_kb, false, 1024),
	CG_M("memattr_cgroup_anon_bytes", "gauge",
	     "Anonymous memory of the memory cgroup.",
	     MEMATTR_A_CGROUP_ANON_KB, anon_kb, false, 1024),
	CG_M("memattr_cgroup_file_bytes", "gauge",
	     "Page cache of the memory cgroup, shmem included.",
	     MEMATTR_A_CGROUP_FILE_KB, file_kb, false, 1024),
	CG_M("memattr_cgroup_shmem_bytes", "gauge",
	     "Shared memory of the memory cgroup.",
	     MEMATTR_A_CGROUP_SHMEM_KB, shmem_kb, false, 1024),
	CG_M("memattr_cgroup_kernel_bytes", "gauge",
	     "Usage of the memory cgroup that is neither anonymous nor file.",
	     MEMATTR_A_CGROUP_KERNEL_KB, kernel_kb, false, 1024),
	CG_M("memattr_cgroup_limit_bytes", "gauge",
	     "Limit of the memory cgroup (memory.max); absent when there is none.",
	     MEMATTR_A_CGROUP_LIMIT_KB, limit_kb, false, 1024),
	CG_M("memattr_cgroup_processes", "gauge",
	     "Processes memattr tracks in the memory cgroup.",
	     MEMATTR_A_CGROUP_NR_PROCS, nr_procs, false, 1),
	CG_M("memattr_cgroup_page_allocs_total", "counter",
	     "Pages allocated by the tracked processes of the memory cgroup.",
	     MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS, procs_page_allocs, false, 1),
	CG_M("memattr_cgroup_growth_bytes_per_hour", "gauge",
	     "Slope of the floor of the memory cgroup's usage over the leak window.",
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

static void write_system(FILE *f, const struct memattr_system *sys)
{
	if (sys_has(sys, MEMATTR_A_SYSTEM_MEM_TOTAL_KB)) {
		prom_head(f, "memattr_system_memory_total_bytes", "gauge",
			  "Usable RAM (MemTotal) at the last sample.");
		fprintf(f, "memattr_system_memory_total_bytes %llu\n",
			mul_u(sys->mem_total_kb, 1024));
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_MEM_FREE_KB)) {
		prom_head(f, "memattr_system_memory_free_bytes", "gauge",
			  "Unused RAM (MemFree) at the last sample.");
		fprintf(f, "memattr_system_memory_free_bytes %llu\n",
			mul_u(sys->mem_free_kb, 1024));
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB)) {
		prom_head(f, "memattr_system_memory_available_bytes", "gauge",
			  "RAM available without swapping (MemAvailable) at the last sample.");
		fprintf(f, "memattr_system_memory_available_bytes %llu\n",
			mul_u(sys->mem_available_kb, 1024));
	}
	if (sys_has(sys, MEMATTR_A_SYSTEM_USED_PCT)) {
		prom_head(f, "memattr_system_used_ratio", "gauge",
			  "Memory in use, (MemTotal - MemAvailable) / MemTotal, to the percent.");
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
			  "Watermark levels the memory in use is above, 0 for none.");
		fprintf(f, "memattr_system_watermark_level %u\n",
			sys->watermark_level);
	}
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
	if (in->has_oom_kills) {
		prom_head(f, "memattr_oom_kills_total", "counter",
			  "Processes killed by the OOM killer since boot (/proc/vmstat oom_kill).");
		fprintf(f, "memattr_oom_kills_total %llu\n",
			(unsigned long long)in->oom_kills);
	}
}

int memattr_prom_write(FILE *f, const struct memattr_prom *in)
{
	write_system(f, in->sys);
	write_procs(f, in);
	write_cgroups(f, in);
	write_module(f, in);
	return ferror(f) ? -EIO : 0;
}

/* ---- arguments ---- */

static int export_parse(int argc, char **argv, void *data, FILE *err)
{
	static const struct option opts[] = {
		{ "prometheus",	no_argument,		NULL,	'P' },
		{ "output",	required_argument,	NULL,	'o' },
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
		default:
			if (optopt == 'o')
				fprintf(err,
					"memattr: export: option '-o' needs a file name; try 'memattr export help'\n");
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

/* /proc/vmstat's oom_kill: 0 and *n, or -ENOENT. */
static int read_oom_kills(uint64_t *n)
{
	char line[128];
	unsigned long long v;
	FILE *f = fopen("/proc/vmstat", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %llu", &v) == 1) {
			*n = v;
			ret = 0;
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
	struct memattr_prom in = {};
	struct memattr_proc *procs = NULL;
	struct memattr_cgroup *cgs = NULL;
	struct memattr_system sys;
	struct memattr_stats st;
	char *buf = NULL;
	size_t len = 0, i;
	int ret = MEMATTR_EXIT_FAIL;
	FILE *f;

	if (memattr_system_get(ctx, &sys) ||
	    memattr_stats_get(ctx, &st) ||
	    memattr_procs_dump(ctx, &procs, &in.nr_procs) ||
	    memattr_cgroups_dump(ctx, &cgs, &in.nr_cgroups))
		goto out;
	in.sys = &sys;
	in.stats = &st;
	in.procs = procs;
	in.cgroups = cgs;
	in.has_oom_kills = !read_oom_kills(&in.oom_kills);

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
		if (!write_atomic(ctx, args->output, buf, len))
			ret = MEMATTR_EXIT_OK;
	} else if (fwrite(buf, 1, len, ctx->out) == len &&
		   !fflush(ctx->out)) {
		ret = MEMATTR_EXIT_OK;
	} else {
		fprintf(ctx->err, "memattr: export: cannot write: %s\n",
			strerror(errno));
	}
out:
	free(buf);
	for (i = 0; procs && i < in.nr_procs; i++)
		memattr_proc_free(&procs[i]);
	free(procs);
	free(cgs);
	return ret;
}

const struct memattr_command cmd_export = {
	.name		= "export",
	.args		= "--prometheus [-o FILE]",
	.summary	= "every figure in the Prometheus text format",
	.help		=
"Print every process, memory cgroup and system figure the module has in the\n"
"Prometheus text exposition format 0.0.4, for node_exporter's textfile\n"
"collector (--collector.textfile.directory). Global -j has no effect.\n"
"Unprivileged, only the caller's own processes are shown (as in ps).\n"
"\n"
"Options:\n"
"  --prometheus        the format (required; the only one)\n"
"  -o, --output FILE   write FILE atomically instead of stdout: FILE.tmp.<pid>\n"
"                      in the same directory, fsync, rename over FILE; on\n"
"                      error the temporary file is removed and FILE is left\n"
"                      as it was (exit 1). Mode 0644.\n"
"\n"
"Metrics (sizes in bytes, times in seconds; a series is left out when the\n"
"module did not send the figure):\n"
"  labels {pid, comm, cgroup}, gauges unless named _total:\n"
"    memattr_process_rss_bytes, _anon_bytes, _file_bytes, _shmem_bytes,\n"
"    _swap_bytes, _peak_rss_bytes, _virtual_bytes, _page_tables_bytes,\n"
"    memattr_process_page_allocs_total, _page_frees_total (counters, pages),\n"
"    memattr_process_growth_bytes_per_hour (footprint floor's slope),\n"
"    memattr_process_leak_state (0 ok, 1 suspect, 2 leak)\n"
"  labels {path} (the memory cgroup, \"/\" for the root):\n"
"    memattr_cgroup_usage_bytes, _anon_bytes, _file_bytes, _shmem_bytes,\n"
"    _kernel_bytes, memattr_cgroup_limit_bytes (only with a limit),\n"
"    memattr_cgroup_processes, memattr_cgroup_page_allocs_total (counter),\n"
"    memattr_cgroup_growth_bytes_per_hour, memattr_cgroup_leak_state,\n"
"    memattr_cgroup_exhaust_seconds (only when the limit would be reached)\n"
"  no labels:\n"
"    memattr_system_memory_total_bytes, _free_bytes, _available_bytes,\n"
"    memattr_system_used_ratio (0 to 1), memattr_system_growth_bytes_per_hour,\n"
"    memattr_system_exhaust_seconds (only when finite),\n"
"    memattr_system_watermark_level (levels crossed, 0 none),\n"
"    memattr_module_info{version} 1, memattr_module_tracked_processes,\n"
"    memattr_module_max_processes, memattr_module_tracked_cgroups,\n"
"    memattr_module_processes_dropped_total (counter),\n"
"    memattr_module_memory_bytes, memattr_module_sample_interval_seconds,\n"
"    memattr_oom_kills_total (counter: /proc/vmstat oom_kill)\n"
"Label values are escaped as text output escapes strings (\\xNN), then per\n"
"the format (\\\\, \\\", \\n).",
	.parse		= export_parse,
	.args_size	= sizeof(struct memattr_export_args),
	.run		= export_run,
};
