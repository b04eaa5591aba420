// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr watch: stream the module's events (MEMATTR_CMD_EVENT on the
 * "events" multicast group), optionally running a command for each.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"

extern char **environ;

/* Room for the events the module can queue before we read them. */
#define WATCH_RCVBUF	(8 << 20)

/* ---- parser ---- */

static const enum mnl_attr_data_type ev_policy[MEMATTR_A_EV_MAX + 1] = {
	[MEMATTR_A_EV_KIND]			= MNL_TYPE_U32,
	[MEMATTR_A_EV_TIME_MS]			= MNL_TYPE_U64,
	[MEMATTR_A_EV_ENTITY]			= MNL_TYPE_U8,
	[MEMATTR_A_EV_PID]			= MNL_TYPE_U32,
	[MEMATTR_A_EV_COMM]			= MNL_TYPE_NUL_STRING,
	[MEMATTR_A_EV_CGROUP_ID]		= MNL_TYPE_U64,
	[MEMATTR_A_EV_CGROUP]			= MNL_TYPE_NUL_STRING,
	[MEMATTR_A_EV_GROWTH_KB_PER_HOUR]	= MNL_TYPE_U64,
	[MEMATTR_A_EV_SINCE_MS]			= MNL_TYPE_U64,
	[MEMATTR_A_EV_LEVEL]			= MNL_TYPE_U8,
	[MEMATTR_A_EV_LEVEL_PCT]		= MNL_TYPE_U8,
	[MEMATTR_A_EV_DIRECTION]		= MNL_TYPE_U8,
	[MEMATTR_A_EV_USED_PCT]			= MNL_TYPE_U32,
	[MEMATTR_A_EV_RSS_KB]			= MNL_TYPE_U64,
	[MEMATTR_A_EV_TOP]			= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type grower_policy[MEMATTR_A_GROWER_MAX + 1] = {
	[MEMATTR_A_GROWER_PID]			= MNL_TYPE_U32,
	[MEMATTR_A_GROWER_COMM]			= MNL_TYPE_NUL_STRING,
	[MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR]	= MNL_TYPE_U64,
	[MEMATTR_A_GROWER_RSS_KB]		= MNL_TYPE_U64,
};

static int ev_top_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[MEMATTR_A_GROWER_MAX + 1], *a;
	struct memattr_event *ev = data;
	struct memattr_ev_grower *g;
	int err;

	if (mnl_attr_get_type(attr) != MEMATTR_A_LIST_ITEM)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	err = nl_nested_parse(attr, grower_policy, MEMATTR_A_GROWER_MAX, tb);
	if (err)
		return err;
	if (ev->nr_top == MEMATTR_EV_TOP_MAX) {
		ev->top_dropped++;
		return 0;
	}
	g = &ev->top[ev->nr_top++];
	if (tb[MEMATTR_A_GROWER_PID]) {
		g->pid = mnl_attr_get_u32(tb[MEMATTR_A_GROWER_PID]);
		g->present |= MEMATTR_BIT(MEMATTR_A_GROWER_PID);
	}
	if (tb[MEMATTR_A_GROWER_COMM]) {
		g->comm = mnl_attr_get_str(tb[MEMATTR_A_GROWER_COMM]);
		g->present |= MEMATTR_BIT(MEMATTR_A_GROWER_COMM);
	}
	a = tb[MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR];
	if (a) {
		g->growth_kb_per_hour = (int64_t)mnl_attr_get_u64(a);
		g->present |= MEMATTR_BIT(MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR);
	}
	if (tb[MEMATTR_A_GROWER_RSS_KB]) {
		g->rss_kb = mnl_attr_get_u64(tb[MEMATTR_A_GROWER_RSS_KB]);
		g->present |= MEMATTR_BIT(MEMATTR_A_GROWER_RSS_KB);
	}
	return 0;
}

int memattr_event_parse(const void *buf, size_t len, struct memattr_event *ev)
{
	const struct nlattr *tb[MEMATTR_A_EV_MAX + 1];
	const struct nlattr *a;
	unsigned int i;
	int err;

	memset(ev, 0, sizeof(*ev));
	err = nl_genl_parse(buf, len, MEMATTR_CMD_EVENT, ev_policy,
			    MEMATTR_A_EV_MAX, tb);
	if (err)
		return err;
	if (!tb[MEMATTR_A_EV_KIND])
		return -EBADMSG;	/* every event says what it is */
	for (i = 1; i <= MEMATTR_A_EV_MAX; i++)
		if (tb[i])
			ev->present |= MEMATTR_BIT(i);
	ev->kind = mnl_attr_get_u32(tb[MEMATTR_A_EV_KIND]);
	a = tb[MEMATTR_A_EV_TIME_MS];
	if (a)
		ev->time_ms = mnl_attr_get_u64(a);
	a = tb[MEMATTR_A_EV_ENTITY];
	if (a)
		ev->entity = mnl_attr_get_u8(a);
	a = tb[MEMATTR_A_EV_PID];
	if (a)
		ev->pid = mnl_attr_get_u32(a);
	a = tb[MEMATTR_A_EV_COMM];
	if (a)
		ev->comm = mnl_attr_get_str(a);
	a = tb[MEMATTR_A_EV_CGROUP_ID];
	if (a)
		ev->cgroup_id = mnl_attr_get_u64(a);
	a = tb[MEMATTR_A_EV_CGROUP];
	if (a)
		ev->cgroup = mnl_attr_get_str(a);
	a = tb[MEMATTR_A_EV_GROWTH_KB_PER_HOUR];
	if (a)
		ev->growth_kb_per_hour = (int64_t)mnl_attr_get_u64(a);
	a = tb[MEMATTR_A_EV_SINCE_MS];
	if (a)
		ev->since_ms = mnl_attr_get_u64(a);
	a = tb[MEMATTR_A_EV_LEVEL];
	if (a)
		ev->level = mnl_attr_get_u8(a);
	a = tb[MEMATTR_A_EV_LEVEL_PCT];
	if (a)
		ev->level_pct = mnl_attr_get_u8(a);
	a = tb[MEMATTR_A_EV_DIRECTION];
	if (a)
		ev->direction = mnl_attr_get_u8(a);
	a = tb[MEMATTR_A_EV_USED_PCT];
	if (a)
		ev->used_pct = mnl_attr_get_u32(a);
	a = tb[MEMATTR_A_EV_RSS_KB];
	if (a)
		ev->rss_kb = mnl_attr_get_u64(a);
	a = tb[MEMATTR_A_EV_TOP];
	if (a)
		return nl_nested_walk(a, ev_top_cb, ev);
	return 0;
}

/* ---- names ---- */

const char *memattr_event_name(uint32_t kind)
{
	switch (kind) {
	case MEMATTR_EV_LEAK:
		return "leak";
	case MEMATTR_EV_LEAK_CLEARED:
		return "leak_cleared";
	case MEMATTR_EV_WATERMARK:
		return "watermark";
	case MEMATTR_EV_OOM_KILL:
		return "oom_kill";
	}
	return "unknown";
}

static const char *direction_name(uint8_t dir)
{
	switch (dir) {
	case MEMATTR_WM_UP:
		return "up";
	case MEMATTR_WM_DOWN:
		return "down";
	}
	return "unknown";
}

static bool ev_has(const struct memattr_event *ev, unsigned int attr)
{
	return ev->present & MEMATTR_BIT(attr);
}

/* ---- output ---- */

/* "2026-11-25T18:20:01.123Z" */
static void fmt_time(char *buf, size_t size, int64_t wall_ms)
{
	time_t s = (time_t)(wall_ms / 1000);
	struct tm tm;

	if (wall_ms < 0 || !gmtime_r(&s, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf + strlen(buf), size - strlen(buf), ".%03dZ",
		 (int)(wall_ms % 1000));
}

/* The process and cgroup of an event: flat, or the OOM victim's object. */
static void print_subject(struct pr *pr, const struct memattr_event *ev)
{
	if (ev_has(ev, MEMATTR_A_EV_PID))
		pr_u64(pr, "pid", ev->pid);
	if (ev_has(ev, MEMATTR_A_EV_COMM))
		pr_str(pr, "comm", ev->comm);
	if (ev_has(ev, MEMATTR_A_EV_CGROUP))
		pr_str(pr, "cgroup", ev->cgroup);
	if (ev_has(ev, MEMATTR_A_EV_CGROUP_ID))
		pr_u64(pr, "cgroup_id", ev->cgroup_id);
	if (ev_has(ev, MEMATTR_A_EV_RSS_KB))
		pr_u64(pr, "rss_kb", ev->rss_kb);
}

void memattr_event_print(struct pr *pr, const struct memattr_event *ev,
			 int64_t wall_ms)
{
	char when[64];
	unsigned int i;

	pr_obj_open(pr, NULL);
	pr_str(pr, "event", memattr_event_name(ev->kind));
	if (!strcmp(memattr_event_name(ev->kind), "unknown"))
		pr_u64(pr, "code", ev->kind);
	if (ev_has(ev, MEMATTR_A_EV_TIME_MS)) {
		if (wall_ms >= 0) {
			fmt_time(when, sizeof(when), wall_ms);
			pr_str(pr, "time", when);
		}
		pr_u64(pr, "time_ms", ev->time_ms);
	}
	if (ev_has(ev, MEMATTR_A_EV_ENTITY))
		pr_str(pr, "kind", memattr_entity_name(ev->entity));
	if (ev->kind == MEMATTR_EV_OOM_KILL) {
		pr_obj_open(pr, "victim");
		print_subject(pr, ev);
		pr_obj_close(pr);
	} else {
		print_subject(pr, ev);
	}
	if (ev_has(ev, MEMATTR_A_EV_GROWTH_KB_PER_HOUR))
		pr_s64(pr, "growth_kb_per_hour", ev->growth_kb_per_hour);
	if (ev_has(ev, MEMATTR_A_EV_SINCE_MS))
		pr_u64(pr, "since_ms", ev->since_ms);
	if (ev_has(ev, MEMATTR_A_EV_LEVEL))
		pr_u64(pr, "level", ev->level);
	if (ev_has(ev, MEMATTR_A_EV_LEVEL_PCT))
		pr_u64(pr, "level_pct", ev->level_pct);
	if (ev_has(ev, MEMATTR_A_EV_DIRECTION))
		pr_str(pr, "direction", direction_name(ev->direction));
	if (ev_has(ev, MEMATTR_A_EV_USED_PCT))
		pr_u64(pr, "used_pct", ev->used_pct);
	if (ev_has(ev, MEMATTR_A_EV_TOP)) {
		pr_arr_open(pr, "top_growers");
		for (i = 0; i < ev->nr_top; i++) {
			const struct memattr_ev_grower *g = &ev->top[i];

			pr_obj_open(pr, NULL);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_PID))
				pr_u64(pr, "pid", g->pid);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_COMM))
				pr_str(pr, "comm", g->comm);
			if (g->present &
			    MEMATTR_BIT(MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR))
				pr_s64(pr, "growth_kb_per_hour",
				       g->growth_kb_per_hour);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_RSS_KB))
				pr_u64(pr, "rss_kb", g->rss_kb);
			pr_obj_close(pr);
		}
		pr_arr_close(pr);
	}
	pr_obj_close(pr);
}

/* ---- priorities: the journal and syslog ---- */

int memattr_event_priority(uint32_t kind)
{
	switch (kind) {
	case MEMATTR_EV_LEAK:
		return LOG_WARNING;
	case MEMATTR_EV_OOM_KILL:
		return LOG_ERR;
	case MEMATTR_EV_WATERMARK:
		return LOG_NOTICE;
	}
	return LOG_INFO;	/* leak_cleared, and what this tool does not know */
}

bool memattr_journal_stream(int fd, const char *journal_stream)
{
	unsigned long long dev, ino;
	struct stat st;
	int end = 0;

	if (!journal_stream ||
	    sscanf(journal_stream, "%llu:%llu%n", &dev, &ino, &end) != 2 ||
	    journal_stream[end] || fstat(fd, &st))
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

int memattr_watch_emit(const struct memattr_watch_out *o,
		       const struct memattr_event *ev, int64_t wall_ms)
{
	int prio = memattr_event_priority(ev->kind), err;
	char *buf = NULL, *line, *nl;
	size_t len = 0;
	struct pr *pr;
	FILE *mem;

	mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	pr = pr_new(mem, o->pr_flags & PR_JSON ? o->pr_flags :
		     PR_LINE | (o->pr_flags & PR_HUMAN));
	if (!pr) {
		fclose(mem);
		free(buf);
		return -ENOMEM;
	}
	memattr_event_print(pr, ev, wall_ms);
	err = pr_free(pr);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	for (line = buf; !err && line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (o->syslog)
			syslog(prio, "%s", line);
		else if (o->journal)
			err = fprintf(o->out, "<%d>%s\n", prio, line) < 0 ?
			      -EIO : 0;
		else
			err = fputs(line, o->out) < 0 ||
			      fputc('\n', o->out) < 0 ? -EIO : 0;
	}
	free(buf);
	if (!o->syslog && fflush(o->out) && !err)
		err = -EIO;
	return err;
}

/* ---- environment for --exec ---- */

struct env_list {
	char **v;
	size_t n;
	bool oom;
};

/* Add MEMATTR_<name>=<val, escaped>. */
static void env_add(struct env_list *e, const char *name, const char *val)
{
	char *var = NULL, *esc;
	char **tmp;

	if (e->oom)
		return;
	/* strings from the kernel (a comm) are the process's choice */
	esc = pr_text_escape(val, strlen(val));
	if (!esc || asprintf(&var, "MEMATTR_%s=%s", name, esc) < 0)
		var = NULL;
	free(esc);
	tmp = var ? realloc(e->v, (e->n + 2) * sizeof(*e->v)) : NULL;
	if (!tmp) {
		free(var);
		e->oom = true;
		return;
	}
	e->v = tmp;
	e->v[e->n++] = var;
	e->v[e->n] = NULL;
}

static void env_u64(struct env_list *e, const char *name, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)val);
	env_add(e, name, buf);
}

static void env_s64(struct env_list *e, const char *name, int64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)val);
	env_add(e, name, buf);
}

void memattr_event_env_free(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

char **memattr_event_env(const struct memattr_event *ev)
{
	struct env_list e = {};
	unsigned int i;

	env_add(&e, "EVENT", memattr_event_name(ev->kind));
	env_u64(&e, "CODE", ev->kind);
	if (ev_has(ev, MEMATTR_A_EV_TIME_MS))
		env_u64(&e, "TIME_MS", ev->time_ms);
	if (ev_has(ev, MEMATTR_A_EV_ENTITY))
		env_add(&e, "KIND", memattr_entity_name(ev->entity));
	if (ev_has(ev, MEMATTR_A_EV_PID))
		env_u64(&e, "PID", ev->pid);
	if (ev_has(ev, MEMATTR_A_EV_COMM))
		env_add(&e, "COMM", ev->comm);
	if (ev_has(ev, MEMATTR_A_EV_CGROUP))
		env_add(&e, "CGROUP", ev->cgroup);
	if (ev_has(ev, MEMATTR_A_EV_CGROUP_ID))
		env_u64(&e, "CGROUP_ID", ev->cgroup_id);
	if (ev_has(ev, MEMATTR_A_EV_GROWTH_KB_PER_HOUR))
		env_s64(&e, "GROWTH_KB_PER_HOUR", ev->growth_kb_per_hour);
	if (ev_has(ev, MEMATTR_A_EV_SINCE_MS))
		env_u64(&e, "SINCE_MS", ev->since_ms);
	if (ev_has(ev, MEMATTR_A_EV_LEVEL))
		env_u64(&e, "LEVEL", ev->level);
	if (ev_has(ev, MEMATTR_A_EV_LEVEL_PCT))
		env_u64(&e, "LEVEL_PCT", ev->level_pct);
	if (ev_has(ev, MEMATTR_A_EV_DIRECTION))
		env_add(&e, "DIRECTION", direction_name(ev->direction));
	if (ev_has(ev, MEMATTR_A_EV_USED_PCT))
		env_u64(&e, "USED_PCT", ev->used_pct);
	if (ev_has(ev, MEMATTR_A_EV_RSS_KB))
		env_u64(&e, "RSS_KB", ev->rss_kb);
	if (ev_has(ev, MEMATTR_A_EV_TOP)) {
		env_u64(&e, "TOP_COUNT", ev->nr_top);
		for (i = 0; i < ev->nr_top; i++) {
			const struct memattr_ev_grower *g = &ev->top[i];
			char name[48];

			snprintf(name, sizeof(name), "TOP_%u_PID", i);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_PID))
				env_u64(&e, name, g->pid);
			snprintf(name, sizeof(name), "TOP_%u_COMM", i);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_COMM))
				env_add(&e, name, g->comm);
			snprintf(name, sizeof(name),
				 "TOP_%u_GROWTH_KB_PER_HOUR", i);
			if (g->present &
			    MEMATTR_BIT(MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR))
				env_s64(&e, name, g->growth_kb_per_hour);
			snprintf(name, sizeof(name), "TOP_%u_RSS_KB", i);
			if (g->present & MEMATTR_BIT(MEMATTR_A_GROWER_RSS_KB))
				env_u64(&e, name, g->rss_kb);
		}
	}
	if (e.oom) {
		memattr_event_env_free(e.v);
		return NULL;
	}
	return e.v;
}

/* ---- arguments ---- */

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < 1 || *v > max)
		return -EINVAL;
	return 0;
}

static int watch_parse(int argc, char **argv, void *data, FILE *err)
{
	static const struct option opts[] = {
		{ "exec",	required_argument,	NULL,	'e' },
		{ "count",	required_argument,	NULL,	'n' },
		{ "timeout",	required_argument,	NULL,	't' },
		{ "syslog",	no_argument,		NULL,	'S' },
		{ NULL,		0,			NULL,	0 },
	};
	struct memattr_watch_args *a = data;
	char **av;
	int c, ret = 0;

	av = memattr_cmd_argv("watch", argc, argv, err);
	if (!av)
		return -ENOMEM;
	optind = 0;
	opterr = 0;
	while (!ret &&
	       (c = getopt_long(argc + 1, av, "+e:n:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (!*optarg) {
				fprintf(err,
					"memattr: watch: --exec needs a command; try 'memattr watch help'\n");
				ret = -EINVAL;
			}
			a->exec = optarg;
			break;
		case 'n':
			if (parse_ulong(optarg, UINT32_MAX, &a->count)) {
				fprintf(err,
					"memattr: watch: -n wants a count of events, 1 to %u; try 'memattr watch help'\n",
					UINT32_MAX);
				ret = -EINVAL;
			}
			break;
		case 'S':
			a->syslog = true;
			break;
		case 't':
			if (parse_ulong(optarg, 31536000, &a->timeout_s)) {
				fprintf(err,
					"memattr: watch: -t wants seconds, 1 to 31536000; try 'memattr watch help'\n");
				ret = -EINVAL;
			}
			break;
		default:
			if (optopt && strchr("ent", optopt))
				fprintf(err,
					"memattr: watch: option '-%c' needs a value; try 'memattr watch help'\n",
					optopt);
			else if (!strncmp(av[optind - 1], "--", 2))
				fprintf(err,
					"memattr: watch: invalid option '%s'; try 'memattr watch help'\n",
					av[optind - 1]);
			else
				fprintf(err,
					"memattr: watch: invalid option '-%c'; try 'memattr watch help'\n",
					optopt);
			ret = -EINVAL;
		}
	}
	if (!ret && optind < argc + 1) {
		fprintf(err,
			"memattr: watch: unexpected argument '%s'; try 'memattr watch help'\n",
			av[optind]);
		ret = -EINVAL;
	}
	free(av);
	return ret;
}

/* ---- running ---- */

struct watch {
	struct memattr_ctx *ctx;
	const struct memattr_watch_args *args;
	struct memattr_watch_out out;
	int sock;
	int sfd;		/* signalfd: SIGINT, SIGTERM, SIGCHLD */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC; -1: none */
	unsigned long seen;
	bool stop;
	bool failed;		/* stdout broke: exit 1 */
};

static int64_t now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds poll() may wait: until the deadline, or forever (-1). */
static int wait_ms(const struct watch *w)
{
	int64_t left;

	if (w->deadline_ms < 0)
		return -1;
	left = w->deadline_ms - now_ms(CLOCK_MONOTONIC);
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

static bool timed_out(const struct watch *w)
{
	return w->deadline_ms >= 0 &&
	       now_ms(CLOCK_MONOTONIC) >= w->deadline_ms;
}

/* Read the pending signals: stop on SIGINT and SIGTERM. */
static void read_signals(struct watch *w)
{
	struct signalfd_siginfo si;

	while (read(w->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
			w->stop = true;
}

static void report_status(struct watch *w, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(w->ctx->err,
			"memattr: watch: --exec command exited with status %d\n",
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(w->ctx->err,
			"memattr: watch: --exec command killed by signal %d\n",
			WTERMSIG(status));
	fflush(w->ctx->err);
}

/*
 * Wait for the child, however long it takes; on SIGINT, SIGTERM or the
 * deadline, ask it to stop with SIGTERM and keep waiting.
 */
static void wait_child(struct watch *w, pid_t pid)
{
	struct pollfd pfd = { .fd = w->sfd, .events = POLLIN };
	bool killed = false;
	int status, tmo;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return;
		if (!killed && (w->stop || timed_out(w))) {
			kill(pid, SIGTERM);
			killed = true;
		}
		tmo = killed ? 1000 : wait_ms(w);
		if (poll(&pfd, 1, tmo) > 0)
			read_signals(w);
	}
	if (!killed)
		report_status(w, status);
}

static void run_exec(struct watch *w, const struct memattr_event *ev)
{
	char *const argv[] = { (char *)"sh", (char *)"-c",
			       (char *)w->args->exec, NULL };
	char **evenv, **env = NULL;
	posix_spawnattr_t attr;
	size_t n = 0, m = 0, i;
	sigset_t none, dfl;
	pid_t pid;
	int err;

	evenv = memattr_event_env(ev);
	while (evenv && evenv[m])
		m++;
	while (environ && environ[n])
		n++;
	if (evenv)
		env = calloc(n + m + 1, sizeof(*env));
	if (!env) {
		fprintf(w->ctx->err, "memattr: watch: --exec: out of memory\n");
		memattr_event_env_free(evenv);
		return;
	}
	/* ours replace any MEMATTR_* the caller had */
	for (n = 0, i = 0; environ && environ[i]; i++)
		if (strncmp(environ[i], "MEMATTR_", 8))
			env[n++] = environ[i];
	memcpy(env + n, evenv, (m + 1) * sizeof(*env));

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	fflush(w->ctx->out);
	fflush(w->ctx->err);
	err = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	free(env);
	memattr_event_env_free(evenv);
	if (err) {
		fprintf(w->ctx->err, "memattr: watch: --exec: cannot run /bin/sh: %s\n",
			strerror(err));
		fflush(w->ctx->err);
		return;
	}
	wait_child(w, pid);
}

static void handle_event(struct watch *w, const struct nlmsghdr *nlh)
{
	struct memattr_event ev;
	int64_t wall = -1;
	int err;

	err = memattr_event_parse(nlh, nlh->nlmsg_len, &ev);
	if (err) {
		fprintf(w->ctx->err,
			"memattr: watch: warning: skipped an invalid event from the kernel: %s\n",
			strerror(-err));
		fflush(w->ctx->err);
		return;
	}
	if (ev.present & MEMATTR_BIT(MEMATTR_A_EV_TIME_MS))
		wall = now_ms(CLOCK_REALTIME) -
		       (now_ms(CLOCK_MONOTONIC) - (int64_t)ev.time_ms);
	err = memattr_watch_emit(&w->out, &ev, wall);
	if (err) {
		fprintf(w->ctx->err, "memattr: watch: cannot write: %s\n",
			strerror(-err));
		w->failed = true;
		w->stop = true;
		return;
	}
	if (w->args->exec)
		run_exec(w, &ev);
	w->seen++;
}

static const enum mnl_attr_data_type
delfam_policy[CTRL_ATTR_FAMILY_NAME + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_FAMILY_NAME]		= MNL_TYPE_NUL_STRING,
};

bool memattr_watch_family_gone(const void *buf, size_t len, uint16_t id)
{
	const struct nlattr *tb[CTRL_ATTR_FAMILY_NAME + 1];
	const struct nlmsghdr *nlh = buf;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_type != GENL_ID_CTRL ||
	    nl_genl_parse(buf, len, CTRL_CMD_DELFAMILY, delfam_policy,
			  CTRL_ATTR_FAMILY_NAME, tb))
		return false;
	if (tb[CTRL_ATTR_FAMILY_ID])
		return mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == id;
	return tb[CTRL_ATTR_FAMILY_NAME] &&
	       !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]),
		       MEMATTR_GENL_NAME);
}

/*
 * One datagram: the events in it, and the family's removal (the module
 * unloaded); anything else is skipped.
 */
static void handle_datagram(struct watch *w, const char *buf, size_t len)
{
	const struct nl_family *fam = &w->ctx->nl.family;
	const struct nlmsghdr *nlh;
	const struct genlmsghdr *genl;
	size_t step;

	for (; len >= NLMSG_HDRLEN; buf += step, len -= step) {
		nlh = (const struct nlmsghdr *)buf;
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
			break;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > len)
			step = len;
		if (memattr_watch_family_gone(nlh, nlh->nlmsg_len, fam->id)) {
			fprintf(w->ctx->err,
				"memattr: watch: the memattr module was unloaded\n");
			w->failed = true;
			w->stop = true;
			break;
		}
		if (nlh->nlmsg_type != fam->id ||
		    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != MEMATTR_CMD_EVENT)
			continue;
		if (w->stop ||
		    (w->args->count && w->seen >= w->args->count))
			break;
		handle_event(w, nlh);
	}
}

static int watch_join(struct memattr_ctx *ctx, struct nl_ctx *nl)
{
	struct nl_ctx ctrl;
	uint32_t grp;
	int size = WATCH_RCVBUF;

	if (nl_mcgrp_id(&nl->family, MEMATTR_GENL_MCGRP_EVENTS, &grp)) {
		fprintf(ctx->err,
			"memattr: watch: the loaded module has no \"%s\" multicast group\n",
			MEMATTR_GENL_MCGRP_EVENTS);
		return -ENOENT;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		if (errno == EPERM)
			fprintf(ctx->err,
				"memattr: watch: permission denied: joining the events group needs CAP_NET_ADMIN\n");
		else
			fprintf(ctx->err,
				"memattr: watch: cannot join the events group: %s\n",
				strerror(errno));
		return -errno;
	}
	/* nlctrl's notifications: to see the module go away */
	if (!nl_open(&ctrl, "nlctrl")) {
		if (!nl_mcgrp_id(&ctrl.family, "notify", &grp))
			mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
					      &grp, sizeof(grp));
		nl_close(&ctrl);
	}
	/* not for --exec's commands */
	fcntl(mnl_socket_get_fd(nl->sock), F_SETFD, FD_CLOEXEC);
	/* past the rmem_max cap with CAP_NET_ADMIN, else up to it */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)))
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &size, sizeof(size));
	return 0;
}

static void watch_loop(struct watch *w)
{
	struct nl_ctx *nl = &w->ctx->nl;
	struct pollfd pfd[2] = {
		{ .fd = w->sock, .events = POLLIN },
		{ .fd = w->sfd, .events = POLLIN },
	};
	struct sockaddr_nl from;
	socklen_t fromlen;
	ssize_t n;

	while (!w->stop && !(w->args->count && w->seen >= w->args->count)) {
		if (timed_out(w))
			break;
		if (poll(pfd, 2, wait_ms(w)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(w->ctx->err, "memattr: watch: poll: %s\n",
				strerror(errno));
			break;
		}
		if (pfd[1].revents)
			read_signals(w);
		if (w->stop || !(pfd[0].revents & POLLIN))
			continue;
		fromlen = sizeof(from);
		n = recvfrom(w->sock, nl->buf, nl->buf_size, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(w->ctx->err,
					"memattr: watch: warning: events lost: the receive buffer overran (ENOBUFS); carrying on\n");
				fflush(w->ctx->err);
			} else if (errno != EAGAIN && errno != EINTR) {
				fprintf(w->ctx->err,
					"memattr: watch: recv: %s\n",
					strerror(errno));
				break;
			}
			continue;
		}
		/* events come from the kernel; anyone may send to our port */
		if (fromlen < sizeof(from) || from.nl_pid)
			continue;
		handle_datagram(w, nl->buf, (size_t)n);
	}
}

static int watch_run(struct memattr_ctx *ctx, const void *data)
{
	const struct memattr_watch_args *args = data;
	struct watch w = {
		.ctx = ctx,
		.args = args,
		.deadline_ms = -1,
	};
	sigset_t mask, old;
	struct nl_ctx *nl;
	int ret = MEMATTR_EXIT_FAIL;

	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	if (watch_join(ctx, nl))
		return MEMATTR_EXIT_FAIL;
	w.sock = mnl_socket_get_fd(nl->sock);
	if (args->timeout_s)
		w.deadline_ms = now_ms(CLOCK_MONOTONIC) +
				(int64_t)args->timeout_s * 1000;
	/* text: one line per event */
	w.out.out = ctx->out;
	if (ctx->opts->json)
		w.out.pr_flags = PR_JSON | (ctx->opts->pretty ? PR_PRETTY : 0);
	else if (ctx->opts->human)
		w.out.pr_flags = PR_HUMAN;
	w.out.syslog = args->syslog;
	w.out.journal = !args->syslog &&
			memattr_journal_stream(fileno(ctx->out),
					       getenv("JOURNAL_STREAM"));
	if (args->syslog)
		openlog("memattr", LOG_PID, LOG_DAEMON);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, &old)) {
		fprintf(ctx->err, "memattr: watch: sigprocmask: %s\n",
			strerror(errno));
		goto out_log;
	}
	w.sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w.sfd < 0) {
		fprintf(ctx->err, "memattr: watch: signalfd: %s\n",
			strerror(errno));
		goto out_mask;
	}
	watch_loop(&w);
	ret = w.failed ? MEMATTR_EXIT_FAIL : MEMATTR_EXIT_OK;
	close(w.sfd);
out_mask:
	sigprocmask(SIG_SETMASK, &old, NULL);
out_log:
	if (args->syslog)
		closelog();
	return ret;
}

const struct memattr_command cmd_watch = {
	.name		= "watch",
	.args		= "[--exec CMD] [-n COUNT] [-t SECONDS] [--syslog]",
	.summary	= "stream the module's events as they happen",
	.help		=
"Join the module's \"events\" multicast group and print each event as it\n"
"arrives, one line per event, flushed at once (also into a pipe). Needs\n"
"CAP_NET_ADMIN: without it, exits 1 saying so.\n"
"\n"
"Options:\n"
"  -e, --exec CMD      run CMD with /bin/sh -c for each event, after printing\n"
"                      it, with the event's fields in the environment (below);\n"
"                      the next event waits until CMD exits. Its failure is\n"
"                      reported on stderr and watching goes on. CMD inherits\n"
"                      stdin, stdout and stderr.\n"
"  -n, --count COUNT   exit 0 after COUNT events (1 to 4294967295)\n"
"  -t, --timeout SECS  exit 0 after SECS seconds (1 to 31536000); a running\n"
"                      CMD is sent SIGTERM and waited for\n"
"  --syslog            send each event line to syslog(3) (ident memattr,\n"
"                      facility daemon, its priority below) instead of\n"
"                      stdout: for BusyBox syslogd and other targets\n"
"                      without systemd\n"
"Priorities: leak warning, oom_kill err, watermark notice, leak_cleared\n"
"(and unknown events) info. When stdout is a systemd journal stream\n"
"($JOURNAL_STREAM names its device and inode, as systemd sets it for a\n"
"service's StandardOutput=journal), each line starts with the sd-daemon(3)\n"
"prefix <4>, <3>, <5> or <6>, so journald records the priority.\n"
"SIGINT and SIGTERM stop watching, exit status 0. When the module is\n"
"unloaded or stdout cannot be written, exits 1 saying so (a closed pipe ends\n"
"it with SIGPIPE, as usual).\n"
"With -p, each event is indented JSON over several lines.\n"
"\n"
"Events lost because the receive buffer overran (a slow CMD, a burst) are\n"
"reported on stderr as a warning line; watching goes on.\n"
"\n"
"Fields, in JSON (-j: one compact object per line) and in text (one line of\n"
"key=value pairs, spaces in strings as \\x20), present only when the event\n"
"carries them:\n"
"  event               leak, leak_cleared, watermark, oom_kill (unknown, with\n"
"                      code, for a newer module's)\n"
"  code                the number of an unknown event\n"
"  time                when, UTC, ISO 8601 with milliseconds (from time_ms)\n"
"  time_ms             when, CLOCK_MONOTONIC milliseconds\n"
"  kind                process or cgroup (leak, leak_cleared; as in leaks)\n"
"  pid, comm           the process (leak, leak_cleared of a process)\n"
"  cgroup, cgroup_id   its memory cgroup's path and id\n"
"  growth_kb_per_hour  the growth judged, KiB per hour (leak, leak_cleared)\n"
"  since_ms            when the leak state began, CLOCK_MONOTONIC ms\n"
"  level, level_pct    the watermark crossed: its 1-based index and percent\n"
"                      of MemTotal\n"
"  direction           up or down (watermark)\n"
"  used_pct            memory in use, percent of MemTotal (watermark)\n"
"  victim              (oom_kill) the process killed: {pid, comm, cgroup,\n"
"                      cgroup_id, rss_kb (at its last sample, KiB)}\n"
"  top_growers         (oom_kill) the fastest growing processes: list of\n"
"                      {pid, comm, growth_kb_per_hour, rss_kb}\n"
"\n"
"Environment of CMD: the variables of memattr, without any MEMATTR_* ones,\n"
"plus, for the fields the event has: MEMATTR_EVENT, MEMATTR_CODE,\n"
"MEMATTR_TIME_MS, MEMATTR_KIND, MEMATTR_PID, MEMATTR_COMM, MEMATTR_CGROUP,\n"
"MEMATTR_CGROUP_ID, MEMATTR_GROWTH_KB_PER_HOUR, MEMATTR_SINCE_MS,\n"
"MEMATTR_LEVEL, MEMATTR_LEVEL_PCT, MEMATTR_DIRECTION, MEMATTR_USED_PCT,\n"
"MEMATTR_RSS_KB (for oom_kill, PID to RSS_KB are the victim's), and for\n"
"oom_kill MEMATTR_TOP_COUNT and MEMATTR_TOP_<i>_PID,\n"
"_COMM, _GROWTH_KB_PER_HOUR, _RSS_KB (i from 0). Values are as in text output:\n"
"control characters and invalid UTF-8 escaped as \\xNN. Event data never\n"
"becomes part of the command line: quote the variables in CMD (\"$MEMATTR_COMM\").",
	.parse		= watch_parse,
	.args_size	= sizeof(struct memattr_watch_args),
	.run		= watch_run,
};
