/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memattr(8): what commands see of the CLI, and the command table entries.
 *
 * Adding a command: write cmd_<name>.c defining a const struct memattr_command
 * cmd_<name>, declare it below, list it in cmds[] in cli.c and the file in
 * the Makefile's SRCS. A command describes its output with the print.h
 * calls only, so its text and JSON forms come from the same code, and does
 * its netlink work through memattr_nl() and memattr_request(), which print
 * the standard messages for a missing module, missing privileges and the
 * kernel's extended ACK. Its reply parser should be a pure function over a
 * byte buffer (see memattr_stats_parse()) so tests and fuzzers can call it.
 */
#ifndef MEMATTR_H
#define MEMATTR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/memattr.h>

#include "nl.h"
#include "print.h"
#include "util.h"

#define MEMATTR_EXIT_OK		0
#define MEMATTR_EXIT_FAIL	1
#define MEMATTR_EXIT_USAGE	2

#define MEMATTR_BIT(nr)		(1ULL << (nr))

/* The global options: the only state shared by all commands. */
struct memattr_opts {
	bool json;
	bool pretty;
	bool human;	/* -H: sizes in KiB, MiB, GiB in text output */
};

/* What a running command works with. */
struct memattr_ctx {
	const struct memattr_opts *opts;
	const char *cmd;	/* the command's name, for messages */
	FILE *out;
	FILE *err;
	struct pr *pr;		/* all output to out goes through this */
	struct nl_ctx nl;	/* valid once memattr_nl() succeeded */
	bool nl_ready;
	/* an errno memattr_request() returns without a word; 0: none */
	int quiet_err;
};

struct memattr_command {
	const char *name;
	const char *args;	/* synopsis of the arguments; "" for none */
	const char *summary;	/* one line for 'memattr help' */
	const char *help;	/* a paragraph for 'memattr CMD help' */
	/*
	 * Parse argv[0..argc) (what follows the command's name) into args,
	 * args_size zeroed bytes, without side effects. On error print a
	 * one-line hint to err and return a negative errno (exit status 2).
	 * NULL when the command takes no arguments.
	 */
	int (*parse)(int argc, char **argv, void *args, FILE *err);
	size_t args_size;
	/* Do the work; return an exit status (0 or 1). */
	int (*run)(struct memattr_ctx *ctx, const void *args);
};

extern const struct memattr_command cmd_stats;
extern const struct memattr_command cmd_ps;
extern const struct memattr_command cmd_show;
extern const struct memattr_command cmd_top;
extern const struct memattr_command cmd_cgroups;
extern const struct memattr_command cmd_leaks;
extern const struct memattr_command cmd_system;
extern const struct memattr_command cmd_oom;
extern const struct memattr_command cmd_config;
extern const struct memattr_command cmd_version;
extern const struct memattr_command cmd_watch;
extern const struct memattr_command cmd_export;
extern const struct memattr_command cmd_lastboot;
extern const struct memattr_command cmd_report;
extern const struct memattr_command cmd_profile;

/* ---- cli.c ---- */

/* The result of parsing a command line. */
struct cli {
	struct memattr_opts opts;
	const struct memattr_command *cmd;
	void *args;		/* the command's parsed arguments */
	FILE *out;
	FILE *err;
};

#define CLI_RUN		(-1)

/*
 * Parse the command line. Returns CLI_RUN when cli->cmd should run, or an
 * exit status when done (help and version print to out and give 0, usage
 * errors print a hint to err and give 2). Touches neither netlink nor
 * anything else; call cli_release() in both cases.
 */
int cli_parse(struct cli *cli, int argc, char **argv, FILE *out, FILE *err);
int cli_run(struct cli *cli);
void cli_release(struct cli *cli);
int memattr_main(int argc, char **argv, FILE *out, FILE *err);
const char *memattr_version(void);

/*
 * What getopt_long() wants of a command's arguments: argv[0..argc) after
 * the command's name, with that name first as the program's and a NULL
 * last. free() it. NULL when out of memory, already reported to err.
 */
char **memattr_cmd_argv(const char *cmd, int argc, char **argv, FILE *err);

/*
 * Open the netlink socket and resolve the "memattr" family, once per run.
 * On failure prints why (module not loaded, ...) and returns an errno.
 */
int memattr_nl(struct memattr_ctx *ctx, struct nl_ctx **nl);
/*
 * nl_request() that reports: the kernel's extack as "Error: msg." or
 * "Warning: msg.", EPERM as a missing CAP_NET_ADMIN, cb's errors as an
 * invalid reply. Returns 0 or a negative errno (already reported).
 */
int memattr_request(struct memattr_ctx *ctx, struct nlmsghdr *nlh,
		    nl_msg_cb_t cb, void *data);

/* ---- cmd_stats.c ---- */

#define MEMATTR_HOOKS_MAX	64	/* hooks kept; more are skipped */
#define MEMATTR_VERSION_LEN	64
#define MEMATTR_HOOK_NAME_LEN	64
#define MEMATTR_HOOK_KIND_LEN	32
#define MEMATTR_HOOK_TARGET_LEN	128

/* One hook of MEMATTR_A_STATS_HOOKS. */
struct memattr_hook {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_HOOK_*) */
	char name[MEMATTR_HOOK_NAME_LEN];
	char kind[MEMATTR_HOOK_KIND_LEN];
	char target[MEMATTR_HOOK_TARGET_LEN];	/* present: attached */
	uint64_t hits;
	uint64_t misses;
};

struct memattr_stats {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_STATS_*) */
	char module_version[MEMATTR_VERSION_LEN];
	uint32_t sample_ms;
	uint64_t own_mem_bytes;
	uint32_t tracked_procs;
	uint32_t max_procs;
	uint32_t tracked_cgroups;
	uint64_t procs_created;
	uint64_t procs_removed;
	uint64_t procs_dropped;
	uint64_t procs_reaped;
	uint64_t exited_total;
	uint64_t samples;
	uint64_t sample_last_ns;
	uint64_t sample_max_ns;
	uint64_t irq_pages;
	uint64_t kthread_pages;
	uint64_t untracked_pages;
	uint64_t klog_lines;
	uint64_t klog_suppressed;
	struct memattr_hook hooks[MEMATTR_HOOKS_MAX];
	size_t nr_hooks;
};

/*
 * Decode a MEMATTR_CMD_GET_STATS reply: one netlink message at buf
 * (4-byte aligned, len bytes). Attributes it does not know are skipped;
 * strings are copied (truncated to fit).
 */
int memattr_stats_parse(const void *buf, size_t len,
			struct memattr_stats *st);
void memattr_stats_print(struct pr *pr, const struct memattr_stats *st);

/* ---- cmd_watch.c ---- */

#define MEMATTR_EV_TOP_MAX	16

/* One of an OOM event's top growers. */
struct memattr_ev_grower {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_GROWER_*) */
	uint32_t pid;
	const char *comm;		/* points into the parsed buffer */
	int64_t growth_kb_per_hour;
	uint64_t rss_kb;
};

/* memattr watch's arguments. */
struct memattr_watch_args {
	const char *exec;		/* --exec CMD, or NULL */
	bool syslog;			/* --syslog: events to syslog(3) */
	unsigned long count;		/* -n; 0: no limit */
	unsigned long timeout_s;	/* -t; 0: none */
};

/* A MEMATTR_CMD_EVENT message. */
struct memattr_event {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_EV_*) */
	uint32_t kind;			/* enum memattr_event_kind */
	uint64_t time_ms;		/* CLOCK_MONOTONIC */
	uint8_t entity;			/* enum memattr_entity_kind */
	uint32_t pid;
	const char *comm;		/* points into the parsed buffer */
	uint64_t cgroup_id;
	const char *cgroup;		/* points into the parsed buffer */
	int64_t growth_kb_per_hour;
	uint64_t since_ms;
	int64_t exhaust_s;		/* -1: never */
	uint8_t level;
	uint8_t level_pct;
	uint8_t direction;		/* enum memattr_wm_direction */
	uint32_t used_pct;
	uint64_t rss_kb;
	unsigned int nr_top;		/* the first MEMATTR_EV_TOP_MAX */
	unsigned int top_dropped;	/* growers past those */
	struct memattr_ev_grower top[MEMATTR_EV_TOP_MAX];
};

/*
 * Decode one MEMATTR_CMD_EVENT message at buf (4-byte aligned, len bytes).
 * MEMATTR_A_EV_KIND is required; attributes it does not know are skipped.
 * Returns 0 or a negative errno.
 */
int memattr_event_parse(const void *buf, size_t len, struct memattr_event *ev);
/* "leak", "leak_cleared", "watermark", "oom_kill" or "unknown". */
const char *memattr_event_name(uint32_t kind);
/*
 * Print an event as one object. wall_ms: the event's time as
 * CLOCK_REALTIME milliseconds, printed as "time"; negative leaves it out.
 */
void memattr_event_print(struct pr *pr, const struct memattr_event *ev,
			 int64_t wall_ms);
/*
 * The --exec environment of an event: a NULL-terminated array of
 * "MEMATTR_<FIELD>=value" strings, only for the fields it has. NULL when
 * out of memory. Free with memattr_event_env_free().
 */
char **memattr_event_env(const struct memattr_event *ev);
/*
 * An event's syslog priority: LOG_WARNING for a leak, LOG_ERR for an OOM
 * kill, LOG_NOTICE for a watermark, LOG_INFO for a cleared leak (and for
 * an event this tool does not know).
 */
int memattr_event_priority(uint32_t kind);
/*
 * Whether fd is the journal stream systemd names in journal_stream (the
 * value of $JOURNAL_STREAM, "DEV:INODE"; NULL: none), per systemd.exec(5):
 * fd's st_dev and st_ino are those. Lines written there may then start
 * with an sd-daemon(3) "<N>" priority prefix.
 */
bool memattr_journal_stream(int fd, const char *journal_stream);

/* Where memattr watch writes its events. */
struct memattr_watch_out {
	FILE *out;			/* stdout unless syslog */
	/* PR_JSON, PR_PRETTY; else PR_LINE, with PR_HUMAN */
	unsigned int pr_flags;
	bool journal;			/* out is a journal stream: "<N>" */
	bool syslog;			/* syslog(3) instead of out */
};

/*
 * Print an event (as memattr_event_print() renders it) to o: each line
 * prefixed with "<N>" when o->journal, or each line sent with syslog(3)
 * at its priority when o->syslog (openlog() is the caller's). out is
 * flushed. Returns 0 or a negative errno (out could not be written).
 */
int memattr_watch_emit(const struct memattr_watch_out *o,
		       const struct memattr_event *ev, int64_t wall_ms);

/*
 * Whether the message at buf (len bytes) is nlctrl's CTRL_CMD_DELFAMILY of
 * the family with this id (or, without an id, named "memattr").
 */
bool memattr_watch_family_gone(const void *buf, size_t len, uint16_t id);
void memattr_event_env_free(char **env);

/* ---- cmd_profile.c ---- */

/* Most stacks a dump may hold (the module's profile_stacks is less). */
#define MEMATTR_PROFILE_STACKS_MAX	65536

/* What a profile's top list, --folded and pprof's default weigh. */
enum memattr_profile_type {
	MEMATTR_PT_PAGES,	/* first-touch pages (count) */
	MEMATTR_PT_SPACE,	/* first-touch bytes */
	MEMATTR_PT_INUSE,	/* bytes of those pages still allocated */
	MEMATTR_PT_MAP,		/* bytes mmap/brk/mremap mapped */
};

/* One stack of a MEMATTR_CMD_GET_PROFILE dump. */
struct memattr_pstack {
	uint8_t bucket;			/* enum memattr_stack_bucket */
	unsigned int depth;		/* 0 for a bucket */
	uint64_t frames[MEMATTR_PROFILE_MAX_DEPTH];	/* leaf first */
	uint64_t pages;
	uint64_t samples;
	uint64_t map_calls;
	uint64_t map_bytes;
	uint64_t inuse_pages;
};

/* A GET_PROFILE dump: the summary and the stacks of every message. */
struct memattr_profile {
	uint64_t present;		/* MEMATTR_BIT(MEMATTR_A_PROFILE_*) */
	uint32_t pid;
	uint32_t sample_every;
	uint64_t start_ms;		/* CLOCK_MONOTONIC */
	uint8_t auto_started;
	uint32_t page_size;
	uint64_t pages;
	uint64_t samples;
	uint64_t throttled_pages;
	uint64_t other_pages;
	uint64_t map_calls;
	uint64_t map_bytes;
	uint64_t inuse_pages;
	uint64_t inuse_lost;
	uint64_t walk_errors;
	uint32_t nr_stacks_held;	/* MEMATTR_A_PROFILE_NR_STACKS */
	uint32_t max_stacks;
	uint64_t mem_bytes;
	struct memattr_pstack *stacks;
	size_t nr_stacks, cap_stacks;
};

/*
 * Decode one message of a MEMATTR_CMD_GET_PROFILE dump at buf (4-byte
 * aligned, len bytes) into pf, zeroed before the first: its summary
 * attributes are set, its stacks appended. Every message must carry the
 * same MEMATTR_A_PROFILE_PID. Attributes it does not know are skipped.
 * Returns 0, -ENOMEM or -EBADMSG (and the like: a malformed message).
 */
int memattr_profile_parse(const void *buf, size_t len,
			  struct memattr_profile *pf);
void memattr_profile_free(struct memattr_profile *pf);
/* "pages", "space", "inuse" or "map": 0, or -EINVAL. */
int memattr_profile_type_parse(const char *s, enum memattr_profile_type *t);

struct pprof_profile;
/*
 * Fill p (pprof_init()ed) with pf's stacks, leaf first: sample types
 * pages/count, inuse_space/bytes when pf has it, space/bytes, and
 * map_space/bytes when pf has it; "[throttled]" and "[other]" as frameless stacks.
 * *ti gets the index of type def, also p's default type. Returns 0,
 * -ENOENT when pf has no samples of type def, or -ENOMEM.
 */
int memattr_profile_to_pprof(const struct memattr_profile *pf,
			     enum memattr_profile_type def,
			     struct pprof_profile *p, int *ti);

/* ---- cmd_export.c ---- */

struct memattr_proc;
struct memattr_cgroup;
struct memattr_system;

struct memattr_config;

/* --processes=all: every tracked process gets its series */
#define MEMATTR_PROM_ALL	UINT32_MAX
/* --processes' default: the 10 largest, and up to 10 leaking others */
#define MEMATTR_PROM_PROCS	10

/* memattr export's arguments. */
struct memattr_export_args {
	bool prometheus;		/* --prometheus: the only format */
	const char *output;		/* -o FILE, or NULL: stdout */
	bool procs_set;			/* --processes given */
	unsigned int max_procs;		/* --processes N, or MEMATTR_PROM_ALL */
};

/* What an export shows; any pointer may be NULL (nothing of it). */
struct memattr_prom {
	bool up;			/* everything read from the module */
	int64_t last_success_s;		/* wall clock; -1: unknown */
	const struct memattr_stats *stats;
	const struct memattr_system *sys;
	const struct memattr_config *cfg;	/* for the watermarks */
	const struct memattr_proc *procs;
	size_t nr_procs;
	unsigned int max_procs;		/* see memattr_prom_select() */
	const struct memattr_cgroup *cgroups;
	size_t nr_cgroups;
};

/*
 * Which processes get per-process series: all of them when max is
 * MEMATTR_PROM_ALL or there are no more than max; otherwise the max
 * largest by footprint (anon + shmem + swap + page tables), then up to max
 * more in suspect or leak state (leak first, then fastest growth), so at
 * most 2 * max. idx (room for nr) gets their indexes into procs (by pid
 * when some are left out); *nr_idx their number. Returns 0 or -ENOMEM.
 */
int memattr_prom_select(const struct memattr_proc *procs, size_t nr,
			unsigned int max, size_t *idx, size_t *nr_idx);

/*
 * Write in as the Prometheus text exposition format 0.0.4: HELP and TYPE
 * lines, then every sample of the family; memattr_up always. Pure but for
 * f. Returns 0, -ENOMEM or -EIO.
 */
int memattr_prom_write(FILE *f, const struct memattr_prom *in);

#endif /* MEMATTR_H */
