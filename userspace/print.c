// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text and JSON output from one tree of values; see print.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "util.h"

enum node_type {
	N_OBJ,
	N_ARR,
	N_STR,
	N_U64,
	N_S64,
	N_BOOL,
	N_NULL,
};

struct node {
	enum node_type type;
	char *key;
	struct node *parent;
	struct node *child;
	struct node *last;
	struct node *next;
	union {
		struct {
			char *p;
			size_t len;
		} s;
		uint64_t u;
		int64_t i;
		bool b;
	} v;
};

struct pr {
	FILE *out;
	unsigned int flags;
	int err;
	struct node *root;	/* top-level value being built */
	struct node *cur;	/* innermost open container; NULL at top level */
	unsigned long emitted;	/* top-level values written so far */
};

/* Growing output buffer; one fwrite() per top-level value. */
struct sbuf {
	char *p;
	size_t len;
	size_t cap;
	bool oom;
	bool human;	/* PR_HUMAN: sizes in KiB, MiB, GiB, TiB */
};

static void sb_grow(struct sbuf *sb, size_t more)
{
	size_t cap;
	char *p;

	if (sb->oom || sb->len + more < sb->cap)
		return;
	cap = sb->cap ? sb->cap : 256;
	while (cap <= sb->len + more)
		cap *= 2;
	p = realloc(sb->p, cap);
	if (!p) {
		sb->oom = true;
		return;
	}
	sb->p = p;
	sb->cap = cap;
}

static void sb_putn(struct sbuf *sb, const char *s, size_t n)
{
	if (!n)
		return;
	sb_grow(sb, n);
	if (sb->oom)
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

static void sb_puts(struct sbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

static void sb_putc(struct sbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

static void sb_pad(struct sbuf *sb, size_t n)
{
	if (!n)
		return;
	sb_grow(sb, n);
	if (sb->oom)
		return;
	memset(sb->p + sb->len, ' ', n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

static void sb_u64(struct sbuf *sb, unsigned long long val)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%llu", val);

	sb_putn(sb, tmp, n);
}

static void sb_s64(struct sbuf *sb, long long val)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%lld", val);

	sb_putn(sb, tmp, n);
}

void pr_human_kb(char *buf, size_t size, long long kb)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned long long v = kb < 0 ? -(unsigned long long)kb :
				 (unsigned long long)kb;
	unsigned long long unit = 1, tenths;
	size_t i = 0;

	if (v < 1024) {
		snprintf(buf, size, "%lld%s", kb, units[0]);
		return;
	}
	/* the largest unit that leaves at least 1, to a tenth, rounded */
	while (i + 1 < ARRAY_SIZE(units) && v / unit >= 1024) {
		unit *= 1024;
		i++;
	}
	tenths = v / unit * 10 + (v % unit * 10 + unit / 2) / unit;
	if (tenths >= 10240 && i + 1 < ARRAY_SIZE(units)) {
		unit *= 1024;
		i++;
		tenths = v / unit * 10 + (v % unit * 10 + unit / 2) / unit;
	}
	snprintf(buf, size, "%s%llu.%llu%s", kb < 0 ? "-" : "", tenths / 10,
		 tenths % 10, units[i]);
}

/* A size's key: "_kb" or "_kb_per_hour" at its end; what is left of it. */
static size_t kb_key(const char *key, bool *per_hour)
{
	size_t len = key ? strlen(key) : 0;

	*per_hour = false;
	if (len > 12 && !strcmp(key + len - 12, "_kb_per_hour")) {
		*per_hour = true;
		return len - 12;
	}
	if (len > 3 && !strcmp(key + len - 3, "_kb"))
		return len - 3;
	return 0;
}

/* How long a key shows: with PR_HUMAN, a size's without its unit. */
static size_t key_len(const struct sbuf *sb, const char *key)
{
	bool ph;
	size_t n = sb->human ? kb_key(key, &ph) : 0;

	return n ? n : strlen(key);
}

static void sb_key(struct sbuf *sb, const char *key)
{
	sb_putn(sb, key, key_len(sb, key));
}

/* A number under key: with PR_HUMAN, a size as 1.5MiB (per hour: /h). */
static void sb_number(struct sbuf *sb, const char *key, bool is_signed,
		      unsigned long long u, long long i)
{
	char tmp[32];
	bool ph;

	if (!sb->human || !kb_key(key, &ph) ||
	    (!is_signed && u > (unsigned long long)INT64_MAX)) {
		if (is_signed)
			sb_s64(sb, i);
		else
			sb_u64(sb, u);
		return;
	}
	pr_human_kb(tmp, sizeof(tmp), is_signed ? i : (long long)u);
	sb_puts(sb, tmp);
	if (ph)
		sb_puts(sb, "/h");
}

/* prefix, then c as two lower-case hex digits: "\\x1b", "\\u001b" */
static void sb_hex(struct sbuf *sb, const char *prefix, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	sb_puts(sb, prefix);
	sb_putc(sb, hex[c >> 4]);
	sb_putc(sb, hex[c & 0xf]);
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void json_str(struct sbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	sb_putc(sb, '"');
	while (i < len) {
		switch (s[i]) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\b':
			sb_puts(sb, "\\b");
			break;
		case '\f':
			sb_puts(sb, "\\f");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7f) {
				sb_hex(sb, "\\u00", s[i]);
			} else if (s[i] < 0x80) {
				sb_putc(sb, s[i]);
			} else {
				n = utf8_len(s + i, len - i);
				if (n) {
					sb_putn(sb, str + i, n);
					i += n;
					continue;
				}
				sb_puts(sb, "\\ufffd");
			}
		}
		i++;
	}
	sb_putc(sb, '"');
}

/*
 * Characters that a terminal acts on rather than shows: C1 controls
 * (U+0080..U+009F) and the bidirectional overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069), which can reorder what is displayed.
 */
static bool utf8_is_control(const unsigned char *s, size_t n)
{
	if (n == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	if (n == 3 && s[0] == 0xe2 && s[1] == 0x80)
		return s[2] >= 0xaa && s[2] <= 0xae;
	if (n == 3 && s[0] == 0xe2 && s[1] == 0x81)
		return s[2] >= 0xa6 && s[2] <= 0xa9;
	return false;
}

/*
 * Text: printable ASCII and printable UTF-8 as is; control characters,
 * DEL and bytes that are not UTF-8 as \xNN, byte by byte.
 */
static void text_str_sp(struct sbuf *sb, const char *str, size_t len,
			bool esc_space)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_len(s + i, len - i);
		if (n == 1 && s[i] >= 0x20 && s[i] != 0x7f &&
		    !(esc_space && s[i] == ' ')) {
			sb_putc(sb, s[i]);
		} else if (n > 1 && !utf8_is_control(s + i, n)) {
			sb_putn(sb, str + i, n);
		} else {
			sb_hex(sb, "\\x", s[i]);
			n = 1;
		}
		i += n;
	}
}

static void text_str(struct sbuf *sb, const char *str, size_t len)
{
	text_str_sp(sb, str, len, false);
}

char *pr_text_escape(const char *val, size_t len)
{
	struct sbuf sb = {};

	sb_grow(&sb, len + 1);
	if (!sb.oom)
		sb.p[0] = '\0';
	text_str(&sb, val, len);
	if (sb.oom) {
		free(sb.p);
		return NULL;
	}
	return sb.p;
}

/* Display width of escaped text: one column per code point. */
static size_t text_width(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static bool is_number(const struct node *n)
{
	return n->type == N_U64 || n->type == N_S64;
}

/* ---- tree ---- */

static void node_free(struct node *n)
{
	struct node *c, *next;

	if (!n)
		return;
	for (c = n->child; c; c = next) {
		next = c->next;
		node_free(c);
	}
	if (n->type == N_STR)
		free(n->v.s.p);
	free(n->key);
	free(n);
}

static void pr_fail(struct pr *pr, int err)
{
	if (!pr->err)
		pr->err = err;
}

static void pr_emit(struct pr *pr);

static struct node *pr_add(struct pr *pr, enum node_type type,
			   const char *key)
{
	struct node *n;

	if (pr->err)
		return NULL;
	/* members of an object need a key; array elements and roots not */
	if (!!key != (pr->cur && pr->cur->type == N_OBJ)) {
		pr_fail(pr, -EINVAL);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n && key) {
		n->key = strdup(key);
		if (!n->key) {
			free(n);
			n = NULL;
		}
	}
	if (!n) {
		pr_fail(pr, -ENOMEM);
		return NULL;
	}
	n->type = type;
	n->parent = pr->cur;
	if (!pr->cur) {
		pr->root = n;
	} else if (pr->cur->last) {
		pr->cur->last->next = n;
		pr->cur->last = n;
	} else {
		pr->cur->child = n;
		pr->cur->last = n;
	}
	return n;
}

/* A scalar at top level is complete as soon as it is added. */
static void pr_added_scalar(struct pr *pr)
{
	if (!pr->cur)
		pr_emit(pr);
}

static void pr_open(struct pr *pr, enum node_type type, const char *key)
{
	struct node *n = pr_add(pr, type, key);

	if (n)
		pr->cur = n;
}

static void pr_close(struct pr *pr, enum node_type type)
{
	if (pr->err)
		return;
	if (!pr->cur || pr->cur->type != type) {
		pr_fail(pr, -EINVAL);
		return;
	}
	pr->cur = pr->cur->parent;
	if (!pr->cur)
		pr_emit(pr);
}

void pr_obj_open(struct pr *pr, const char *key)
{
	pr_open(pr, N_OBJ, key);
}

void pr_obj_close(struct pr *pr)
{
	pr_close(pr, N_OBJ);
}

void pr_arr_open(struct pr *pr, const char *key)
{
	pr_open(pr, N_ARR, key);
}

void pr_arr_close(struct pr *pr)
{
	pr_close(pr, N_ARR);
}

void pr_strn(struct pr *pr, const char *key, const char *val, size_t len)
{
	struct node *n = pr_add(pr, N_STR, key);

	if (!n)
		return;
	n->v.s.p = malloc(len + 1);
	if (!n->v.s.p) {
		n->type = N_NULL;
		pr_fail(pr, -ENOMEM);
		return;
	}
	if (len)
		memcpy(n->v.s.p, val, len);
	n->v.s.p[len] = '\0';
	n->v.s.len = len;
	pr_added_scalar(pr);
}

void pr_str(struct pr *pr, const char *key, const char *val)
{
	if (!val)
		pr_null(pr, key);
	else
		pr_strn(pr, key, val, strlen(val));
}

void pr_u64(struct pr *pr, const char *key, uint64_t val)
{
	struct node *n = pr_add(pr, N_U64, key);

	if (!n)
		return;
	n->v.u = val;
	pr_added_scalar(pr);
}

void pr_s64(struct pr *pr, const char *key, int64_t val)
{
	struct node *n = pr_add(pr, N_S64, key);

	if (!n)
		return;
	n->v.i = val;
	pr_added_scalar(pr);
}

void pr_bool(struct pr *pr, const char *key, bool val)
{
	struct node *n = pr_add(pr, N_BOOL, key);

	if (!n)
		return;
	n->v.b = val;
	pr_added_scalar(pr);
}

void pr_null(struct pr *pr, const char *key)
{
	if (pr_add(pr, N_NULL, key))
		pr_added_scalar(pr);
}

/* ---- JSON ---- */

static void json_indent(struct sbuf *sb, unsigned int depth)
{
	sb_putc(sb, '\n');
	sb_pad(sb, 2 * depth);
}

static void json_node(struct sbuf *sb, const struct node *n, bool pretty,
		      unsigned int depth)
{
	const struct node *c;

	switch (n->type) {
	case N_OBJ:
	case N_ARR:
		sb_putc(sb, n->type == N_OBJ ? '{' : '[');
		for (c = n->child; c; c = c->next) {
			if (c != n->child)
				sb_putc(sb, ',');
			if (pretty)
				json_indent(sb, depth + 1);
			if (n->type == N_OBJ) {
				json_str(sb, c->key, strlen(c->key));
				sb_puts(sb, pretty ? ": " : ":");
			}
			json_node(sb, c, pretty, depth + 1);
		}
		if (pretty && n->child)
			json_indent(sb, depth);
		sb_putc(sb, n->type == N_OBJ ? '}' : ']');
		break;
	case N_STR:
		json_str(sb, n->v.s.p, n->v.s.len);
		break;
	case N_U64:
		sb_u64(sb, n->v.u);
		break;
	case N_S64:
		sb_s64(sb, n->v.i);
		break;
	case N_BOOL:
		sb_puts(sb, n->v.b ? "true" : "false");
		break;
	case N_NULL:
		sb_puts(sb, "null");
		break;
	}
}

/* ---- text ---- */

/* A value on one line: scalars, and containers flattened. */
static void text_inline(struct sbuf *sb, const struct node *n,
			const char *sep)
{
	const struct node *c;

	switch (n->type) {
	case N_OBJ:
	case N_ARR:
		if (!n->child)
			sb_putc(sb, '-');
		for (c = n->child; c; c = c->next) {
			if (c != n->child)
				sb_puts(sb, sep);
			if (n->type == N_OBJ) {
				sb_key(sb, c->key);
				sb_putc(sb, '=');
			}
			text_inline(sb, c, ",");
		}
		break;
	case N_STR:
		if (n->v.s.len)
			text_str(sb, n->v.s.p, n->v.s.len);
		else
			sb_puts(sb, "\"\"");	/* not nothing: keep columns */
		break;
	case N_U64:
		sb_number(sb, n->key, false, n->v.u, 0);
		break;
	case N_S64:
		sb_number(sb, n->key, true, 0, n->v.i);
		break;
	case N_BOOL:
		sb_puts(sb, n->v.b ? "true" : "false");
		break;
	case N_NULL:
		sb_putc(sb, '-');
		break;
	}
}

/* Rendered on lines of its own below a "key:" line, or inline? */
static bool text_is_block(const struct node *n)
{
	if (n->type == N_OBJ)
		return n->child;
	return n->type == N_ARR && n->child && n->child->type == N_OBJ;
}

static size_t text_inline_width(const struct node *n, const char *sep,
				bool human)
{
	struct sbuf tmp = { .human = human };
	size_t w;

	text_inline(&tmp, n, sep);
	w = tmp.oom ? 0 : text_width(tmp.p, tmp.len);
	free(tmp.p);
	return w;
}

static void text_table(struct sbuf *sb, const struct node *arr,
		       unsigned int indent);

static void text_obj(struct sbuf *sb, const struct node *obj,
		     unsigned int indent)
{
	const struct node *c;
	size_t w = 0;

	for (c = obj->child; c; c = c->next)
		if (!text_is_block(c) && key_len(sb, c->key) > w)
			w = key_len(sb, c->key);
	for (c = obj->child; c; c = c->next) {
		sb_pad(sb, indent);
		sb_key(sb, c->key);
		if (text_is_block(c)) {
			sb_puts(sb, ":\n");
			if (c->type == N_OBJ)
				text_obj(sb, c, indent + 2);
			else
				text_table(sb, c, indent + 2);
			continue;
		}
		sb_pad(sb, w - key_len(sb, c->key) + 2);
		text_inline(sb, c, ", ");
		sb_putc(sb, '\n');
	}
}

struct col {
	const char *key;
	size_t width;
	bool number;
};

static const struct node *obj_get(const struct node *obj, const char *key)
{
	const struct node *c;

	if (obj->type != N_OBJ)
		return NULL;
	for (c = obj->child; c; c = c->next)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

/* The columns: every key of every row, in order of first appearance. */
static int table_cols(const struct node *arr, struct col **colsp,
		      size_t *ncols, const struct sbuf *sb)
{
	const struct node *row, *c;
	struct col *cols = NULL, *tmp;
	size_t n = 0, i, w;

	for (row = arr->child; row; row = row->next) {
		for (c = row->type == N_OBJ ? row->child : NULL; c;
		     c = c->next) {
			for (i = 0; i < n; i++)
				if (!strcmp(cols[i].key, c->key))
					break;
			if (i == n) {
				tmp = realloc(cols, (n + 1) * sizeof(*cols));
				if (!tmp) {
					free(cols);
					return -ENOMEM;
				}
				cols = tmp;
				cols[n].key = c->key;
				cols[n].width = key_len(sb, c->key);
				cols[n].number = true;
				n++;
			}
			w = text_inline_width(c, ",", sb->human);
			if (w > cols[i].width)
				cols[i].width = w;
			if (!is_number(c))
				cols[i].number = false;
		}
	}
	*colsp = cols;
	*ncols = n;
	return 0;
}

static void table_cell(struct sbuf *sb, const struct col *col, bool last,
		       const struct node *val, const char *hdr)
{
	struct sbuf tmp = { .human = sb->human };
	size_t w, i, len;

	if (hdr) {
		len = key_len(sb, hdr);
		for (i = 0; i < len; i++)
			sb_putc(&tmp, hdr[i] >= 'a' && hdr[i] <= 'z' ?
				      hdr[i] - 'a' + 'A' : hdr[i]);
	} else if (val) {
		text_inline(&tmp, val, ",");
	} else {
		sb_putc(&tmp, '-');
	}
	if (tmp.oom) {
		sb->oom = true;
		return;
	}
	w = text_width(tmp.p, tmp.len);
	if (col->number)
		sb_pad(sb, col->width - w);
	sb_putn(sb, tmp.p, tmp.len);
	if (!col->number && !last)
		sb_pad(sb, col->width - w);
	free(tmp.p);
}

static void table_row(struct sbuf *sb, const struct col *cols, size_t ncols,
		      const struct node *row, unsigned int indent)
{
	size_t i;

	sb_pad(sb, indent);
	for (i = 0; i < ncols; i++) {
		if (i)
			sb_puts(sb, "  ");
		table_cell(sb, &cols[i], i + 1 == ncols,
			   row ? obj_get(row, cols[i].key) : NULL,
			   row ? NULL : cols[i].key);
	}
	sb_putc(sb, '\n');
}

static void text_table(struct sbuf *sb, const struct node *arr,
		       unsigned int indent)
{
	const struct node *row;
	struct col *cols;
	size_t ncols;

	if (table_cols(arr, &cols, &ncols, sb)) {
		sb->oom = true;
		return;
	}
	if (!ncols)
		return;		/* only empty objects: nothing to show */
	table_row(sb, cols, ncols, NULL, indent);
	for (row = arr->child; row; row = row->next)
		table_row(sb, cols, ncols, row, indent);
	free(cols);
}

static void text_node(struct sbuf *sb, const struct node *n)
{
	const struct node *c;

	if (n->type == N_OBJ) {
		text_obj(sb, n, 0);
	} else if (text_is_block(n)) {
		text_table(sb, n, 0);
	} else if (n->type == N_ARR) {
		for (c = n->child; c; c = c->next) {
			text_inline(sb, c, ", ");
			sb_putc(sb, '\n');
		}
	} else {
		text_inline(sb, n, ", ");
		sb_putc(sb, '\n');
	}
}

/* PR_LINE: one value on one line of key=value pairs; see print.h. */
static void line_node(struct sbuf *sb, const struct node *n, bool top)
{
	const struct node *c;

	switch (n->type) {
	case N_OBJ:
	case N_ARR:
		if (!top)
			sb_putc(sb, n->type == N_OBJ ? '{' : '[');
		for (c = n->child; c; c = c->next) {
			if (c != n->child)
				sb_putc(sb, top ? ' ' : ',');
			if (n->type == N_OBJ) {
				sb_key(sb, c->key);
				sb_putc(sb, '=');
			}
			line_node(sb, c, false);
		}
		if (!top)
			sb_putc(sb, n->type == N_OBJ ? '}' : ']');
		break;
	case N_STR:
		if (n->v.s.len)
			text_str_sp(sb, n->v.s.p, n->v.s.len, true);
		else
			sb_puts(sb, "\"\"");
		break;
	default:
		text_inline(sb, n, ",");
		break;
	}
}

/* ---- output ---- */

static void pr_emit(struct pr *pr)
{
	struct sbuf sb = { .human = !(pr->flags & PR_JSON) &&
				    (pr->flags & PR_HUMAN) };

	if (pr->flags & PR_JSON) {
		json_node(&sb, pr->root, pr->flags & PR_PRETTY, 0);
		sb_putc(&sb, '\n');
	} else if (pr->flags & PR_LINE) {
		line_node(&sb, pr->root, true);
		sb_putc(&sb, '\n');
	} else {
		if (pr->emitted)
			sb_putc(&sb, '\n');
		text_node(&sb, pr->root);
	}
	if (sb.oom)
		pr_fail(pr, -ENOMEM);
	else if (sb.len && fwrite(sb.p, 1, sb.len, pr->out) != sb.len)
		pr_fail(pr, -EIO);
	free(sb.p);
	node_free(pr->root);
	pr->root = NULL;
	pr->emitted++;
}

struct pr *pr_new(FILE *out, unsigned int flags)
{
	struct pr *pr = calloc(1, sizeof(*pr));

	if (!pr)
		return NULL;
	pr->out = out;
	pr->flags = flags;
	return pr;
}

int pr_error(const struct pr *pr)
{
	if (pr->err)
		return pr->err;
	return ferror(pr->out) ? -EIO : 0;
}

bool pr_is_json(const struct pr *pr)
{
	return pr->flags & PR_JSON;
}

int pr_free(struct pr *pr)
{
	int err;

	if (!pr)
		return 0;
	if (pr->cur)
		pr_fail(pr, -EINVAL);	/* left open */
	node_free(pr->root);
	if (fflush(pr->out))
		pr_fail(pr, -EIO);
	err = pr_error(pr);
	free(pr);
	return err;
}
