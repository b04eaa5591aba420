// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/memattr/: tables for people. Netlink is the stable API.
 *
 * Every table is an aligned text table with a header line and one row per
 * entity. A table file takes a snapshot when it is opened and prints it
 * through a seq_file iterator, so that a read of thousands of rows is one
 * consistent picture and never holds a lock while copying to user space.
 * Names (comms, cgroup paths) are printed with /proc's octal escapes of
 * whitespace, '\\' and '=' (memattr_dfs_name()): every row is one line and
 * every column one word, whatever names people choose.
 */
#include <linux/bsearch.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "acct.h"
#include "debugfs.h"
#include "events.h"
#include "hooks.h"
#include "klog.h"
#include "mem.h"
#include "oom.h"
#include "params.h"
#include "postmortem.h"
#include "profile.h"

static struct dentry *memattr_debugfs_dir;

/* A snapshot being printed: rows of one kind, plus the cgroup table. */
struct memattr_dfs_snap {
	void *rows;
	u32 nr;
	size_t row_size;
	struct memattr_cgroup_row *cgs;
	u32 nr_cgs;
	int (*show)(struct seq_file *m, struct memattr_dfs_snap *s,
		    const void *row);
};

static void *memattr_dfs_start(struct seq_file *m, loff_t *pos)
{
	struct memattr_dfs_snap *s = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos > s->nr)
		return NULL;
	return s->rows + (*pos - 1) * s->row_size;
}

static void *memattr_dfs_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return memattr_dfs_start(m, pos);
}

static void memattr_dfs_stop(struct seq_file *m, void *v)
{
}

static int memattr_dfs_show(struct seq_file *m, void *v)
{
	struct memattr_dfs_snap *s = m->private;

	return s->show(m, s, v == SEQ_START_TOKEN ? NULL : v);
}

static const struct seq_operations memattr_dfs_seq_ops = {
	.start = memattr_dfs_start,
	.next = memattr_dfs_next,
	.stop = memattr_dfs_stop,
	.show = memattr_dfs_show,
};

static int memattr_dfs_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct memattr_dfs_snap *s = m->private;

	kvfree(s->rows);
	kvfree(s->cgs);
	return seq_release_private(inode, file);
}

/* Open a table: @fill takes the snapshot of its rows. */
static int memattr_dfs_open(struct file *file,
			    int (*fill)(struct memattr_dfs_snap *s),
			    int (*show)(struct seq_file *m,
					struct memattr_dfs_snap *s,
					const void *row))
{
	struct memattr_dfs_snap *s;
	int ret;

	s = __seq_open_private(file, &memattr_dfs_seq_ops, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->show = show;
	ret = memattr_acct_snapshot_cgroups(&s->cgs, &s->nr_cgs);
	if (!ret)
		ret = fill(s);
	if (ret) {
		kvfree(s->cgs);
		s->cgs = NULL;
		seq_release_private(file->f_inode, file);
	}
	return ret;
}

static int memattr_cg_cmp(const void *key, const void *elt)
{
	u64 id = *(const u64 *)key;
	const struct memattr_cgroup_row *r = elt;

	return id < r->id ? -1 : id > r->id;
}

static const char *memattr_dfs_cgroup_path(struct memattr_dfs_snap *s, u64 id)
{
	const struct memattr_cgroup_row *r;

	r = bsearch(&id, s->cgs, s->nr_cgs, sizeof(*s->cgs), memattr_cg_cmp);
	return r ? r->path : "-";
}

/*
 * Print name @str escaped as /proc escapes names: whitespace, control
 * characters, '\\', '=' and the characters of @extra as octal escapes
 * ("\\012"), so that a comm set with PR_SET_NAME or a delegated cgroup's
 * name cannot forge rows, columns or key=value pairs. An empty name is
 * printed "-". Then pad with spaces to @width columns.
 */
static void memattr_dfs_name(struct seq_file *m, const char *str, int width,
			     const char *extra)
{
	const unsigned char *c = (const unsigned char *)str;
	int n = 0;

	if (!*c) {
		seq_putc(m, '-');
		n++;
	}
	for (; *c; c++) {
		if (*c <= ' ' || *c == 0x7f || *c == '\\' || *c == '=' ||
		    (extra && strchr(extra, *c))) {
			seq_printf(m, "\\%03o", *c);
			n += 4;
		} else {
			seq_putc(m, *c);
			n++;
		}
	}
	for (; n < width; n++)
		seq_putc(m, ' ');
}

static const char *memattr_leak_state_name(u8 state)
{
	switch (state) {
	case MEMATTR_LEAK_SUSPECT:
		return "suspect";
	case MEMATTR_LEAK_LEAK:
		return "leak";
	default:
		return "ok";
	}
}

/* --- processes ------------------------------------------------------------ */

static int memattr_procs_fill(struct memattr_dfs_snap *s)
{
	s->row_size = sizeof(struct memattr_proc_row);
	return memattr_acct_snapshot_procs((struct memattr_proc_row **)&s->rows,
					   &s->nr);
}

static int memattr_procs_show(struct seq_file *m, struct memattr_dfs_snap *s,
			      const void *row)
{
	const struct memattr_proc_row *r = row;

	if (!r) {
		seq_printf(m, "%7s %-16s %9s %9s %9s %9s %9s %9s %10s %9s %11s %11s %8s %8s %8s %8s %10s %12s %-7s %s\n",
			   "pid", "comm", "rss_kb", "anon_kb", "file_kb",
			   "shmem_kb", "swap_kb", "peak_kb", "vm_kb", "pgtbl_kb",
			   "page_allocs", "page_frees", "mmap", "munmap", "brk",
			   "mremap", "mapped_kb", "growth_kbh", "leak",
			   "cgroup");
		return 0;
	}
	seq_printf(m, "%7d ", r->tgid);
	memattr_dfs_name(m, r->comm, 16, NULL);
	seq_printf(m, " %9llu %9llu %9llu %9llu %9llu %9llu %10llu %9llu %11llu %11llu %8llu %8llu %8llu %8llu %10lld %12lld %-7s ",
		   r->fp.rss_kb, r->fp.anon_kb, r->fp.file_kb,
		   r->fp.shmem_kb, r->fp.swap_kb, r->fp.peak_rss_kb,
		   r->fp.vm_kb, r->fp.pgtables_kb, r->act.page_allocs,
		   r->act.page_frees, r->act.mmap_calls, r->act.munmap_calls,
		   r->act.brk_calls, r->act.mremap_calls,
		   r->act.mapped_bytes / 1024, r->leak.growth_kb_per_hour,
		   memattr_leak_state_name(r->leak.state));
	memattr_dfs_name(m, memattr_dfs_cgroup_path(s, r->cgroup_id), 0, NULL);
	seq_putc(m, '\n');
	return 0;
}

static int memattr_procs_open(struct inode *inode, struct file *file)
{
	return memattr_dfs_open(file, memattr_procs_fill, memattr_procs_show);
}

/* --- cgroups ------------------------------------------------------------- */

static int memattr_cgroups_fill(struct memattr_dfs_snap *s)
{
	/* The rows are the cgroup snapshot itself. */
	s->row_size = sizeof(struct memattr_cgroup_row);
	s->nr = s->nr_cgs;
	return 0;
}

static int memattr_cgroups_show(struct seq_file *m, struct memattr_dfs_snap *s,
				const void *row)
{
	const struct memattr_cgroup_row *r = row;

	if (!r) {
		seq_printf(m, "%8s %6s %10s %10s %10s %10s %10s %10s %10s %10s %12s %-7s %10s %s\n",
			   "id", "procs", "usage_kb", "anon_kb", "file_kb",
			   "shmem_kb", "kernel_kb", "limit_kb", "p_rss_kb",
			   "p_allocs", "growth_kbh", "leak", "exhaust_s",
			   "path");
		return 0;
	}
	seq_printf(m, "%8llu %6u %10llu %10llu %10llu %10llu %10llu ",
		   r->id, r->nr_procs, r->usage_kb, r->anon_kb, r->file_kb,
		   r->shmem_kb, r->kernel_kb);
	if (r->limit_kb == U64_MAX)
		seq_printf(m, "%10s ", "max");
	else
		seq_printf(m, "%10llu ", r->limit_kb);
	seq_printf(m, "%10llu %10llu %12lld %-7s ", r->procs.rss_kb,
		   r->procs_act.page_allocs, r->leak.growth_kb_per_hour,
		   memattr_leak_state_name(r->leak.state));
	if (r->exhaust_s < 0)
		seq_printf(m, "%10s ", "none");
	else
		seq_printf(m, "%10lld ", r->exhaust_s);
	memattr_dfs_name(m, r->path, 0, NULL);
	seq_putc(m, '\n');
	return 0;
}

static int memattr_cgroups_open(struct inode *inode, struct file *file)
{
	int ret = memattr_dfs_open(file, memattr_cgroups_fill,
				   memattr_cgroups_show);

	if (!ret) {
		struct memattr_dfs_snap *s =
			((struct seq_file *)file->private_data)->private;

		s->rows = s->cgs;	/* printed as the rows ... */
		s->cgs = NULL;		/* ... and freed once */
	}
	return ret;
}

/* --- exited -------------------------------------------------------------- */

static int memattr_exited_fill(struct memattr_dfs_snap *s)
{
	s->row_size = sizeof(struct memattr_exited_row);
	return memattr_acct_snapshot_exited((struct memattr_exited_row **)&s->rows,
					    &s->nr);
}

static int memattr_exited_show(struct seq_file *m, struct memattr_dfs_snap *s,
			       const void *row)
{
	const struct memattr_exited_row *r = row;

	if (!r) {
		seq_printf(m, "%7s %-16s %10s %9s %9s %9s %9s %9s %11s %s\n",
			   "pid", "comm", "lived_ms", "peak_kb", "rss_kb",
			   "anon_kb", "shmem_kb", "swap_kb", "page_allocs",
			   "cgroup");
		return 0;
	}
	seq_printf(m, "%7d ", r->tgid);
	memattr_dfs_name(m, r->comm, 16, NULL);
	seq_printf(m, " %10llu %9llu %9llu %9llu %9llu %9llu %11llu ",
		   div_u64(r->exit_ns - min(r->start_ns, r->exit_ns),
			   NSEC_PER_MSEC),
		   r->fp.peak_rss_kb, r->fp.rss_kb, r->fp.anon_kb,
		   r->fp.shmem_kb, r->fp.swap_kb, r->act.page_allocs);
	memattr_dfs_name(m, memattr_dfs_cgroup_path(s, r->cgroup_id), 0, NULL);
	seq_putc(m, '\n');
	return 0;
}

static int memattr_exited_open(struct inode *inode, struct file *file)
{
	return memattr_dfs_open(file, memattr_exited_fill, memattr_exited_show);
}

/* --- events -------------------------------------------------------------- */

static int memattr_events_fill(struct memattr_dfs_snap *s)
{
	s->row_size = sizeof(struct memattr_event);
	return memattr_events_snapshot((struct memattr_event **)&s->rows,
				       &s->nr);
}

/* One event per line, newest last: time, kind, then key=value details. */
static int memattr_events_show(struct seq_file *m, struct memattr_dfs_snap *s,
			       const void *row)
{
	const struct memattr_event *ev = row;
	const struct memattr_oom_kill *oom;
	u32 i;

	if (!ev) {
		seq_printf(m, "%12s %-12s %s\n", "time_ms", "kind", "details");
		return 0;
	}
	seq_printf(m, "%12llu %-12s", ev->time_ms,
		   memattr_event_kind_name(ev->kind) ?: "?");
	switch (ev->kind) {
	case MEMATTR_EV_LEAK:
	case MEMATTR_EV_LEAK_CLEARED:
		seq_printf(m, " entity=%s", memattr_event_entity_name(ev->entity) ?: "?");
		if (ev->entity == MEMATTR_ENTITY_PROCESS) {
			seq_printf(m, " pid=%d comm=", ev->pid);
			memattr_dfs_name(m, ev->comm, 0, NULL);
		}
		seq_puts(m, " cgroup=");
		memattr_dfs_name(m, ev->cgroup, 0, NULL);
		seq_printf(m, " growth_kb_per_hour=%lld since_ms=%llu exhaust_s=%lld",
			   ev->growth_kb_per_hour, ev->since_ms, ev->exhaust_s);
		break;
	case MEMATTR_EV_WATERMARK:
		seq_printf(m, " level=%u level_pct=%u direction=%s used_pct=%u",
			   ev->level, ev->level_pct, ev->up ? "up" : "down",
			   ev->used_pct);
		break;
	case MEMATTR_EV_OOM_KILL:
		oom = &ev->oom;
		seq_printf(m, " pid=%d comm=", oom->pid);
		memattr_dfs_name(m, oom->comm, 0, NULL);
		seq_puts(m, " cgroup=");
		memattr_dfs_name(m, oom->cgroup, 0, NULL);
		seq_printf(m, " rss_kb=%llu top=", oom->rss_kb);
		/* pid/comm/growth, comma-separated: escape those too. */
		for (i = 0; i < min_t(u32, oom->nr_top, MEMATTR_OOM_TOP); i++) {
			seq_printf(m, "%s%d/", i ? "," : "", oom->top[i].pid);
			memattr_dfs_name(m, oom->top[i].comm, 0, ",/");
			seq_printf(m, "/%lld", oom->top[i].growth_kb_per_hour);
		}
		if (!oom->nr_top)
			seq_puts(m, "-");
		break;
	}
	seq_puts(m, "\n");
	return 0;
}

static int memattr_events_open(struct inode *inode, struct file *file)
{
	return memattr_dfs_open(file, memattr_events_fill, memattr_events_show);
}

#define MEMATTR_DFS_FOPS(name)						\
static const struct file_operations memattr_##name##_fops = {		\
	.owner = THIS_MODULE,						\
	.open = memattr_##name##_open,					\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = memattr_dfs_release,					\
}

MEMATTR_DFS_FOPS(procs);
MEMATTR_DFS_FOPS(cgroups);
MEMATTR_DFS_FOPS(exited);
MEMATTR_DFS_FOPS(events);

/* --- oom ------------------------------------------------------------------ */

static int memattr_oom_fill(struct memattr_dfs_snap *s)
{
	s->row_size = sizeof(struct memattr_oom_report);
	return memattr_oom_snapshot((struct memattr_oom_report **)&s->rows,
				    &s->nr);
}

/* One report per block: the victim, its recent footprint, the top growers. */
static int memattr_oom_show(struct seq_file *m, struct memattr_dfs_snap *s,
			    const void *row)
{
	const struct memattr_oom_report *r = row;
	unsigned int i;

	if (!r) {
		seq_printf(m, "%12s %7s %-16s %9s %s\n", "time_ms", "pid",
			   "comm", "rss_kb", "cgroup");
		return 0;
	}
	seq_printf(m, "%12llu %7d ", r->time_ms, r->pid);
	memattr_dfs_name(m, r->comm, 16, NULL);
	seq_printf(m, " %9llu ", r->rss_kb);
	memattr_dfs_name(m, r->cgroup, 0, NULL);
	seq_putc(m, '\n');
	seq_puts(m, "  history_kb");
	for (i = 0; i < r->nr_hist; i++)
		seq_printf(m, " %u", r->hist[i].kb);
	seq_puts(m, "\n");
	for (i = 0; i < r->nr_top; i++) {
		seq_printf(m, "  grower %7d ", r->top[i].pid);
		memattr_dfs_name(m, r->top[i].comm, 16, NULL);
		seq_printf(m, " %12lld kb/h %9llu kb\n",
			   r->top[i].growth_kb_per_hour, r->top[i].rss_kb);
	}
	return 0;
}

static int memattr_oom_open(struct inode *inode, struct file *file)
{
	return memattr_dfs_open(file, memattr_oom_fill, memattr_oom_show);
}

MEMATTR_DFS_FOPS(oom);

/* --- system and stats: key/value tables ---------------------------------- */

static int memattr_system_show(struct seq_file *m, void *v)
{
	struct memattr_system_row sys;

	memattr_acct_system(&sys);
	seq_printf(m, "%-20s %s\n", "key", "value");
	seq_printf(m, "%-20s %llu\n", "mem_total_kb", sys.mem_total_kb);
	seq_printf(m, "%-20s %llu\n", "mem_free_kb", sys.mem_free_kb);
	seq_printf(m, "%-20s %llu\n", "mem_available_kb", sys.mem_available_kb);
	seq_printf(m, "%-20s %u\n", "used_pct", sys.used_pct);
	seq_printf(m, "%-20s %lld\n", "growth_kb_per_hour", sys.growth_kb_per_hour);
	if (sys.exhaust_s < 0)
		seq_printf(m, "%-20s %s\n", "exhaust_s", "none");
	else
		seq_printf(m, "%-20s %lld\n", "exhaust_s", sys.exhaust_s);
	seq_printf(m, "%-20s %u\n", "watermark_level", sys.watermark_level);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memattr_system);

static int memattr_stats_show(struct seq_file *m, void *v)
{
	struct memattr_acct_stats st;
	u64 profile_bytes;
	u32 nr_profiles;
	unsigned int i;

	memattr_acct_get_stats(&st);
	seq_printf(m, "%-20s %s\n", "key", "value");
	seq_printf(m, "%-20s %s\n", "version", THIS_MODULE->version ?: "none");
	seq_printf(m, "%-20s %u\n", "sample_ms", memattr_params_sample_ms());
	seq_printf(m, "%-20s %u\n", "max_procs", st.max_procs);
	seq_printf(m, "%-20s %u\n", "tracked_procs", st.nr_procs);
	seq_printf(m, "%-20s %u\n", "tracked_cgroups", st.nr_cgroups);
	seq_printf(m, "%-20s %llu\n", "procs_created", st.procs_created);
	seq_printf(m, "%-20s %llu\n", "procs_removed", st.procs_removed);
	seq_printf(m, "%-20s %llu\n", "procs_dropped", st.procs_dropped);
	seq_printf(m, "%-20s %llu\n", "procs_reaped", st.procs_reaped);
	seq_printf(m, "%-20s %llu\n", "exited_total", st.exited_total);
	seq_printf(m, "%-20s %llu\n", "irq_pages", st.irq_pages);
	seq_printf(m, "%-20s %llu\n", "kthread_pages", st.kthread_pages);
	seq_printf(m, "%-20s %llu\n", "untracked_pages", st.untracked_pages);
	seq_printf(m, "%-20s %llu\n", "oom_dropped", st.oom_dropped);
	seq_printf(m, "%-20s %u\n", "pool_free", st.pool_free);
	seq_printf(m, "%-20s %llu\n", "samples", st.samples);
	seq_printf(m, "%-20s %llu\n", "sample_last_ns", st.sample_last_ns);
	seq_printf(m, "%-20s %llu\n", "sample_max_ns", st.sample_max_ns);
	seq_printf(m, "%-20s %u\n", "sample_reads", st.sample_reads);
	seq_printf(m, "%-20s %zu\n", "proc_entry_bytes", sizeof(struct memattr_proc));
	seq_printf(m, "%-20s %llu\n", "own_mem_bytes", memattr_mem_bytes());
	seq_printf(m, "%-20s %llu\n", "klog_lines", memattr_klog_lines());
	seq_printf(m, "%-20s %llu\n", "klog_suppressed",
		   memattr_klog_suppressed());
	memattr_profile_stats(&nr_profiles, &profile_bytes);
	seq_printf(m, "%-20s %u\n", "profiles", nr_profiles);
	seq_printf(m, "%-20s %llu\n", "profile_mem_bytes", profile_bytes);
	seq_puts(m, "\n");
	seq_printf(m, "%-12s %-10s %-24s %12s %8s\n", "hook", "kind",
		   "attached", "hits", "misses");
	for (i = 0; i < MEMATTR_HOOK_NR; i++) {
		struct memattr_hook_info h;

		memattr_hooks_info(i, &h);
		seq_printf(m, "%-12s %-10s %-24s %12llu %8llu\n", h.name,
			   h.kind, h.target ?: "-", h.hits, h.misses);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memattr_stats);

/* The post-mortem report, as a panic would print it now. */
static int memattr_report_show(struct seq_file *m, void *v)
{
	return memattr_pm_show(m);
}
DEFINE_SHOW_ATTRIBUTE(memattr_report);

/**
 * memattr_debugfs_init() - create /sys/kernel/debug/memattr/ and its files
 *
 * Return: 0, or a negative errno when the directory cannot be created
 * (debugfs missing or disabled).
 */
int memattr_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir("memattr", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("processes", 0400, dir, NULL, &memattr_procs_fops);
	debugfs_create_file("cgroups", 0400, dir, NULL, &memattr_cgroups_fops);
	debugfs_create_file("exited", 0400, dir, NULL, &memattr_exited_fops);
	debugfs_create_file("oom", 0400, dir, NULL, &memattr_oom_fops);
	debugfs_create_file("events", 0400, dir, NULL, &memattr_events_fops);
	debugfs_create_file("system", 0400, dir, NULL, &memattr_system_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &memattr_stats_fops);
	debugfs_create_file("report", 0400, dir, NULL, &memattr_report_fops);
	memattr_debugfs_dir = dir;
	return 0;
}

/**
 * memattr_debugfs_exit() - remove /sys/kernel/debug/memattr/
 *
 * debugfs_remove_recursive() waits for open files' readers to finish, so no
 * show function runs once it returns.
 */
void memattr_debugfs_exit(void)
{
	debugfs_remove_recursive(memattr_debugfs_dir);
	memattr_debugfs_dir = NULL;
}
