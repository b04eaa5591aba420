// SPDX-License-Identifier: GPL-2.0-only
/*
 * A memory hog for the CLI's shell tests (cli_*.sh):
 *
 *   cli_hog anon MIB READY   touch MIB of private anonymous memory
 *   cli_hog shm MIB READY    touch MIB of shared anonymous memory (shmem)
 *   cli_hog leak KIB READY   allocate and touch KIB more every second, in
 *                            ten steps
 *   cli_hog oom MIB READY    like anon, for a cgroup too small for it
 *
 * then create the file READY and sleep until killed. And
 *
 *   cli_hog pty OUT q|TERM CMD [ARG...]
 *
 * runs CMD on a new pseudo-terminal (its controlling terminal, TERM=xterm)
 * for 1.5 s, copying what it writes to OUT, then types q or sends it
 * SIGTERM, waits for it and prints "raw=R canon=C echo=E status=S": R 1
 * when the terminal was seen without ICANON while CMD ran, C and E its
 * ICANON and ECHO flags after CMD ended, S CMD's exit status (128 + the
 * signal when killed).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void *touch(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, 0x5a, len);
	return p;
}

static void ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Copy what the master has to out for up to ms; 1 when the child ended. */
static int pty_drain(int m, FILE *out, long long ms, pid_t pid, int *st)
{
	long long end = now_ms() + ms;
	struct pollfd pfd = { .fd = m, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	while (now_ms() < end) {
		if (waitpid(pid, st, WNOHANG) == pid)
			return 1;
		if (poll(&pfd, 1, 50) > 0) {
			n = read(m, buf, sizeof(buf));
			if (n > 0)
				fwrite(buf, 1, n, out);
		}
	}
	return 0;
}

static int pty_run(const char *path, const char *action, char **cmd)
{
	struct termios t;
	int m, s, st = 0, raw = 0, done;
	char *name;
	FILE *out;
	pid_t pid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	name = m < 0 || grantpt(m) || unlockpt(m) ? NULL : ptsname(m);
	if (!name) {
		perror("pty");
		return 1;
	}
	pid = fork();
	if (!pid) {
		setsid();
		s = open(name, O_RDWR);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0))
			_exit(126);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		setenv("TERM", "xterm", 1);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	/* the parent's own handle: the termios outlives the child */
	s = open(name, O_RDWR | O_NOCTTY);
	out = fopen(path, "w");
	if (s < 0 || !out) {
		perror(path);
		return 1;
	}
	done = 0;
	for (int i = 0; i < 15 && !done; i++) {
		done = pty_drain(m, out, 100, pid, &st);
		if (!tcgetattr(s, &t) && !(t.c_lflag & ICANON))
			raw = 1;
	}
	if (!done) {
		if (!strcmp(action, "q")) {
			if (write(m, "q", 1) != 1)
				perror("write");
		} else {
			kill(pid, SIGTERM);
		}
		done = pty_drain(m, out, 5000, pid, &st);
	}
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	fclose(out);
	tcgetattr(s, &t);
	printf("raw=%d canon=%d echo=%d status=%d\n", raw,
	       !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO),
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	size_t n;

	if (argc >= 5 && !strcmp(argv[1], "pty"))
		return pty_run(argv[2], argv[3], argv + 4);
	if (argc != 4) {
		fprintf(stderr, "usage: cli_hog anon|shm|leak|oom N READY\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "anon") || !strcmp(argv[1], "oom")) {
		touch(n << 20, MAP_PRIVATE);
	} else if (!strcmp(argv[1], "shm")) {
		touch(n << 20, MAP_SHARED);
	} else if (!strcmp(argv[1], "leak")) {
		ready(argv[3]);
		for (;;) {
			touch((n << 10) / 10, MAP_PRIVATE);
			nanosleep(&tick, NULL);
		}
	} else {
		fprintf(stderr, "cli_hog: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	ready(argv[3]);
	for (;;)
		pause();
}
