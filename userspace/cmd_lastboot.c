// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr last-boot: memattr's records of an earlier boot, read back from
 * pstore (/sys/fs/pstore) or from files (a saved journal, a serial-console
 * capture, pstore files copied away). Needs no kernel module.
 *
 * pstore's dmesg records start with a "Reason#N PartM" line; the parts of
 * one dump are read as one stream, oldest part (highest M) first, so that a
 * post-mortem cut across two parts is joined. A record the kernel could not
 * decompress is shown as NAME.enc.z, its deflate data as written (raw
 * deflate from the crypto API's "deflate" up to 6.5, zlib's raw deflate
 * from 6.6; an ECC notice may follow it): it is inflated here. Records of
 * the other compressors of 5.10-6.5 (lzo, lz4, lz4hc, 842, zstd) are not
 * read: the source says so.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lastboot.h"
#include "memattr.h"

#define LASTBOOT_PSTORE		"/sys/fs/pstore"
#ifndef PSTOREFS_MAGIC
#define PSTOREFS_MAGIC		0x6165676C
#endif
/* bounds for a compressed record: ramoops records are a few KiB */
#define LASTBOOT_ZIN_MAX	(16u << 20)
#define LASTBOOT_ZOUT_MAX	(64u << 20)	/* 4 KiB dumps inflate to ~16 KiB */
#define LASTBOOT_CHUNK		65536
#define LASTBOOT_STDIN_MAX	(1024u << 20)	/* "-": a journal, read whole */

struct lastboot_args {
	const char *pstore;	/* -d DIR */
	char **files;
	int nfiles;
};

struct lastboot_in {
	char *path;
	int fd;
	char *data;		/* a compressed record, inflated */
	size_t len;
	bool compressed;
	char *error;		/* not read, and why */
	bool dump;		/* starts with a pstore dump header */
	char why[32];
	unsigned long count, part;
	bool done;
};

static int lastboot_parse(int argc, char **argv, void *data, FILE *err)
{
	static const struct option opts[] = {
		{ "pstore",	required_argument,	NULL,	'd' },
		{ NULL,		0,			NULL,	0 },
	};
	struct lastboot_args *a = data;
	char **av;
	int c, ret = 0;

	av = memattr_cmd_argv("last-boot", argc, argv, err);
	if (!av)
		return -ENOMEM;
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc + 1, av, "+d:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->pstore = optarg;
			break;
		default:
			if (optopt == 'd')
				fprintf(err,
					"memattr: last-boot: option '-d' needs a directory; try 'memattr last-boot help'\n");
			else if (!strncmp(av[optind - 1], "--", 2))
				fprintf(err,
					"memattr: last-boot: invalid option '%s'; try 'memattr last-boot help'\n",
					av[optind - 1]);
			else
				fprintf(err,
					"memattr: last-boot: invalid option '-%c'; try 'memattr last-boot help'\n",
					optopt);
			ret = -EINVAL;
		}
	}
	if (!ret) {
		a->files = argv + optind - 1;
		a->nfiles = argc + 1 - optind;
	}
	free(av);
	return ret;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int read_all(int fd, size_t max, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *p;
	ssize_t r;

	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				free(buf);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : LASTBOOT_CHUNK;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (!r)
			break;
		len += r;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* A compressed record (NAME.enc.z), inflated into in->data. */
static int lastboot_unzip(struct memattr_ctx *ctx, struct lastboot_in *in)
{
	const char *why;
	size_t n = 0;
	char *raw = NULL;
	int err;

	err = read_all(in->fd, LASTBOOT_ZIN_MAX, &raw, &n);
	if (err) {
		fprintf(ctx->err, "memattr: last-boot: cannot read %s: %s\n",
			in->path, strerror(-err));
		return err;
	}
	err = lb_inflate(raw, n, LASTBOOT_ZOUT_MAX, &in->data, &in->len);
	if (err == -ENOMEM) {
		free(raw);
		fprintf(ctx->err, "memattr: last-boot: out of memory\n");
		return err;
	}
	if (err) {
		/* zstd has a magic number; lzo, lz4 and 842 have none */
		why = n >= 4 && !memcmp(raw, "\x28\xb5\x2f\xfd", 4) ?
		      "zstd data: only deflate is supported" :
		      "not deflate data (lzo, lz4, 842?): only deflate is supported";
		fprintf(ctx->err, "memattr: last-boot: %s: skipped: %s\n",
			in->path, why);
		in->error = strdup(why);
		if (!in->error)
			err = -ENOMEM;
		else
			err = 0;
	}
	free(raw);
	return err;
}

/* Open @in, read a compressed one whole, and look for a dump header. */
static int lastboot_open(struct memattr_ctx *ctx, struct lastboot_in *in)
{
	struct stat st;
	char head[64];
	size_t n, hl;
	ssize_t r;
	int err;

	if (!strcmp(in->path, "-"))
		in->fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	else
		in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0 || fstat(in->fd, &st)) {
		err = errno;
		fprintf(ctx->err, "memattr: last-boot: cannot read %s: %s\n",
			in->path, strerror(err));
		return -err;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(ctx->err,
			"memattr: last-boot: cannot read %s: it is a directory (for a copy of pstore's files: -d DIR)\n",
			in->path);
		return -EISDIR;
	}
	if (!strcmp(in->path, "-") || S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)) {
		/* a pipe cannot be read twice: keep it whole */
		err = read_all(in->fd, LASTBOOT_STDIN_MAX, &in->data, &in->len);
		if (err) {
			fprintf(ctx->err,
				"memattr: last-boot: cannot read %s: %s\n",
				strcmp(in->path, "-") ? in->path : "standard input",
				strerror(-err));
			return err;
		}
		n = in->len < sizeof(head) ? in->len : sizeof(head);
		if (n)
			memcpy(head, in->data, n);
	} else if (ends_with(in->path, ".enc.z")) {
		in->compressed = true;
		err = lastboot_unzip(ctx, in);
		if (err)
			return err;
		n = in->len < sizeof(head) ? in->len : sizeof(head);
		if (n)
			memcpy(head, in->data, n);
	} else {
		r = pread(in->fd, head, sizeof(head), 0);
		if (r < 0) {
			err = errno;
			fprintf(ctx->err,
				"memattr: last-boot: cannot read %s: %s\n",
				in->path, strerror(err));
			return -err;
		}
		n = r;
	}
	hl = lb_dump_header(head, n, &in->count, &in->part);
	if (hl) {
		in->dump = true;
		n = (const char *)memchr(head, '#', hl) - head;
		if (n >= sizeof(in->why))
			n = sizeof(in->why) - 1;
		memcpy(in->why, head, n);
		in->why[n] = '\0';
	}
	return 0;
}

/* Feed @in to the parser as one source. */
static int lastboot_read(struct memattr_ctx *ctx, struct lb *lb,
			 struct lastboot_in *in)
{
	char buf[LASTBOOT_CHUNK], head[64];
	struct lb_src *s;
	ssize_t r;
	long i;

	i = lb_src_add(lb, in->path);
	if (i < 0)
		return -ENOMEM;
	s = &lb->src[i];
	s->compressed = in->compressed;
	if (in->error) {
		s->error = strdup(in->error);
		return 0;
	}
	if (in->dump) {
		snprintf(head, sizeof(head), "%s#%lu Part%lu", in->why,
			 in->count, in->part);
		s->header = strdup(head);
	}
	if (in->data) {
		lb_feed(lb, in->data, in->len);
		lb_src_end(lb);
		return 0;
	}
	if (lseek(in->fd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		goto err;
	for (;;) {
		r = read(in->fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto err;
		if (!r)
			break;
		lb_feed(lb, buf, r);
	}
	lb_src_end(lb);
	return 0;
err:
	r = errno;
	fprintf(ctx->err, "memattr: last-boot: cannot read %s: %s\n",
		in->path, strerror((int)r));
	return -(int)r;
}

static int part_cmp(const void *a, const void *b)
{
	const struct lastboot_in *const *x = a, *const *y = b;

	/* the oldest part (the highest number) first */
	return (*x)->part < (*y)->part ? 1 : (*x)->part > (*y)->part ? -1 : 0;
}

/* Read every input, the parts of one pstore dump as one stream. */
static int lastboot_read_all(struct memattr_ctx *ctx, struct lb *lb,
			     struct lastboot_in *in, size_t n)
{
	struct lastboot_in **grp;
	size_t i, j, k;
	int err = 0;

	grp = calloc(n ? n : 1, sizeof(*grp));
	if (!grp)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		if (in[i].done)
			continue;
		k = 0;
		grp[k++] = &in[i];
		for (j = i + 1; in[i].dump && j < n; j++)
			if (in[j].dump && in[j].count == in[i].count &&
			    !strcmp(in[j].why, in[i].why))
				grp[k++] = &in[j];
		qsort(grp, k, sizeof(*grp), part_cmp);
		for (j = 0; j < k && !err; j++) {
			grp[j]->done = true;
			err = lastboot_read(ctx, lb, grp[j]);
		}
		lb_stream_end(lb);
	}
	free(grp);
	return err;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

/*
 * The files of a pstore directory into *in. @dflt: the default directory,
 * where its absence or emptiness is reported, not an error.
 */
static int lastboot_dir(struct memattr_ctx *ctx, const char *dir, bool dflt,
			struct lastboot_in **in, size_t *n)
{
	struct dirent **ents;
	struct statfs sfs;
	struct lastboot_in *p;
	int nents, i, err = 0;
	struct stat st;
	char *path;

	nents = scandir(dir, &ents, NULL, name_cmp);
	if (nents < 0) {
		err = errno;
		if (dflt && err == ENOENT) {
			fprintf(ctx->err,
				"memattr: last-boot: no %s (a kernel without CONFIG_PSTORE)\n",
				dir);
			return 0;
		}
		fprintf(ctx->err, "memattr: last-boot: cannot read %s: %s\n",
			dir, strerror(err));
		return -err;
	}
	if (dflt && !statfs(dir, &sfs) && sfs.f_type != PSTOREFS_MAGIC) {
		fprintf(ctx->err,
			"memattr: last-boot: pstore is not mounted on %s (mount -t pstore none %s)\n",
			dir, dir);
		dflt = false;	/* empty, of course */
	}
	for (i = 0; i < nents; i++) {
		if (err || ents[i]->d_name[0] == '.')
			goto next;
		if (asprintf(&path, "%s/%s", dir, ents[i]->d_name) < 0) {
			err = ENOMEM;
			goto next;
		}
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			goto next;
		}
		p = realloc(*in, (*n + 1) * sizeof(**in));
		if (!p) {
			free(path);
			err = ENOMEM;
			goto next;
		}
		*in = p;
		memset(&p[*n], 0, sizeof(p[*n]));
		p[*n].path = path;
		p[*n].fd = -1;
		(*n)++;
next:
		free(ents[i]);
	}
	free(ents);
	if (err) {
		fprintf(ctx->err, "memattr: last-boot: %s\n", strerror(err));
		return -err;
	}
	if (dflt && !*n)
		fprintf(ctx->err, "memattr: last-boot: %s is empty\n", dir);
	return 0;
}

/* ---- output ---- */

/* One record as a JSON object: its keys in order, integers as numbers. */
void lastboot_rec_json(struct pr *pr, const struct lb_rec *r)
{
	size_t i;

	pr_obj_open(pr, NULL);
	for (i = 0; i < r->nf; i++) {
		const struct lb_field *f = &r->f[i];

		if (!lb_field_is_number(f))
			pr_strn(pr, f->key, f->val, f->val_len);
		else if (f->val[0] == '-')
			pr_s64(pr, f->key, strtoll(f->val, NULL, 10));
		else
			pr_u64(pr, f->key, strtoull(f->val, NULL, 10));
	}
	pr_obj_close(pr);
}

void lastboot_print_json(struct pr *pr, const struct lb *lb)
{
	size_t i, j;

	pr_obj_open(pr, NULL);
	pr_arr_open(pr, "sources");
	for (i = 0; i < lb->nsrc; i++) {
		const struct lb_src *s = &lb->src[i];

		pr_obj_open(pr, NULL);
		pr_str(pr, "path", s->path);
		pr_str(pr, "header", s->header);
		pr_bool(pr, "compressed", s->compressed);
		pr_str(pr, "error", s->error);
		pr_u64(pr, "lines", s->lines);
		pr_u64(pr, "records", s->records);
		pr_u64(pr, "skipped", s->skipped);
		pr_obj_close(pr);
	}
	pr_arr_close(pr);
	pr_arr_open(pr, "events");
	for (i = 0; i < lb->nev; i++)
		lastboot_rec_json(pr, &lb->ev[i]);
	pr_arr_close(pr);
	pr_arr_open(pr, "reports");
	for (i = 0; i < lb->nrep; i++) {
		pr_obj_open(pr, NULL);
		pr_bool(pr, "complete", lb->rep[i].complete);
		pr_arr_open(pr, "lines");
		for (j = 0; j < lb->rep[i].n; j++)
			lastboot_rec_json(pr, &lb->rep[i].line[j]);
		pr_arr_close(pr);
		pr_obj_close(pr);
	}
	pr_arr_close(pr);
	pr_u64(pr, "skipped", lb->skipped);
	pr_u64(pr, "duplicates", lb->duplicates);
	pr_obj_close(pr);
}

static void text_time(FILE *f, const struct lb_rec *r)
{
	if (r->has_time)
		fprintf(f, "[%7llu.%03llu]",
			(unsigned long long)(r->time_ms / 1000),
			(unsigned long long)(r->time_ms % 1000));
	else
		fprintf(f, "[%11s]", "-");
}

/* key=value as logged (escaped: printable ASCII only) */
static void text_field(FILE *f, const struct lb_field *fl)
{
	fprintf(f, " %s=%.*s", fl->key, (int)fl->raw_len, fl->raw);
}

/* top<i>_<what>: a grower's field of an oom_kill; i in *i, what in *what */
static bool top_key(const char *key, unsigned long *i, const char **what)
{
	char *end;

	if (strncmp(key, "top", 3) || key[3] < '1' || key[3] > '9')
		return false;
	*i = strtoul(key + 3, &end, 10);
	if (*end != '_')
		return false;
	*what = end + 1;
	return true;
}

static void text_oom(FILE *f, const struct lb_rec *r)
{
	unsigned long i, max = 0, k;
	const char *what;
	size_t j;

	text_time(f, r);
	for (j = 0; j < r->nf; j++) {
		if (!strcmp(r->f[j].key, "event") ||
		    !strcmp(r->f[j].key, "time_ms"))
			continue;
		if (top_key(r->f[j].key, &i, &what)) {
			if (i > max)
				max = i;
			continue;
		}
		text_field(f, &r->f[j]);
	}
	fputc('\n', f);
	for (k = 1; k <= max && k < 100; k++) {
		bool any = false;

		for (j = 0; j < r->nf; j++) {
			if (!top_key(r->f[j].key, &i, &what) || i != k)
				continue;
			if (!any)
				fprintf(f, "%14sgrower %lu:", "", k);
			any = true;
			fprintf(f, " %s=%.*s", what, (int)r->f[j].raw_len,
				r->f[j].raw);
		}
		if (any)
			fputc('\n', f);
	}
}

void lastboot_print_text(FILE *f, const struct lb *lb)
{
	size_t i, j, k, nooms = 0;

	fprintf(f, "Sources:\n");
	if (!lb->nsrc)
		fprintf(f, "  none\n");
	for (i = 0; i < lb->nsrc; i++) {
		const struct lb_src *s = &lb->src[i];

		fprintf(f, "  %s", s->path);
		if (s->header)
			fprintf(f, " (%s)", s->header);
		if (s->error)
			fprintf(f, ": not read: %s\n", s->error);
		else
			fprintf(f, ": %zu lines, %zu records, %zu skipped%s\n",
				s->lines, s->records, s->skipped,
				s->compressed ? ", decompressed" : "");
	}
	if (!lb->nev && !lb->nrep) {
		fprintf(f, "\nNo memattr records found.\n");
		goto out;
	}
	fprintf(f, "\nEvents (%zu), at [seconds since that boot]:\n", lb->nev);
	if (!lb->nev)
		fprintf(f, "  none\n");
	for (i = 0; i < lb->nev; i++) {
		const struct lb_rec *r = &lb->ev[i];

		if (!strcmp(r->f[0].val, "oom_kill"))
			nooms++;
		text_time(f, r);
		fprintf(f, " %.*s", (int)r->f[0].raw_len, r->f[0].raw);
		for (j = 1; j < r->nf; j++)
			if (strcmp(r->f[j].key, "time_ms"))
				text_field(f, &r->f[j]);
		fputc('\n', f);
	}
	for (i = 0; i < lb->nrep; i++) {
		const struct lb_report *rep = &lb->rep[i];

		fprintf(f, "\nPost-mortem report %zu (", i + 1);
		if (rep->complete)
			fprintf(f, "complete):\n");
		else if (!rep->has_begin)
			fprintf(f, "incomplete: its beginning is missing):\n");
		else if (!rep->expected)
			fprintf(f, "incomplete: its end is missing):\n");
		else
			fprintf(f, "incomplete: %zu of its %zu lines):\n",
				rep->n, rep->expected);
		for (j = 0; j < rep->n; j++) {
			const struct lb_rec *r = &rep->line[j];

			fprintf(f, "  %.*s", (int)r->f[0].raw_len, r->f[0].raw);
			for (k = 1; k < r->nf; k++)
				text_field(f, &r->f[k]);
			fputc('\n', f);
		}
	}
	if (nooms) {
		fprintf(f, "\nOOM kills (%zu):\n", nooms);
		for (i = 0; i < lb->nev; i++)
			if (!strcmp(lb->ev[i].f[0].val, "oom_kill"))
				text_oom(f, &lb->ev[i]);
	}
out:
	if (lb->skipped || lb->duplicates)
		fprintf(f,
			"\n%zu lines skipped (not well-formed records), %zu duplicates dropped.\n",
			lb->skipped, lb->duplicates);
}

static int lastboot_run(struct memattr_ctx *ctx, const void *data)
{
	const struct lastboot_args *a = data;
	struct lastboot_in *in = NULL;
	int ret = MEMATTR_EXIT_FAIL;
	size_t n = 0, i;
	struct lb lb;

	lb_init(&lb);
	if (a->pstore || !a->nfiles) {
		if (lastboot_dir(ctx, a->pstore ? a->pstore : LASTBOOT_PSTORE,
				 !a->pstore, &in, &n))
			goto out;
	}
	if (a->nfiles) {
		struct lastboot_in *p = realloc(in, (n + a->nfiles) * sizeof(*in));

		if (!p)
			goto nomem;
		in = p;
		for (i = 0; i < (size_t)a->nfiles; i++) {
			memset(&in[n], 0, sizeof(in[n]));
			in[n].fd = -1;
			in[n].path = strdup(a->files[i]);
			if (!in[n++].path)
				goto nomem;
		}
	}
	for (i = 0; i < n; i++)
		if (lastboot_open(ctx, &in[i]))
			goto out;
	if (lastboot_read_all(ctx, &lb, in, n))
		goto out;
	lb_finish(&lb);
	if (lb.nomem)
		goto nomem;
	if (pr_is_json(ctx->pr))
		lastboot_print_json(ctx->pr, &lb);
	else
		lastboot_print_text(ctx->out, &lb);
	ret = MEMATTR_EXIT_OK;
	goto out;
nomem:
	fprintf(ctx->err, "memattr: last-boot: out of memory\n");
out:
	for (i = 0; i < n; i++) {
		if (in[i].fd >= 0)
			close(in[i].fd);
		free(in[i].path);
		free(in[i].data);
		free(in[i].error);
	}
	free(in);
	lb_free(&lb);
	return ret;
}

const struct memattr_command cmd_lastboot = {
	.name		= "last-boot",
	.args		= "[-d DIR] [FILE...]",
	.summary	= "memattr's events and post-mortem of an earlier boot",
	.help		=
"Read memattr's kernel log records of an earlier boot back: its events\n"
"(leak, leak_cleared, watermark, oom_kill) with their times, the post-mortem\n"
"reports printed at a panic, and the OOM kills. Needs no kernel module.\n"
"\n"
"Sources: with no FILE, every file of /sys/fs/pstore (root's): dmesg-*-N,\n"
"console-*-N, and NAME.enc.z, a record the kernel could not decompress:\n"
"deflate is inflated here, lzo, lz4, 842 and zstd are reported and skipped.\n"
"Each FILE: a saved 'journalctl -k' (any -o: short, export, json, cat,\n"
"verbose), 'dmesg' output, a raw /dev/kmsg capture, a serial-console\n"
"capture, a pstore file; - is standard input.\n"
"  -d, --pstore DIR  read DIR's files as pstore's, before any FILE: a copy,\n"
"                    or where systemd-pstore moved them at boot\n"
"                    (/var/lib/systemd/pstore, or a subdirectory of it)\n"
"Give one boot's log at a time (journalctl -k -b -1): times are that boot's.\n"
"\n"
"With no records it says so and exits 0. A source that cannot be read (a\n"
"missing file, no permission, a directory) is an error: exit 1. Lines that\n"
"start a record but are not well formed are skipped and counted; the same\n"
"record in two sources is shown once.\n"
"\n"
"Text: the sources; the events in time order, \"[seconds]\" since that\n"
"boot, the event and its fields as logged (escaped: \\xHH); each post-mortem\n"
"report; the OOM kills with their top growers.\n"
"With -j, one object: sources (array of {path, header, compressed, error,\n"
"lines, records, skipped}), events (array of objects, oldest first, every\n"
"field logged), reports (array of {complete, lines: array of objects, one\n"
"per report line}), skipped, duplicates. Fields keep their logged names,\n"
"values decoded; a decimal integer is a JSON number unless the key is a\n"
"name (comm, cgroup, name, path, version, or ending in _comm, _cgroup,\n"
"_name, _path).",
	.parse		= lastboot_parse,
	.args_size	= sizeof(struct lastboot_args),
	.run		= lastboot_run,
};
