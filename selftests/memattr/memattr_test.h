/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the memattr selftests. They run inside the QEMU guests,
 * as root, with the module at MEMATTR_KO and the CLI on $PATH.
 */
#ifndef _MEMATTR_TEST_H
#define _MEMATTR_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MEMATTR_KO	"/lib/modules/memattr/memattr.ko"
#define MEMATTR_SYSMOD	"/sys/module/memattr"
#define MEMATTR_PARAMS	"/sys/module/memattr/parameters"
#define MEMATTR_DEBUGFS	"/sys/kernel/debug/memattr"

static inline int mt_path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static inline int mt_module_loaded(void)
{
	return mt_path_exists(MEMATTR_SYSMOD);
}

/*
 * Load the module with @params (may be NULL). Return: 0, or the errno of
 * finit_module().
 */
static inline int mt_module_load(const char *params)
{
	int fd, ret;

	fd = open(MEMATTR_KO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? errno : 0;
	close(fd);
	return ret;
}

/* Return: 0, or the errno of delete_module(). */
static inline int mt_module_unload(void)
{
	return syscall(SYS_delete_module, "memattr", O_NONBLOCK) ? errno : 0;
}

/*
 * Read the whole of @path into @buf (NUL-terminated).
 * Return: bytes read, or -errno.
 */
static inline ssize_t mt_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

/*
 * One write(2) of @len bytes of @data to @path.
 * Return: 0 when all of it was taken, else the errno (EIO for a short write).
 */
static inline int mt_write_file(const char *path, const char *data, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, data, len);
	err = n < 0 ? errno : ((size_t)n == len ? 0 : EIO);
	close(fd);
	return err;
}

/* Return: the parameter's value, or -1 when it cannot be read. */
static inline long long mt_param_read(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", name);
	if (mt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/*
 * Run a shell command, capturing up to @size bytes of its stdout in @out.
 * Return: the command's exit status, or -1.
 */
static inline int mt_run(const char *cmd, char *out, size_t size)
{
	size_t len = 0;
	FILE *p;
	int st;

	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && size) {
		len = fread(out, 1, size - 1, p);
		out[len] = '\0';
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --- debugfs tables ------------------------------------------------------ */

#define MiB		(1024UL * 1024)
#define SAMPLE_MS	100

/* One row of /sys/kernel/debug/memattr/processes. */
struct mt_proc {
	long long rss_kb, anon_kb, file_kb, shmem_kb, swap_kb, peak_kb, vm_kb;
	long long pgtables_kb, page_allocs, page_frees, mmap, munmap, brk;
	long long mremap, mapped_kb, growth_kbh;
	char comm[32], leak[16], cgroup[256];
};

static char mt_buf[4 << 20];

/* Return: 0 when @pid has a row, -1 when it has none. */
static inline int mt_proc_get(pid_t pid, struct mt_proc *p)
{
	char *line;

	if (mt_read_file(MEMATTR_DEBUGFS "/processes", mt_buf,
			 sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n")) {
		int rpid;

		if (strtol(line, NULL, 10) != pid)
			continue;
		if (sscanf(line, "%d %31s %lld %lld %lld %lld %lld %lld %lld "
			   "%lld %lld %lld %lld %lld %lld %lld %lld %lld %15s %255s",
			   &rpid, p->comm, &p->rss_kb, &p->anon_kb, &p->file_kb,
			   &p->shmem_kb, &p->swap_kb, &p->peak_kb, &p->vm_kb,
			   &p->pgtables_kb, &p->page_allocs, &p->page_frees,
			   &p->mmap, &p->munmap, &p->brk, &p->mremap,
			   &p->mapped_kb, &p->growth_kbh, p->leak,
			   p->cgroup) == 20)
			return 0;
	}
	return -1;
}

/* A value from the stats table, or -1. */
static inline long long mt_stat(const char *key)
{
	char *line;
	size_t len = strlen(key);

	if (mt_read_file(MEMATTR_DEBUGFS "/stats", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, len) && line[len] == ' ')
			return strtoll(line + len, NULL, 10);
	return -1;
}

/* A "Key:   value" field of a /proc file (its first number), or -1. */
static inline long long mt_proc_field(const char *path, const char *key)
{
	size_t len = strlen(key);
	char *line;

	if (mt_read_file(path, mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, len) && line[len] == ':')
			return strtoll(line + len + 1, NULL, 10);
	return -1;
}

/* A field of /proc/PID/status in KiB, or -1. */
static inline long long mt_status_kb(pid_t pid, const char *field)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	return mt_proc_field(path, field);
}

static inline void mt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Let the sampler see the current state: a few of its periods. */
static inline void mt_settle(void)
{
	mt_sleep_ms(4 * SAMPLE_MS);
}

/* A process that grows and frees as its @script says, every 100 ms. */
typedef long (*mt_shape)(long tick);	/* KiB wanted at tick */

static inline void mt_shaped(mt_shape shape, long ticks)
{
	char *chunks[4096] = { 0 };
	long have = 0, want, tick;

	for (tick = 0; tick < ticks; tick++) {
		want = shape(tick) / 64;	/* in 64 KiB chunks */
		while (have < want && have < 4096) {
			chunks[have] = mmap(NULL, 64 << 10,
					    PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (chunks[have] == MAP_FAILED)
				_exit(20);
			memset(chunks[have++], 0x42, 64 << 10);
		}
		while (have > want)
			munmap(chunks[--have], 64 << 10);
		mt_sleep_ms(100);
	}
	_exit(0);
}

#endif /* _MEMATTR_TEST_H */
