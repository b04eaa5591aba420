// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardening storms: the module under abuse, at a scale a test of features
 * never reaches. Four scenarios, each asserting what must still hold:
 *
 *   netlink_fuzz      random and mutated generic netlink messages, as root
 *                     and as nobody, interleaved with valid requests whose
 *                     answers must stay right; the config stays unchanged
 *   fork_exec         fork+exit and fork+exec storms; the tracked processes
 *                     and the module's own memory return to their baseline
 *   reload_under_load rmmod/insmod cycles while page faults, mmap, fork and
 *                     netlink dump storms run
 *   oom_kills         OOM kills in a row, then a memory.oom.group kill of
 *                     four processes: each victim reported exactly once,
 *                     under its name at the kill
 *
 * Every scenario ends with the module loaded, answering, its config as it
 * was loaded. MEMATTR_STORM_SCALE (percent, 1..100, default 100) scales the
 * counts down for the slower lanes, MEMATTR_STORM_SCALE_FUZZ, _FORK and
 * _RELOAD one scenario's; MEMATTR_STORM_SEED sets the fuzzer's
 * seed (default fixed, printed).
 */
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define NOBODY		65534
#define STORM_SEED	0x5eed2026ULL

static long long mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * @full scaled by MEMATTR_STORM_SCALE_<@what> percent, or else by
 * MEMATTR_STORM_SCALE, never below @min.
 */
static long mt_scaled(const char *what, long full, long min)
{
	char name[64];
	const char *env;
	long pct, n;

	snprintf(name, sizeof(name), "MEMATTR_STORM_SCALE_%s", what);
	env = getenv(name);
	if (!env)
		env = getenv("MEMATTR_STORM_SCALE");
	pct = env ? strtol(env, NULL, 10) : 100;

	if (pct < 1 || pct > 100)
		pct = 100;
	n = full * pct / 100;
	return n < min ? min : n;
}

/* --- netlink helpers ------------------------------------------------------ */

static void mt_sock_timeout(int fd, int sec)
{
	struct timeval tv = { sec, 0 };
	int rcvbuf = 1 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
}

/* A doit with no attribute. Return: 0, a positive errno, or -1: no reply. */
static int mt_get(struct genl_sock *s, uint8_t cmd, struct mt_reply *rep)
{
	struct genl_ack ack;
	struct genl_req r;
	int ret;

	genl_req_init(&r, s->family, cmd, NLM_F_ACK);
	rep->len = 0;
	ret = genl_do(s, &r, mt_keep_cb, rep, &ack);
	if (ret)
		return -ret;
	if (ack.err)
		return ack.err;
	return rep->len ? 0 : -1;
}

/* What must not change: every parameter file and the GET_CONFIG reply. */
struct mt_conf {
	char params[2048];
	char nl[512];		/* GET_CONFIG's attributes, as sent */
	int nl_len;
};

/* Return: 0, or what failed (a static string). */
static const char *mt_conf_read(struct genl_sock *s, struct mt_conf *c)
{
	static struct mt_reply rep;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)rep.buf;
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	memset(c, 0, sizeof(*c));
	d = opendir(MEMATTR_PARAMS);
	if (!d)
		return "opendir " MEMATTR_PARAMS;
	while ((de = readdir(d))) {
		char path[300], val[128];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", de->d_name);
		if (mt_read_file(path, val, sizeof(val)) < 0) {
			closedir(d);
			return "reading a parameter";
		}
		len += snprintf(c->params + len, sizeof(c->params) - len,
				"%s=%s", de->d_name, val);
		if (len >= sizeof(c->params)) {
			closedir(d);
			return "too many parameters";
		}
	}
	closedir(d);
	if (mt_get(s, MEMATTR_CMD_GET_CONFIG, &rep))
		return "GET_CONFIG failed";
	if (genl_attr_len(nlh) <= 0 || genl_attr_len(nlh) > (int)sizeof(c->nl) ||
	    genl_attrs_check(genl_attr_first(nlh), genl_attr_len(nlh)))
		return "GET_CONFIG reply malformed";
	c->nl_len = genl_attr_len(nlh);
	memcpy(c->nl, genl_attr_first(nlh), c->nl_len);
	return NULL;
}

/* The module's own counters, from GET_STATS. */
struct mt_stats {
	long long tracked, own_mem, samples;
};

/* Return: 0, or -1 when GET_STATS failed or lacked them. */
static int mt_get_stats(struct genl_sock *s, struct mt_stats *st)
{
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + 1];
	static struct mt_reply rep;

	if (mt_get(s, MEMATTR_CMD_GET_STATS, &rep) ||
	    genl_parse_msg((struct nlmsghdr *)rep.buf, tb, MEMATTR_A_STATS_MAX) ||
	    !tb[MEMATTR_A_STATS_TRACKED_PROCS] ||
	    !tb[MEMATTR_A_STATS_OWN_MEM_BYTES])
		return -1;
	st->tracked = genl_u32(tb[MEMATTR_A_STATS_TRACKED_PROCS]);
	st->own_mem = genl_u64(tb[MEMATTR_A_STATS_OWN_MEM_BYTES]);
	st->samples = tb[MEMATTR_A_STATS_SAMPLES] ?
		      (long long)genl_u64(tb[MEMATTR_A_STATS_SAMPLES]) : -1;
	return 0;
}

/* GET_PROC doit of @pid. Return: the pid it answered, or -errno / -1. */
static int mt_get_proc_pid(struct genl_sock *s, pid_t pid)
{
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
	static struct mt_reply rep;
	struct genl_ack ack;
	struct genl_req r;
	int ret;

	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROC, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROC_PID, pid);
	rep.len = 0;
	ret = genl_do(s, &r, mt_keep_cb, &rep, &ack);
	if (ret)
		return ret;
	if (ack.err)
		return -ack.err;
	if (!rep.len || genl_parse_msg((struct nlmsghdr *)rep.buf, tb,
				       MEMATTR_A_PROC_MAX) ||
	    !tb[MEMATTR_A_PROC_PID])
		return -1;
	return genl_u32(tb[MEMATTR_A_PROC_PID]);
}

/*
 * Is @nlh, a message the kernel sent to a memattr socket, well formed:
 * an ACK or error, a NLMSG_DONE, or a memattr message whose attributes
 * exactly fill it? Return: NULL, or what is wrong.
 */
static const char *mt_malformed(const struct nlmsghdr *nlh, uint16_t family)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlmsgerr *e = NLMSG_DATA(nlh);

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		int off = sizeof(*e);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return "short NLMSG_ERROR";
		if (e->error > 0 || e->error < -4095)
			return "NLMSG_ERROR with an error out of range";
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    ((int)nlh->nlmsg_len - NLMSG_HDRLEN < off ||
		     genl_attrs_check((const char *)e + off,
				      (int)nlh->nlmsg_len - NLMSG_HDRLEN - off)))
			return "NLMSG_ERROR with malformed extended ACK";
		return NULL;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return "short NLMSG_DONE";
		if (*(const int *)NLMSG_DATA(nlh) > 0)
			return "NLMSG_DONE with a positive error";
		return NULL;
	}
	if (nlh->nlmsg_type != family)
		return "a message of an unexpected type";
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return "a memattr message shorter than its genl header";
	/* Replies: the GET_* commands (GET_PROFILE's dump for a fuzzed pid). */
	if ((g->cmd < MEMATTR_CMD_GET_STATS || g->cmd > MEMATTR_CMD_GET_CONFIG) &&
	    g->cmd != MEMATTR_CMD_GET_PROFILE)
		return "a memattr message with an unexpected command";
	if (genl_attrs_check(genl_attr_first(nlh), genl_attr_len(nlh)))
		return "a memattr message whose attributes do not fill it";
	return NULL;
}

/* --- scenario 1: the netlink fuzzer ---------------------------------------- */

#define FZ_BATCH	4	/* fuzzed sends per valid request */
#define FZ_NERR		160
#define FZ_TX		2048

struct mt_fz {
	struct genl_sock s;
	uint64_t rng;
	bool priv;
	pid_t known;			/* GET_PROC of it must answer it */
	const struct mt_conf *conf;	/* GET_CONFIG must answer this */
	uint32_t admin_seq[2 * FZ_BATCH]; /* admin commands sent unprivileged */
	uint32_t admin_hdr[2 * FZ_BATCH]; /* their flags << 16 | len */
	bool admin_clean[2 * FZ_BATCH];	/* header the core accepts */
	int nr_admin;
	long sends, valid, replies, eperm;
	long err[FZ_NERR];		/* errno histogram of every error */
	char why[512];
};

static uint32_t fz_rand(struct mt_fz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return (f->rng * 0x2545F4914F6CDD1DULL) >> 32;
}

static uint32_t fz_below(struct mt_fz *f, uint32_t n)
{
	return fz_rand(f) % n;
}

static void fz_bytes(struct mt_fz *f, void *p, size_t len)
{
	unsigned char *b = p;

	while (len--)
		*b++ = fz_rand(f);
}

static const char *const fz_strings[] = {
	"", "/", "85,92,97", "1,2,3,4,5,6,7,8,9", "99,1", "50", ",", "0",
	"/nonexistent", "//", "/../..", "%s%s%n", "memattr",
};

static const uint32_t fz_values[] = {
	0, 1, 9, 10, 15, 16, 60000, 60001, 604800, 604801, 4194304, 4194305,
	1048576, 1048577, 0x7fffffff, 0x80000000, 0xffffffff,
};

/* Append random attributes at @p, at most @room bytes. Return: bytes used. */
static size_t fz_attrs(struct mt_fz *f, char *p, size_t room, int depth)
{
	size_t used = 0;
	int n = fz_below(f, 7), i;

	for (i = 0; i < n; i++) {
		struct nlattr *a = (struct nlattr *)(p + used);
		char *data = p + used + NLA_HDRLEN;
		size_t len = 0, max;
		uint32_t v;

		if (used + NLA_HDRLEN + 64 > room)
			break;
		max = room - used - NLA_HDRLEN;
		a->nla_type = fz_below(f, 4) ? fz_below(f, 32) : fz_rand(f);
		switch (fz_below(f, 7)) {
		case 0:		/* empty */
			break;
		case 1:		/* a number of a random size */
			len = 1 << fz_below(f, 4);
			fz_bytes(f, data, len);
			break;
		case 2:		/* an interesting u32 */
			v = fz_values[fz_below(f, ARRAY_SIZE(fz_values))];
			if (fz_below(f, 4) == 0)
				v = f->known;
			len = 4;
			memcpy(data, &v, len);
			break;
		case 3: {	/* a string, NUL-terminated or not */
			const char *str =
				fz_strings[fz_below(f, ARRAY_SIZE(fz_strings))];

			len = strlen(str) + fz_below(f, 2);
			memcpy(data, str, len);
			break;
		}
		case 4:		/* nested garbage */
			if (depth < 3) {
				a->nla_type |= NLA_F_NESTED;
				len = fz_attrs(f, data, max, depth + 1);
			}
			break;
		default:	/* random bytes */
			len = fz_below(f, 64);
			fz_bytes(f, data, len);
			break;
		}
		if (fz_below(f, 16) == 0)
			a->nla_type ^= NLA_F_NESTED;
		if (fz_below(f, 16) == 0)
			a->nla_type ^= NLA_F_NET_BYTEORDER;
		a->nla_len = NLA_HDRLEN + len;
		used += NLA_ALIGN(a->nla_len);
		/* A lying length, now and then: short, long, or below a header. */
		if (fz_below(f, 16) == 0)
			a->nla_len = fz_below(f, a->nla_len + 16);
	}
	return used;
}

/* Commands the fuzzer may send: never SET_CONFIG as root (see below). */
static uint8_t fz_cmd(struct mt_fz *f)
{
	uint8_t cmd;

	do {
		if (!f->priv && fz_below(f, 4) == 0)
			cmd = fz_below(f, 2) ? MEMATTR_CMD_SET_CONFIG :
					       MEMATTR_CMD_GET_OOM;
		else if (fz_below(f, 16) == 0)
			cmd = fz_rand(f);
		else
			cmd = fz_below(f, MEMATTR_CMD_MAX + 3);
	} while (f->priv && cmd == MEMATTR_CMD_SET_CONFIG);
	return cmd;
}

static uint16_t fz_flags(struct mt_fz *f)
{
	uint16_t fl = 0;

	if (fz_below(f, 10))
		fl |= NLM_F_REQUEST;
	if (fz_below(f, 2))
		fl |= NLM_F_ACK;
	if (fz_below(f, 10) < 3)
		fl |= NLM_F_DUMP;
	else if (fz_below(f, 10) == 0)
		fl |= fz_below(f, 2) ? NLM_F_ROOT : NLM_F_MATCH;
	if (fz_below(f, 8) == 0)
		fl |= fz_rand(f);
	return fl;
}

/*
 * Unprivileged, a well-formed admin command must be refused: note its seq.
 * Its error is EPERM, or EOPNOTSUPP on kernels whose genl looks up do and
 * dump apart, for the kind the op lacks. genl's header check, before the
 * permission check, refuses a reserved field or flags beyond REQUEST, ACK,
 * ECHO and the DUMP pair with EINVAL: only a clean header must get EPERM.
 */
static void fz_admin_note(struct mt_fz *f, const struct nlmsghdr *nlh,
			  size_t len)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint16_t fl = nlh->nlmsg_flags;

	if (f->nr_admin >= (int)ARRAY_SIZE(f->admin_seq))
		return;
	if ((fl & NLM_F_DUMP) == NLM_F_DUMP)
		fl &= ~NLM_F_DUMP;
	f->admin_clean[f->nr_admin] = !g->reserved &&
		!(fl & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
	f->admin_hdr[f->nr_admin] = nlh->nlmsg_flags << 16 | len;
	f->admin_seq[f->nr_admin++] = nlh->nlmsg_seq;
}

/*
 * Build one fuzzed message at @buf (room @size). Return: its length as
 * sent (which may differ from its nlmsg_len).
 */
static size_t fz_msg(struct mt_fz *f, char *buf, size_t size)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t len, alen;
	uint8_t cmd;
	int kind = fz_below(f, 32);

	memset(buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nlh->nlmsg_seq = ++f->s.seq;
	nlh->nlmsg_type = f->s.family;
	nlh->nlmsg_flags = fz_flags(f);
	cmd = fz_cmd(f);
	g->cmd = cmd;
	g->version = fz_below(f, 8) ? MEMATTR_GENL_VERSION : fz_rand(f);
	if (fz_below(f, 16) == 0)
		g->reserved = fz_rand(f);
	len = NLMSG_LENGTH(GENL_HDRLEN);

	if (kind == 29) {
		/* Less than a netlink header: ignored by the kernel. */
		fz_bytes(f, buf, NLMSG_HDRLEN);
		return 1 + fz_below(f, NLMSG_HDRLEN - 1);
	}
	if (kind >= 30) {
		/* A header whose length lies. */
		len += fz_attrs(f, buf + len, size - len, 0);
		nlh->nlmsg_len = fz_below(f, len + 64);
		return len;
	}
	if (kind < 20) {
		/* Random attributes. */
		len += fz_attrs(f, buf + len, size - len, 0);
	} else if (kind < 26) {
		/* A valid request, its attributes then mutated. */
		char *at = buf + len;
		struct genl_req r;
		size_t i, nflip;

		genl_req_init(&r, f->s.family, cmd, 0);
		switch (fz_below(f, 4)) {
		case 0:
			genl_put_u32(&r, MEMATTR_A_PROC_PID, f->known);
			break;
		case 1:
			genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/");
			break;
		case 2:
			genl_put_u64(&r, MEMATTR_A_CGROUP_ID, 1);
			break;
		default:
			genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, 100);
			genl_put_str(&r, MEMATTR_A_CONFIG_WATERMARKS, "80,90");
			break;
		}
		alen = r.nlh.nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
		memcpy(at, r.buf + NLMSG_LENGTH(GENL_HDRLEN), alen);
		nflip = fz_below(f, 4);
		for (i = 0; i < nflip && alen; i++)
			at[fz_below(f, alen)] ^= 1 << fz_below(f, 8);
		len += alen;
	} else if (kind < 28) {
		/* A truncated genl header. */
		len = NLMSG_HDRLEN + fz_below(f, GENL_HDRLEN);
	} else {
		/* A control type: NOOP, ERROR, DONE, OVERRUN. */
		nlh->nlmsg_type = 1 + fz_below(f, 4);
		len += fz_below(f, 32);
		fz_bytes(f, buf + NLMSG_HDRLEN, len - NLMSG_HDRLEN);
	}
	nlh->nlmsg_len = len;
	if (!f->priv && nlh->nlmsg_type == f->s.family &&
	    (nlh->nlmsg_flags & NLM_F_REQUEST) &&
	    len >= NLMSG_LENGTH(GENL_HDRLEN) &&
	    (cmd == MEMATTR_CMD_SET_CONFIG || cmd == MEMATTR_CMD_GET_OOM))
		fz_admin_note(f, nlh, len);
	return len;
}

enum { FZ_V_CONFIG, FZ_V_STATS, FZ_V_PROC, FZ_V_NR };

/* Say why the fuzzer stopped. Return: -1. */
static int fz_fail(struct mt_fz *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Check the reply to the valid request of kind @kind. Return: 0 or -1. */
static int fz_check_valid(struct mt_fz *f, const struct nlmsghdr *nlh, int kind)
{
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + MEMATTR_A_PROC_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(tb, 0, sizeof(tb));
	switch (kind) {
	case FZ_V_CONFIG:
		if (g->cmd != MEMATTR_CMD_GET_CONFIG ||
		    genl_attr_len(nlh) != f->conf->nl_len ||
		    memcmp(genl_attr_first(nlh), f->conf->nl, f->conf->nl_len))
			return fz_fail(f,
				       "GET_CONFIG answer changed (cmd %u, %d bytes, %d before)",
				       g->cmd, genl_attr_len(nlh), f->conf->nl_len);
		break;
	case FZ_V_STATS:
		if (g->cmd != MEMATTR_CMD_GET_STATS ||
		    genl_parse_msg(nlh, tb, MEMATTR_A_STATS_MAX) ||
		    !tb[MEMATTR_A_STATS_TRACKED_PROCS] ||
		    !genl_u32(tb[MEMATTR_A_STATS_TRACKED_PROCS]) ||
		    !tb[MEMATTR_A_STATS_OWN_MEM_BYTES])
			return fz_fail(f, "GET_STATS answer incomplete");
		break;
	case FZ_V_PROC:
		if (g->cmd != MEMATTR_CMD_GET_PROC ||
		    genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
		    !tb[MEMATTR_A_PROC_PID] ||
		    (pid_t)genl_u32(tb[MEMATTR_A_PROC_PID]) != f->known)
			return fz_fail(f, "GET_PROC of live pid %d answered another (%d)",
				f->known, tb[MEMATTR_A_PROC_PID] ?
				(int)genl_u32(tb[MEMATTR_A_PROC_PID]) : -1);
		break;
	}
	return 0;
}

/* An error: if it answers a noted admin command, was it refused? */
static int fz_admin_check(struct mt_fz *f, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	struct genl_ack ack = { 0 };
	int i, off = sizeof(*e);

	for (i = 0; i < f->nr_admin; i++) {
		if (f->admin_seq[i] != nlh->nlmsg_seq)
			continue;
		f->admin_seq[i] = 0;
		if (e->error == -EPERM || e->error == -EOPNOTSUPP ||
		    (!f->admin_clean[i] && e->error == -EINVAL)) {
			f->eperm += e->error == -EPERM;
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			genl_ack_tlvs(&ack, (const struct nlattr *)((const char *)e + off),
				      (int)nlh->nlmsg_len - NLMSG_HDRLEN - off);
		return fz_fail(f,
			       "unprivileged admin command (seq %u, flags 0x%x, len %u) answered %d (\"%s\")",
			       nlh->nlmsg_seq, f->admin_hdr[i] >> 16,
			       f->admin_hdr[i] & 0xffff, e->error, ack.msg);
	}
	return 0;
}

/*
 * Send a valid request, then read every message up to its ACK, checking
 * each: well formed, admin commands refused, the valid answer right.
 * Return: 0 or -1 (f->why says why).
 */
static int fz_valid_round(struct mt_fz *f, int kind)
{
	static const uint8_t cmds[FZ_V_NR] = {
		MEMATTR_CMD_GET_CONFIG, MEMATTR_CMD_GET_STATS, MEMATTR_CMD_GET_PROC,
	};
	int data = 0, i, rem;
	struct genl_req r;
	uint32_t seq;
	ssize_t n;

	genl_req_init(&r, f->s.family, cmds[kind], NLM_F_ACK);
	if (kind == FZ_V_PROC)
		genl_put_u32(&r, MEMATTR_A_PROC_PID, f->known);
	if (genl_send(&f->s, &r))
		return fz_fail(f, "sending a valid request: %s", strerror(errno));
	seq = f->s.seq;
	f->valid++;
	for (;;) {
		struct nlmsghdr *nlh;

		n = recv(f->s.fd, f->s.rx, sizeof(f->s.rx), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fz_fail(f, "recv: %s (no answer to valid request %u)",
				strerror(errno), seq);
		for (nlh = (struct nlmsghdr *)f->s.rx, rem = n; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			const char *bad = mt_malformed(nlh, f->s.family);
			const struct nlmsgerr *e = NLMSG_DATA(nlh);
			int err;

			f->replies++;
			if (bad)
				return fz_fail(f, "%s (type %u, len %u, seq %u)", bad,
					nlh->nlmsg_type, nlh->nlmsg_len,
					nlh->nlmsg_seq);
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				err = nlh->nlmsg_type == NLMSG_ERROR ? -e->error :
				      -*(const int *)NLMSG_DATA(nlh);
				f->err[err < FZ_NERR ? err : FZ_NERR - 1]++;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    fz_admin_check(f, nlh))
				return -1;
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (e->error)
					return fz_fail(f, "valid request %d failed: %s",
						kind, strerror(-e->error));
				if (data != 1)
					return fz_fail(f, "valid request %d got %d answers",
						kind, data);
				goto done;
			}
			if (nlh->nlmsg_type != f->s.family)
				return fz_fail(f, "valid request answered with type %u",
					nlh->nlmsg_type);
			data++;
			if (fz_check_valid(f, nlh, kind))
				return -1;
		}
		if (rem > 0)
			return fz_fail(f, "%d trailing bytes after the messages", rem);
	}
done:
	/* Every unprivileged admin command must have been answered. */
	for (i = 0; i < f->nr_admin; i++)
		if (f->admin_seq[i])
			return fz_fail(f, "an unprivileged admin command (seq %u) got no error",
				f->admin_seq[i]);
	f->nr_admin = 0;
	return 0;
}

/* @count fuzzed sends with valid requests between. Return: 0 or -1. */
static int fz_run(struct mt_fz *f, long count)
{
	static char buf[FZ_TX];
	long i;

	for (i = 0; i < count; i++) {
		size_t len = fz_msg(f, buf, sizeof(buf) / 2);

		/* Two messages in one send, now and then. */
		if (fz_below(f, 8) == 0 && len == NLMSG_ALIGN(len) &&
		    len >= NLMSG_HDRLEN &&
		    ((struct nlmsghdr *)buf)->nlmsg_len == len)
			len += fz_msg(f, buf + len, sizeof(buf) / 2);
		if (send(f->s.fd, buf, len, 0) < 0 && errno != EINVAL &&
		    errno != EOPNOTSUPP)
			return fz_fail(f, "send: %s", strerror(errno));
		f->sends++;
		if ((i + 1) % FZ_BATCH == 0 || i + 1 == count)
			if (fz_valid_round(f, (i / FZ_BATCH) % FZ_V_NR))
				return -1;
	}
	return 0;
}

static void fz_print(const char *who, const struct mt_fz *f)
{
	int i;

	fprintf(stderr, "# storm: fuzz %s: %ld sends, %ld valid requests, ",
		who, f->sends, f->valid);
	fprintf(stderr, "%ld replies, %ld admin refusals; errors:", f->replies,
		f->eperm);
	for (i = 0; i < FZ_NERR; i++)
		if (f->err[i])
			fprintf(stderr, " %s=%ld", i ? strerror(i) : "0", f->err[i]);
	fprintf(stderr, "\n");
}

/*
 * Errors a fuzzed request may get. Return: the first other, or 0. EEXIST
 * and ENOSPC: PROFILE_START of a profiled process, or over profile_max.
 */
static int fz_unexpected_errno(const struct mt_fz *f)
{
	static const int ok[] = {
		0, EINVAL, ERANGE, EOPNOTSUPP, EPERM, ENOENT, EBUSY, EMSGSIZE,
		EEXIST, ENOSPC,
	};
	int i, j;

	for (i = 1; i < FZ_NERR; i++) {
		bool found = false;

		for (j = 0; j < (int)ARRAY_SIZE(ok); j++)
			found |= ok[j] == i;
		if (f->err[i] && !found)
			return i;
	}
	return 0;
}

/* Drop every privilege: no groups, uid and gid nobody, no capabilities. */
static int mt_drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

/* --- the fixture ---------------------------------------------------------- */

FIXTURE(storm) {
	struct genl_sock s;
	struct mt_conf conf;
	long long t0;
};

FIXTURE_SETUP(storm)
{
	const char *err;

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME, NULL));
	mt_sock_timeout(self->s.fd, 30);
	err = mt_conf_read(&self->s, &self->conf);
	ASSERT_EQ(NULL, err) TH_LOG("%s", err);
	self->t0 = mt_now_ms();
}

FIXTURE_TEARDOWN(storm)
{
	TH_LOG("storm: %s took %lld ms", _metadata->name,
	       mt_now_ms() - self->t0);
	genl_close(&self->s);
	if (mt_module_loaded())
		EXPECT_EQ(0, mt_module_unload());
}

/*
 * After a scenario: the module is loaded and answers, GET_PROC of this
 * process answers it, and the config (parameter files and GET_CONFIG) is
 * the one it had before. A fresh socket: the family may have a new id.
 */
static void mt_assert_unchanged(struct __test_metadata *_metadata,
				const struct mt_conf *before)
{
	struct genl_sock s;
	struct mt_stats st;
	struct mt_conf now;
	const char *err;

	ASSERT_TRUE(mt_module_loaded());
	ASSERT_EQ(0, genl_open(&s, MEMATTR_GENL_NAME, NULL));
	mt_sock_timeout(s.fd, 30);
	err = mt_conf_read(&s, &now);
	EXPECT_EQ(NULL, err) TH_LOG("%s", err);
	EXPECT_STREQ(before->params, now.params);
	EXPECT_EQ(before->nl_len, now.nl_len);
	EXPECT_EQ(0, memcmp(before->nl, now.nl, before->nl_len))
		TH_LOG("GET_CONFIG changed");
	EXPECT_EQ(0, mt_get_stats(&s, &st));
	EXPECT_EQ(getpid(), mt_get_proc_pid(&s, getpid()));
	genl_close(&s);
}

/*
 * Scenario 1. Root fuzzes every command but SET_CONFIG: a fuzzed
 * SET_CONFIG as root could legitimately change the config, and the config
 * must end unchanged. SET_CONFIG (and GET_OOM) are fuzzed unprivileged,
 * where every well-formed one must be refused with EPERM. GET_CONFIG must
 * answer, byte for byte, what it answered before the storm; GET_PROC of a
 * live process must answer that process.
 */
TEST_F_TIMEOUT(storm, netlink_fuzz, 3600)
{
	const char *env = getenv("MEMATTR_STORM_SEED");
	long total = mt_scaled("FUZZ", 100000, 2000);
	long unpriv = total / 4;
	static struct mt_fz f;
	pid_t sleeper, child;
	int st, bad;

	memset(&f, 0, sizeof(f));
	f.rng = env ? strtoull(env, NULL, 0) : STORM_SEED;
	if (!f.rng)
		f.rng = STORM_SEED;
	TH_LOG("storm: fuzz seed 0x%llx (MEMATTR_STORM_SEED), %ld messages, %ld unprivileged",
	       (unsigned long long)f.rng, total, unpriv);

	sleeper = fork();
	ASSERT_LE(0, sleeper);
	if (!sleeper) {
		pause();
		_exit(0);
	}
	mt_settle();

	/* Unprivileged: nobody, its own socket, GET_PROC of itself. */
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		f.priv = false;
		f.conf = &self->conf;
		f.rng ^= 0x9e3779b97f4a7c15ULL;
		if (mt_drop_privileges()) {
			fprintf(stderr, "# storm: dropping privileges failed\n");
			_exit(2);
		}
		f.known = getpid();
		if (genl_open(&f.s, MEMATTR_GENL_NAME, NULL)) {
			fprintf(stderr, "# storm: nobody: genl_open failed\n");
			_exit(3);
		}
		mt_sock_timeout(f.s.fd, 30);
		if (fz_run(&f, unpriv)) {
			fz_print("nobody", &f);
			fprintf(stderr, "# storm: nobody: %s\n", f.why);
			_exit(4);
		}
		fz_print("nobody", &f);
		if (!f.eperm) {
			fprintf(stderr, "# storm: nobody: no admin command was refused\n");
			_exit(5);
		}
		bad = fz_unexpected_errno(&f);
		if (bad) {
			fprintf(stderr, "# storm: nobody: unexpected error %s\n",
				strerror(bad));
			_exit(6);
		}
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("the unprivileged fuzzer failed (status 0x%x)", st);

	/* Root: its own socket, GET_PROC of the sleeper. */
	f.priv = true;
	f.conf = &self->conf;
	f.known = sleeper;
	ASSERT_EQ(0, genl_open(&f.s, MEMATTR_GENL_NAME, NULL));
	mt_sock_timeout(f.s.fd, 30);
	EXPECT_EQ(0, fz_run(&f, total - unpriv)) TH_LOG("root: %s", f.why);
	fz_print("root", &f);
	bad = fz_unexpected_errno(&f);
	EXPECT_EQ(0, bad) TH_LOG("unexpected error %s", strerror(bad));
	genl_close(&f.s);

	kill(sleeper, SIGKILL);
	ASSERT_EQ(sleeper, waitpid(sleeper, &st, 0));
	mt_assert_unchanged(_metadata, &self->conf);
}

/* --- scenario 2: fork storms ----------------------------------------------- */

/*
 * Fork+exit and fork+exec storms: afterwards the tracked processes and the
 * module's own memory come back to where they were (the table drops a
 * process at its exit hook; the exited ring is a fixed array; entries are
 * freed after an RCU grace period, hence a short settle).
 */
TEST_F_TIMEOUT(storm, fork_exec, 3600)
{
	long nfork = mt_scaled("FORK", 10000, 500),
	     nexec = mt_scaled("FORK", 2000, 100), i;
	struct mt_stats base, now = { 0 };
	long long t, end;
	pid_t pid;
	int st;

	ASSERT_EQ(0, access("/bin/true", X_OK));
	/* A first round so that lazily grown state is there for the baseline. */
	for (i = 0; i < 50; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
	}
	/*
	 * And the sampler's: from its second tick on it holds the cgroup
	 * table it published and the one before, which it fills next.
	 */
	end = mt_now_ms() + 10000;
	do {
		mt_settle();
		ASSERT_EQ(0, mt_get_stats(&self->s, &base));
	} while (base.samples < 3 && mt_now_ms() < end);
	ASSERT_LE(3, base.samples);
	TH_LOG("storm: baseline %lld processes, %lld bytes; %ld fork+exit, %ld fork+exec",
	       base.tracked, base.own_mem, nfork, nexec);

	t = mt_now_ms();
	for (i = 0; i < nfork; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	}
	TH_LOG("storm: %ld fork+exit took %lld ms", nfork, mt_now_ms() - t);
	t = mt_now_ms();
	for (i = 0; i < nexec; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("exec /bin/true: status 0x%x", st);
	}
	TH_LOG("storm: %ld fork+exec took %lld ms", nexec, mt_now_ms() - t);

	end = mt_now_ms() + 10000;
	do {
		mt_settle();
		ASSERT_EQ(0, mt_get_stats(&self->s, &now));
	} while ((now.tracked != base.tracked || now.own_mem > base.own_mem) &&
		 mt_now_ms() < end);
	TH_LOG("storm: after: %lld processes, %lld bytes", now.tracked,
	       now.own_mem);
	EXPECT_EQ(base.tracked, now.tracked);
	EXPECT_GE(base.own_mem, now.own_mem);
	mt_assert_unchanged(_metadata, &self->conf);
}

/* --- scenario 3: reload under load ----------------------------------------- */

enum { LD_FAULT, LD_MMAP, LD_FORK, LD_DUMP, LD_NR };

static const char *const ld_names[LD_NR] = {
	"page-fault", "mmap", "fork", "netlink-dump",
};

/* Shared between the parent and its storm children. */
struct mt_load {
	int stop;			/* __atomic: set by the parent */
	long count[LD_NR];		/* rounds done */
	long gone;			/* dumps that found the family gone */
	char why[LD_NR][256];
};

/*
 * One GET_PROC dump, every message checked. Return: 0 when it ended
 * cleanly, a positive errno it ended with, or -1 (@why says why).
 */
static int ld_dump(struct genl_sock *s, char *why, size_t size)
{
	struct genl_req r;
	int rem;

	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROC, NLM_F_DUMP);
	if (genl_send(s, &r)) {
		snprintf(why, size, "send: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		n = recv(s->fd, s->rx, sizeof(s->rx), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, size, "recv: %s", strerror(errno));
			return -1;
		}
		for (nlh = (struct nlmsghdr *)s->rx, rem = n; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
			const char *bad = mt_malformed(nlh, s->family);

			if (bad) {
				snprintf(why, size, "%s (type %u)", bad,
					 nlh->nlmsg_type);
				return -1;
			}
			if (nlh->nlmsg_seq != s->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return -*(int *)NLMSG_DATA(nlh);
			if (genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
			    !tb[MEMATTR_A_PROC_PID] || !tb[MEMATTR_A_PROC_COMM] ||
			    !genl_str(tb[MEMATTR_A_PROC_COMM])) {
				snprintf(why, size, "a dump row without pid or comm");
				return -1;
			}
		}
		if (rem > 0) {
			snprintf(why, size, "%d trailing bytes", rem);
			return -1;
		}
	}
}

/* A storm child's loop. Return: its exit status. */
static int ld_child(struct mt_load *ld, int which)
{
	char *why = ld->why[which];
	struct genl_sock s = { .fd = -1 };
	size_t sz = 4 * MiB, i;
	int st, ret;
	pid_t pid;
	char *p;

	while (!__atomic_load_n(&ld->stop, __ATOMIC_RELAXED)) {
		switch (which) {
		case LD_FAULT:
			p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED) {
				snprintf(why, 256, "mmap: %s", strerror(errno));
				return 1;
			}
			for (i = 0; i < sz; i += 4096)
				p[i] = 1;
			munmap(p, sz);
			break;
		case LD_MMAP:
			for (i = 1; i <= 32; i++) {
				p = mmap(NULL, i * 4096, PROT_READ,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (p == MAP_FAILED) {
					snprintf(why, 256, "mmap: %s",
						 strerror(errno));
					return 1;
				}
				munmap(p, i * 4096);
			}
			break;
		case LD_FORK:
			pid = fork();
			if (pid < 0) {
				snprintf(why, 256, "fork: %s", strerror(errno));
				return 1;
			}
			if (!pid)
				_exit(0);
			if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
				snprintf(why, 256, "a forked child did not exit");
				return 1;
			}
			break;
		case LD_DUMP:
			if (s.fd < 0) {
				ret = genl_open(&s, MEMATTR_GENL_NAME, NULL);
				if (ret == -ENOENT) {
					ld->gone++;
					mt_sleep_ms(2);
					continue;
				}
				if (ret) {
					snprintf(why, 256, "genl_open: %s",
						 strerror(-ret));
					return 1;
				}
				mt_sock_timeout(s.fd, 30);
			}
			ret = ld_dump(&s, why, 256);
			if (ret == ENOENT || ret == EOPNOTSUPP ||
			    ret == EPROTONOSUPPORT) {
				/*
				 * The family is gone, or has another id, or
				 * its module is going (the netlink core could
				 * not take a reference on it for the dump).
				 */
				genl_close(&s);
				ld->gone++;
				continue;
			}
			if (ret) {
				if (ret > 0)
					snprintf(why, 256, "the dump ended with %s",
						 strerror(ret));
				return 1;
			}
			break;
		}
		ld->count[which]++;
		/* Leave the reloads some CPU: TCG guests have little. */
		mt_sleep_ms(1);
	}
	return 0;
}

/* One unload (retried while busy) and one load. Return: 0 or an errno. */
static int ld_cycle(long long *unload_ms, long long *load_ms)
{
	long long t = mt_now_ms(), end = t + 30000;
	int ret;

	do {
		ret = mt_module_unload();
		if (ret == EAGAIN || ret == EBUSY)
			mt_sleep_ms(1);
	} while ((ret == EAGAIN || ret == EBUSY) && mt_now_ms() < end);
	*unload_ms += mt_now_ms() - t;
	if (ret)
		return ret;
	mt_sleep_ms(5);
	t = mt_now_ms();
	ret = mt_module_load(NULL);
	*load_ms += mt_now_ms() - t;
	return ret;
}

/*
 * rmmod/insmod cycles while page faults, mmap/munmap, fork+exit and
 * GET_PROC dumps run in children: every load and unload works (an unload
 * is retried while a dump holds the module), the storms never see a
 * malformed reply, and the module answers normally afterwards.
 */
TEST_F_TIMEOUT(storm, reload_under_load, 3600)
{
	long cycles = mt_scaled("RELOAD", 100, 10), i;
	long long unload_ms = 0, load_ms = 0;
	pid_t kids[LD_NR];
	struct mt_load *ld;
	int w, st, ret;

	ld = mmap(NULL, sizeof(*ld), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ld);
	memset(ld, 0, sizeof(*ld));
	/* What a cycle costs without load, for comparison. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, ld_cycle(&unload_ms, &load_ms));
	TH_LOG("storm: 2 idle cycles: unload %lld ms, load %lld ms in all",
	       unload_ms, load_ms);
	unload_ms = 0;
	load_ms = 0;
	for (w = 0; w < LD_NR; w++) {
		kids[w] = fork();
		ASSERT_LE(0, kids[w]);
		if (!kids[w])
			_exit(ld_child(ld, w));
	}
	mt_sleep_ms(500);

	for (i = 0; i < cycles; i++) {
		ret = ld_cycle(&unload_ms, &load_ms);
		ASSERT_EQ(0, ret) TH_LOG("cycle %ld: %s", i, strerror(ret));
		mt_sleep_ms(20);
	}

	__atomic_store_n(&ld->stop, 1, __ATOMIC_RELAXED);
	for (w = 0; w < LD_NR; w++) {
		ASSERT_EQ(kids[w], waitpid(kids[w], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("%s storm: %s (status 0x%x)", ld_names[w],
			       ld->why[w], st);
		EXPECT_LT(0, ld->count[w]) TH_LOG("%s storm never ran",
						  ld_names[w]);
	}
	TH_LOG("storm: %ld cycles, unload %lld ms, load %lld ms in all", cycles,
	       unload_ms, load_ms);
	TH_LOG("storm: rounds: faults %ld, mmap %ld, fork %ld, dumps %ld (%ld: family gone)",
	       ld->count[LD_FAULT], ld->count[LD_MMAP], ld->count[LD_FORK],
	       ld->count[LD_DUMP], ld->gone);
	munmap(ld, sizeof(*ld));
	mt_assert_unchanged(_metadata, &self->conf);
}

/* --- scenario 4: OOM kills ------------------------------------------------- */

#define OOM_ROW		20	/* kills in a row */
#define OOM_GROUP	4	/* processes of the oom.group kill */
#define OOM_MAX		(OOM_ROW + OOM_GROUP)
#define CG_ROOT		"/sys/fs/cgroup"

struct mt_victim {
	pid_t pid;
	char name[16];		/* its own, set with PR_SET_NAME */
	char kernel[64];	/* the kernel's "Killed process N (name)" */
	char event[16];		/* the OOM_KILL event's comm */
	int events;		/* OOM_KILL events about it */
	int reports;		/* GET_OOM reports about it */
	char report[16];	/* the report's comm */
};

/* Make cgroup @name with a 32 MiB memory.max and no swap. Return: 0 or -1. */
static int mt_oom_cgroup(const char *name, bool group)
{
	char path[128];
	int err;

	snprintf(path, sizeof(path), CG_ROOT "/%s", name);
	rmdir(path);
	if (mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), CG_ROOT "/%s/memory.max", name);
	if (mt_write_file(path, "32M", 3))
		return -1;
	/* No swap in these guests; where the file exists, say so anyway. */
	snprintf(path, sizeof(path), CG_ROOT "/%s/memory.swap.max", name);
	err = mt_write_file(path, "0", 1);
	if (err && err != ENOENT)
		return -1;
	snprintf(path, sizeof(path), CG_ROOT "/%s/memory.oom.group", name);
	if (group && mt_write_file(path, "1", 1))
		return -1;
	return 0;
}

/*
 * A child named @name in cgroup @cg: with @hog it allocates and touches
 * until the OOM killer kills it; without, it touches 2 MiB, writes a byte
 * to @ready and waits to be killed. Return (parent): its pid.
 */
static pid_t mt_oom_child(const char *cg, const char *name, bool hog, int ready)
{
	char path[128], pid[16];
	pid_t child;
	long i;
	char *p;

	child = fork();
	if (child)
		return child;
	prctl(PR_SET_NAME, name);
	snprintf(path, sizeof(path), CG_ROOT "/%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (mt_write_file(path, pid, strlen(pid)))
		_exit(40);
	if (!hog) {
		p = malloc(2 * MiB);
		memset(p, 1, 2 * MiB);
		if (write(ready, "r", 1) != 1)
			_exit(41);
		for (;;)
			pause();
	}
	for (i = 0; i < 256; i++) {
		p = malloc(MiB);
		if (!p)
			_exit(42);
		memset(p, 1, MiB);
	}
	_exit(43);
}

/* Read the kernel's "Killed process N (name)" lines from /dev/kmsg. */
static void mt_oom_kmsg(int fd, struct mt_victim *v, int nr)
{
	char rec[8192], name[64];
	const char *k;
	ssize_t n;
	int pid, i;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		k = strstr(rec, "Killed process ");
		if (!k || sscanf(k, "Killed process %d (%63[^)])", &pid, name) != 2)
			continue;
		for (i = 0; i < nr; i++)
			if (v[i].pid == pid)
				snprintf(v[i].kernel, sizeof(v[i].kernel), "%s",
					 name);
	}
}

/* Read every OOM_KILL event queued on @s (non-blocking). */
static void mt_oom_events(struct genl_sock *s, struct mt_victim *v, int nr,
			  int *others)
{
	ssize_t n;

	while ((n = recv(s->fd, s->rx, sizeof(s->rx), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nlh;
		int rem;

		for (nlh = (struct nlmsghdr *)s->rx, rem = n; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			const struct nlattr *tb[MEMATTR_A_EV_MAX + 1];
			const char *comm;
			pid_t pid;
			int i;

			if (nlh->nlmsg_type != s->family ||
			    genl_parse_msg(nlh, tb, MEMATTR_A_EV_MAX) ||
			    !tb[MEMATTR_A_EV_KIND] ||
			    genl_u32(tb[MEMATTR_A_EV_KIND]) != MEMATTR_EV_OOM_KILL ||
			    !tb[MEMATTR_A_EV_PID])
				continue;
			pid = genl_u32(tb[MEMATTR_A_EV_PID]);
			comm = tb[MEMATTR_A_EV_COMM] ?
			       genl_str(tb[MEMATTR_A_EV_COMM]) : NULL;
			for (i = 0; i < nr; i++)
				if (v[i].pid == pid)
					break;
			if (i == nr) {
				(*others)++;
				continue;
			}
			v[i].events++;
			snprintf(v[i].event, sizeof(v[i].event), "%s",
				 comm ? comm : "(none)");
		}
	}
}

struct mt_oom_dump {
	struct mt_victim *v;
	int nr, reports;
};

static int mt_oom_report_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_OOM_MAX + 1];
	struct mt_oom_dump *d = arg;
	const char *comm;
	int i;

	d->reports++;
	if (genl_parse_msg(nlh, tb, MEMATTR_A_OOM_MAX) || !tb[MEMATTR_A_OOM_PID])
		return 0;
	comm = tb[MEMATTR_A_OOM_COMM] ? genl_str(tb[MEMATTR_A_OOM_COMM]) : NULL;
	for (i = 0; i < d->nr; i++) {
		if (d->v[i].pid != (pid_t)genl_u32(tb[MEMATTR_A_OOM_PID]))
			continue;
		d->v[i].reports++;
		snprintf(d->v[i].report, sizeof(d->v[i].report), "%s",
			 comm ? comm : "(none)");
	}
	return 0;
}

/*
 * OOM_ROW kills in a row in a 32 MiB cgroup, then one memory.oom.group
 * kill of OOM_GROUP processes (three that wait, one that hogs). Every
 * victim renamed itself after fork; the module samples every 60 s, so only
 * a report read at the kill knows the name. Each victim must be reported
 * exactly once (one OOM_KILL event; GET_OOM, which keeps the last 8, has
 * the group's victims once each) under the name the kernel's own
 * "Killed process N (name)" line gives, and no report may be dropped
 * (stats oom_dropped unchanged).
 */
TEST_F_TIMEOUT(storm, oom_kills, 1800)
{
	long long drop0, drop1, end;
	struct mt_victim v[OOM_MAX];
	struct mt_oom_dump d = { v, OOM_MAX, 0 };
	struct genl_sock ev, s;
	struct genl_ack ack;
	struct genl_req r;
	int i, st, kfd, pipefd[2], others = 0, bad_name = 0, bad_count = 0;
	int grp = 0, events = 0;
	char c;

	memset(v, 0, sizeof(v));
	ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=60000"));
	ASSERT_EQ(0, genl_open(&ev, MEMATTR_GENL_NAME, MEMATTR_GENL_MCGRP_EVENTS));
	ASSERT_NE(0, ev.mcgrp);
	mt_sock_timeout(ev.fd, 5);
	ASSERT_EQ(0, setsockopt(ev.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&ev.mcgrp, sizeof(ev.mcgrp)));
	ASSERT_EQ(0, mt_oom_cgroup("mt_storm_oom", false));
	ASSERT_EQ(0, mt_oom_cgroup("mt_storm_grp", true));
	kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kfd);
	ASSERT_LE(0, lseek(kfd, 0, SEEK_END));
	drop0 = mt_stat("oom_dropped");
	ASSERT_LE(0, drop0);

	for (i = 0; i < OOM_ROW; i++) {
		snprintf(v[i].name, sizeof(v[i].name), "stormoom%02d", i);
		v[i].pid = mt_oom_child("mt_storm_oom", v[i].name, true, -1);
		ASSERT_LT(0, v[i].pid);
		ASSERT_EQ(v[i].pid, waitpid(v[i].pid, &st, 0));
		ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			TH_LOG("%s: status 0x%x, not killed", v[i].name, st);
		/* Now, before other messages can push its line out. */
		mt_oom_kmsg(kfd, v, OOM_MAX);
	}

	ASSERT_EQ(0, pipe(pipefd));
	for (i = OOM_ROW; i < OOM_MAX - 1; i++) {
		snprintf(v[i].name, sizeof(v[i].name), "stormgrp%d", i - OOM_ROW);
		v[i].pid = mt_oom_child("mt_storm_grp", v[i].name, false,
					pipefd[1]);
		ASSERT_LT(0, v[i].pid);
		ASSERT_EQ(1, read(pipefd[0], &c, 1));
	}
	snprintf(v[i].name, sizeof(v[i].name), "stormgrphog");
	v[i].pid = mt_oom_child("mt_storm_grp", v[i].name, true, -1);
	ASSERT_LT(0, v[i].pid);
	for (i = OOM_ROW; i < OOM_MAX; i++) {
		ASSERT_EQ(v[i].pid, waitpid(v[i].pid, &st, 0));
		ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			TH_LOG("%s: status 0x%x, not killed", v[i].name, st);
	}
	close(pipefd[0]);
	close(pipefd[1]);

	/* Reports are finished by a work item: give them a moment. */
	end = mt_now_ms() + 5000;
	do {
		mt_sleep_ms(200);
		mt_oom_events(&ev, v, OOM_MAX, &others);
		for (events = 0, i = 0; i < OOM_MAX; i++)
			events += v[i].events;
	} while (events < OOM_MAX && mt_now_ms() < end);
	mt_oom_kmsg(kfd, v, OOM_MAX);
	close(kfd);
	drop1 = mt_stat("oom_dropped");

	ASSERT_EQ(0, genl_open(&s, MEMATTR_GENL_NAME, NULL));
	mt_sock_timeout(s.fd, 30);
	genl_req_init(&r, s.family, MEMATTR_CMD_GET_OOM, NLM_F_DUMP);
	ASSERT_EQ(0, genl_do(&s, &r, mt_oom_report_cb, &d, &ack));
	ASSERT_EQ(0, ack.err) TH_LOG("GET_OOM: %s", ack.msg);
	genl_close(&s);
	genl_close(&ev);

	for (i = 0; i < OOM_MAX; i++) {
		bool group = i >= OOM_ROW;
		bool ok = v[i].events == 1 && !strcmp(v[i].event, v[i].name) &&
			  (!group || (v[i].reports == 1 &&
				      !strcmp(v[i].report, v[i].name)));

		TH_LOG("%s %-12s pid %d: kernel \"%s\", %d event(s) \"%s\", %d report(s) \"%s\"",
		       ok ? "ok " : "BAD", v[i].name, v[i].pid, v[i].kernel,
		       v[i].events, v[i].event, v[i].reports, v[i].report);
		/* The kernel's own line names the victim as it named itself. */
		EXPECT_STREQ(v[i].name, v[i].kernel);
		bad_count += v[i].events != 1 || (group && v[i].reports != 1);
		bad_name += strcmp(v[i].event, v[i].name) != 0 ||
			    (group && strcmp(v[i].report, v[i].name) != 0);
		grp += group && v[i].reports == 1;
	}
	TH_LOG("storm: %d GET_OOM reports, %d events about others, oom_dropped %lld -> %lld",
	       d.reports, others, drop0, drop1);
	EXPECT_EQ(0, bad_count) TH_LOG("victims not reported exactly once");
	EXPECT_EQ(0, bad_name) TH_LOG("victims reported under another name");
	EXPECT_EQ(OOM_GROUP, grp);
	EXPECT_EQ(drop0, drop1) TH_LOG("OOM reports were dropped");
	EXPECT_EQ(0, others);

	EXPECT_EQ(0, rmdir(CG_ROOT "/mt_storm_oom"));
	EXPECT_EQ(0, rmdir(CG_ROOT "/mt_storm_grp"));
	/* Back to the config it was loaded with. */
	ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
	mt_assert_unchanged(_metadata, &self->conf);
}

TEST_HARNESS_MAIN
