// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small encoder of pprof's profile.proto (perftools.profiles.Profile),
 * gzip through zlib, folded stacks and a text top list: see pprof.h.
 *
 * Wire format: every field is a varint (wire type 0) or length-delimited
 * (wire type 2: strings, nested messages, packed repeated varints). The
 * string table is interned while the rest is encoded and written last:
 * decoders take fields in any order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pprof.h"

/* ---- the model ---- */

void pprof_init(struct pprof_profile *p)
{
	memset(p, 0, sizeof(*p));
}

void pprof_free(struct pprof_profile *p)
{
	size_t i;

	for (i = 0; i < p->nstacks; i++)
		free(p->stack[i].frames);
	for (i = 0; i < p->nmaps; i++) {
		free(p->map[i].path);
		free(p->map[i].build_id);
	}
	free(p->stack);
	free(p->map);
	pprof_init(p);
}

int pprof_add_type(struct pprof_profile *p, const char *type, const char *unit)
{
	if (p->ntypes >= PPROF_MAX_TYPES)
		return -1;
	p->type[p->ntypes].type = type;
	p->type[p->ntypes].unit = unit;
	return p->ntypes++;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	na = realloc(*arr, ncap * size);
	if (!na)
		return -ENOMEM;
	*arr = na;
	*cap = ncap;
	return 0;
}

static struct pprof_stack *new_stack(struct pprof_profile *p,
				     const int64_t *value)
{
	struct pprof_stack *s;

	if (grow((void **)&p->stack, &p->cap_stacks, p->nstacks, sizeof(*s)))
		return NULL;
	s = &p->stack[p->nstacks];
	memset(s, 0, sizeof(*s));
	memcpy(s->value, value, p->ntypes * sizeof(*value));
	return s;
}

int pprof_add_stack(struct pprof_profile *p, const uint64_t *frames,
		    unsigned int depth, const int64_t *value)
{
	struct pprof_stack *s;

	if (!depth)
		return -EINVAL;
	s = new_stack(p, value);
	if (!s)
		return -ENOMEM;
	s->frames = malloc(depth * sizeof(*frames));
	if (!s->frames)
		return -ENOMEM;
	memcpy(s->frames, frames, depth * sizeof(*frames));
	s->depth = depth;
	p->nstacks++;
	return 0;
}

int pprof_add_pseudo(struct pprof_profile *p, const char *name,
		     const int64_t *value)
{
	struct pprof_stack *s = new_stack(p, value);

	if (!s)
		return -ENOMEM;
	s->pseudo = name;
	p->nstacks++;
	return 0;
}

int pprof_add_mapping(struct pprof_profile *p, uint64_t start, uint64_t limit,
		      uint64_t offset, const char *path, const char *build_id,
		      bool has_functions)
{
	struct pprof_mapping *m;

	if (grow((void **)&p->map, &p->cap_maps, p->nmaps, sizeof(*m)))
		return -ENOMEM;
	m = &p->map[p->nmaps];
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->limit = limit;
	m->offset = offset;
	m->has_functions = has_functions;
	m->path = strdup(path ? path : "");
	m->build_id = build_id && *build_id ? strdup(build_id) : NULL;
	if (!m->path || (build_id && *build_id && !m->build_id)) {
		free(m->path);
		free(m->build_id);
		return -ENOMEM;
	}
	p->nmaps++;
	return 0;
}

/* The address to look up for frame @i: callers' return addresses less 1. */
static uint64_t frame_addr(const struct pprof_stack *s, unsigned int i)
{
	return i && s->frames[i] ? s->frames[i] - 1 : s->frames[i];
}

/* The mapping's index holding @addr, or -1. */
static long find_map(const struct pprof_profile *p, uint64_t addr)
{
	size_t i;

	for (i = 0; i < p->nmaps; i++)
		if (addr >= p->map[i].start && addr < p->map[i].limit)
			return i;
	return -1;
}

static const char *resolve(const struct pprof_profile *p, uint64_t addr)
{
	return p->name ? p->name(p->name_ctx, addr) : NULL;
}

/*
 * The display name of an address: its function, else "file+0xOFFSET"
 * from its mapping, else "0xADDRESS". Returns @buf or a resolver string.
 */
static const char *display(const struct pprof_profile *p, uint64_t addr,
			   char *buf, size_t size)
{
	const char *name = resolve(p, addr), *base;
	long mi;

	if (name)
		return name;
	mi = find_map(p, addr);
	if (mi >= 0 && p->map[mi].path[0]) {
		base = strrchr(p->map[mi].path, '/');
		base = base ? base + 1 : p->map[mi].path;
		snprintf(buf, size, "%s+0x%" PRIx64, base,
			 addr - p->map[mi].start + p->map[mi].offset);
	} else {
		snprintf(buf, size, "0x%" PRIx64, addr);
	}
	return buf;
}

/* ---- protobuf ---- */

struct pb {
	uint8_t *d;
	size_t len, cap;
	int err;
};

static void pb_bytes(struct pb *b, const void *src, size_t n)
{
	size_t ncap;
	uint8_t *nd;

	if (b->err)
		return;
	if (b->len + n > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n)
			ncap *= 2;
		nd = realloc(b->d, ncap);
		if (!nd) {
			b->err = -ENOMEM;
			return;
		}
		b->d = nd;
		b->cap = ncap;
	}
	memcpy(b->d + b->len, src, n);
	b->len += n;
}

static void pb_varint(struct pb *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	pb_bytes(b, tmp, n);
}

/* A varint field; proto3 leaves zero values out. */
static void pb_u64(struct pb *b, unsigned int field, uint64_t v)
{
	if (!v)
		return;
	pb_varint(b, (uint64_t)field << 3);
	pb_varint(b, v);
}

static void pb_i64(struct pb *b, unsigned int field, int64_t v)
{
	pb_u64(b, field, (uint64_t)v);
}

static void pb_len(struct pb *b, unsigned int field, const void *d, size_t n)
{
	pb_varint(b, (uint64_t)field << 3 | 2);
	pb_varint(b, n);
	pb_bytes(b, d, n);
}

/* A nested message or packed field from @sub, which is then emptied. */
static void pb_sub(struct pb *b, unsigned int field, struct pb *sub)
{
	if (sub->err)
		b->err = sub->err;
	else
		pb_len(b, field, sub->d, sub->len);
	sub->len = 0;
	sub->err = 0;
}

/* ---- interning: strings and u64 keys, open addressing ---- */

struct strtab {
	const char **s;		/* by index; [0] is "" */
	size_t n, cap;
	uint32_t *slot;		/* index + 1, 0 empty */
	size_t nslots;
};

static uint64_t hash_bytes(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

static int strtab_rehash(struct strtab *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64, i, j;
	uint32_t *slot = calloc(ns, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		j = hash_bytes(t->s[i]) & (ns - 1);
		while (slot[j])
			j = (j + 1) & (ns - 1);
		slot[j] = i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslots = ns;
	return 0;
}

/* The index of @s (kept by pointer: it must outlive the table), or -1. */
static int64_t strtab_get(struct strtab *t, const char *s)
{
	size_t j;

	if (!s)
		s = "";
	if (!*s && t->n)
		return 0;
	if ((t->n + 1) * 2 > t->nslots && strtab_rehash(t))
		return -1;
	j = hash_bytes(s) & (t->nslots - 1);
	while (t->slot[j]) {
		if (!strcmp(t->s[t->slot[j] - 1], s))
			return t->slot[j] - 1;
		j = (j + 1) & (t->nslots - 1);
	}
	if (grow((void **)&t->s, &t->cap, t->n, sizeof(*t->s)))
		return -1;
	t->s[t->n] = s;
	t->slot[j] = t->n + 1;
	return t->n++;
}

struct idmap {
	uint64_t *key;		/* 0 is never a key here: keys are stored +1 */
	uint64_t *val;
	size_t n, nslots;
};

static uint64_t hash_u64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static int idmap_rehash(struct idmap *m)
{
	size_t ns = m->nslots ? m->nslots * 2 : 64, i, j;
	uint64_t *key = calloc(ns, sizeof(*key)), *val = calloc(ns, sizeof(*val));

	if (!key || !val) {
		free(key);
		free(val);
		return -ENOMEM;
	}
	for (i = 0; i < m->nslots; i++) {
		if (!m->key[i])
			continue;
		j = hash_u64(m->key[i]) & (ns - 1);
		while (key[j])
			j = (j + 1) & (ns - 1);
		key[j] = m->key[i];
		val[j] = m->val[i];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->nslots = ns;
	return 0;
}

/* The slot of @k (k + 1 stored); *found says whether it was there. */
static long idmap_slot(struct idmap *m, uint64_t k, bool *found)
{
	size_t j;

	k++;
	if ((m->n + 1) * 2 > m->nslots && idmap_rehash(m))
		return -1;
	j = hash_u64(k) & (m->nslots - 1);
	while (m->key[j] && m->key[j] != k)
		j = (j + 1) & (m->nslots - 1);
	*found = m->key[j] == k;
	if (!*found) {
		m->key[j] = k;
		m->n++;
	}
	return j;
}

/* ---- the encoder ---- */

struct enc {
	const struct pprof_profile *p;
	struct pb out, sub, sub2;
	struct strtab str;
	struct idmap loc;	/* address -> location id */
	struct idmap fn;	/* string index -> function id */
	struct idmap pseudo;	/* string index -> location id */
	uint64_t nloc, nfn;
	uint64_t *ids;		/* one stack's location ids */
	size_t cap_ids;
};

static int64_t str(struct enc *e, const char *s)
{
	int64_t i = strtab_get(&e->str, s);

	if (i < 0)
		e->out.err = -ENOMEM;
	return i < 0 ? 0 : i;
}

static void value_type(struct enc *e, unsigned int field,
		       const struct pprof_type *t)
{
	struct pb vt = { 0 };

	pb_i64(&vt, 1, str(e, t->type));
	pb_i64(&vt, 2, str(e, t->unit));
	pb_sub(&e->out, field, &vt);
	free(vt.d);
}

/* The function id of @name, emitting the Function on first use. */
static uint64_t function_id(struct enc *e, const char *name)
{
	int64_t si = str(e, name);
	bool found;
	long j = idmap_slot(&e->fn, si, &found);

	if (j < 0) {
		e->out.err = -ENOMEM;
		return 0;
	}
	if (found)
		return e->fn.val[j];
	e->fn.val[j] = ++e->nfn;
	pb_u64(&e->sub2, 1, e->nfn);
	pb_i64(&e->sub2, 2, si);
	pb_i64(&e->sub2, 3, si);
	pb_sub(&e->out, 5, &e->sub2);
	return e->nfn;
}

/* A Location's Line naming @name, into e->sub. */
static void line(struct enc *e, const char *name)
{
	struct pb ln = { 0 };

	pb_u64(&ln, 1, function_id(e, name));
	pb_sub(&e->sub, 4, &ln);
	free(ln.d);
}

static uint64_t location_id(struct enc *e, uint64_t addr)
{
	const char *name;
	bool found;
	long j = idmap_slot(&e->loc, addr, &found), mi;

	if (j < 0) {
		e->out.err = -ENOMEM;
		return 0;
	}
	if (found)
		return e->loc.val[j];
	e->loc.val[j] = ++e->nloc;
	pb_u64(&e->sub, 1, e->nloc);
	mi = find_map(e->p, addr);
	if (mi >= 0)
		pb_u64(&e->sub, 2, mi + 1);
	pb_u64(&e->sub, 3, addr);
	name = resolve(e->p, addr);
	if (name)
		line(e, name);
	pb_sub(&e->out, 4, &e->sub);
	return e->nloc;
}

static uint64_t pseudo_id(struct enc *e, const char *name)
{
	bool found;
	long j = idmap_slot(&e->pseudo, str(e, name), &found);

	if (j < 0) {
		e->out.err = -ENOMEM;
		return 0;
	}
	if (found)
		return e->pseudo.val[j];
	e->pseudo.val[j] = ++e->nloc;
	pb_u64(&e->sub, 1, e->nloc);
	line(e, name);
	pb_sub(&e->out, 4, &e->sub);
	return e->nloc;
}

static void sample(struct enc *e, const struct pprof_stack *s)
{
	unsigned int i, n = s->depth ? s->depth : 1;
	struct pb packed = { 0 }, smp = { 0 };

	if (grow((void **)&e->ids, &e->cap_ids, n, sizeof(*e->ids))) {
		e->out.err = -ENOMEM;
		return;
	}
	/* locations first: they are emitted into e->out as they appear */
	if (s->depth)
		for (i = 0; i < s->depth; i++)
			e->ids[i] = location_id(e, frame_addr(s, i));
	else
		e->ids[0] = pseudo_id(e, s->pseudo ? s->pseudo : "[unknown]");
	for (i = 0; i < n; i++)
		pb_varint(&packed, e->ids[i]);
	pb_sub(&smp, 1, &packed);
	for (i = 0; i < e->p->ntypes; i++)
		pb_varint(&packed, (uint64_t)s->value[i]);
	pb_sub(&smp, 2, &packed);
	pb_sub(&e->out, 2, &smp);
	free(packed.d);
	free(smp.d);
}

static void mapping(struct enc *e, size_t i)
{
	const struct pprof_mapping *m = &e->p->map[i];

	pb_u64(&e->sub, 1, i + 1);
	pb_u64(&e->sub, 2, m->start);
	pb_u64(&e->sub, 3, m->limit);
	pb_u64(&e->sub, 4, m->offset);
	pb_i64(&e->sub, 5, str(e, m->path));
	pb_i64(&e->sub, 6, str(e, m->build_id));
	pb_u64(&e->sub, 7, m->has_functions);
	pb_sub(&e->out, 3, &e->sub);
}

int pprof_encode(const struct pprof_profile *p, uint8_t **out, size_t *len)
{
	struct enc e = { .p = p };
	unsigned int i;
	size_t k;
	int err;

	str(&e, "");
	for (i = 0; i < p->ntypes; i++)
		value_type(&e, 1, &p->type[i]);
	for (k = 0; k < p->nmaps; k++)
		mapping(&e, k);
	for (k = 0; k < p->nstacks; k++)
		sample(&e, &p->stack[k]);
	pb_i64(&e.out, 9, p->time_nanos);
	pb_i64(&e.out, 10, p->duration_nanos);
	if (p->period_type.type)
		value_type(&e, 11, &p->period_type);
	pb_i64(&e.out, 12, p->period);
	if (p->ntypes && p->default_type < p->ntypes)
		pb_i64(&e.out, 14, str(&e, p->type[p->default_type].type));
	for (k = 0; k < e.str.n; k++)
		pb_len(&e.out, 6, e.str.s[k], strlen(e.str.s[k]));

	err = e.out.err;
	free(e.sub.d);
	free(e.sub2.d);
	free(e.str.s);
	free(e.str.slot);
	free(e.loc.key);
	free(e.loc.val);
	free(e.fn.key);
	free(e.fn.val);
	free(e.pseudo.key);
	free(e.pseudo.val);
	free(e.ids);
	if (err) {
		free(e.out.d);
		return err;
	}
	*out = e.out.d;
	*len = e.out.len;
	return 0;
}

int pprof_write_gz(const struct pprof_profile *p, FILE *f)
{
	uint8_t *msg, chunk[16384];
	z_stream zs = { 0 };
	size_t len;
	int err, zr;

	err = pprof_encode(p, &msg, &len);
	if (err)
		return err;
	/* windowBits 15 + 16: a gzip header and trailer, mtime 0 */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(msg);
		return -ENOMEM;
	}
	zs.next_in = msg;
	zs.avail_in = len;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zr = deflate(&zs, Z_FINISH);
		if (zr == Z_STREAM_ERROR) {
			err = -EIO;
			break;
		}
		if (fwrite(chunk, 1, sizeof(chunk) - zs.avail_out, f) !=
		    sizeof(chunk) - zs.avail_out) {
			err = -EIO;
			break;
		}
	} while (zr != Z_STREAM_END);
	deflateEnd(&zs);
	free(msg);
	if (!err && fflush(f))
		err = -EIO;
	return err;
}

/* ---- text renderings ---- */

#define NAME_BUF	128

int pprof_write_folded(const struct pprof_profile *p, unsigned int ti,
		       FILE *f)
{
	char buf[NAME_BUF];
	size_t k;
	unsigned int i;

	if (ti >= p->ntypes)
		return -EINVAL;
	for (k = 0; k < p->nstacks; k++) {
		const struct pprof_stack *s = &p->stack[k];

		if (!s->value[ti])
			continue;
		if (!s->depth)
			fputs(s->pseudo ? s->pseudo : "[unknown]", f);
		for (i = s->depth; i-- > 0;) {
			fputs(display(p, frame_addr(s, i), buf, sizeof(buf)), f);
			if (i)
				fputc(';', f);
		}
		fprintf(f, " %" PRId64 "\n", s->value[ti]);
	}
	return ferror(f) ? -EIO : 0;
}

struct site {
	char *name;
	int64_t flat, cum;
	size_t last;		/* the stack that last added to cum, + 1 */
};

static int site_cmp(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Adds @v to the site @name (flat when @leaf), once per stack @k. */
static int site_add(struct site **sites, size_t *n, size_t *cap,
		    const char *name, int64_t v, bool leaf, size_t k)
{
	struct site *s = NULL;
	size_t i;

	for (i = 0; i < *n; i++) {
		if (!strcmp((*sites)[i].name, name)) {
			s = &(*sites)[i];
			break;
		}
	}
	if (!s) {
		if (grow((void **)sites, cap, *n, sizeof(**sites)))
			return -ENOMEM;
		s = &(*sites)[(*n)];
		memset(s, 0, sizeof(*s));
		s->name = strdup(name);
		if (!s->name)
			return -ENOMEM;
		(*n)++;
	}
	if (leaf)
		s->flat += v;
	if (s->last != k + 1) {
		s->cum += v;
		s->last = k + 1;
	}
	return 0;
}

static double pct(int64_t v, int64_t total)
{
	return total ? 100.0 * (double)v / (double)total : 0.0;
}

int pprof_write_top(const struct pprof_profile *p, unsigned int ti,
		    unsigned int max, FILE *f)
{
	struct site *sites = NULL;
	size_t n = 0, cap = 0, k;
	int64_t total = 0;
	char buf[NAME_BUF];
	unsigned int i;
	int err = 0;

	if (ti >= p->ntypes)
		return -EINVAL;
	for (k = 0; k < p->nstacks && !err; k++) {
		const struct pprof_stack *s = &p->stack[k];
		int64_t v = s->value[ti];

		total += v;
		if (!s->depth)
			err = site_add(&sites, &n, &cap,
				       s->pseudo ? s->pseudo : "[unknown]",
				       v, true, k);
		for (i = 0; i < s->depth && !err; i++)
			err = site_add(&sites, &n, &cap,
				       display(p, frame_addr(s, i), buf,
					       sizeof(buf)), v, !i, k);
	}
	if (!err) {
		qsort(sites, n, sizeof(*sites), site_cmp);
		fprintf(f, "%s/%s total %" PRId64 "\n", p->type[ti].type,
			p->type[ti].unit, total);
		fprintf(f, "%14s %6s %14s %6s  %s\n", "flat", "flat%", "cum",
			"cum%", "site");
		for (k = 0; k < n && k < max; k++)
			fprintf(f, "%14" PRId64 " %5.1f%% %14" PRId64
				" %5.1f%%  %s\n", sites[k].flat,
				pct(sites[k].flat, total), sites[k].cum,
				pct(sites[k].cum, total), sites[k].name);
		if (ferror(f))
			err = -EIO;
	}
	for (k = 0; k < n; k++)
		free(sites[k].name);
	free(sites);
	return err;
}
