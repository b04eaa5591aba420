// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CLI's model of the module's replies: parsers, fetch helpers and
 * printers; see model.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/memattr.h>

#include "model.h"

const char *memattr_leak_state_name(unsigned int state)
{
	switch (state) {
	case MEMATTR_LEAK_OK:
		return "ok";
	case MEMATTR_LEAK_SUSPECT:
		return "suspect";
	case MEMATTR_LEAK_LEAK:
		return "leak";
	}
	return "unknown";
}

const char *memattr_entity_name(unsigned int kind)
{
	switch (kind) {
	case MEMATTR_ENTITY_PROCESS:
		return "process";
	case MEMATTR_ENTITY_CGROUP:
		return "cgroup";
	case MEMATTR_ENTITY_SYSTEM:
		return "system";
	}
	return "unknown";
}

uint64_t memattr_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- attribute tables ---- */

enum field_kind {
	F_U8,
	F_U32,
	F_U64,		/* s64 too: same bytes */
	F_STR,		/* copied into a char array, truncated to fit */
};

/* One scalar attribute and where it goes in a struct. */
struct field {
	uint16_t attr;
	uint8_t kind;
	size_t off;
	size_t size;
};

#define FIELD(a, k, type, member)	{ a, k, offsetof(type, member), 0 }
/* a string: size is the char array's (see its declaration) */
#define FSTR(a, type, member, size)	{ a, F_STR, offsetof(type, member), size }

static const enum mnl_attr_data_type field_types[] = {
	[F_U8]	= MNL_TYPE_U8,
	[F_U32]	= MNL_TYPE_U32,
	[F_U64]	= MNL_TYPE_U64,
	[F_STR]	= MNL_TYPE_NUL_STRING,
};

/* The policy of a table; policy has maxtype + 1 entries, zeroed. */
static void fields_policy(const struct field *f, size_t n,
			  enum mnl_attr_data_type *policy)
{
	size_t i;

	for (i = 0; i < n; i++)
		policy[f[i].attr] = field_types[f[i].kind];
}

/* Copy the attributes tb holds into base; set their present bits. */
static void fields_fill(const struct nlattr *const *tb, const struct field *f,
			size_t n, void *base, uint64_t *present)
{
	const struct nlattr *a;
	char *p;
	size_t i;

	for (i = 0; i < n; i++) {
		a = tb[f[i].attr];
		if (!a)
			continue;
		p = (char *)base + f[i].off;
		switch (f[i].kind) {
		case F_U8:
			*(uint8_t *)p = mnl_attr_get_u8(a);
			break;
		case F_U32:
			*(uint32_t *)p = mnl_attr_get_u32(a);
			break;
		case F_U64:
			*(uint64_t *)p = mnl_attr_get_u64(a);
			break;
		case F_STR:
			snprintf(p, f[i].size, "%s", mnl_attr_get_str(a));
			break;
		}
		*present |= MEMATTR_BIT(f[i].attr);
	}
}

/* ---- lists ---- */

struct points_walk {
	struct memattr_point *pts;
	size_t nr;
	size_t cap;
};

static const enum mnl_attr_data_type point_policy[MEMATTR_A_POINT_MAX + 1] = {
	[MEMATTR_A_POINT_T_MS]	= MNL_TYPE_U64,
	[MEMATTR_A_POINT_KB]	= MNL_TYPE_U32,
};

static int point_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[MEMATTR_A_POINT_MAX + 1];
	struct points_walk *w = data;
	struct memattr_point *p;
	size_t cap;
	int err;

	if (mnl_attr_get_type(attr) != MEMATTR_A_LIST_ITEM)
		return 0;	/* not an element: a newer module's */
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	err = nl_nested_parse(attr, point_policy, MEMATTR_A_POINT_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_POINT_T_MS] || !tb[MEMATTR_A_POINT_KB])
		return -EBADMSG;
	if (w->nr == w->cap) {
		if (w->cap >= MEMATTR_POINTS_MAX)
			return -EBADMSG;
		cap = w->cap ? 2 * w->cap : 32;
		p = realloc(w->pts, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		w->pts = p;
		w->cap = cap;
	}
	w->pts[w->nr].t_ms = mnl_attr_get_u64(tb[MEMATTR_A_POINT_T_MS]);
	w->pts[w->nr].kb = mnl_attr_get_u32(tb[MEMATTR_A_POINT_KB]);
	w->nr++;
	return 0;
}

/* A list of MEMATTR_A_POINT_* into a malloc()ed array. */
static int points_parse(const struct nlattr *list, struct memattr_point **pts,
			size_t *nr)
{
	struct points_walk w = {};
	int err;

	err = nl_nested_walk(list, point_cb, &w);
	if (err) {
		free(w.pts);
		return err;
	}
	*pts = w.pts;
	*nr = w.nr;
	return 0;
}

/* ---- GET_PROC ---- */

static const struct field proc_fields[] = {
	FIELD(MEMATTR_A_PROC_PID, F_U32, struct memattr_proc, pid),
	FSTR(MEMATTR_A_PROC_COMM, struct memattr_proc,
	     comm, MEMATTR_COMM_LEN),
	FIELD(MEMATTR_A_PROC_START_MS, F_U64, struct memattr_proc, start_ms),
	FIELD(MEMATTR_A_PROC_CGROUP_ID, F_U64, struct memattr_proc, cgroup_id),
	FSTR(MEMATTR_A_PROC_CGROUP_PATH, struct memattr_proc,
	     cgroup, MEMATTR_PATH_LEN),
	FIELD(MEMATTR_A_PROC_RSS_KB, F_U64, struct memattr_proc, rss_kb),
	FIELD(MEMATTR_A_PROC_ANON_KB, F_U64, struct memattr_proc, anon_kb),
	FIELD(MEMATTR_A_PROC_FILE_KB, F_U64, struct memattr_proc, file_kb),
	FIELD(MEMATTR_A_PROC_SHMEM_KB, F_U64, struct memattr_proc, shmem_kb),
	FIELD(MEMATTR_A_PROC_SWAP_KB, F_U64, struct memattr_proc, swap_kb),
	FIELD(MEMATTR_A_PROC_PEAK_RSS_KB, F_U64, struct memattr_proc,
	      peak_rss_kb),
	FIELD(MEMATTR_A_PROC_VM_KB, F_U64, struct memattr_proc, vm_kb),
	FIELD(MEMATTR_A_PROC_PGTABLES_KB, F_U64, struct memattr_proc,
	      pgtables_kb),
	FIELD(MEMATTR_A_PROC_PAGE_ALLOCS, F_U64, struct memattr_proc,
	      page_allocs),
	FIELD(MEMATTR_A_PROC_PAGE_FREES, F_U64, struct memattr_proc,
	      page_frees),
	FIELD(MEMATTR_A_PROC_MMAP_CALLS, F_U64, struct memattr_proc,
	      mmap_calls),
	FIELD(MEMATTR_A_PROC_MUNMAP_CALLS, F_U64, struct memattr_proc,
	      munmap_calls),
	FIELD(MEMATTR_A_PROC_BRK_CALLS, F_U64, struct memattr_proc, brk_calls),
	FIELD(MEMATTR_A_PROC_MREMAP_CALLS, F_U64, struct memattr_proc,
	      mremap_calls),
	FIELD(MEMATTR_A_PROC_MAPPED_BYTES, F_U64, struct memattr_proc,
	      mapped_bytes),
	FIELD(MEMATTR_A_PROC_LEAK_STATE, F_U8, struct memattr_proc, leak_state),
	FIELD(MEMATTR_A_PROC_GROWTH_KB_PER_HOUR, F_U64, struct memattr_proc,
	      growth_kb_per_hour),
	FIELD(MEMATTR_A_PROC_LEAK_SINCE_MS, F_U64, struct memattr_proc,
	      leak_since_ms),
	FIELD(MEMATTR_A_PROC_EXHAUST_S, F_U64, struct memattr_proc,
	      exhaust_s),
};

int memattr_proc_parse(const void *buf, size_t len, struct memattr_proc *p)
{
	enum mnl_attr_data_type policy[MEMATTR_A_PROC_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
	int err;

	memset(p, 0, sizeof(*p));
	p->exhaust_s = -1;
	fields_policy(proc_fields, ARRAY_SIZE(proc_fields), policy);
	policy[MEMATTR_A_PROC_HISTORY] = MNL_TYPE_NESTED;
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_PROC, policy,
			    MEMATTR_A_PROC_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_PROC_PID])
		return -EBADMSG;
	fields_fill(tb, proc_fields, ARRAY_SIZE(proc_fields), p, &p->present);
	if (tb[MEMATTR_A_PROC_HISTORY]) {
		err = points_parse(tb[MEMATTR_A_PROC_HISTORY], &p->history,
				   &p->nr_history);
		if (err)
			return err;
		p->present |= MEMATTR_BIT(MEMATTR_A_PROC_HISTORY);
	}
	return 0;
}

void memattr_proc_free(struct memattr_proc *p)
{
	free(p->history);
	p->history = NULL;
	p->nr_history = 0;
}

/* ---- GET_CGROUP ---- */

static const struct field cgroup_fields[] = {
	FIELD(MEMATTR_A_CGROUP_ID, F_U64, struct memattr_cgroup, id),
	FSTR(MEMATTR_A_CGROUP_PATH, struct memattr_cgroup,
	     path, MEMATTR_PATH_LEN),
	FIELD(MEMATTR_A_CGROUP_NR_PROCS, F_U32, struct memattr_cgroup, nr_procs),
	FIELD(MEMATTR_A_CGROUP_USAGE_KB, F_U64, struct memattr_cgroup, usage_kb),
	FIELD(MEMATTR_A_CGROUP_ANON_KB, F_U64, struct memattr_cgroup, anon_kb),
	FIELD(MEMATTR_A_CGROUP_FILE_KB, F_U64, struct memattr_cgroup, file_kb),
	FIELD(MEMATTR_A_CGROUP_SHMEM_KB, F_U64, struct memattr_cgroup, shmem_kb),
	FIELD(MEMATTR_A_CGROUP_KERNEL_KB, F_U64, struct memattr_cgroup,
	      kernel_kb),
	FIELD(MEMATTR_A_CGROUP_LIMIT_KB, F_U64, struct memattr_cgroup, limit_kb),
	FIELD(MEMATTR_A_CGROUP_PROCS_RSS_KB, F_U64, struct memattr_cgroup,
	      procs_rss_kb),
	FIELD(MEMATTR_A_CGROUP_PROCS_ANON_KB, F_U64, struct memattr_cgroup,
	      procs_anon_kb),
	FIELD(MEMATTR_A_CGROUP_PROCS_SHMEM_KB, F_U64, struct memattr_cgroup,
	      procs_shmem_kb),
	FIELD(MEMATTR_A_CGROUP_PROCS_SWAP_KB, F_U64, struct memattr_cgroup,
	      procs_swap_kb),
	FIELD(MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS, F_U64, struct memattr_cgroup,
	      procs_page_allocs),
	FIELD(MEMATTR_A_CGROUP_PROCS_PAGE_FREES, F_U64, struct memattr_cgroup,
	      procs_page_frees),
	FIELD(MEMATTR_A_CGROUP_LEAK_STATE, F_U8, struct memattr_cgroup,
	      leak_state),
	FIELD(MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR, F_U64, struct memattr_cgroup,
	      growth_kb_per_hour),
	FIELD(MEMATTR_A_CGROUP_LEAK_SINCE_MS, F_U64, struct memattr_cgroup,
	      leak_since_ms),
	FIELD(MEMATTR_A_CGROUP_EXHAUST_S, F_U64, struct memattr_cgroup,
	      exhaust_s),
};

int memattr_cgroup_parse(const void *buf, size_t len,
			 struct memattr_cgroup *cg)
{
	enum mnl_attr_data_type policy[MEMATTR_A_CGROUP_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_CGROUP_MAX + 1];
	int err;

	memset(cg, 0, sizeof(*cg));
	cg->exhaust_s = -1;
	fields_policy(cgroup_fields, ARRAY_SIZE(cgroup_fields), policy);
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_CGROUP, policy,
			    MEMATTR_A_CGROUP_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_CGROUP_ID])
		return -EBADMSG;
	fields_fill(tb, cgroup_fields, ARRAY_SIZE(cgroup_fields), cg,
		    &cg->present);
	return 0;
}

/* ---- GET_SYSTEM ---- */

static const struct field system_fields[] = {
	FIELD(MEMATTR_A_SYSTEM_MEM_TOTAL_KB, F_U64, struct memattr_system,
	      mem_total_kb),
	FIELD(MEMATTR_A_SYSTEM_MEM_FREE_KB, F_U64, struct memattr_system,
	      mem_free_kb),
	FIELD(MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB, F_U64, struct memattr_system,
	      mem_available_kb),
	FIELD(MEMATTR_A_SYSTEM_USED_PCT, F_U32, struct memattr_system, used_pct),
	FIELD(MEMATTR_A_SYSTEM_SAMPLED_MS, F_U64, struct memattr_system,
	      sampled_ms),
	FIELD(MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR, F_U64, struct memattr_system,
	      growth_kb_per_hour),
	FIELD(MEMATTR_A_SYSTEM_EXHAUST_S, F_U64, struct memattr_system,
	      exhaust_s),
	FIELD(MEMATTR_A_SYSTEM_WATERMARK_LEVEL, F_U8, struct memattr_system,
	      watermark_level),
};

int memattr_system_parse(const void *buf, size_t len,
			 struct memattr_system *sys)
{
	enum mnl_attr_data_type policy[MEMATTR_A_SYSTEM_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_SYSTEM_MAX + 1];
	int err;

	memset(sys, 0, sizeof(*sys));
	sys->exhaust_s = -1;
	fields_policy(system_fields, ARRAY_SIZE(system_fields), policy);
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_SYSTEM, policy,
			    MEMATTR_A_SYSTEM_MAX, tb);
	if (err)
		return err;
	fields_fill(tb, system_fields, ARRAY_SIZE(system_fields), sys,
		    &sys->present);
	return 0;
}

/* ---- GET_LEAKS ---- */

static const struct field leak_fields[] = {
	FIELD(MEMATTR_A_LEAK_ENTITY, F_U8, struct memattr_leak, entity),
	FIELD(MEMATTR_A_LEAK_PID, F_U32, struct memattr_leak, pid),
	FSTR(MEMATTR_A_LEAK_COMM, struct memattr_leak,
	     comm, MEMATTR_COMM_LEN),
	FIELD(MEMATTR_A_LEAK_CGROUP_ID, F_U64, struct memattr_leak, cgroup_id),
	FSTR(MEMATTR_A_LEAK_CGROUP_PATH, struct memattr_leak,
	     cgroup, MEMATTR_PATH_LEN),
	FIELD(MEMATTR_A_LEAK_GROWTH_KB_PER_HOUR, F_U64, struct memattr_leak,
	      growth_kb_per_hour),
	FIELD(MEMATTR_A_LEAK_STATE, F_U8, struct memattr_leak, state),
	FIELD(MEMATTR_A_LEAK_SINCE_MS, F_U64, struct memattr_leak, since_ms),
	FIELD(MEMATTR_A_LEAK_EXHAUST_S, F_U64, struct memattr_leak, exhaust_s),
};

int memattr_leak_parse(const void *buf, size_t len, struct memattr_leak *l)
{
	enum mnl_attr_data_type policy[MEMATTR_A_LEAK_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_LEAK_MAX + 1];
	int err;

	memset(l, 0, sizeof(*l));
	l->exhaust_s = -1;
	fields_policy(leak_fields, ARRAY_SIZE(leak_fields), policy);
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_LEAKS, policy,
			    MEMATTR_A_LEAK_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_LEAK_ENTITY])
		return -EBADMSG;
	fields_fill(tb, leak_fields, ARRAY_SIZE(leak_fields), l, &l->present);
	return 0;
}

/* ---- GET_OOM ---- */

static const struct field grower_fields[] = {
	FIELD(MEMATTR_A_GROWER_PID, F_U32, struct memattr_grower, pid),
	FSTR(MEMATTR_A_GROWER_COMM, struct memattr_grower,
	     comm, MEMATTR_COMM_LEN),
	FIELD(MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR, F_U64, struct memattr_grower,
	      growth_kb_per_hour),
	FIELD(MEMATTR_A_GROWER_RSS_KB, F_U64, struct memattr_grower, rss_kb),
};

static int grower_cb(const struct nlattr *attr, void *data)
{
	enum mnl_attr_data_type policy[MEMATTR_A_GROWER_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_GROWER_MAX + 1];
	struct memattr_oom *o = data;
	struct memattr_grower g = {};
	uint64_t present = 0;
	int err;

	if (mnl_attr_get_type(attr) != MEMATTR_A_LIST_ITEM)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	fields_policy(grower_fields, ARRAY_SIZE(grower_fields), policy);
	err = nl_nested_parse(attr, policy, MEMATTR_A_GROWER_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_GROWER_PID])
		return -EBADMSG;
	fields_fill(tb, grower_fields, ARRAY_SIZE(grower_fields), &g, &present);
	if (o->nr_top < MEMATTR_OOM_TOP_MAX)
		o->top[o->nr_top++] = g;
	return 0;
}

static const struct field oom_fields[] = {
	FIELD(MEMATTR_A_OOM_TIME_MS, F_U64, struct memattr_oom, time_ms),
	FIELD(MEMATTR_A_OOM_PID, F_U32, struct memattr_oom, pid),
	FSTR(MEMATTR_A_OOM_COMM, struct memattr_oom,
	     comm, MEMATTR_COMM_LEN),
	FSTR(MEMATTR_A_OOM_CGROUP_PATH, struct memattr_oom,
	     cgroup, MEMATTR_PATH_LEN),
	FIELD(MEMATTR_A_OOM_RSS_KB, F_U64, struct memattr_oom, rss_kb),
};

int memattr_oom_parse(const void *buf, size_t len, struct memattr_oom *o)
{
	enum mnl_attr_data_type policy[MEMATTR_A_OOM_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_OOM_MAX + 1];
	int err;

	memset(o, 0, sizeof(*o));
	fields_policy(oom_fields, ARRAY_SIZE(oom_fields), policy);
	policy[MEMATTR_A_OOM_HISTORY] = MNL_TYPE_NESTED;
	policy[MEMATTR_A_OOM_TOP] = MNL_TYPE_NESTED;
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_OOM, policy,
			    MEMATTR_A_OOM_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_OOM_PID])
		return -EBADMSG;
	fields_fill(tb, oom_fields, ARRAY_SIZE(oom_fields), o, &o->present);
	if (tb[MEMATTR_A_OOM_TOP]) {
		err = nl_nested_walk(tb[MEMATTR_A_OOM_TOP], grower_cb, o);
		if (err)
			return err;
		o->present |= MEMATTR_BIT(MEMATTR_A_OOM_TOP);
	}
	if (tb[MEMATTR_A_OOM_HISTORY]) {
		err = points_parse(tb[MEMATTR_A_OOM_HISTORY], &o->history,
				   &o->nr_history);
		if (err)
			return err;
		o->present |= MEMATTR_BIT(MEMATTR_A_OOM_HISTORY);
	}
	return 0;
}

void memattr_oom_free(struct memattr_oom *o)
{
	free(o->history);
	o->history = NULL;
	o->nr_history = 0;
}

/* ---- GET_CONFIG ---- */

static const struct field config_fields[] = {
	FIELD(MEMATTR_A_CONFIG_SAMPLE_MS, F_U32, struct memattr_config,
	      sample_ms),
	FIELD(MEMATTR_A_CONFIG_MAX_PROCS, F_U32, struct memattr_config,
	      max_procs),
	FIELD(MEMATTR_A_CONFIG_LEAK_WINDOW_S, F_U32, struct memattr_config,
	      leak_window_s),
	FIELD(MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR, F_U32,
	      struct memattr_config, leak_min_kb_per_hour),
	FSTR(MEMATTR_A_CONFIG_WATERMARKS, struct memattr_config, watermarks,
	     MEMATTR_WATERMARKS_LEN),
	FIELD(MEMATTR_A_CONFIG_LOG_EVENTS, F_U32, struct memattr_config,
	      log_events),
};

int memattr_config_parse(const void *buf, size_t len,
			 struct memattr_config *cfg)
{
	enum mnl_attr_data_type policy[MEMATTR_A_CONFIG_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_CONFIG_MAX + 1];
	int err;

	memset(cfg, 0, sizeof(*cfg));
	fields_policy(config_fields, ARRAY_SIZE(config_fields), policy);
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_CONFIG, policy,
			    MEMATTR_A_CONFIG_MAX, tb);
	if (err)
		return err;
	fields_fill(tb, config_fields, ARRAY_SIZE(config_fields), cfg,
		    &cfg->present);
	return 0;
}

/* The u32 keys: attribute, name, range (the module parameters'). */
static const struct {
	uint16_t attr;
	const char *name;
	uint32_t min;
	uint32_t max;
	size_t off;
} config_u32[] = {
	{ MEMATTR_A_CONFIG_SAMPLE_MS, "sample_ms", 10, 60000,
	  offsetof(struct memattr_config, sample_ms) },
	{ MEMATTR_A_CONFIG_MAX_PROCS, "max_procs", 16, 1048576,
	  offsetof(struct memattr_config, max_procs) },
	{ MEMATTR_A_CONFIG_LEAK_WINDOW_S, "leak_window_s", 10, 604800,
	  offsetof(struct memattr_config, leak_window_s) },
	{ MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR, "leak_min_kb_per_hour", 1,
	  4194304, offsetof(struct memattr_config, leak_min_kb_per_hour) },
	{ MEMATTR_A_CONFIG_LOG_EVENTS, "log_events", 0, 1,
	  offsetof(struct memattr_config, log_events) },
};

const char *const memattr_config_keys[] = {
	"sample_ms", "max_procs", "leak_window_s", "leak_min_kb_per_hour",
	"watermarks", "log_events",
};

const unsigned int memattr_config_nr_keys = ARRAY_SIZE(memattr_config_keys);

bool memattr_watermarks_valid(const char *s)
{
	unsigned int n = 0, prev = 0, v, digits;

	for (;;) {
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 2)
				return false;
			v = v * 10 + (unsigned int)(*s - '0');
		}
		if (!digits || v < 1 || v > 99 || v <= prev || ++n > 8)
			return false;
		prev = v;
		if (!*s)
			return true;
		if (*s++ != ',')
			return false;
	}
}

/* A decimal u32, digits only. */
static bool parse_u32(const char *s, uint32_t *val)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*val = (uint32_t)v;
	return true;
}

int memattr_config_parse_kv(const char *kv, struct memattr_config *cfg,
			    FILE *err)
{
	const char *eq = strchr(kv, '=');
	const char *val;
	size_t klen, i;
	uint32_t v;

	if (!eq || eq == kv) {
		if (err)
			fprintf(err,
				"memattr: config: expected KEY=VALUE, got '%s'; try 'memattr config help'\n",
				kv);
		return -EINVAL;
	}
	klen = (size_t)(eq - kv);
	val = eq + 1;
	for (i = 0; i < ARRAY_SIZE(config_u32); i++) {
		if (strlen(config_u32[i].name) != klen ||
		    strncmp(kv, config_u32[i].name, klen))
			continue;
		if (!parse_u32(val, &v) || v < config_u32[i].min ||
		    v > config_u32[i].max) {
			if (err)
				fprintf(err,
					"memattr: config: %s must be an integer in [%u, %u], not '%s'\n",
					config_u32[i].name, config_u32[i].min,
					config_u32[i].max, val);
			return -EINVAL;
		}
		memcpy((char *)cfg + config_u32[i].off, &v, sizeof(v));
		cfg->present |= MEMATTR_BIT(config_u32[i].attr);
		return 0;
	}
	if (klen == strlen("watermarks") && !strncmp(kv, "watermarks", klen)) {
		if (!memattr_watermarks_valid(val)) {
			if (err)
				fprintf(err,
					"memattr: config: watermarks must be 1 to 8 strictly increasing percentages in [1, 99], comma separated (e.g. 85,92,97), not '%s'\n",
					val);
			return -EINVAL;
		}
		snprintf(cfg->watermarks, sizeof(cfg->watermarks), "%s", val);
		cfg->present |= MEMATTR_BIT(MEMATTR_A_CONFIG_WATERMARKS);
		return 0;
	}
	if (err)
		fprintf(err,
			"memattr: config: unknown key '%.*s' (keys: sample_ms, max_procs, leak_window_s, leak_min_kb_per_hour, watermarks, log_events)\n",
			(int)(klen > 64 ? 64 : klen), kv);
	return -EINVAL;
}

void memattr_config_put(struct nlmsghdr *nlh, const struct memattr_config *cfg)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_u32); i++) {
		if (!(cfg->present & MEMATTR_BIT(config_u32[i].attr)))
			continue;
		memcpy(&v, (const char *)cfg + config_u32[i].off, sizeof(v));
		mnl_attr_put_u32(nlh, config_u32[i].attr, v);
	}
	if (cfg->present & MEMATTR_BIT(MEMATTR_A_CONFIG_WATERMARKS))
		mnl_attr_put_strz(nlh, MEMATTR_A_CONFIG_WATERMARKS,
				  cfg->watermarks);
}

/* ---- GET_STATS ---- */

static const struct field stats_fields[] = {
	FSTR(MEMATTR_A_STATS_MODULE_VERSION, struct memattr_stats,
	     module_version, MEMATTR_VERSION_LEN),
	FIELD(MEMATTR_A_STATS_SAMPLE_MS, F_U32, struct memattr_stats, sample_ms),
	FIELD(MEMATTR_A_STATS_OWN_MEM_BYTES, F_U64, struct memattr_stats,
	      own_mem_bytes),
	FIELD(MEMATTR_A_STATS_TRACKED_PROCS, F_U32, struct memattr_stats,
	      tracked_procs),
	FIELD(MEMATTR_A_STATS_MAX_PROCS, F_U32, struct memattr_stats, max_procs),
	FIELD(MEMATTR_A_STATS_TRACKED_CGROUPS, F_U32, struct memattr_stats,
	      tracked_cgroups),
	FIELD(MEMATTR_A_STATS_PROCS_CREATED, F_U64, struct memattr_stats,
	      procs_created),
	FIELD(MEMATTR_A_STATS_PROCS_REMOVED, F_U64, struct memattr_stats,
	      procs_removed),
	FIELD(MEMATTR_A_STATS_PROCS_DROPPED, F_U64, struct memattr_stats,
	      procs_dropped),
	FIELD(MEMATTR_A_STATS_PROCS_REAPED, F_U64, struct memattr_stats,
	      procs_reaped),
	FIELD(MEMATTR_A_STATS_EXITED_TOTAL, F_U64, struct memattr_stats,
	      exited_total),
	FIELD(MEMATTR_A_STATS_SAMPLES, F_U64, struct memattr_stats, samples),
	FIELD(MEMATTR_A_STATS_SAMPLE_LAST_NS, F_U64, struct memattr_stats,
	      sample_last_ns),
	FIELD(MEMATTR_A_STATS_SAMPLE_MAX_NS, F_U64, struct memattr_stats,
	      sample_max_ns),
	FIELD(MEMATTR_A_STATS_IRQ_PAGES, F_U64, struct memattr_stats, irq_pages),
	FIELD(MEMATTR_A_STATS_KTHREAD_PAGES, F_U64, struct memattr_stats,
	      kthread_pages),
	FIELD(MEMATTR_A_STATS_UNTRACKED_PAGES, F_U64, struct memattr_stats,
	      untracked_pages),
	FIELD(MEMATTR_A_STATS_KLOG_LINES, F_U64, struct memattr_stats,
	      klog_lines),
	FIELD(MEMATTR_A_STATS_KLOG_SUPPRESSED, F_U64, struct memattr_stats,
	      klog_suppressed),
};

static const struct field hook_fields[] = {
	FSTR(MEMATTR_A_HOOK_NAME, struct memattr_hook,
	     name, MEMATTR_HOOK_NAME_LEN),
	FSTR(MEMATTR_A_HOOK_KIND, struct memattr_hook,
	     kind, MEMATTR_HOOK_KIND_LEN),
	FSTR(MEMATTR_A_HOOK_TARGET, struct memattr_hook,
	     target, MEMATTR_HOOK_TARGET_LEN),
	FIELD(MEMATTR_A_HOOK_HITS, F_U64, struct memattr_hook, hits),
	FIELD(MEMATTR_A_HOOK_MISSES, F_U64, struct memattr_hook, misses),
};

static int hook_cb(const struct nlattr *attr, void *data)
{
	enum mnl_attr_data_type policy[MEMATTR_A_HOOK_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_HOOK_MAX + 1];
	struct memattr_stats *st = data;
	struct memattr_hook h = {};
	int err;

	if (mnl_attr_get_type(attr) != MEMATTR_A_LIST_ITEM)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	fields_policy(hook_fields, ARRAY_SIZE(hook_fields), policy);
	err = nl_nested_parse(attr, policy, MEMATTR_A_HOOK_MAX, tb);
	if (err)
		return err;
	fields_fill(tb, hook_fields, ARRAY_SIZE(hook_fields), &h, &h.present);
	if (st->nr_hooks < MEMATTR_HOOKS_MAX)
		st->hooks[st->nr_hooks++] = h;
	return 0;
}

int memattr_stats_parse(const void *buf, size_t len, struct memattr_stats *st)
{
	enum mnl_attr_data_type policy[MEMATTR_A_STATS_MAX + 1] = {};
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + 1];
	int err;

	memset(st, 0, sizeof(*st));
	fields_policy(stats_fields, ARRAY_SIZE(stats_fields), policy);
	policy[MEMATTR_A_STATS_HOOKS] = MNL_TYPE_NESTED;
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_STATS, policy,
			    MEMATTR_A_STATS_MAX, tb);
	if (err)
		return err;
	fields_fill(tb, stats_fields, ARRAY_SIZE(stats_fields), st,
		    &st->present);
	if (tb[MEMATTR_A_STATS_HOOKS]) {
		err = nl_nested_walk(tb[MEMATTR_A_STATS_HOOKS], hook_cb, st);
		if (err)
			return err;
		st->present |= MEMATTR_BIT(MEMATTR_A_STATS_HOOKS);
	}
	return 0;
}

/* ---- sorting ---- */

static const char *const proc_key_names[] = {
	[MEMATTR_SORT_RSS]	= "rss",
	[MEMATTR_SORT_ANON]	= "anon",
	[MEMATTR_SORT_GROWTH]	= "growth",
	[MEMATTR_SORT_ALLOCS]	= "allocs",
};

int memattr_proc_key_parse(const char *name, enum memattr_proc_key *key)
{
	int i = name_index(proc_key_names, ARRAY_SIZE(proc_key_names), name);

	if (i < 0)
		return -EINVAL;
	*key = (enum memattr_proc_key)i;
	return 0;
}

static enum memattr_proc_key sort_key;

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

static int proc_cmp(const void *pa, const void *pb)
{
	const struct memattr_proc *a = pa, *b = pb;
	int c = 0;

	switch (sort_key) {
	case MEMATTR_SORT_RSS:
		c = cmp_u64_desc(a->rss_kb, b->rss_kb);
		break;
	case MEMATTR_SORT_ANON:
		c = cmp_u64_desc(a->anon_kb, b->anon_kb);
		break;
	case MEMATTR_SORT_GROWTH:
		c = a->growth_kb_per_hour > b->growth_kb_per_hour ? -1 :
		    a->growth_kb_per_hour < b->growth_kb_per_hour;
		break;
	case MEMATTR_SORT_ALLOCS:
		c = cmp_u64_desc(a->page_allocs, b->page_allocs);
		break;
	}
	if (c)
		return c;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

void memattr_procs_sort(struct memattr_proc *procs, size_t nr,
			enum memattr_proc_key key)
{
	sort_key = key;
	if (nr > 1)
		qsort(procs, nr, sizeof(*procs), proc_cmp);
}

/* ---- fetching ---- */

/* A doit's one reply, parsed into row by parse. */
struct one_reply {
	int (*parse)(const void *buf, size_t len, void *row);
	void *row;
	unsigned int n;
};

static int one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one_reply *r = data;

	if (r->n++)
		return -EPROTO;	/* a doit has one reply */
	return r->parse(nlh, nlh->nlmsg_len, r->row);
}

static int doit_get(struct memattr_ctx *ctx, struct nlmsghdr *nlh,
		    struct one_reply *r)
{
	int err;

	err = memattr_request(ctx, nlh, one_cb, r);
	if (err)
		return err;
	if (!r->n) {
		fprintf(ctx->err, "memattr: %s: the kernel sent no reply\n",
			ctx->cmd);
		return -EPROTO;
	}
	return 0;
}

static int proc_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_proc_parse(buf, len, row);
}

static int cgroup_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_cgroup_parse(buf, len, row);
}

static int system_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_system_parse(buf, len, row);
}

static int leak_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_leak_parse(buf, len, row);
}

static int oom_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_oom_parse(buf, len, row);
}

static int config_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_config_parse(buf, len, row);
}

static int stats_parse_v(const void *buf, size_t len, void *row)
{
	return memattr_stats_parse(buf, len, row);
}

int memattr_proc_get(struct memattr_ctx *ctx, uint32_t pid,
		     struct memattr_proc *p)
{
	struct one_reply r = { .parse = proc_parse_v, .row = p };
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;
	int err;

	memset(p, 0, sizeof(*p));
	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	nlh = nl_msg_start(nl, MEMATTR_CMD_GET_PROC, 0);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, pid);
	err = doit_get(ctx, nlh, &r);
	if (err)
		memattr_proc_free(p);
	return err;
}

int memattr_system_get(struct memattr_ctx *ctx, struct memattr_system *sys)
{
	struct one_reply r = { .parse = system_parse_v, .row = sys };
	struct nl_ctx *nl;
	int err;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	return doit_get(ctx, nl_msg_start(nl, MEMATTR_CMD_GET_SYSTEM, 0), &r);
}

int memattr_config_get(struct memattr_ctx *ctx, struct memattr_config *cfg)
{
	struct one_reply r = { .parse = config_parse_v, .row = cfg };
	struct nl_ctx *nl;
	int err;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	return doit_get(ctx, nl_msg_start(nl, MEMATTR_CMD_GET_CONFIG, 0), &r);
}

int memattr_stats_get(struct memattr_ctx *ctx, struct memattr_stats *st)
{
	struct one_reply r = { .parse = stats_parse_v, .row = st };
	struct nl_ctx *nl;
	int err;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	return doit_get(ctx, nl_msg_start(nl, MEMATTR_CMD_GET_STATS, 0), &r);
}

/* A dump's rows, collected into a growing array. */
struct collect {
	int (*parse)(const void *buf, size_t len, void *row);
	void (*release)(void *row);	/* a row's own allocations, or NULL */
	size_t size;
	char *rows;
	size_t nr;
	size_t cap;
	bool intr;			/* NLM_F_DUMP_INTR seen */
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	size_t cap;
	char *p;
	int err;

	if (c->nr == c->cap) {
		cap = c->cap ? 2 * c->cap : 64;
		p = realloc(c->rows, cap * c->size);
		if (!p)
			return -ENOMEM;
		c->rows = p;
		c->cap = cap;
	}
	err = c->parse(nlh, nlh->nlmsg_len, c->rows + c->nr * c->size);
	if (err) {
		if (c->release)
			c->release(c->rows + c->nr * c->size);
		return err;
	}
	c->nr++;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		c->intr = true;
	return 0;
}

static void collect_free(struct collect *c)
{
	size_t i;

	for (i = 0; c->release && i < c->nr; i++)
		c->release(c->rows + i * c->size);
	free(c->rows);
	c->rows = NULL;
	c->nr = 0;
	c->cap = 0;
}

#define DUMP_TRIES	3

static int dump_collect(struct memattr_ctx *ctx, uint8_t cmd,
			struct collect *c, void **rows, size_t *nr)
{
	struct nl_ctx *nl;
	unsigned int i;
	int err;

	*rows = NULL;
	*nr = 0;
	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	for (i = 0; i < DUMP_TRIES; i++) {
		collect_free(c);
		c->intr = false;
		err = memattr_request(ctx, nl_msg_start(nl, cmd, NLM_F_DUMP),
				      collect_cb, c);
		if (err) {
			collect_free(c);
			return err;
		}
		if (!c->intr)
			break;
	}
	if (!c->nr)
		collect_free(c);
	*rows = c->rows;
	*nr = c->nr;
	return 0;
}

static void proc_release_v(void *row)
{
	memattr_proc_free(row);
}

static void oom_release_v(void *row)
{
	memattr_oom_free(row);
}

int memattr_procs_dump(struct memattr_ctx *ctx, struct memattr_proc **rows,
		       size_t *nr)
{
	struct collect c = {
		.parse = proc_parse_v,
		.release = proc_release_v,
		.size = sizeof(**rows),
	};

	return dump_collect(ctx, MEMATTR_CMD_GET_PROC, &c, (void **)rows, nr);
}

int memattr_cgroups_dump(struct memattr_ctx *ctx,
			 struct memattr_cgroup **rows, size_t *nr)
{
	struct collect c = {
		.parse = cgroup_parse_v,
		.release = NULL,
		.size = sizeof(**rows),
	};

	return dump_collect(ctx, MEMATTR_CMD_GET_CGROUP, &c, (void **)rows, nr);
}

int memattr_leaks_dump(struct memattr_ctx *ctx, struct memattr_leak **rows,
		       size_t *nr)
{
	struct collect c = {
		.parse = leak_parse_v,
		.release = NULL,
		.size = sizeof(**rows),
	};

	return dump_collect(ctx, MEMATTR_CMD_GET_LEAKS, &c, (void **)rows, nr);
}

int memattr_ooms_dump(struct memattr_ctx *ctx, struct memattr_oom **rows,
		      size_t *nr)
{
	struct collect c = {
		.parse = oom_parse_v,
		.release = oom_release_v,
		.size = sizeof(**rows),
	};

	return dump_collect(ctx, MEMATTR_CMD_GET_OOM, &c, (void **)rows, nr);
}

void memattr_ooms_free(struct memattr_oom *rows, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		memattr_oom_free(&rows[i]);
	free(rows);
}

/* ---- printing ---- */

#define HAS(obj, attr)	((obj)->present & MEMATTR_BIT(attr))

static void pr_u64_if(struct pr *pr, const char *key, bool has, uint64_t v)
{
	if (has)
		pr_u64(pr, key, v);
	else
		pr_null(pr, key);
}

static void pr_s64_if(struct pr *pr, const char *key, bool has, int64_t v)
{
	if (has)
		pr_s64(pr, key, v);
	else
		pr_null(pr, key);
}

static void pr_str_if(struct pr *pr, const char *key, bool has,
		      const char *v)
{
	pr_str(pr, key, has ? v : NULL);
}

void memattr_points_print(struct pr *pr, const char *key,
			  const struct memattr_point *pts, size_t nr)
{
	size_t i;

	pr_arr_open(pr, key);
	for (i = 0; i < nr; i++) {
		pr_arr_open(pr, NULL);
		pr_u64(pr, NULL, pts[i].t_ms);
		pr_u64(pr, NULL, pts[i].kb);
		pr_arr_close(pr);
	}
	pr_arr_close(pr);
}

void memattr_proc_print(struct pr *pr, const char *key,
			const struct memattr_proc *p, unsigned int flags)
{
	bool brief = (flags & MEMATTR_PF_BRIEF) && !pr_is_json(pr);

	pr_obj_open(pr, key);
	pr_u64(pr, "pid", p->pid);
	pr_str_if(pr, "comm", HAS(p, MEMATTR_A_PROC_COMM), p->comm);
	if (!brief)
		pr_str_if(pr, "cgroup", HAS(p, MEMATTR_A_PROC_CGROUP_PATH),
			  p->cgroup);
	pr_u64_if(pr, "rss_kb", HAS(p, MEMATTR_A_PROC_RSS_KB), p->rss_kb);
	pr_u64_if(pr, "anon_kb", HAS(p, MEMATTR_A_PROC_ANON_KB), p->anon_kb);
	pr_u64_if(pr, "file_kb", HAS(p, MEMATTR_A_PROC_FILE_KB), p->file_kb);
	pr_u64_if(pr, "shmem_kb", HAS(p, MEMATTR_A_PROC_SHMEM_KB),
		  p->shmem_kb);
	pr_u64_if(pr, "swap_kb", HAS(p, MEMATTR_A_PROC_SWAP_KB), p->swap_kb);
	if (!brief) {
		pr_u64_if(pr, "peak_rss_kb", HAS(p, MEMATTR_A_PROC_PEAK_RSS_KB),
			  p->peak_rss_kb);
		pr_u64_if(pr, "vm_kb", HAS(p, MEMATTR_A_PROC_VM_KB), p->vm_kb);
		pr_u64_if(pr, "pgtables_kb", HAS(p, MEMATTR_A_PROC_PGTABLES_KB),
			  p->pgtables_kb);
	}
	pr_u64_if(pr, "page_allocs", HAS(p, MEMATTR_A_PROC_PAGE_ALLOCS),
		  p->page_allocs);
	if (!brief) {
		pr_u64_if(pr, "page_frees", HAS(p, MEMATTR_A_PROC_PAGE_FREES),
			  p->page_frees);
		pr_u64_if(pr, "mmap_calls", HAS(p, MEMATTR_A_PROC_MMAP_CALLS),
			  p->mmap_calls);
		pr_u64_if(pr, "munmap_calls",
			  HAS(p, MEMATTR_A_PROC_MUNMAP_CALLS), p->munmap_calls);
		pr_u64_if(pr, "brk_calls", HAS(p, MEMATTR_A_PROC_BRK_CALLS),
			  p->brk_calls);
		pr_s64_if(pr, "mapped_kb", HAS(p, MEMATTR_A_PROC_MAPPED_BYTES),
			  p->mapped_bytes / 1024);
	}
	pr_s64_if(pr, "growth_kb_per_hour",
		  HAS(p, MEMATTR_A_PROC_GROWTH_KB_PER_HOUR),
		  p->growth_kb_per_hour);
	pr_str_if(pr, "leak", HAS(p, MEMATTR_A_PROC_LEAK_STATE),
		  memattr_leak_state_name(p->leak_state));
	if (!brief)
		pr_s64_if(pr, "exhaust_s",
			  HAS(p, MEMATTR_A_PROC_EXHAUST_S) && p->exhaust_s >= 0,
			  p->exhaust_s);
	if (brief) {
		pr_str_if(pr, "cgroup", HAS(p, MEMATTR_A_PROC_CGROUP_PATH),
			  p->cgroup);
	} else {
		pr_u64_if(pr, "mremap_calls",
			  HAS(p, MEMATTR_A_PROC_MREMAP_CALLS), p->mremap_calls);
		pr_u64_if(pr, "start_ms", HAS(p, MEMATTR_A_PROC_START_MS),
			  p->start_ms);
		pr_u64_if(pr, "cgroup_id", HAS(p, MEMATTR_A_PROC_CGROUP_ID),
			  p->cgroup_id);
		pr_u64_if(pr, "leak_since_ms",
			  HAS(p, MEMATTR_A_PROC_LEAK_SINCE_MS),
			  p->leak_since_ms);
	}
	if (flags & MEMATTR_PF_HISTORY)
		memattr_points_print(pr, "history", p->history, p->nr_history);
	if (!(flags & MEMATTR_PF_OPEN))
		pr_obj_close(pr);
}

void memattr_cgroup_print(struct pr *pr, const char *key,
			  const struct memattr_cgroup *cg, unsigned int flags)
{
	bool brief = (flags & MEMATTR_PF_BRIEF) && !pr_is_json(pr);

	pr_obj_open(pr, key);
	if (!brief)
		pr_u64(pr, "id", cg->id);
	pr_str_if(pr, "path", HAS(cg, MEMATTR_A_CGROUP_PATH), cg->path);
	pr_u64_if(pr, "nr_procs", HAS(cg, MEMATTR_A_CGROUP_NR_PROCS),
		  cg->nr_procs);
	pr_u64_if(pr, "usage_kb", HAS(cg, MEMATTR_A_CGROUP_USAGE_KB),
		  cg->usage_kb);
	pr_u64_if(pr, "anon_kb", HAS(cg, MEMATTR_A_CGROUP_ANON_KB),
		  cg->anon_kb);
	pr_u64_if(pr, "file_kb", HAS(cg, MEMATTR_A_CGROUP_FILE_KB),
		  cg->file_kb);
	pr_u64_if(pr, "shmem_kb", HAS(cg, MEMATTR_A_CGROUP_SHMEM_KB),
		  cg->shmem_kb);
	pr_u64_if(pr, "kernel_kb", HAS(cg, MEMATTR_A_CGROUP_KERNEL_KB),
		  cg->kernel_kb);
	pr_u64_if(pr, "limit_kb", HAS(cg, MEMATTR_A_CGROUP_LIMIT_KB),
		  cg->limit_kb);
	pr_s64_if(pr, "growth_kb_per_hour",
		  HAS(cg, MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR),
		  cg->growth_kb_per_hour);
	pr_str_if(pr, "leak", HAS(cg, MEMATTR_A_CGROUP_LEAK_STATE),
		  memattr_leak_state_name(cg->leak_state));
	pr_s64_if(pr, "exhaust_s",
		  HAS(cg, MEMATTR_A_CGROUP_EXHAUST_S) && cg->exhaust_s >= 0,
		  cg->exhaust_s);
	if (!brief) {
		pr_u64_if(pr, "procs_rss_kb",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_RSS_KB),
			  cg->procs_rss_kb);
		pr_u64_if(pr, "procs_anon_kb",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_ANON_KB),
			  cg->procs_anon_kb);
		pr_u64_if(pr, "procs_shmem_kb",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_SHMEM_KB),
			  cg->procs_shmem_kb);
		pr_u64_if(pr, "procs_swap_kb",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_SWAP_KB),
			  cg->procs_swap_kb);
		pr_u64_if(pr, "procs_page_allocs",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS),
			  cg->procs_page_allocs);
		pr_u64_if(pr, "procs_page_frees",
			  HAS(cg, MEMATTR_A_CGROUP_PROCS_PAGE_FREES),
			  cg->procs_page_frees);
		pr_u64_if(pr, "leak_since_ms",
			  HAS(cg, MEMATTR_A_CGROUP_LEAK_SINCE_MS),
			  cg->leak_since_ms);
	}
	pr_obj_close(pr);
}

void memattr_leak_print(struct pr *pr, const char *key,
			const struct memattr_leak *l, uint64_t now_ms)
{
	bool has_since = HAS(l, MEMATTR_A_LEAK_SINCE_MS);

	pr_obj_open(pr, key);
	pr_str(pr, "kind", memattr_entity_name(l->entity));
	if (l->entity == MEMATTR_ENTITY_CGROUP) {
		pr_str_if(pr, "path", HAS(l, MEMATTR_A_LEAK_CGROUP_PATH),
			  l->cgroup);
	} else {
		pr_u64_if(pr, "pid", HAS(l, MEMATTR_A_LEAK_PID), l->pid);
		pr_str_if(pr, "comm", HAS(l, MEMATTR_A_LEAK_COMM), l->comm);
	}
	pr_s64_if(pr, "growth_kb_per_hour",
		  HAS(l, MEMATTR_A_LEAK_GROWTH_KB_PER_HOUR),
		  l->growth_kb_per_hour);
	pr_str_if(pr, "state", HAS(l, MEMATTR_A_LEAK_STATE),
		  memattr_leak_state_name(l->state));
	pr_u64_if(pr, "since_s", has_since,
		  now_ms > l->since_ms ? (now_ms - l->since_ms) / 1000 : 0);
	pr_s64_if(pr, "exhaust_s",
		  HAS(l, MEMATTR_A_LEAK_EXHAUST_S) && l->exhaust_s >= 0,
		  l->exhaust_s);
	if (l->entity != MEMATTR_ENTITY_CGROUP)
		pr_str_if(pr, "cgroup", HAS(l, MEMATTR_A_LEAK_CGROUP_PATH),
			  l->cgroup);
	pr_u64_if(pr, "cgroup_id", HAS(l, MEMATTR_A_LEAK_CGROUP_ID),
		  l->cgroup_id);
	pr_u64_if(pr, "since_ms", has_since, l->since_ms);
	pr_obj_close(pr);
}

void memattr_system_print(struct pr *pr, const char *key,
			  const struct memattr_system *s)
{
	pr_obj_open(pr, key);
	pr_u64_if(pr, "mem_total_kb", HAS(s, MEMATTR_A_SYSTEM_MEM_TOTAL_KB),
		  s->mem_total_kb);
	pr_u64_if(pr, "mem_free_kb", HAS(s, MEMATTR_A_SYSTEM_MEM_FREE_KB),
		  s->mem_free_kb);
	pr_u64_if(pr, "mem_available_kb",
		  HAS(s, MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB),
		  s->mem_available_kb);
	pr_u64_if(pr, "used_pct", HAS(s, MEMATTR_A_SYSTEM_USED_PCT),
		  s->used_pct);
	pr_s64_if(pr, "growth_kb_per_hour",
		  HAS(s, MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR),
		  s->growth_kb_per_hour);
	pr_s64_if(pr, "exhaust_s",
		  HAS(s, MEMATTR_A_SYSTEM_EXHAUST_S) && s->exhaust_s >= 0,
		  s->exhaust_s);
	pr_u64_if(pr, "watermark_level",
		  HAS(s, MEMATTR_A_SYSTEM_WATERMARK_LEVEL), s->watermark_level);
	pr_u64_if(pr, "sampled_ms", HAS(s, MEMATTR_A_SYSTEM_SAMPLED_MS),
		  s->sampled_ms);
	pr_obj_close(pr);
}

void memattr_oom_print(struct pr *pr, const char *key,
		       const struct memattr_oom *o)
{
	size_t i;

	pr_obj_open(pr, key);
	pr_u64_if(pr, "time_ms", HAS(o, MEMATTR_A_OOM_TIME_MS), o->time_ms);
	pr_u64(pr, "pid", o->pid);
	pr_str_if(pr, "comm", HAS(o, MEMATTR_A_OOM_COMM), o->comm);
	pr_str_if(pr, "cgroup", HAS(o, MEMATTR_A_OOM_CGROUP_PATH), o->cgroup);
	pr_u64_if(pr, "rss_kb", HAS(o, MEMATTR_A_OOM_RSS_KB), o->rss_kb);
	memattr_points_print(pr, "history", o->history, o->nr_history);
	pr_arr_open(pr, "top_growers");
	for (i = 0; i < o->nr_top; i++) {
		pr_obj_open(pr, NULL);
		pr_u64(pr, "pid", o->top[i].pid);
		pr_str(pr, "comm", o->top[i].comm);
		pr_s64(pr, "growth_kb_per_hour", o->top[i].growth_kb_per_hour);
		pr_u64(pr, "rss_kb", o->top[i].rss_kb);
		pr_obj_close(pr);
	}
	pr_arr_close(pr);
	pr_obj_close(pr);
}

void memattr_config_print(struct pr *pr, const char *key,
			  const struct memattr_config *cfg)
{
	pr_obj_open(pr, key);
	pr_u64_if(pr, "sample_ms", HAS(cfg, MEMATTR_A_CONFIG_SAMPLE_MS),
		  cfg->sample_ms);
	pr_u64_if(pr, "max_procs", HAS(cfg, MEMATTR_A_CONFIG_MAX_PROCS),
		  cfg->max_procs);
	pr_u64_if(pr, "leak_window_s", HAS(cfg, MEMATTR_A_CONFIG_LEAK_WINDOW_S),
		  cfg->leak_window_s);
	pr_u64_if(pr, "leak_min_kb_per_hour",
		  HAS(cfg, MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR),
		  cfg->leak_min_kb_per_hour);
	pr_str_if(pr, "watermarks", HAS(cfg, MEMATTR_A_CONFIG_WATERMARKS),
		  cfg->watermarks);
	pr_u64_if(pr, "log_events", HAS(cfg, MEMATTR_A_CONFIG_LOG_EVENTS),
		  cfg->log_events);
	pr_obj_close(pr);
}

/* Attributes the module did not send are left out, in text and JSON. */
void memattr_stats_print(struct pr *pr, const struct memattr_stats *st)
{
	static const struct {
		uint16_t attr;
		const char *key;
	} names[] = {
		{ MEMATTR_A_STATS_MODULE_VERSION, "module_version" },
		{ MEMATTR_A_STATS_SAMPLE_MS, "sample_ms" },
		{ MEMATTR_A_STATS_OWN_MEM_BYTES, "own_mem_bytes" },
		{ MEMATTR_A_STATS_TRACKED_PROCS, "tracked_procs" },
		{ MEMATTR_A_STATS_MAX_PROCS, "max_procs" },
		{ MEMATTR_A_STATS_TRACKED_CGROUPS, "tracked_cgroups" },
		{ MEMATTR_A_STATS_PROCS_CREATED, "procs_created" },
		{ MEMATTR_A_STATS_PROCS_REMOVED, "procs_removed" },
		{ MEMATTR_A_STATS_PROCS_DROPPED, "procs_dropped" },
		{ MEMATTR_A_STATS_PROCS_REAPED, "procs_reaped" },
		{ MEMATTR_A_STATS_EXITED_TOTAL, "exited_total" },
		{ MEMATTR_A_STATS_SAMPLES, "samples" },
		{ MEMATTR_A_STATS_SAMPLE_LAST_NS, "sample_last_ns" },
		{ MEMATTR_A_STATS_SAMPLE_MAX_NS, "sample_max_ns" },
		{ MEMATTR_A_STATS_IRQ_PAGES, "irq_pages" },
		{ MEMATTR_A_STATS_KTHREAD_PAGES, "kthread_pages" },
		{ MEMATTR_A_STATS_UNTRACKED_PAGES, "untracked_pages" },
		{ MEMATTR_A_STATS_KLOG_LINES, "klog_lines" },
		{ MEMATTR_A_STATS_KLOG_SUPPRESSED, "klog_suppressed" },
	};
	const struct memattr_hook *h;
	uint64_t v = 0;
	size_t i, k;

	pr_obj_open(pr, NULL);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!HAS(st, names[i].attr))
			continue;
		if (names[i].attr == MEMATTR_A_STATS_MODULE_VERSION) {
			pr_str(pr, names[i].key, st->module_version);
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(stats_fields); k++) {
			if (stats_fields[k].attr != names[i].attr)
				continue;
			if (stats_fields[k].kind == F_U32)
				v = *(const uint32_t *)((const char *)st +
							stats_fields[k].off);
			else
				v = *(const uint64_t *)((const char *)st +
							stats_fields[k].off);
		}
		pr_u64(pr, names[i].key, v);
	}
	if (HAS(st, MEMATTR_A_STATS_HOOKS)) {
		pr_arr_open(pr, "hooks");
		for (i = 0; i < st->nr_hooks; i++) {
			h = &st->hooks[i];
			pr_obj_open(pr, NULL);
			pr_str_if(pr, "name", HAS(h, MEMATTR_A_HOOK_NAME),
				  h->name);
			pr_str_if(pr, "kind", HAS(h, MEMATTR_A_HOOK_KIND),
				  h->kind);
			pr_str_if(pr, "target", HAS(h, MEMATTR_A_HOOK_TARGET),
				  h->target);
			pr_u64_if(pr, "hits", HAS(h, MEMATTR_A_HOOK_HITS),
				  h->hits);
			pr_u64_if(pr, "misses", HAS(h, MEMATTR_A_HOOK_MISSES),
				  h->misses);
			pr_obj_close(pr);
		}
		pr_arr_close(pr);
	}
	pr_obj_close(pr);
}
