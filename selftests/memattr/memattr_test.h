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
#include <sys/stat.h>
#include <sys/syscall.h>
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

#endif /* _MEMATTR_TEST_H */
