// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr profile: where a process grows. Starts a growth-site profile
 * (MEMATTR_CMD_PROFILE_START), waits, dumps it (MEMATTR_CMD_GET_PROFILE),
 * stops it (MEMATTR_CMD_PROFILE_STOP), symbolizes the stacks on the
 * target (symbolize.h) and writes them as a gzipped pprof profile.proto,
 * folded stacks, or the top sites as text (pprof.h). "profile start" and
 * "profile stop" do one step each, for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"
#include "pprof.h"
#include "query.h"
#include "symbolize.h"

#define PROFILE_DEFAULT_S	30
#define PROFILE_MAX_S		86400
#define PROFILE_EVERY_MAX	65536
#define PROFILE_TOP		20

/* ---- the dump (pure) ---- */

static const enum mnl_attr_data_type profile_policy[MEMATTR_A_PROFILE_MAX + 1] = {
	[MEMATTR_A_PROFILE_PID]			= MNL_TYPE_U32,
	[MEMATTR_A_PROFILE_SAMPLE_EVERY]	= MNL_TYPE_U32,
	[MEMATTR_A_PROFILE_START_MS]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_AUTO]		= MNL_TYPE_U8,
	[MEMATTR_A_PROFILE_PAGE_SIZE]		= MNL_TYPE_U32,
	[MEMATTR_A_PROFILE_PAGES]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_SAMPLES]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_THROTTLED_PAGES]	= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_OTHER_PAGES]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_MAP_CALLS]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_MAP_BYTES]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_INUSE_PAGES]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_INUSE_LOST]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_WALK_ERRORS]		= MNL_TYPE_U64,
	[MEMATTR_A_PROFILE_STACKS]		= MNL_TYPE_NESTED,
	[MEMATTR_A_PROFILE_NR_STACKS]		= MNL_TYPE_U32,
	[MEMATTR_A_PROFILE_MAX_STACKS]		= MNL_TYPE_U32,
	[MEMATTR_A_PROFILE_MEM_BYTES]		= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type stack_policy[MEMATTR_A_STACK_MAX + 1] = {
	[MEMATTR_A_STACK_BUCKET]	= MNL_TYPE_U8,
	[MEMATTR_A_STACK_FRAMES]	= MNL_TYPE_BINARY,
	[MEMATTR_A_STACK_PAGES]		= MNL_TYPE_U64,
	[MEMATTR_A_STACK_SAMPLES]	= MNL_TYPE_U64,
	[MEMATTR_A_STACK_MAP_CALLS]	= MNL_TYPE_U64,
	[MEMATTR_A_STACK_MAP_BYTES]	= MNL_TYPE_U64,
	[MEMATTR_A_STACK_INUSE_PAGES]	= MNL_TYPE_U64,
};

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

static int stack_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[MEMATTR_A_STACK_MAX + 1];
	struct memattr_profile *pf = data;
	struct memattr_pstack *s;
	const struct nlattr *fr;
	size_t cap;
	int err;

	if (mnl_attr_get_type(attr) != MEMATTR_A_LIST_ITEM)
		return 0;	/* not an element: a newer module's */
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	err = nl_nested_parse(attr, stack_policy, MEMATTR_A_STACK_MAX, tb);
	if (err)
		return err;
	if (pf->nr_stacks == pf->cap_stacks) {
		if (pf->cap_stacks >= MEMATTR_PROFILE_STACKS_MAX)
			return -EBADMSG;
		cap = pf->cap_stacks ? 2 * pf->cap_stacks : 64;
		s = realloc(pf->stacks, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		pf->stacks = s;
		pf->cap_stacks = cap;
	}
	s = &pf->stacks[pf->nr_stacks];
	memset(s, 0, sizeof(*s));
	s->bucket = tb[MEMATTR_A_STACK_BUCKET] ?
		    mnl_attr_get_u8(tb[MEMATTR_A_STACK_BUCKET]) :
		    MEMATTR_STACK_FRAMES;
	fr = tb[MEMATTR_A_STACK_FRAMES];
	if (fr) {
		uint16_t n = mnl_attr_get_payload_len(fr);

		if (!n || n % sizeof(uint64_t) ||
		    n / sizeof(uint64_t) > MEMATTR_PROFILE_MAX_DEPTH)
			return -EBADMSG;
		s->depth = n / sizeof(uint64_t);
		/* the payload is only 4-byte aligned */
		memcpy(s->frames, mnl_attr_get_payload(fr), n);
	}
	if (s->bucket == MEMATTR_STACK_FRAMES && !s->depth)
		return -EBADMSG;
	s->pages = get_u64(tb[MEMATTR_A_STACK_PAGES]);
	s->samples = get_u64(tb[MEMATTR_A_STACK_SAMPLES]);
	s->map_calls = get_u64(tb[MEMATTR_A_STACK_MAP_CALLS]);
	s->map_bytes = get_u64(tb[MEMATTR_A_STACK_MAP_BYTES]);
	s->inuse_pages = get_u64(tb[MEMATTR_A_STACK_INUSE_PAGES]);
	pf->nr_stacks++;
	return 0;
}

int memattr_profile_parse(const void *buf, size_t len,
			  struct memattr_profile *pf)
{
	const struct nlattr *tb[MEMATTR_A_PROFILE_MAX + 1];
	static const struct {
		uint16_t attr;
		size_t off;
	} u64s[] = {
#define P64(a, m) { a, offsetof(struct memattr_profile, m) }
		P64(MEMATTR_A_PROFILE_START_MS, start_ms),
		P64(MEMATTR_A_PROFILE_PAGES, pages),
		P64(MEMATTR_A_PROFILE_SAMPLES, samples),
		P64(MEMATTR_A_PROFILE_THROTTLED_PAGES, throttled_pages),
		P64(MEMATTR_A_PROFILE_OTHER_PAGES, other_pages),
		P64(MEMATTR_A_PROFILE_MAP_CALLS, map_calls),
		P64(MEMATTR_A_PROFILE_MAP_BYTES, map_bytes),
		P64(MEMATTR_A_PROFILE_INUSE_PAGES, inuse_pages),
		P64(MEMATTR_A_PROFILE_INUSE_LOST, inuse_lost),
		P64(MEMATTR_A_PROFILE_WALK_ERRORS, walk_errors),
		P64(MEMATTR_A_PROFILE_MEM_BYTES, mem_bytes),
#undef P64
	};
	static const uint16_t small[] = {
		MEMATTR_A_PROFILE_SAMPLE_EVERY, MEMATTR_A_PROFILE_PAGE_SIZE,
		MEMATTR_A_PROFILE_NR_STACKS, MEMATTR_A_PROFILE_MAX_STACKS,
		MEMATTR_A_PROFILE_AUTO,
	};
	size_t i;
	int err;

	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_PROFILE, profile_policy,
			    MEMATTR_A_PROFILE_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_PROFILE_PID])
		return -EBADMSG;
	if (pf->present & MEMATTR_BIT(MEMATTR_A_PROFILE_PID) &&
	    pf->pid != mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_PID]))
		return -EBADMSG;	/* another process's */
	pf->pid = mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_PID]);
	pf->present |= MEMATTR_BIT(MEMATTR_A_PROFILE_PID);
	for (i = 0; i < ARRAY_SIZE(u64s); i++) {
		if (!tb[u64s[i].attr])
			continue;
		*(uint64_t *)((char *)pf + u64s[i].off) =
			mnl_attr_get_u64(tb[u64s[i].attr]);
		pf->present |= MEMATTR_BIT(u64s[i].attr);
	}
	if (tb[MEMATTR_A_PROFILE_SAMPLE_EVERY])
		pf->sample_every =
			mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_SAMPLE_EVERY]);
	if (tb[MEMATTR_A_PROFILE_PAGE_SIZE])
		pf->page_size = mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_PAGE_SIZE]);
	if (tb[MEMATTR_A_PROFILE_NR_STACKS])
		pf->nr_stacks_held =
			mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_NR_STACKS]);
	if (tb[MEMATTR_A_PROFILE_MAX_STACKS])
		pf->max_stacks = mnl_attr_get_u32(tb[MEMATTR_A_PROFILE_MAX_STACKS]);
	if (tb[MEMATTR_A_PROFILE_AUTO])
		pf->auto_started = mnl_attr_get_u8(tb[MEMATTR_A_PROFILE_AUTO]);
	for (i = 0; i < ARRAY_SIZE(small); i++)
		if (tb[small[i]])
			pf->present |= MEMATTR_BIT(small[i]);
	if (tb[MEMATTR_A_PROFILE_STACKS]) {
		err = nl_nested_walk(tb[MEMATTR_A_PROFILE_STACKS], stack_cb, pf);
		if (err)
			return err;
		pf->present |= MEMATTR_BIT(MEMATTR_A_PROFILE_STACKS);
	}
	return 0;
}

void memattr_profile_free(struct memattr_profile *pf)
{
	free(pf->stacks);
	memset(pf, 0, sizeof(*pf));
}

static const char *const type_names[] = {
	[MEMATTR_PT_PAGES]	= "pages",
	[MEMATTR_PT_SPACE]	= "space",
	[MEMATTR_PT_INUSE]	= "inuse",
	[MEMATTR_PT_MAP]	= "map",
};

int memattr_profile_type_parse(const char *s, enum memattr_profile_type *t)
{
	int i = name_index(type_names, ARRAY_SIZE(type_names), s);

	if (i < 0)
		return -EINVAL;
	*t = (enum memattr_profile_type)i;
	return 0;
}

static const char *bucket_name(uint8_t bucket)
{
	switch (bucket) {
	case MEMATTR_STACK_THROTTLED:
		return "[throttled]";
	case MEMATTR_STACK_OTHER:
		return "[other]";
	}
	return "[unknown]";
}

int memattr_profile_to_pprof(const struct memattr_profile *pf,
			     enum memattr_profile_type def,
			     struct pprof_profile *p, int *ti)
{
	int64_t page = pf->page_size ? pf->page_size : 4096;
	int idx[ARRAY_SIZE(type_names)];
	size_t i, k;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(idx); i++)
		idx[i] = -1;
	/*
	 * in-use and map types when the module reports them; inuse_space
	 * before space: pprof's -sample_index=inuse_space takes the first
	 * type named either inuse_space or space (its legacy heap alias)
	 */
	idx[MEMATTR_PT_PAGES] = pprof_add_type(p, "pages", "count");
	if (pf->present & MEMATTR_BIT(MEMATTR_A_PROFILE_INUSE_PAGES))
		idx[MEMATTR_PT_INUSE] = pprof_add_type(p, "inuse_space",
						       "bytes");
	idx[MEMATTR_PT_SPACE] = pprof_add_type(p, "space", "bytes");
	if (pf->present & MEMATTR_BIT(MEMATTR_A_PROFILE_MAP_CALLS))
		idx[MEMATTR_PT_MAP] = pprof_add_type(p, "map_space", "bytes");
	if (idx[def] < 0)
		return -ENOENT;
	p->default_type = idx[def];
	*ti = idx[def];
	p->period_type = (struct pprof_type){ "space", "bytes" };
	p->period = page * (pf->sample_every ? pf->sample_every : 1);
	for (k = 0; k < pf->nr_stacks && !err; k++) {
		const struct memattr_pstack *s = &pf->stacks[k];
		int64_t v[PPROF_MAX_TYPES] = { 0 };

		v[idx[MEMATTR_PT_PAGES]] = s->pages;
		v[idx[MEMATTR_PT_SPACE]] = s->pages * page;
		if (idx[MEMATTR_PT_INUSE] >= 0)
			v[idx[MEMATTR_PT_INUSE]] = s->inuse_pages * page;
		if (idx[MEMATTR_PT_MAP] >= 0)
			v[idx[MEMATTR_PT_MAP]] = s->map_bytes;
		if (s->depth)
			err = pprof_add_stack(p, s->frames, s->depth, v);
		else
			err = pprof_add_pseudo(p, bucket_name(s->bucket), v);
	}
	return err;
}

/* ---- arguments ---- */

enum profile_action {
	PROFILE_RUN,		/* start, wait, dump, stop */
	PROFILE_START,
	PROFILE_STOP,
};

struct profile_args {
	enum profile_action action;
	uint64_t pid;
	uint64_t duration_ms;
	const char *output;		/* -o FILE, or NULL */
	bool folded;
	bool keep;
	uint64_t every;			/* 0: the module's profile_every */
	enum memattr_profile_type type;
};

/* "memattr: profile: MSG[, not 'ARG']; try ...": a usage error */
static int profile_usage_err(FILE *err, const char *msg, const char *arg)
{
	fprintf(err, "memattr: profile: %s", msg);
	if (arg)
		fprintf(err, ", not '%s'", arg);
	fprintf(err, "; try 'memattr profile help'\n");
	return -EINVAL;
}

static int profile_parse(int argc, char **argv, void *data, FILE *err)
{
	static const struct option opts[] = {
		{ "duration",	required_argument,	NULL,	'd' },
		{ "output",	required_argument,	NULL,	'o' },
		{ "every",	required_argument,	NULL,	'n' },
		{ "type",	required_argument,	NULL,	't' },
		{ "folded",	no_argument,		NULL,	'F' },
		{ "keep",	no_argument,		NULL,	'k' },
		{ NULL,		0,			NULL,	0 },
	};
	struct profile_args *a = data;
	int c, ret = 0, i, npos = 0;
	const char *pos[3], *bad;
	bool dur = false;
	char **av;

	a->duration_ms = PROFILE_DEFAULT_S * 1000;
	a->type = MEMATTR_PT_SPACE;
	av = memattr_cmd_argv("profile", argc, argv, err);
	if (!av)
		return -ENOMEM;
	optind = 0;
	opterr = 0;
	/* options may follow the PID: memattr profile PID -d 5 -o f.pb.gz */
	while (!ret && (c = getopt_long(argc + 1, av, "d:o:n:t:k", opts, NULL)) != -1) {
		bad = NULL;
		switch (c) {
		case 'd':
			dur = true;
			bad = "-d wants seconds, 0 to 86400 (fractions allowed)";
			if (!query_parse_seconds(optarg, 0, PROFILE_MAX_S * 1000ULL,
						 &a->duration_ms))
				bad = NULL;
			break;
		case 'o':
			if (!*optarg)
				bad = "-o wants a file name";
			a->output = optarg;
			break;
		case 'n':
			bad = "-n wants one page in N, N from 1 to 65536";
			if (!query_parse_u64(optarg, 1, PROFILE_EVERY_MAX,
					     &a->every))
				bad = NULL;
			break;
		case 't':
			bad = "--type is one of pages, space, inuse, map";
			if (!memattr_profile_type_parse(optarg, &a->type))
				bad = NULL;
			break;
		case 'F':
			a->folded = true;
			break;
		case 'k':
			a->keep = true;
			break;
		default:
			if (optopt && strchr("dont", optopt))
				fprintf(err,
					"memattr: profile: option '-%c' needs a value; try 'memattr profile help'\n",
					optopt);
			else if (!strncmp(av[optind - 1], "--", 2))
				fprintf(err,
					"memattr: profile: invalid option '%s'; try 'memattr profile help'\n",
					av[optind - 1]);
			else
				fprintf(err,
					"memattr: profile: invalid option '-%c'; try 'memattr profile help'\n",
					optopt);
			ret = -EINVAL;
		}
		if (bad)
			ret = profile_usage_err(err, bad, *optarg ? optarg : NULL);
	}
	for (i = optind; !ret && i < argc + 1; i++) {
		if (npos == (int)ARRAY_SIZE(pos))
			ret = profile_usage_err(err, "unexpected argument",
						av[i]);
		else
			pos[npos++] = av[i];
	}
	if (!ret && npos && (!strcmp(pos[0], "start") ||
			     !strcmp(pos[0], "stop"))) {
		a->action = !strcmp(pos[0], "start") ? PROFILE_START :
						       PROFILE_STOP;
		npos--;
		memmove(pos, pos + 1, npos * sizeof(*pos));
	}
	if (!ret && !npos)
		ret = profile_usage_err(err, "missing PID", NULL);
	if (!ret && npos > 1)
		ret = profile_usage_err(err, "unexpected argument", pos[1]);
	if (!ret && query_parse_u64(pos[0], 1, MEMATTR_PID_MAX, &a->pid)) {
		fprintf(err,
			"memattr: profile: bad PID '%s' (a number from 1 to %d); try 'memattr profile help'\n",
			pos[0], MEMATTR_PID_MAX);
		ret = -EINVAL;
	}
	/* start and stop take no output options; stop takes no -n either */
	if (!ret && a->action != PROFILE_RUN &&
	    (dur || a->output || a->folded || a->keep ||
	     a->type != MEMATTR_PT_SPACE ||
	     (a->action == PROFILE_STOP && a->every)))
		ret = profile_usage_err(err, a->action == PROFILE_START ?
					"profile start takes a PID and -n only" :
					"profile stop takes a PID only", NULL);
	free(av);
	return ret;
}

/* ---- running ---- */

/* quiet: -EEXIST is returned without a word (the caller uses that one) */
static int profile_start(struct memattr_ctx *ctx, const struct profile_args *a,
			 bool quiet)
{
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;
	int err;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	nlh = nl_msg_start(nl, MEMATTR_CMD_PROFILE_START, 0);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PID, (uint32_t)a->pid);
	if (a->every)
		mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_SAMPLE_EVERY,
				 (uint32_t)a->every);
	ctx->quiet_err = quiet ? -EEXIST : 0;
	err = memattr_request(ctx, nlh, NULL, NULL);
	ctx->quiet_err = 0;
	if (err == -ENOENT)
		fprintf(ctx->err,
			"memattr: profile: process %" PRIu64 " is not tracked "
			"(no such process, a kernel thread, or not in this pid namespace)\n",
			a->pid);
	else if (err == -ENOSPC)
		fprintf(ctx->err,
			"memattr: profile: no room for another profile: profile_max processes are profiled already, or profile_max is 0 (profiling off)\n");
	else if (err == -EEXIST && !quiet)
		fprintf(ctx->err,
			"memattr: profile: process %" PRIu64 " is profiled already\n",
			a->pid);
	return err;
}

struct dump {
	struct memattr_profile *pf;
	bool intr;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	return memattr_profile_parse(nlh, nlh->nlmsg_len, d->pf);
}

static int profile_dump(struct memattr_ctx *ctx, uint32_t pid,
			struct memattr_profile *pf)
{
	struct dump d = { .pf = pf };
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;
	int err, tries;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	for (tries = 0; tries < 3; tries++) {
		memattr_profile_free(pf);
		d.intr = false;
		nlh = nl_msg_start(nl, MEMATTR_CMD_GET_PROFILE, NLM_F_DUMP);
		mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PID, pid);
		err = memattr_request(ctx, nlh, dump_cb, &d);
		if (err || !d.intr)
			break;
	}
	if (!err && !(pf->present & MEMATTR_BIT(MEMATTR_A_PROFILE_PID))) {
		fprintf(ctx->err, "memattr: profile: the kernel sent no profile\n");
		err = -EPROTO;
	}
	return err;
}

static int profile_stop(struct memattr_ctx *ctx, uint32_t pid)
{
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;
	int err;

	err = memattr_nl(ctx, &nl);
	if (err)
		return err;
	nlh = nl_msg_start(nl, MEMATTR_CMD_PROFILE_STOP, 0);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PID, pid);
	return memattr_request(ctx, nlh, NULL, NULL);
}

/*
 * Wait up to ms, or until SIGINT/SIGTERM, or until the process exits
 * (pidfd, where the kernel has it). Returns 1 when the process exited.
 */
static int profile_wait(struct memattr_ctx *ctx, uint32_t pid, uint64_t ms)
{
	uint64_t end = memattr_now_ms() + ms, now;
	struct pollfd pfd[2];
	sigset_t mask;
	int sfd, pidfd, n = 0, gone = 0;

	/* blocked by profile_run() since before the start */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd >= 0)
		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
#ifdef SYS_pidfd_open
	pidfd = syscall(SYS_pidfd_open, pid, 0);
#else
	pidfd = -1;
#endif
	if (pidfd >= 0)
		pfd[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	while ((now = memattr_now_ms()) < end) {
		uint64_t left = end - now;
		int r = poll(pfd, n, left > 1000 ? 1000 : (int)left);

		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (sfd >= 0 && pfd[0].revents) {
			fprintf(ctx->err,
				"memattr: profile: interrupted: writing what was profiled so far\n");
			break;
		}
		if (pidfd >= 0 && pfd[n - 1].revents) {
			gone = 1;
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	if (sfd >= 0)
		close(sfd);
	return gone;
}

/*
 * SIGINT and SIGTERM wait from before the start to after the stop, so a
 * profile this run starts is always stopped; a pending one is delivered
 * as the run ends.
 */
static void profile_block(int how)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(how, &mask, NULL);
}

static void profile_print_summary(struct memattr_ctx *ctx,
				  const struct memattr_profile *pf,
				  const struct profile_args *a, bool started,
				  uint64_t now_ms)
{
	struct pr *pr = ctx->pr;
	uint64_t page = pf->page_size ? pf->page_size : 4096;

	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", pf->pid);
	pr_bool(pr, "started", started);
	pr_bool(pr, "auto", pf->auto_started);
	pr_bool(pr, "stopped", started && !a->keep);
	pr_u64(pr, "sample_every", pf->sample_every);
	if (pf->start_ms && now_ms >= pf->start_ms)
		pr_u64(pr, "duration_ms", now_ms - pf->start_ms);
	pr_u64(pr, "page_size", page);
	pr_u64(pr, "pages", pf->pages);
	pr_u64(pr, "space_kb", pf->pages * page / 1024);
	pr_u64(pr, "samples", pf->samples);
	pr_u64(pr, "throttled_pages", pf->throttled_pages);
	pr_u64(pr, "other_pages", pf->other_pages);
	pr_u64(pr, "inuse_pages", pf->inuse_pages);
	pr_u64(pr, "inuse_lost", pf->inuse_lost);
	pr_u64(pr, "map_calls", pf->map_calls);
	pr_u64(pr, "map_kb", pf->map_bytes / 1024);
	pr_u64(pr, "walk_errors", pf->walk_errors);
	pr_u64(pr, "stacks", pf->nr_stacks);
	pr_u64(pr, "max_stacks", pf->max_stacks);
	pr_str(pr, "type", type_names[a->type]);
	if (a->output)
		pr_str(pr, "output", a->output);
	pr_obj_close(pr);
}

static int profile_write(struct memattr_ctx *ctx, const struct profile_args *a,
			 const struct memattr_profile *pf, bool started)
{
	char maps[64], root[64];
	struct pprof_profile p;
	struct timespec rt;
	struct sym_proc sp;
	uint64_t now = memattr_now_ms();
	FILE *f = NULL;
	bool have_sp;
	int err, ti;

	snprintf(maps, sizeof(maps), "/proc/%" PRIu64 "/maps", a->pid);
	snprintf(root, sizeof(root), "/proc/%" PRIu64 "/root", a->pid);
	have_sp = !sym_proc_load(&sp, maps, root);
	if (!have_sp)
		fprintf(ctx->err,
			"memattr: profile: cannot read %s: addresses left unsymbolized\n",
			maps);
	pprof_init(&p);
	err = memattr_profile_to_pprof(pf, a->type, &p, &ti);
	if (err == -ENOENT) {
		fprintf(ctx->err,
			"memattr: profile: the module reports no %s samples\n",
			type_names[a->type]);
		goto out;
	}
	if (!err && have_sp)
		err = sym_proc_to_pprof(&sp, &p);
	if (err)
		goto oom;
	if (!clock_gettime(CLOCK_REALTIME, &rt)) {
		int64_t dur = pf->start_ms && now >= pf->start_ms ?
			      (int64_t)(now - pf->start_ms) : 0;

		p.time_nanos = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
			       dur * 1000000;
		p.duration_nanos = dur * 1000000;
	}
	if (a->output) {
		f = fopen(a->output, "w");
		if (!f) {
			err = -errno;
			fprintf(ctx->err, "memattr: profile: %s: %s\n",
				a->output, strerror(errno));
			goto out;
		}
	}
	if (a->folded)
		err = pprof_write_folded(&p, ti, f ? f : ctx->out);
	else if (f)
		err = pprof_write_gz(&p, f);
	if (f && fclose(f) && !err)
		err = -EIO;
	if (err && err != -ENOMEM) {
		fprintf(ctx->err, "memattr: profile: cannot write %s: %s\n",
			a->output ? a->output : "the output", strerror(-err));
		goto out;
	}
	if (err)
		goto oom;
	if (a->folded && !a->output)
		goto out;
	profile_print_summary(ctx, pf, a, started, now);
	if (!a->output && !pr_is_json(ctx->pr)) {
		/* the summary is out (at its close): the top list follows */
		fputc('\n', ctx->out);
		err = pprof_write_top(&p, ti, PROFILE_TOP, ctx->out);
		if (err)
			goto oom;
	}
	goto out;
oom:
	fprintf(ctx->err, "memattr: profile: %s\n", strerror(-err));
out:
	pprof_free(&p);
	if (have_sp)
		sym_proc_free(&sp);
	return err ? MEMATTR_EXIT_FAIL : MEMATTR_EXIT_OK;
}

static int profile_run(struct memattr_ctx *ctx, const void *data)
{
	const struct profile_args *a = data;
	struct memattr_profile pf = { 0 };
	uint32_t pid = (uint32_t)a->pid;
	bool started = false, created = false;
	struct nl_ctx *nl;
	int err, ret;

	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	switch (a->action) {
	case PROFILE_START:
		err = profile_start(ctx, a, false);
		return err ? MEMATTR_EXIT_FAIL : MEMATTR_EXIT_OK;
	case PROFILE_STOP:
		err = profile_stop(ctx, pid);
		if (err == -ENOENT)
			fprintf(ctx->err,
				"memattr: profile: process %u is not profiled\n",
				pid);
		return err ? MEMATTR_EXIT_FAIL : MEMATTR_EXIT_OK;
	case PROFILE_RUN:
		break;
	}
	/* the output file before anything starts: a typo costs no wait */
	if (a->output && access(a->output, F_OK) && errno == ENOENT) {
		FILE *f = fopen(a->output, "w");

		if (!f) {
			fprintf(ctx->err, "memattr: profile: %s: %s\n",
				a->output, strerror(errno));
			return MEMATTR_EXIT_FAIL;
		}
		fclose(f);
		created = true;
	} else if (a->output && access(a->output, W_OK)) {
		fprintf(ctx->err, "memattr: profile: %s: %s\n", a->output,
			strerror(errno));
		return MEMATTR_EXIT_FAIL;
	}
	/*
	 * A running profile (profile_auto on a LEAK, or "profile start") is
	 * used as it is, and left running.
	 */
	profile_block(SIG_BLOCK);
	err = profile_start(ctx, a, true);
	if (err && err != -EEXIST) {
		ret = MEMATTR_EXIT_FAIL;
		goto out;
	}
	started = !err;
	if (!started)
		fprintf(ctx->err,
			"memattr: profile: process %u is profiled already: using that profile, which keeps running\n",
			pid);
	if (profile_wait(ctx, pid, a->duration_ms))
		fprintf(ctx->err,
			"memattr: profile: process %u exited: its profile ended with it\n",
			pid);
	err = profile_dump(ctx, pid, &pf);
	if (err == -ENOENT)
		fprintf(ctx->err,
			"memattr: profile: process %u is no longer profiled (it exited, exec'ed or was stopped)\n",
			pid);
	if (err) {
		ret = MEMATTR_EXIT_FAIL;
	} else {
		if (a->every && pf.sample_every && pf.sample_every != a->every)
			fprintf(ctx->err,
				"memattr: profile: the running profile samples one page in %u, "
				"not %" PRIu64 "\n",
				pf.sample_every, a->every);
		ret = profile_write(ctx, a, &pf, started);
		if (!ret)
			created = false;	/* written: kept */
	}
	/* -ENOENT: the profile ended already, with its process */
	if (started && !a->keep && err != -ENOENT && profile_stop(ctx, pid))
		ret = MEMATTR_EXIT_FAIL;
	memattr_profile_free(&pf);
out:
	/* nothing written: no empty file left behind */
	if (ret && created)
		unlink(a->output);
	profile_block(SIG_UNBLOCK);
	return ret;
}

const struct memattr_command cmd_profile = {
	.name		= "profile",
	.args		= "[start|stop] PID [-d SECONDS] [-o FILE] [--folded] [-n N] "
			  "[-t pages|space|inuse|map] [--keep]",
	.summary	= "where a process grows: a growth-site profile (pprof, folded)",
	.help		= "Profile where a process's memory grows: the user stacks that touch\n"
			  "its new anonymous pages (first touch), that still hold them (in use),\n"
			  "and that map memory (mmap, brk, mremap). Needs CAP_NET_ADMIN.\n"
			  "\n"
			  "memattr profile PID starts a profile, waits, dumps it, stops it and\n"
			  "names the stacks' functions from /proc/PID/maps and the binaries'\n"
			  "ELF symbols or Go pclntab. A profile already running (profile start,\n"
			  "or the profile_auto parameter on a LEAK) is used as it is and left\n"
			  "running. SIGINT or SIGTERM ends the wait early; what was profiled\n"
			  "is still written.\n"
			  "  -d, --duration SECONDS  how long to profile (default 30; 0 to 86400,\n"
			  "                          fractions allowed)\n"
			  "  -o, --output FILE       write a gzipped pprof profile.proto (go tool\n"
			  "                          pprof), or with --folded the folded stacks\n"
			  "  --folded                folded stacks (flame graphs): root first,\n"
			  "                          ';'-joined, then the weight of --type\n"
			  "  -n, --every N           sample one page in N (1 to 65536; default\n"
			  "                          the profile_every parameter)\n"
			  "  -t, --type TYPE         what the top list and --folded weigh, and\n"
			  "                          pprof's default: pages (count), space (bytes,\n"
			  "                          the default), inuse (bytes still held), map\n"
			  "                          (bytes mapped)\n"
			  "  -k, --keep              leave the profile running\n"
			  "Without -o, prints a summary and the top sites (flat and cum weight\n"
			  "and share); with --folded and no -o, the folded stacks.\n"
			  "\n"
			  "memattr profile start PID [-n N] starts one and returns; memattr\n"
			  "profile stop PID ends one (dump it first). For scripts.\n"
			  "\n"
			  "The summary (-j: an object): pid, started (this run started it),\n"
			  "auto (the module started it on a LEAK), stopped, sample_every,\n"
			  "duration_ms, page_size, pages, space_kb, samples, throttled_pages,\n"
			  "other_pages, inuse_pages, inuse_lost, map_calls, map_kb, walk_errors,\n"
			  "stacks, max_stacks, type, output.\n"
			  "\n"
			  "Exits 1 when the process is not tracked, a profile cannot start\n"
			  "(profile_max reached) or the process exits before the dump.",
	.parse		= profile_parse,
	.args_size	= sizeof(struct profile_args),
	.run		= profile_run,
};
