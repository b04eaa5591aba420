/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading memattr's kernel log records back (memattr last-boot): a pure
 * parser over bytes, so tests and fuzzers can feed it directly.
 *
 * A record is the part of a line from its first "memattr: " on, when the
 * first field there is "event=" or "report=": space-separated key=value
 * fields, values escaped "\xHH" (the UAPI header's "Kernel log lines").
 * Whatever comes before "memattr: " (a syslog "<4>", a printk time, a
 * journal or serial-console prefix) is ignored. Two containers are undone
 * first: a /dev/kmsg record ("P,SEQ,USEC,FLAGS;text": the kernel escapes
 * '\\' there as "\x5c", so its \xHH are decoded once) and a journal JSON
 * object (the MESSAGE string or byte array). Lines of a post-mortem report
 * (first key "report") are gathered from report=begin to report=end.
 */
#ifndef MEMATTR_LASTBOOT_H
#define MEMATTR_LASTBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pr;

/* A raw line longer than this is skipped (and counted). */
#define LB_LINE_MAX	65536
/* A record (from its first key on) longer than this is skipped. */
#define LB_REC_MAX	4096

struct lb_field {
	char *key;
	char *val;		/* decoded; NUL-terminated, may hold NULs */
	size_t val_len;
	const char *raw;	/* the value as logged, escapes and all */
	size_t raw_len;
};

struct lb_rec {
	char *text;		/* the record as logged, from its first key */
	size_t text_len;
	struct lb_field *f;	/* in the order logged; f[0] is event or report */
	size_t nf;
	size_t src;		/* index of its source */
	size_t seq;		/* order of reading */
	bool has_time;		/* a numeric time_ms field */
	uint64_t time_ms;
};

struct lb_report {
	struct lb_rec *line;
	size_t n, cap;
	size_t expected;	/* the end line's lines=N; 0: not known */
	bool has_begin;		/* its report=begin line was read */
	/* begin and end read, and as many lines as the end line says */
	bool complete;
};

struct lb_src {
	char *path;
	char *header;		/* a pstore dmesg record's "Panic#1 Part1" */
	char *error;		/* why it was not read (not decompressible) */
	bool compressed;
	size_t lines, records, skipped;
};

struct lb {
	struct lb_src *src;
	size_t nsrc, srccap;
	struct lb_rec *ev;
	size_t nev, evcap;
	struct lb_report *rep;
	size_t nrep, repcap;
	long open;		/* the report being read; -1: none */
	size_t skipped;		/* memattr lines that were not records */
	size_t duplicates;	/* records seen twice, dropped (lb_finish) */
	size_t seq;
	/* the line being assembled by lb_feed() */
	char *buf;
	size_t len;
	bool overlong;
	bool nomem;
};

void lb_init(struct lb *lb);
/* Start reading a source; returns its index, or -1 when out of memory. */
long lb_src_add(struct lb *lb, const char *path);
/* Bytes of the current source, any chunking. */
void lb_feed(struct lb *lb, const void *buf, size_t len);
/*
 * The current source's end. A last line without a newline is counted; a
 * record there is skipped: it may have been cut.
 */
void lb_src_end(struct lb *lb);
/*
 * A stream's end: a report still open there is incomplete. The parts of one
 * pstore dump are one stream, so a report cut across them is joined.
 */
void lb_stream_end(struct lb *lb);
/* Sort the events by time and drop duplicates (the same record twice). */
void lb_finish(struct lb *lb);
void lb_free(struct lb *lb);

/* One line, without its newline (lb_feed() calls it). */
void lb_line(struct lb *lb, const char *p, size_t n);

/*
 * A pstore dmesg record's first line, "Reason#N PartM": its count and part
 * in *count and *part. Returns the header's length (without the newline),
 * 0 when @p does not start with one.
 */
size_t lb_dump_header(const char *p, size_t n, unsigned long *count,
		      unsigned long *part);

/*
 * A compressed pstore record (NAME.enc.z) inflated: raw deflate (what
 * pstore writes) or zlib-wrapped, at most @max bytes out, into *out (free
 * it). What follows the deflate stream (ramoops' ECC notice) is ignored; a
 * stream cut short gives what it held. -EBADMSG when it is not deflate,
 * -EFBIG past @max, -ENOMEM.
 */
int lb_inflate(const void *data, size_t n, size_t max, char **out,
	       size_t *outlen);

/* The value is a JSON number: a decimal integer that fits, not a name. */
bool lb_field_is_number(const struct lb_field *f);
const struct lb_field *lb_rec_get(const struct lb_rec *r, const char *key);

/* cmd_lastboot.c: what memattr last-boot prints, from lb_finish()'s lb */
void lastboot_rec_json(struct pr *pr, const struct lb_rec *r);
void lastboot_print_json(struct pr *pr, const struct lb *lb);
void lastboot_print_text(FILE *f, const struct lb *lb);

#endif /* MEMATTR_LASTBOOT_H */
