/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the detector's guest tests share (detect.c, shapes.c): accelerated
 * time (sample_ms=100, leak_window_s=20, leak_min_kb_per_hour=36000), a
 * fresh module per test, processes that grow and free to a shape, and the
 * events they raise.
 */
#ifndef MEMATTR_SELFTEST_DETECT_H
#define MEMATTR_SELFTEST_DETECT_H

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define RATE_KBH	(1024LL * 3600)	/* 1 MiB/s */

static long long mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * How many events of @kind (its name as debugfs `events` prints it) about
 * @pid (0: any) carrying the token @extra (NULL: any) are there?
 * Return: that many, or -1 when the file cannot be read.
 */
static int mt_events_with(const char *kind, pid_t pid, const char *extra)
{
	char *line, *save, tok[64], want[32];
	int n = 0;

	snprintf(want, sizeof(want), "pid=%d", pid);
	if (mt_read_file(MEMATTR_DEBUGFS "/events", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok_r(mt_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int kind_ok = 0, pid_ok = !pid, extra_ok = !extra, off = 0, len;

		while (sscanf(line + off, "%63s%n", tok, &len) == 1) {
			off += len;
			kind_ok |= !strcmp(tok, kind);
			pid_ok |= pid && !strcmp(tok, want);
			extra_ok |= extra && !strcmp(tok, extra);
		}
		n += kind_ok && pid_ok && extra_ok;
	}
	return n;
}

static int mt_events(const char *kind, pid_t pid)
{
	return mt_events_with(kind, pid, NULL);
}

FIXTURE(det) {
	int unused;
};

FIXTURE_SETUP(det)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000"));
}

FIXTURE_TEARDOWN(det)
{
	EXPECT_EQ(0, mt_module_unload());
}

static pid_t mt_spawn(mt_shape shape, long ticks)
{
	pid_t pid = fork();

	if (!pid)
		mt_shaped(shape, ticks);
	return pid;
}

#endif /* MEMATTR_SELFTEST_DETECT_H */
