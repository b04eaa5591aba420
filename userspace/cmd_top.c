// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr top: a refreshing view of the processes growing fastest, like
 * top(1). On a terminal that can (query_term_fancy()) each frame replaces
 * the last; anywhere else (a pipe, a dumb serial console) frames follow
 * one another, each behind a header line with the time, and no escape
 * sequence is written. The terminal is put in non-canonical mode, to read
 * 'q' without Enter, only when stdin is one; it is restored on every exit,
 * SIGINT and SIGTERM included.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "memattr.h"
#include "model.h"
#include "query.h"

#define TOP_DELAY_MS		2000
#define TOP_DELAY_MIN_MS	100
#define TOP_DELAY_MAX_MS	86400000
#define TOP_ROWS_PLAIN		20	/* rows per frame without a terminal */

struct top_args {
	uint64_t delay_ms;
	uint64_t iterations;	/* 0: until 'q' or a signal */
	enum memattr_proc_key key;
};

static int top_parse(int argc, char **argv, void *data, FILE *err)
{
	struct top_args *a = data;
	const char *val;
	int i, r;

	a->delay_ms = TOP_DELAY_MS;
	a->key = MEMATTR_SORT_GROWTH;
	for (i = 0; i < argc; i++) {
		r = query_opt(argc, argv, &i, 'd', "delay", &val, "top", err);
		if (r < 0)
			return r;
		if (r) {
			if (query_parse_seconds(val, TOP_DELAY_MIN_MS,
						TOP_DELAY_MAX_MS, &a->delay_ms)) {
				fprintf(err,
					"memattr: top: bad delay '%s' (seconds from 0.1 to 86400, e.g. 2 or 0.5); try 'memattr top help'\n",
					val);
				return -EINVAL;
			}
			continue;
		}
		r = query_opt(argc, argv, &i, 'n', "iterations", &val, "top",
			      err);
		if (r < 0)
			return r;
		if (r) {
			if (query_parse_u64(val, 1, 1000000000,
					    &a->iterations)) {
				fprintf(err,
					"memattr: top: bad iteration count '%s' (a number from 1); try 'memattr top help'\n",
					val);
				return -EINVAL;
			}
			continue;
		}
		r = query_opt(argc, argv, &i, 's', "sort", &val, "top", err);
		if (r < 0)
			return r;
		if (r) {
			if (memattr_proc_key_parse(val, &a->key)) {
				fprintf(err,
					"memattr: top: bad sort key '%s' (rss, anon, growth, allocs); try 'memattr top help'\n",
					val);
				return -EINVAL;
			}
			continue;
		}
		fprintf(err,
			"memattr: top: unexpected argument '%s'; try 'memattr top help'\n",
			argv[i]);
		return -EINVAL;
	}
	return 0;
}

/*
 * SIGINT and SIGTERM are blocked while top runs and read from a signalfd
 * between frames, so the terminal is restored before the signal is let
 * through (and it then kills us as if never caught).
 */
struct top_term {
	bool raw;		/* stdin's settings changed; saved holds them */
	struct termios saved;
	sigset_t old_mask;
	int sfd;		/* signalfd of SIGINT and SIGTERM, or -1 */
	int sig;		/* the signal that stopped us, or 0 */
};

static void top_term_setup(struct top_term *t)
{
	struct termios raw;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &t->old_mask);
	t->sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t->saved))
		return;
	raw = t->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	t->raw = !tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
}

static void top_term_restore(struct top_term *t)
{
	if (t->raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t->saved);
	t->raw = false;
	if (t->sfd >= 0)
		close(t->sfd);
	t->sfd = -1;
	sigprocmask(SIG_SETMASK, &t->old_mask, NULL);
}

/*
 * Wait up to ms for the next frame. Returns true to go on, false when the
 * user typed q or a signal came (t->sig).
 */
static bool top_wait(struct top_term *t, uint64_t ms)
{
	uint64_t end = memattr_now_ms() + ms, now;
	struct pollfd pfd[2] = {
		{ .fd = t->raw ? STDIN_FILENO : -1, .events = POLLIN },
		{ .fd = t->sfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	char c;

	for (;;) {
		now = memattr_now_ms();
		if (now >= end)
			return true;
		if (poll(pfd, 2, (int)(end - now)) <= 0)
			continue;	/* timeout or EINTR */
		if (pfd[1].revents & POLLIN &&
		    read(t->sfd, &si, sizeof(si)) == sizeof(si)) {
			t->sig = (int)si.ssi_signo;
			return false;
		}
		if (pfd[0].revents & POLLIN && read(STDIN_FILENO, &c, 1) == 1 &&
		    (c == 'q' || c == 'Q'))
			return false;
		if (pfd[0].revents & (POLLHUP | POLLERR))
			pfd[0].fd = -1;	/* stdin gone: just wait */
	}
}

/* Rows that fit: the terminal's height minus the header, or a fixed few. */
static size_t top_rows(FILE *out, bool fancy)
{
	struct winsize ws;

	if (fancy && !ioctl(fileno(out), TIOCGWINSZ, &ws) && ws.ws_row > 8)
		return ws.ws_row - 5;
	return fancy ? 10 : TOP_ROWS_PLAIN;
}

static void top_header(struct memattr_ctx *ctx, const struct top_args *a,
		       const struct memattr_system *sys, size_t nr_procs,
		       uint64_t frame)
{
	char clock[16], line[256], delay[32], avail[32], growth[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) ||
	    !strftime(clock, sizeof(clock), "%H:%M:%S", &tm))
		snprintf(clock, sizeof(clock), "?");
	snprintf(delay, sizeof(delay), "%llu.%03llu",
		 (unsigned long long)a->delay_ms / 1000,
		 (unsigned long long)a->delay_ms % 1000);
	/* "2.000" -> "2", "0.500" -> "0.5" */
	while (delay[strlen(delay) - 1] == '0')
		delay[strlen(delay) - 1] = '\0';
	if (delay[strlen(delay) - 1] == '.')
		delay[strlen(delay) - 1] = '\0';
	if (ctx->opts->human) {
		pr_human_kb(avail, sizeof(avail),
			    (long long)sys->mem_available_kb);
		pr_human_kb(growth, sizeof(growth),
			    (long long)sys->growth_kb_per_hour);
	} else {
		snprintf(avail, sizeof(avail), "%llu KiB",
			 (unsigned long long)sys->mem_available_kb);
		snprintf(growth, sizeof(growth), "%lld KiB",
			 (long long)sys->growth_kb_per_hour);
	}
	snprintf(line, sizeof(line),
		 "memattr top - %s, frame %llu, every %ss: %zu processes, memory used %u%%, available %s, growth %s/h, watermark level %u",
		 clock, (unsigned long long)frame, delay, nr_procs,
		 sys->used_pct, avail, growth, sys->watermark_level);
	pr_str(ctx->pr, NULL, line);
}

/* One frame. Returns 0 or a negative errno (already reported). */
static int top_frame(struct memattr_ctx *ctx, const struct top_args *a,
		     bool fancy, uint64_t frame)
{
	struct memattr_proc *procs;
	struct memattr_system sys;
	size_t nr, rows, i;
	int err;

	err = memattr_system_get(ctx, &sys);
	if (err)
		return err;
	err = memattr_procs_dump(ctx, &procs, &nr);
	if (err)
		return err;
	memattr_procs_sort(procs, nr, a->key);
	if (pr_is_json(ctx->pr)) {
		/* one document per frame: time, system, every process */
		pr_obj_open(ctx->pr, NULL);
		pr_u64(ctx->pr, "frame", frame);
		pr_u64(ctx->pr, "time_ms", memattr_now_ms());
		memattr_system_print(ctx->pr, "system", &sys);
		pr_arr_open(ctx->pr, "processes");
		for (i = 0; i < nr; i++)
			memattr_proc_print(ctx->pr, NULL, &procs[i], 0);
		pr_arr_close(ctx->pr);
		pr_obj_close(ctx->pr);
	} else {
		if (fancy) {
			/* home, clear: only on a terminal that has them */
			fflush(ctx->out);
			fputs("\033[H\033[2J", ctx->out);
		}
		top_header(ctx, a, &sys, nr, frame);
		rows = top_rows(ctx->out, fancy);
		pr_arr_open(ctx->pr, NULL);
		for (i = 0; i < nr && i < rows; i++)
			memattr_proc_print(ctx->pr, NULL, &procs[i],
					   MEMATTR_PF_BRIEF);
		pr_arr_close(ctx->pr);
	}
	free(procs);
	fflush(ctx->out);
	return 0;
}

static int top_run(struct memattr_ctx *ctx, const void *data)
{
	const struct top_args *a = data;
	bool fancy = !pr_is_json(ctx->pr) && query_term_fancy(ctx->out);
	struct top_term term = { .sfd = -1 };
	struct nl_ctx *nl;
	uint64_t frame;
	int ret = MEMATTR_EXIT_OK;

	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	top_term_setup(&term);
	for (frame = 1;; frame++) {
		if (top_frame(ctx, a, fancy, frame)) {
			ret = MEMATTR_EXIT_FAIL;
			break;
		}
		if (a->iterations && frame >= a->iterations)
			break;
		if (!top_wait(&term, a->delay_ms))
			break;
	}
	top_term_restore(&term);
	if (term.sig) {
		/* die of it, as if never caught, now the terminal is back */
		fflush(ctx->out);
		signal(term.sig, SIG_DFL);
		raise(term.sig);
	}
	return ret;
}

const struct memattr_command cmd_top = {
	.name		= "top",
	.args		= "[-d SECONDS] [-n COUNT] [-s rss|anon|growth|allocs]",
	.summary	= "a refreshing view of the fastest growing processes",
	.help		= "Show the tracked processes, fastest growing first, and system memory,\n"
			  "again and again, like top(1). Type q to quit (when stdin is a\n"
			  "terminal), or interrupt it.\n"
			  "\n"
			  "  -d, --delay SECONDS     between frames, 0.1 to 86400, decimals\n"
			  "                          allowed (default 2)\n"
			  "  -n, --iterations COUNT  stop after COUNT frames (default: never)\n"
			  "  -s, --sort KEY          growth (default), rss, anon or allocs\n"
			  "\n"
			  "On a terminal (TERM set and not \"dumb\") each frame replaces the last\n"
			  "and shows as many rows as fit. Anywhere else (a pipe, a file, a dumb\n"
			  "serial console) frames follow one another with no escape sequence,\n"
			  "each starting with a header line: \"memattr top - HH:MM:SS, frame N,\n"
			  "...\" with the system's memory use, then the first 20 rows of the\n"
			  "'memattr ps' table.\n"
			  "With -j, one JSON document per frame, one per line: {frame, time_ms\n"
			  "(CLOCK_MONOTONIC ms), system (as 'memattr -j system'), processes\n"
			  "(every process, sorted, as 'memattr -j ps')}.",
	.parse		= top_parse,
	.args_size	= sizeof(struct top_args),
	.run		= top_run,
};
