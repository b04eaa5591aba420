// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser behind memattr last-boot: lines in, memattr records out (see
 * lastboot.h). Bad input never fails: a line that starts a memattr record
 * but does not parse is counted as skipped, any other line is some other
 * kernel message and is passed over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lastboot.h"
#include "util.h"

static const char lb_marker[] = "memattr: ";

void lb_init(struct lb *lb)
{
	memset(lb, 0, sizeof(*lb));
	lb->open = -1;
}

static bool lb_grow(struct lb *lb, void **p, size_t *cap, size_t n,
		    size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *q;

	if (n < *cap)
		return true;
	q = realloc(*p, c * size);
	if (!q) {
		lb->nomem = true;
		return false;
	}
	*p = q;
	*cap = c;
	return true;
}

long lb_src_add(struct lb *lb, const char *path)
{
	struct lb_src *s;

	if (!lb_grow(lb, (void **)&lb->src, &lb->srccap, lb->nsrc,
		     sizeof(*lb->src)))
		return -1;
	s = &lb->src[lb->nsrc];
	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	if (!s->path) {
		lb->nomem = true;
		return -1;
	}
	lb->len = 0;
	lb->overlong = false;
	return (long)lb->nsrc++;
}

static int lb_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void lb_rec_free(struct lb_rec *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		free(r->f[i].key);
		free(r->f[i].val);
	}
	free(r->f);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

static bool lb_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/*
 * One field "key=value" of @len bytes at @p into @f. The value's bytes are
 * 0x21..0x7e but '=' and '"'; a '\\' starts "\xHH".
 */
static int lb_field_parse(struct lb_field *f, const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);
	size_t i, klen, n = 0;
	char *v;

	if (!eq || eq == p)
		return -EINVAL;
	klen = eq - p;
	for (i = 0; i < klen; i++)
		if (!lb_key_char(p[i]))
			return -EINVAL;
	f->raw = eq + 1;
	f->raw_len = len - klen - 1;
	v = malloc(f->raw_len + 1);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < f->raw_len; i++) {
		unsigned char c = f->raw[i];
		int hi, lo;

		if (c < 0x21 || c > 0x7e || c == '=' || c == '"')
			goto bad;
		if (c != '\\') {
			v[n++] = c;
			continue;
		}
		if (i + 3 >= f->raw_len || f->raw[i + 1] != 'x')
			goto bad;
		hi = lb_hex(f->raw[i + 2]);
		lo = lb_hex(f->raw[i + 3]);
		if (hi < 0 || lo < 0)
			goto bad;
		v[n++] = (char)(hi << 4 | lo);
		i += 3;
	}
	v[n] = '\0';
	f->key = strndup(p, klen);
	if (!f->key) {
		free(v);
		return -ENOMEM;
	}
	f->val = v;
	f->val_len = n;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

static bool lb_is_decimal(const char *s, size_t n, bool *neg)
{
	size_t i = 0;

	*neg = n && s[0] == '-';
	if (*neg)
		i++;
	if (i == n || (s[i] == '0' && n - i > 1))
		return false;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool lb_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Keys whose values are names: strings even when they look like numbers
 * (a process may call itself "42"), so that a key keeps one JSON type.
 */
static bool lb_key_is_name(const char *key)
{
	static const char *const names[] = { "comm", "cgroup", "name", "path" };
	size_t i;

	if (!strcmp(key, "version"))
		return true;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char suffix[16] = "_";

		if (!strcmp(key, names[i]))
			return true;
		strcat(suffix, names[i]);
		if (lb_ends_with(key, suffix))
			return true;
	}
	return false;
}

bool lb_field_is_number(const struct lb_field *f)
{
	bool neg;
	char *end;

	if (lb_key_is_name(f->key) ||
	    !lb_is_decimal(f->val, f->val_len, &neg))
		return false;
	errno = 0;
	if (neg)
		strtoll(f->val, &end, 10);
	else
		strtoull(f->val, &end, 10);
	return !errno && *end == '\0';
}

const struct lb_field *lb_rec_get(const struct lb_rec *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		if (!strcmp(r->f[i].key, key))
			return &r->f[i];
	return NULL;
}

/*
 * The record of @n bytes at @p (from its first key on) into @r. -EINVAL
 * when it is not one: a field that does not parse, a key twice, two spaces.
 */
static int lb_rec_parse(struct lb_rec *r, const char *p, size_t n)
{
	size_t i, start, cap = 0;
	int err;

	memset(r, 0, sizeof(*r));
	while (n && p[n - 1] == ' ')
		n--;
	if (!n || n > LB_REC_MAX)
		return -EINVAL;
	/* not strndup(): a NUL in the line must not shorten it */
	r->text = malloc(n + 1);
	if (!r->text)
		return -ENOMEM;
	memcpy(r->text, p, n);
	r->text[n] = '\0';
	r->text_len = n;
	p = r->text;
	for (start = 0, i = 0; i <= n; i++) {
		struct lb_field *f;
		size_t j;

		if (i < n && p[i] != ' ')
			continue;
		if (r->nf == cap) {
			cap = cap ? cap * 2 : 16;
			f = realloc(r->f, cap * sizeof(*f));
			if (!f) {
				err = -ENOMEM;
				goto err;
			}
			r->f = f;
		}
		f = &r->f[r->nf];
		memset(f, 0, sizeof(*f));
		err = lb_field_parse(f, p + start, i - start);
		if (err)
			goto err;
		r->nf++;
		for (j = 0; j + 1 < r->nf; j++)
			if (!strcmp(r->f[j].key, f->key)) {
				err = -EINVAL;
				goto err;
			}
		start = i + 1;
	}
	return 0;
err:
	lb_rec_free(r);
	return err;
}

static void lb_report_add(struct lb *lb, struct lb_rec *r)
{
	const char *sect = r->f[0].val;
	struct lb_report *rep;

	if (!strcmp(sect, "begin"))
		lb->open = -1;
	if (lb->open < 0) {
		if (!lb_grow(lb, (void **)&lb->rep, &lb->repcap, lb->nrep,
			     sizeof(*lb->rep))) {
			lb_rec_free(r);
			return;
		}
		rep = &lb->rep[lb->nrep];
		memset(rep, 0, sizeof(*rep));
		rep->has_begin = !strcmp(sect, "begin");
		lb->open = (long)lb->nrep++;
	}
	rep = &lb->rep[lb->open];
	if (!lb_grow(lb, (void **)&rep->line, &rep->cap, rep->n,
		     sizeof(*rep->line))) {
		lb_rec_free(r);
		return;
	}
	rep->line[rep->n++] = *r;
	if (!strcmp(sect, "end")) {
		const struct lb_field *f = lb_rec_get(r, "lines");

		if (f && lb_field_is_number(f) && f->val[0] != '-')
			rep->expected = strtoull(f->val, NULL, 10);
		rep->complete = rep->has_begin &&
				(!rep->expected || rep->expected == rep->n);
		lb->open = -1;
	}
}

static void lb_record(struct lb *lb, const char *p, size_t n)
{
	struct lb_src *s = &lb->src[lb->nsrc - 1];
	const struct lb_field *t;
	struct lb_rec r;
	int err;

	err = lb_rec_parse(&r, p, n);
	if (err) {
		if (err == -ENOMEM)
			lb->nomem = true;
		s->skipped++;
		lb->skipped++;
		return;
	}
	r.src = lb->nsrc - 1;
	r.seq = lb->seq++;
	t = lb_rec_get(&r, "time_ms");
	if (t && lb_field_is_number(t) && t->val[0] != '-') {
		r.has_time = true;
		r.time_ms = strtoull(t->val, NULL, 10);
	}
	s->records++;
	if (!strcmp(r.f[0].key, "report")) {
		lb_report_add(lb, &r);
		return;
	}
	if (!lb_grow(lb, (void **)&lb->ev, &lb->evcap, lb->nev,
		     sizeof(*lb->ev))) {
		lb_rec_free(&r);
		return;
	}
	lb->ev[lb->nev++] = r;
}

/* "P,SEQ,USEC,FLAGS;": a /dev/kmsg record; its length, or 0. */
static size_t lb_kmsg_prefix(const char *p, size_t n)
{
	size_t i = 0, commas = 0;
	bool digit = false;

	for (; i < n && commas < 3; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			digit = true;
		} else if (p[i] == ',' && digit) {
			commas++;
			digit = false;
		} else {
			return 0;
		}
	}
	for (; i < n && i < 64; i++)
		if (p[i] == ';')
			return i + 1;
	return 0;
}

/* /dev/kmsg's escaping (every \xHH) undone, in place; the new length. */
static size_t lb_kmsg_unescape(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int hi = -1, lo = -1;

		if (p[i] == '\\' && i + 3 < n && p[i + 1] == 'x') {
			hi = lb_hex(p[i + 2]);
			lo = lb_hex(p[i + 3]);
		}
		if (hi >= 0 && lo >= 0) {
			p[o++] = (char)(hi << 4 | lo);
			i += 3;
			continue;
		}
		p[o++] = p[i];
	}
	return o;
}

static size_t lb_utf8(char *o, unsigned long c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static long lb_hex4(const char *p)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		h = lb_hex(p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/*
 * A JSON string at @p (after its opening quote) into @o (room for @n
 * bytes: a string never grows when decoded). Returns the decoded length, or
 * -1 when it is not a well-formed string.
 */
static long lb_json_str(const char *p, size_t n, char *o)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		long c, c2;

		if (p[i] == '"')
			return (long)k;
		if (p[i] != '\\') {
			o[k++] = p[i];
			continue;
		}
		if (++i >= n)
			return -1;
		switch (p[i]) {
		case '"': case '\\': case '/':
			o[k++] = p[i];
			break;
		case 'b':
			o[k++] = '\b';
			break;
		case 'f':
			o[k++] = '\f';
			break;
		case 'n':
			o[k++] = '\n';
			break;
		case 'r':
			o[k++] = '\r';
			break;
		case 't':
			o[k++] = '\t';
			break;
		case 'u':
			if (i + 4 >= n)
				return -1;
			c = lb_hex4(p + i + 1);
			if (c < 0)
				return -1;
			i += 4;
			c2 = -1;
			if (c >= 0xd800 && c < 0xdc00 && i + 6 < n &&
			    p[i + 1] == '\\' && p[i + 2] == 'u')
				c2 = lb_hex4(p + i + 3);
			if (c2 >= 0xdc00 && c2 < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
				i += 6;
			}
			k += lb_utf8(o + k, (unsigned long)c);
			break;
		default:
			return -1;
		}
	}
	return -1;
}

/* A JSON array of byte values [1,2,...] into @o; the length or -1. */
static long lb_json_bytes(const char *p, size_t n, char *o)
{
	size_t i = 0, k = 0;

	for (;;) {
		unsigned long v = 0;
		size_t d = 0;

		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == ']' && !k)
			return 0;
		for (; i < n && p[i] >= '0' && p[i] <= '9' && d < 4; i++, d++)
			v = v * 10 + (p[i] - '0');
		if (!d || v > 255)
			return -1;
		o[k++] = (char)v;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n)
			return -1;
		if (p[i] == ']')
			return (long)k;
		if (p[i++] != ',')
			return -1;
	}
}

/*
 * A journal JSON line (journalctl -o json, json-pretty, json-seq): the
 * MESSAGE value decoded into @o. Returns its length, -1 when the line holds
 * no MESSAGE or a malformed one.
 */
static long lb_journal_json(const char *p, size_t n, char *o)
{
	static const char key[] = "\"MESSAGE\"";
	const char *k = memmem(p, n, key, sizeof(key) - 1);
	size_t i;

	if (!k)
		return -1;
	i = k - p + sizeof(key) - 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n || p[i++] != ':')
		return -1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '"')
		return lb_json_str(p + i + 1, n - i - 1, o);
	if (i < n && p[i] == '[')
		return lb_json_bytes(p + i + 1, n - i - 1, o);
	return -1;
}

/* The line holds what looks like a memattr record: skipped, not passed. */
static bool lb_looks_like_record(const char *p, size_t n)
{
	return memmem(p, n, "memattr: event=", 15) ||
	       memmem(p, n, "memattr: report=", 16);
}

void lb_line(struct lb *lb, const char *p, size_t n)
{
	struct lb_src *s = &lb->src[lb->nsrc - 1];
	const char *m;
	char *tmp = NULL;
	size_t k;
	long len;

	s->lines++;
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	k = lb_kmsg_prefix(p, n);
	if (k) {
		tmp = malloc(n - k + 1);
		if (!tmp)
			goto nomem;
		memcpy(tmp, p + k, n - k);
		n = lb_kmsg_unescape(tmp, n - k);
		p = tmp;
	} else if (memmem(p, n, "\"MESSAGE\"", 9)) {
		tmp = malloc(n + 1);
		if (!tmp)
			goto nomem;
		len = lb_journal_json(p, n, tmp);
		if (len < 0) {
			if (lb_looks_like_record(p, n)) {
				s->skipped++;
				lb->skipped++;
			}
			free(tmp);
			return;
		}
		p = tmp;
		n = (size_t)len;
	}
	m = memmem(p, n, lb_marker, sizeof(lb_marker) - 1);
	if (m) {
		m += sizeof(lb_marker) - 1;
		k = n - (m - p);
		if ((k >= 6 && !memcmp(m, "event=", 6)) ||
		    (k >= 7 && !memcmp(m, "report=", 7)))
			lb_record(lb, m, k);
	}
	free(tmp);
	return;
nomem:
	lb->nomem = true;
}

void lb_feed(struct lb *lb, const void *buf, size_t len)
{
	const char *p = buf, *nl;

	while (len) {
		size_t k;

		nl = memchr(p, '\n', len);
		k = nl ? (size_t)(nl - p) : len;
		if (!lb->overlong && lb->len + k > LB_LINE_MAX) {
			lb->overlong = true;
			lb->len = 0;
		}
		if (!lb->overlong) {
			if (!lb->buf) {
				lb->buf = malloc(LB_LINE_MAX + 1);
				if (!lb->buf) {
					lb->nomem = true;
					return;
				}
			}
			memcpy(lb->buf + lb->len, p, k);
			lb->len += k;
		}
		if (!nl)
			return;
		if (lb->overlong) {
			lb->src[lb->nsrc - 1].lines++;
			lb->src[lb->nsrc - 1].skipped++;
			lb->skipped++;
		} else {
			lb_line(lb, lb->buf, lb->len);
		}
		lb->len = 0;
		lb->overlong = false;
		p += k + 1;
		len -= k + 1;
	}
}

void lb_src_end(struct lb *lb)
{
	struct lb_src *s = &lb->src[lb->nsrc - 1];

	/*
	 * A last line without its newline was cut (a capture stopped, a
	 * kernel died mid-line): a value in it may be short, so a record
	 * there is not believed.
	 */
	if (lb->overlong || (lb->len && lb_looks_like_record(lb->buf, lb->len))) {
		s->lines++;
		s->skipped++;
		lb->skipped++;
	} else if (lb->len) {
		s->lines++;
	}
	lb->len = 0;
	lb->overlong = false;
}

void lb_stream_end(struct lb *lb)
{
	lb->open = -1;
}

/* Inflate @n bytes: zlib-wrapped when the header says so, raw otherwise. */
static int lb_inflate_bits(const unsigned char *in, size_t n, int bits,
			   size_t max, char **out, size_t *outlen)
{
	size_t cap = 4 * n + 4096;
	char *buf = NULL, *p;
	z_stream z = { 0 };
	int ret;

	if (cap > max)
		cap = max;
	if (inflateInit2(&z, bits) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	for (;;) {
		if (cap > max) {
			ret = -EFBIG;
			break;
		}
		p = realloc(buf, cap);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		buf = p;
		z.next_out = (unsigned char *)buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		ret = inflate(&z, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			ret = 0;	/* what follows (ECC notice) is not ours */
			break;
		}
		if (ret == Z_OK && !z.avail_out) {
			cap *= 2;
			continue;
		}
		/* cut short: keep what it held, if anything */
		ret = ret == Z_BUF_ERROR && z.total_out ? 0 : -EBADMSG;
		break;
	}
	*outlen = z.total_out;
	inflateEnd(&z);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	return 0;
}

int lb_inflate(const void *data, size_t n, size_t max, char **out,
	       size_t *outlen)
{
	const unsigned char *in = data;
	bool zlib = n >= 2 && (in[0] & 0x0f) == 8 && (in[0] >> 4) <= 7 &&
		    ((in[0] << 8) | in[1]) % 31 == 0;

	if (!lb_inflate_bits(in, n, zlib ? 15 : -15, max, out, outlen))
		return 0;
	return lb_inflate_bits(in, n, zlib ? -15 : 15, max, out, outlen);
}

size_t lb_dump_header(const char *p, size_t n, unsigned long *count,
		      unsigned long *part)
{
	size_t i = 0;
	char *end;

	while (i < n && i < 32 && ((p[i] >= 'A' && p[i] <= 'Z') ||
				   (p[i] >= 'a' && p[i] <= 'z')))
		i++;
	if (!i || i >= n || p[i] != '#' || i + 1 >= n ||
	    p[i + 1] < '0' || p[i + 1] > '9')
		return 0;
	*count = strtoul(p + i + 1, &end, 10);
	i = end - p;
	if (n - i < 6 || memcmp(p + i, " Part", 5) || p[i + 5] < '0' ||
	    p[i + 5] > '9')
		return 0;
	*part = strtoul(p + i + 5, &end, 10);
	i = end - p;
	if (i < n && p[i] != '\n')
		return 0;
	return i;
}

static int lb_ev_cmp_dup(const void *a, const void *b)
{
	const struct lb_rec *x = a, *y = b;
	int c;

	if (x->text_len != y->text_len)
		return x->text_len < y->text_len ? -1 : 1;
	c = memcmp(x->text, y->text, x->text_len);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* By time; records without a time last; then in the order read. */
static int lb_ev_cmp_time(const void *a, const void *b)
{
	const struct lb_rec *x = a, *y = b;

	if (x->has_time != y->has_time)
		return x->has_time ? -1 : 1;
	if (x->has_time && x->time_ms != y->time_ms)
		return x->time_ms < y->time_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool lb_rec_eq(const struct lb_rec *x, const struct lb_rec *y)
{
	return x->text_len == y->text_len &&
	       !memcmp(x->text, y->text, x->text_len);
}

/* @a's lines are a run of @b's lines. */
static bool lb_report_within(const struct lb_report *a,
			     const struct lb_report *b)
{
	size_t i, j;

	if (a->n > b->n)
		return false;
	for (i = 0; i + a->n <= b->n; i++) {
		for (j = 0; j < a->n; j++)
			if (!lb_rec_eq(&a->line[j], &b->line[i + j]))
				break;
		if (j == a->n)
			return true;
	}
	return false;
}

static void lb_report_free(struct lb_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		lb_rec_free(&rep->line[i]);
	free(rep->line);
	memset(rep, 0, sizeof(*rep));
}

void lb_finish(struct lb *lb)
{
	size_t i, j, o;

	if (!lb->nev)
		goto reports;
	/* the same record from two sources (dmesg and console, two dumps) */
	qsort(lb->ev, lb->nev, sizeof(*lb->ev), lb_ev_cmp_dup);
	for (i = 0, o = 0; i < lb->nev; i++) {
		if (o && lb_rec_eq(&lb->ev[o - 1], &lb->ev[i])) {
			lb_rec_free(&lb->ev[i]);
			lb->duplicates++;
			continue;
		}
		lb->ev[o++] = lb->ev[i];
	}
	lb->nev = o;
	qsort(lb->ev, lb->nev, sizeof(*lb->ev), lb_ev_cmp_time);
reports:
	/* a report, or a piece of one, that another holds whole */
	for (i = 0; i < lb->nrep; i++) {
		for (j = 0; j < lb->nrep; j++) {
			if (i == j || !lb->rep[j].n ||
			    !lb_report_within(&lb->rep[i], &lb->rep[j]))
				continue;
			if (lb->rep[i].n == lb->rep[j].n && i < j)
				continue;	/* the same: keep the first */
			break;
		}
		if (j < lb->nrep) {
			lb_report_free(&lb->rep[i]);
			lb->duplicates++;
		}
	}
	for (i = 0, o = 0; i < lb->nrep; i++)
		if (lb->rep[i].n)
			lb->rep[o++] = lb->rep[i];
	lb->nrep = o;
}

void lb_free(struct lb *lb)
{
	size_t i;

	for (i = 0; i < lb->nev; i++)
		lb_rec_free(&lb->ev[i]);
	free(lb->ev);
	for (i = 0; i < lb->nrep; i++)
		lb_report_free(&lb->rep[i]);
	free(lb->rep);
	for (i = 0; i < lb->nsrc; i++) {
		free(lb->src[i].path);
		free(lb->src[i].header);
		free(lb->src[i].error);
	}
	free(lb->src);
	free(lb->buf);
	lb_init(lb);
}
