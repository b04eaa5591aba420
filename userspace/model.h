/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CLI's model of what the memattr module reports: one struct per
 * reply, pure parsers that fill them from a netlink message, helpers that
 * fetch them over netlink (dumps collected into arrays), and the printers
 * that give each its stable JSON shape (and, through print.c, its text
 * table).
 *
 * Parsers take one netlink message at buf (4-byte aligned, len bytes; only
 * nlmsg_len counts), validate every attribute they know, skip the ones they
 * do not (a newer module may send more), and copy strings into the struct,
 * so a result outlives the buffer. They return 0, -EBADMSG (malformed, or a
 * required attribute missing), -ERANGE/-EINVAL (an attribute of the wrong
 * size or an unterminated string) or -ENOMEM (history points). The
 * present bitmasks say which attributes came, MEMATTR_BIT(MEMATTR_A_*).
 *
 * Fetch helpers report their errors through memattr_request() (the
 * kernel's extended ACK, missing privileges, a missing module) and return
 * 0 or a negative errno.
 */
#ifndef MEMATTR_MODEL_H
#define MEMATTR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/memattr.h>

#include "memattr.h"

#define MEMATTR_COMM_LEN	64	/* the kernel's is 16 */
#define MEMATTR_PATH_LEN	256	/* the module's MEMATTR_CGROUP_PATH_MAX */
#define MEMATTR_WATERMARKS_LEN	64
#define MEMATTR_POINTS_MAX	65536	/* more points than this: -EBADMSG */
#define MEMATTR_OOM_TOP_MAX	16	/* growers kept per report; more skipped */

/* "ok", "suspect", "leak"; "unknown" for a value this tool does not know. */
const char *memattr_leak_state_name(unsigned int state);
/* "process", "cgroup", "system"; "unknown" otherwise. */
const char *memattr_entity_name(unsigned int kind);
/* CLOCK_MONOTONIC in milliseconds: the clock of every *_ms the module sends. */
uint64_t memattr_now_ms(void);

/* One point of a footprint history: the floor of the footprint at t_ms. */
struct memattr_point {
	uint64_t t_ms;
	uint32_t kb;
};

/* MEMATTR_CMD_GET_PROC: one process; history only in a doit's reply. */
struct memattr_proc {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_PROC_*) */
	uint32_t pid;			/* required */
	char comm[MEMATTR_COMM_LEN];
	uint64_t start_ms;
	uint64_t cgroup_id;
	char cgroup[MEMATTR_PATH_LEN];
	uint64_t rss_kb;
	uint64_t anon_kb;
	uint64_t file_kb;
	uint64_t shmem_kb;
	uint64_t swap_kb;
	uint64_t peak_rss_kb;
	uint64_t vm_kb;
	uint64_t pgtables_kb;
	uint64_t page_allocs;
	uint64_t page_frees;
	uint64_t mmap_calls;
	uint64_t munmap_calls;
	uint64_t brk_calls;
	uint64_t mremap_calls;
	int64_t mapped_bytes;
	uint8_t leak_state;		/* enum memattr_leak_state */
	int64_t growth_kb_per_hour;
	uint64_t leak_since_ms;
	int64_t exhaust_s;		/* -1: never */
	struct memattr_point *history;	/* malloc()ed, oldest first, or NULL */
	size_t nr_history;
};

/* MEMATTR_CMD_GET_CGROUP: one memory cgroup. */
struct memattr_cgroup {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_CGROUP_*) */
	uint64_t id;			/* required */
	char path[MEMATTR_PATH_LEN];
	uint32_t nr_procs;
	uint64_t usage_kb;
	uint64_t anon_kb;
	uint64_t file_kb;
	uint64_t shmem_kb;
	uint64_t kernel_kb;
	uint64_t limit_kb;		/* present only when there is a limit */
	uint64_t procs_rss_kb;
	uint64_t procs_anon_kb;
	uint64_t procs_shmem_kb;
	uint64_t procs_swap_kb;
	uint64_t procs_page_allocs;
	uint64_t procs_page_frees;
	uint8_t leak_state;
	int64_t growth_kb_per_hour;
	uint64_t leak_since_ms;
	int64_t exhaust_s;		/* -1: never */
};

/* MEMATTR_CMD_GET_SYSTEM. */
struct memattr_system {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_SYSTEM_*) */
	uint64_t mem_total_kb;
	uint64_t mem_free_kb;
	uint64_t mem_available_kb;
	uint32_t used_pct;
	uint64_t sampled_ms;
	int64_t growth_kb_per_hour;
	int64_t exhaust_s;		/* -1: never */
	uint8_t watermark_level;
};

/* One MEMATTR_CMD_GET_LEAKS entry. */
struct memattr_leak {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_LEAK_*) */
	uint8_t entity;			/* required: enum memattr_entity_kind */
	uint32_t pid;
	char comm[MEMATTR_COMM_LEN];
	uint64_t cgroup_id;
	char cgroup[MEMATTR_PATH_LEN];
	int64_t growth_kb_per_hour;
	uint8_t state;
	uint64_t since_ms;
	int64_t exhaust_s;		/* -1: never */
};

/* A process that grew fast when an OOM kill happened. */
struct memattr_grower {
	uint32_t pid;
	char comm[MEMATTR_COMM_LEN];
	int64_t growth_kb_per_hour;
	uint64_t rss_kb;
};

/* One MEMATTR_CMD_GET_OOM report. */
struct memattr_oom {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_OOM_*) */
	uint64_t time_ms;
	uint32_t pid;			/* required */
	char comm[MEMATTR_COMM_LEN];
	char cgroup[MEMATTR_PATH_LEN];
	uint64_t rss_kb;
	struct memattr_point *history;	/* malloc()ed, oldest first, or NULL */
	size_t nr_history;
	struct memattr_grower top[MEMATTR_OOM_TOP_MAX];
	size_t nr_top;
};

/* MEMATTR_CMD_GET_CONFIG reply, and what SET_CONFIG sets. */
struct memattr_config {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_CONFIG_*) */
	uint32_t sample_ms;
	uint32_t max_procs;
	uint32_t leak_window_s;
	uint32_t leak_min_kb_per_hour;
	char watermarks[MEMATTR_WATERMARKS_LEN];
	uint32_t log_events;
};

/* ---- pure parsers ---- */

int memattr_proc_parse(const void *buf, size_t len, struct memattr_proc *p);
void memattr_proc_free(struct memattr_proc *p);	/* its history */
int memattr_cgroup_parse(const void *buf, size_t len,
			 struct memattr_cgroup *cg);
int memattr_system_parse(const void *buf, size_t len,
			 struct memattr_system *sys);
int memattr_leak_parse(const void *buf, size_t len, struct memattr_leak *l);
int memattr_oom_parse(const void *buf, size_t len, struct memattr_oom *o);
void memattr_oom_free(struct memattr_oom *o);		/* its history */
int memattr_config_parse(const void *buf, size_t len,
			 struct memattr_config *cfg);

/* ---- config keys (the module parameters) ---- */

/* The keys in the order GET_CONFIG's attributes are numbered. */
extern const char *const memattr_config_keys[];
extern const unsigned int memattr_config_nr_keys;

/*
 * Parse "KEY=VALUE" into cfg (setting its present bit), with the ranges the
 * module accepts. On error prints a one-line reason to err (when not NULL)
 * and returns -EINVAL. Pure.
 */
int memattr_config_parse_kv(const char *kv, struct memattr_config *cfg,
			    FILE *err);
/* Watermarks: 1-8 strictly increasing integers in [1, 99], comma separated. */
bool memattr_watermarks_valid(const char *s);
/* Append cfg's present values to a SET_CONFIG request. */
void memattr_config_put(struct nlmsghdr *nlh, const struct memattr_config *cfg);

/* ---- sorting ---- */

enum memattr_proc_key {
	MEMATTR_SORT_RSS,
	MEMATTR_SORT_ANON,
	MEMATTR_SORT_GROWTH,
	MEMATTR_SORT_ALLOCS,
};

/* "rss", "anon", "growth", "allocs" to a key: 0, or -EINVAL. */
int memattr_proc_key_parse(const char *name, enum memattr_proc_key *key);
/* Descending by key, then by pid ascending: stable across runs. */
void memattr_procs_sort(struct memattr_proc *procs, size_t nr,
			enum memattr_proc_key key);

/* ---- fetching over netlink ---- */

/* GET_PROC doit, with history; -ENOENT when the pid is not tracked. */
int memattr_proc_get(struct memattr_ctx *ctx, uint32_t pid,
		     struct memattr_proc *p);
/*
 * Dumps, collected into malloc()ed arrays (*rows NULL when empty). A dump
 * marked NLM_F_DUMP_INTR (the table changed while the module copied it) is
 * retried a few times; the last one is kept whatever it is.
 */
int memattr_procs_dump(struct memattr_ctx *ctx, struct memattr_proc **rows,
		       size_t *nr);
int memattr_cgroups_dump(struct memattr_ctx *ctx,
			 struct memattr_cgroup **rows, size_t *nr);
int memattr_leaks_dump(struct memattr_ctx *ctx, struct memattr_leak **rows,
		       size_t *nr);
int memattr_ooms_dump(struct memattr_ctx *ctx, struct memattr_oom **rows,
		      size_t *nr);
void memattr_ooms_free(struct memattr_oom *rows, size_t nr);
int memattr_system_get(struct memattr_ctx *ctx, struct memattr_system *sys);
int memattr_config_get(struct memattr_ctx *ctx, struct memattr_config *cfg);
int memattr_stats_get(struct memattr_ctx *ctx, struct memattr_stats *st);

/* ---- printing: the JSON contract (text tables come from the same) ---- */

enum memattr_print_flags {
	MEMATTR_PF_HISTORY	= 1 << 0,	/* a process's "history" too */
	/*
	 * Text only: the columns that fit a terminal's width, for tables of
	 * many rows. No effect on JSON, which always has every field.
	 */
	MEMATTR_PF_BRIEF	= 1 << 1,
	/* leave the object open: the caller adds members and closes it */
	MEMATTR_PF_OPEN		= 1 << 2,
};

/*
 * One process as an object under key (NULL in an array): pid, comm,
 * cgroup, rss_kb ... leak; with its "history" as [[t_ms, kb], ...] with
 * MEMATTR_PF_HISTORY.
 */
void memattr_proc_print(struct pr *pr, const char *key,
			const struct memattr_proc *p, unsigned int flags);
void memattr_cgroup_print(struct pr *pr, const char *key,
			  const struct memattr_cgroup *cg, unsigned int flags);
/* now_ms: for since_s, how long the state has lasted */
void memattr_leak_print(struct pr *pr, const char *key,
			const struct memattr_leak *l, uint64_t now_ms);
void memattr_system_print(struct pr *pr, const char *key,
			  const struct memattr_system *sys);
void memattr_oom_print(struct pr *pr, const char *key,
		       const struct memattr_oom *o);
void memattr_config_print(struct pr *pr, const char *key,
			  const struct memattr_config *cfg);
/* history as an array of [t_ms, kb] pairs under key */
void memattr_points_print(struct pr *pr, const char *key,
			  const struct memattr_point *pts, size_t nr);

#endif /* MEMATTR_MODEL_H */
