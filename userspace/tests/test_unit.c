// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the memattr CLI: the printer (JSON and text), the reply
 * parsers on hand-built netlink messages, and the command line. No kernel
 * module needed. Prints TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/memattr.h>
#include <linux/netlink.h>

#include "memattr.h"
#include "msgs.h"
#include "run_cli.h"
#include "tap.h"

/* ---- printer ---- */

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

typedef void (*build_fn)(struct pr *pr);

/* Render what build prints with flags; *err gets pr_free()'s result. */
static char *render(unsigned int flags, build_fn build, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pr *pr;

	if (!f)
		abort();
	pr = pr_new(f, flags);
	if (!pr)
		abort();
	build(pr);
	*err = pr_free(pr);
	fclose(f);
	return buf;
}

static void build_simple(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_str(pr, "a", "x");
	pr_u64(pr, "n", 1);
	pr_obj_close(pr);
}

static void build_nested(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_str(pr, "name", "x");
	pr_obj_open(pr, "sub");
	pr_u64(pr, "k", 1);
	pr_obj_open(pr, "deep");
	pr_bool(pr, "z", true);
	pr_obj_close(pr);
	pr_obj_close(pr);
	pr_arr_open(pr, "list");
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 1);
	pr_str(pr, "comm", "init");
	pr_obj_close(pr);
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 200);
	pr_str(pr, "comm", "bash");
	pr_obj_close(pr);
	pr_arr_close(pr);
	pr_arr_open(pr, "nums");
	pr_u64(pr, NULL, 1);
	pr_u64(pr, NULL, 2);
	pr_u64(pr, NULL, 3);
	pr_arr_close(pr);
	pr_obj_open(pr, "empty_o");
	pr_obj_close(pr);
	pr_arr_open(pr, "empty_a");
	pr_arr_close(pr);
	pr_null(pr, "n");
	pr_s64(pr, "neg", -5);
	pr_u64(pr, "max", UINT64_MAX);
	pr_s64(pr, "min", INT64_MIN);
	pr_obj_close(pr);
}

static void test_json_compact(void)
{
	char *s;
	int err;

	s = render(PR_JSON, build_simple, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "{\"a\":\"x\",\"n\":1}\n");
	free(s);

	s = render(PR_JSON, build_nested, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"name\":\"x\",\"sub\":{\"k\":1,\"deep\":{\"z\":true}},"
		  "\"list\":[{\"pid\":1,\"comm\":\"init\"},"
		  "{\"pid\":200,\"comm\":\"bash\"}],\"nums\":[1,2,3],"
		  "\"empty_o\":{},\"empty_a\":[],\"n\":null,\"neg\":-5,"
		  "\"max\":18446744073709551615,"
		  "\"min\":-9223372036854775808}\n");
	free(s);
}

static void test_json_pretty(void)
{
	char *s;
	int err;

	s = render(PR_JSON | PR_PRETTY, build_nested, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\n"
		  "  \"name\": \"x\",\n"
		  "  \"sub\": {\n"
		  "    \"k\": 1,\n"
		  "    \"deep\": {\n"
		  "      \"z\": true\n"
		  "    }\n"
		  "  },\n"
		  "  \"list\": [\n"
		  "    {\n"
		  "      \"pid\": 1,\n"
		  "      \"comm\": \"init\"\n"
		  "    },\n"
		  "    {\n"
		  "      \"pid\": 200,\n"
		  "      \"comm\": \"bash\"\n"
		  "    }\n"
		  "  ],\n"
		  "  \"nums\": [\n"
		  "    1,\n"
		  "    2,\n"
		  "    3\n"
		  "  ],\n"
		  "  \"empty_o\": {},\n"
		  "  \"empty_a\": [],\n"
		  "  \"n\": null,\n"
		  "  \"neg\": -5,\n"
		  "  \"max\": 18446744073709551615,\n"
		  "  \"min\": -9223372036854775808\n"
		  "}\n");
	free(s);
}

static void build_escape(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_str(pr, "quote", "a\"b\\c/d");
	pr_str(pr, "ctl", "\b\f\n\r\t\x01\x1f\x7f");
	pr_str(pr, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* 0xff; overlong C0 80; surrogate ED A0 80; cut E2 82 */
	pr_str(pr, "bad", "\xff\xc0\x80\xed\xa0\x80\xe2\x82");
	pr_strn(pr, "nul", "a\0b", 3);
	pr_str(pr, "k\"ey", "v");
	pr_obj_close(pr);
}

static void test_json_escape(void)
{
	char *s;
	int err;

	s = render(PR_JSON, build_escape, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"quote\":\"a\\\"b\\\\c/d\","
		  "\"ctl\":\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\","
		  "\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
		  "\"bad\":\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
		  "\\ufffd\\ufffd\","
		  "\"nul\":\"a\\u0000b\","
		  "\"k\\\"ey\":\"v\"}\n");
	free(s);
}

static void build_roots(struct pr *pr)
{
	build_simple(pr);
	pr_u64(pr, NULL, 7);
	build_simple(pr);
}

static void test_multiple_roots(void)
{
	char *s;
	int err;

	s = render(PR_JSON, build_roots, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "{\"a\":\"x\",\"n\":1}\n7\n{\"a\":\"x\",\"n\":1}\n");
	free(s);
	s = render(0, build_roots, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "a  x\nn  1\n\n7\n\na  x\nn  1\n");
	free(s);
}

static void build_close_unopened(struct pr *pr)
{
	pr_obj_close(pr);
}

static void build_mismatch(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_arr_close(pr);
}

static void build_no_key(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_u64(pr, NULL, 1);
	pr_obj_close(pr);
}

static void build_key_in_array(struct pr *pr)
{
	pr_arr_open(pr, NULL);
	pr_u64(pr, "k", 1);
	pr_arr_close(pr);
}

static void build_left_open(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_u64(pr, "k", 1);
}

static void test_printer_misuse(void)
{
	static const build_fn bad[] = {
		build_close_unopened, build_mismatch, build_no_key,
		build_key_in_array, build_left_open,
	};
	size_t i;
	char *s;
	int err;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		s = render(PR_JSON, bad[i], &err);
		CHECK_INT(err, -EINVAL);
		free(s);
	}
}

static void test_text_kv(void)
{
	char *s;
	int err;

	s = render(0, build_simple, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "a  x\nn  1\n");
	free(s);
}

static void test_text_nested(void)
{
	char *s;
	int err;

	s = render(0, build_nested, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "name     x\n"
		  "sub:\n"
		  "  k  1\n"
		  "  deep:\n"
		  "    z  true\n"
		  "list:\n"
		  "  PID  COMM\n"
		  "    1  init\n"
		  "  200  bash\n"
		  "nums     1, 2, 3\n"
		  "empty_o  -\n"
		  "empty_a  -\n"
		  "n        -\n"
		  "neg      -5\n"
		  "max      18446744073709551615\n"
		  "min      -9223372036854775808\n");
	free(s);
}

static void build_table(struct pr *pr)
{
	pr_arr_open(pr, NULL);
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 1);
	pr_str(pr, "comm", "systemd");
	pr_u64(pr, "rss_kib", 12000);
	pr_obj_close(pr);
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 31337);
	pr_str(pr, "comm", "\xc3\xa9t\xc3\xa9");	/* 3 columns wide */
	pr_u64(pr, "rss_kib", 5);
	pr_str(pr, "cgroup", "/user.slice");
	pr_obj_close(pr);
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 42);
	pr_null(pr, "comm");
	pr_obj_close(pr);
	pr_arr_close(pr);
}

static void build_empty_rows(struct pr *pr)
{
	pr_arr_open(pr, NULL);
	pr_obj_open(pr, NULL);
	pr_obj_close(pr);
	pr_obj_open(pr, NULL);
	pr_obj_close(pr);
	pr_arr_close(pr);
}

static void test_text_table(void)
{
	char *s;
	int err;

	s = render(0, build_empty_rows, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "");
	free(s);

	s = render(0, build_table, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "  PID  COMM     RSS_KIB  CGROUP\n"
		  "    1  systemd    12000  -\n"
		  "31337  \xc3\xa9t\xc3\xa9            5  /user.slice\n"
		  "   42  -              -  -\n");
	free(s);
}

static void build_text_escape(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_str(pr, "comm", "a\x1b[31mb");
	pr_str(pr, "bidi", "x\xe2\x80\xaey");
	pr_str(pr, "c1", "\xc2\x9b");
	pr_str(pr, "bad", "\xff\xc0");
	pr_str(pr, "ok", "\xc3\xa9\xe2\x82\xac");
	pr_strn(pr, "nul", "a\0b", 3);
	pr_str(pr, "empty", "");
	pr_obj_close(pr);
}

static void test_text_escape(void)
{
	char *s;
	int err;

	s = render(0, build_text_escape, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "comm   a\\x1b[31mb\n"
		  "bidi   x\\xe2\\x80\\xaey\n"
		  "c1     \\xc2\\x9b\n"
		  "bad    \\xff\\xc0\n"
		  "ok     \xc3\xa9\xe2\x82\xac\n"
		  "nul    a\\x00b\n"
		  "empty  \"\"\n");
	free(s);
}

/* ---- stats reply parser ---- */

static uint64_t buf_a[MSG_BUF_SIZE / 8];	/* 8-byte aligned */

static void test_stats_valid(void)
{
	struct nlmsghdr *nlh = msg_stats(buf_a, "1.2.3", 1000, 123456789012);
	struct memattr_stats st;

	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	CHECK_INT(st.present, MEMATTR_BIT(MEMATTR_A_STATS_MODULE_VERSION) |
			      MEMATTR_BIT(MEMATTR_A_STATS_SAMPLE_MS) |
			      MEMATTR_BIT(MEMATTR_A_STATS_OWN_MEM_BYTES));
	CHECK_STR(st.module_version, "1.2.3");
	CHECK_INT(st.sample_ms, 1000);
	CHECK(st.own_mem_bytes == 123456789012ULL);
	/* a longer buffer than the message is fine: only nlmsg_len counts */
	CHECK_INT(memattr_stats_parse(nlh, sizeof(buf_a), &st), 0);
}

/* The PAD attribute comes and goes with alignment; both parse. */
static void test_stats_pad(void)
{
	char version[16];
	struct memattr_stats st;
	struct nlmsghdr *nlh;
	unsigned int i, padded = 0;

	for (i = 0; i < 8; i++) {
		memset(version, 'v', i);
		version[i] = '\0';
		nlh = msg_stats(buf_a, version, i, 1ULL << 40 | i);
		if ((nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) % 8)
			padded++;
		CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
		CHECK_STR(st.module_version, version);
		CHECK_INT(st.sample_ms, i);
		CHECK(st.own_mem_bytes == (1ULL << 40 | i));
	}
	CHECK(padded > 0);
}

static void test_stats_truncated(void)
{
	struct nlmsghdr *nlh = msg_stats(buf_a, "1.2.3", 1000, 77);
	uint32_t len = nlh->nlmsg_len, cut;
	struct memattr_stats st;

	/* every short read of the message */
	for (cut = 0; cut < len; cut++)
		CHECK_INT(memattr_stats_parse(nlh, cut, &st), -EBADMSG);
	/* nlmsg_len itself cut inside the last attribute */
	for (cut = len - 11; cut < len; cut++) {
		nlh->nlmsg_len = cut;
		CHECK_INT(memattr_stats_parse(nlh, len, &st), -EBADMSG);
	}
	/* cut right after an attribute: a valid, shorter reply */
	nlh->nlmsg_len = len - 12;
	CHECK_INT(memattr_stats_parse(nlh, len, &st), 0);
	CHECK(!(st.present & MEMATTR_BIT(MEMATTR_A_STATS_OWN_MEM_BYTES)));
	CHECK(st.present & MEMATTR_BIT(MEMATTR_A_STATS_SAMPLE_MS));
	/* trailing bytes that are no attribute */
	nlh->nlmsg_len = len + 2;
	CHECK_INT(memattr_stats_parse(nlh, len + 2, &st), -EBADMSG);
	/* an attribute claiming less than its own header */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_SAMPLE_MS, 1);
	((struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN))->nla_len = 2;
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -EBADMSG);
	/* a length of 2^31 or more, which mnl_nlmsg_ok() lets through */
	nlh = msg_stats(buf_a, "1", 1, 1);
	nlh->nlmsg_len = 0x80000044;
	CHECK_INT(memattr_stats_parse(nlh, 64, &st), -EBADMSG);
	/* no room for the genetlink header */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -EBADMSG);
}

static void test_stats_bad_length(void)
{
	struct memattr_stats st;
	struct nlmsghdr *nlh;
	uint64_t v = 0;

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_SAMPLE_MS, 8, &v);	/* u32 */
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -ERANGE);

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_SAMPLE_MS, 2, &v);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -ERANGE);

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_OWN_MEM_BYTES, 4, &v);	/* u64 */
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -ERANGE);

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_MODULE_VERSION, 3, "abc");
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -EINVAL);

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_MODULE_VERSION, 0, NULL);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -ERANGE);
}

static void test_stats_unknown_attr(void)
{
	static const char junk[] = "from a newer module";
	struct memattr_stats st;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put(nlh, MEMATTR_A_STATS_MAX + 1, 3, junk);
	mnl_attr_put_strz(nlh, MEMATTR_A_STATS_MODULE_VERSION, "9.9");
	mnl_attr_put(nlh, 200, sizeof(junk), junk);
	nest = mnl_attr_nest_start(nlh, 201);
	mnl_attr_put_u64(nlh, 1, 5);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_SAMPLE_MS, 250);
	mnl_attr_put(nlh, MEMATTR_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u16(nlh, 0x7fff, 1);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	CHECK_STR(st.module_version, "9.9");
	CHECK_INT(st.sample_ms, 250);
	CHECK(!(st.present & MEMATTR_BIT(MEMATTR_A_STATS_OWN_MEM_BYTES)));
}

static void test_stats_other(void)
{
	struct memattr_stats st;
	struct nlmsghdr *nlh;

	/* not a GET_STATS reply */
	nlh = msg_stats(buf_a, "1", 1, 1);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = 77;
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), -EBADMSG);
	/* no attributes at all: valid, nothing present */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	CHECK_INT(st.present, 0);
	/* a repeated attribute: the last one counts, as in the kernel */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_STATS);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_SAMPLE_MS, 1);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_SAMPLE_MS, 2);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	CHECK_INT(st.sample_ms, 2);
}

static struct memattr_stats print_st;

static void build_stats(struct pr *pr)
{
	memattr_stats_print(pr, &print_st);
}

static void test_stats_print(void)
{
	struct nlmsghdr *nlh = msg_stats(buf_a, "1.2.3", 1000, 123456789012);
	char *s;
	int err;

	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &print_st), 0);
	s = render(0, build_stats, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "module_version  1.2.3\n"
		  "sample_ms       1000\n"
		  "own_mem_bytes   123456789012\n");
	free(s);
	s = render(PR_JSON, build_stats, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "{\"module_version\":\"1.2.3\",\"sample_ms\":1000,"
		     "\"own_mem_bytes\":123456789012}\n");
	free(s);
	print_st.present &= ~MEMATTR_BIT(MEMATTR_A_STATS_SAMPLE_MS);
	s = render(PR_JSON, build_stats, &err);
	CHECK_STR(s, "{\"module_version\":\"1.2.3\","
		     "\"own_mem_bytes\":123456789012}\n");
	free(s);
}

/* ---- generic netlink control and ACKs ---- */

static void test_family_parse(void)
{
	struct nlmsghdr *nlh = msg_family(buf_a, "memattr", 0x1b, 3, 9);
	struct nl_family fam;
	uint32_t id = 0;

	CHECK_INT(nl_family_parse(nlh, nlh->nlmsg_len, &fam), 0);
	CHECK_STR(fam.name, "memattr");
	CHECK_INT(fam.id, 0x1b);
	CHECK_INT(fam.version, 1);
	CHECK(nl_family_has_op(&fam, 1));
	CHECK(nl_family_has_op(&fam, 3));
	CHECK(!nl_family_has_op(&fam, 4));
	CHECK(!nl_family_has_op(&fam, 0));
	CHECK_INT(fam.n_mcgrps, 1);
	CHECK_INT(nl_mcgrp_id(&fam, "events", &id), 0);
	CHECK_INT(id, 9);
	CHECK_INT(nl_mcgrp_id(&fam, "nope", &id), -ENOENT);

	/* the family id is required */
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "memattr");
	CHECK_INT(nl_family_parse(nlh, nlh->nlmsg_len, &fam), -EBADMSG);
	/* a malformed op nest */
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "memattr");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 3);
	mnl_attr_put(nlh, CTRL_ATTR_OPS, 6, "\x08\x00\x01\x00\x01\x00");
	CHECK(nl_family_parse(nlh, nlh->nlmsg_len, &fam) < 0);
}

static void test_ack_parse(void)
{
	struct nlmsghdr *nlh;
	struct nl_ack ack;

	nlh = msg_ack(buf_a, -EINVAL, "bad sample period", true);
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), 0);
	CHECK_INT(ack.error, -EINVAL);
	CHECK_STR(ack.msg, "bad sample period");
	CHECK(ack.has_offset && ack.offset == 20);

	nlh = msg_ack(buf_a, -EPERM, "not allowed", false);
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), 0);
	CHECK_INT(ack.error, -EPERM);
	CHECK_STR(ack.msg, "not allowed");

	nlh = msg_ack(buf_a, 0, NULL, true);
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), 0);
	CHECK_INT(ack.error, 0);
	CHECK(!ack.msg && !ack.has_offset);

	nlh = msg_ack(buf_a, 5, NULL, true);	/* not an errno */
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), 0);
	CHECK_INT(ack.error, -EPROTO);

	nlh = msg_done(buf_a, -ENOENT, "no such cgroup");
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), 0);
	CHECK_INT(ack.error, -ENOENT);
	CHECK_STR(ack.msg, "no such cgroup");

	/* truncated: the error header does not fit */
	nlh = msg_ack(buf_a, -EINVAL, NULL, true);
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), -EBADMSG);
	/* an echoed request longer than the message */
	nlh = msg_ack(buf_a, -EINVAL, "x", false);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), -EBADMSG);
	/* a length of 2^31 or more */
	nlh = msg_ack(buf_a, -EINVAL, NULL, true);
	nlh->nlmsg_len = 0x80000044;
	CHECK_INT(nl_ack_parse(nlh, 64, &ack), -EBADMSG);
	/* not an ack */
	nlh = msg_stats(buf_a, "1", 1, 1);
	CHECK_INT(nl_ack_parse(nlh, nlh->nlmsg_len, &ack), -EBADMSG);
}

/* ---- against the running kernel's own nlctrl family ---- */

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_family fam;
	int err = nl_family_parse(nlh, nlh->nlmsg_len, &fam);

	if (!err)
		(*(unsigned int *)data)++;
	return err;
}

static int refuse_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return -EBADMSG;
}

static void test_nl_kernel(void)
{
	struct nlmsghdr *nlh;
	struct nl_ctx nl;
	unsigned int n = 0;
	uint32_t id;
	int err;

	err = nl_open(&nl, "nlctrl");
	if (err == -EPROTONOSUPPORT || err == -EAFNOSUPPORT || err == -EPERM) {
		tap_skip("no generic netlink here");
		return;
	}
	CHECK_INT(err, 0);
	if (err)
		return;
	CHECK_INT(nl.family.id, GENL_ID_CTRL);
	CHECK_STR(nl.family.name, "nlctrl");
	CHECK(nl_family_has_op(&nl.family, CTRL_CMD_GETFAMILY));
	CHECK_INT(nl_mcgrp_id(&nl.family, "notify", &id), 0);

	/* a dump: replies until NLMSG_DONE */
	nlh = nl_msg_start(&nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	CHECK_INT(nl_request(&nl, nlh, count_cb, &n), 0);
	CHECK(n >= 1);

	/* an error ACK without extack message */
	nlh = nl_msg_start(&nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "no-such-family");
	CHECK_INT(nl_request(&nl, nlh, count_cb, &n), -ENOENT);

	/* an error ACK with one: the name is longer than GENL_NAMSIZ */
	nlh = nl_msg_start(&nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "a-much-too-long-family-name");
	err = nl_request(&nl, nlh, count_cb, &n);
	CHECK(err == -EINVAL || err == -ERANGE);
	CHECK(nl.extack[0]);
	nl_close(&nl);

	CHECK_INT(nl_open(&nl, "no-such-family"), -ENOENT);
}

/* Start capturing ctx->err afresh into *text. */
static void capture_err(struct memattr_ctx *ctx, char **text, size_t *len)
{
	if (ctx->err)
		fclose(ctx->err);
	free(*text);
	*text = NULL;
	ctx->err = open_memstream(text, len);
	if (!ctx->err)
		abort();
}

/* memattr_request()'s messages, on a context opened on nlctrl. */
static void test_request_messages(void)
{
	struct memattr_opts opts = {};
	struct memattr_ctx ctx = { .opts = &opts, .cmd = "test" };
	struct nlmsghdr *nlh;
	char *err_text = NULL;
	size_t len;

	if (nl_open(&ctx.nl, "nlctrl")) {
		tap_skip("no generic netlink here");
		return;
	}
	ctx.nl_ready = true;
	capture_err(&ctx, &err_text, &len);

	/* the kernel's extack message, as "Error: <msg>." */
	nlh = nl_msg_start(&ctx.nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "a-much-too-long-family-name");
	CHECK(memattr_request(&ctx, nlh, count_cb, NULL) < 0);
	fflush(ctx.err);
	CHECK(starts_with(err_text, "Error: "));
	CHECK(err_text && strstr(err_text, ".\n"));
	CHECK(err_text && !strstr(err_text, "memattr:"));

	/* a command the family does not list */
	capture_err(&ctx, &err_text, &len);
	nlh = nl_msg_start(&ctx.nl, 200, 0);
	CHECK_INT(memattr_request(&ctx, nlh, count_cb, NULL), -EOPNOTSUPP);
	fflush(ctx.err);
	CHECK_STR(err_text,
		  "memattr: test: not supported by the loaded memattr module (older than this tool?)\n");

	/* the reply parser refusing the reply */
	capture_err(&ctx, &err_text, &len);
	nlh = nl_msg_start(&ctx.nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	CHECK_INT(memattr_request(&ctx, nlh, refuse_cb, NULL), -EBADMSG);
	fflush(ctx.err);
	CHECK_STR(err_text,
		  "memattr: test: invalid reply from the kernel: Bad message\n");

	fclose(ctx.err);
	free(err_text);
	nl_close(&ctx.nl);
}

/* ---- command line ---- */

static void test_cli_usage_errors(void)
{
	struct run r;

	r = run_argv(NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err, "memattr: missing command; try 'memattr help'\n");
	run_free(&r);

	r = run_argv("bogus", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err,
		  "memattr: unknown command 'bogus'; try 'memattr help'\n");
	run_free(&r);

	r = run_argv("-x", "stats", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err, "memattr: invalid option '-x'; try 'memattr help'\n");
	run_free(&r);

	r = run_argv("--bogus", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err,
		  "memattr: invalid option '--bogus'; try 'memattr help'\n");
	run_free(&r);

	r = run_argv("stats", "extra", NULL);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.err,
		  "memattr: stats: unexpected argument 'extra'; try 'memattr stats help'\n");
	run_free(&r);

	r = run_argv("help", "bogus", NULL);
	CHECK_INT(r.status, 2);
	run_free(&r);

	/* options go before the command */
	r = run_argv("stats", "-j", NULL);
	CHECK_INT(r.status, 2);
	run_free(&r);
}

static void test_cli_version(void)
{
	char want[128];
	struct run r;

	snprintf(want, sizeof(want), "memattr %s\n", memattr_version());
	r = run_argv("-V", NULL);
	CHECK_INT(r.status, 0);
	CHECK_STR(r.out, want);
	CHECK_STR(r.err, "");
	run_free(&r);
	r = run_argv("--version", "ignored", NULL);
	CHECK_INT(r.status, 0);
	CHECK_STR(r.out, want);
	run_free(&r);

	r = run_argv("-j", "version", NULL);
	CHECK_INT(r.status, 0);
	snprintf(want, sizeof(want), "{\"version\":\"%s\",\"genl_version\":%d}\n",
		 memattr_version(), MEMATTR_GENL_VERSION);
	CHECK_STR(r.out, want);
	run_free(&r);

	r = run_argv("version", NULL);
	CHECK_INT(r.status, 0);
	CHECK(starts_with(r.out, "version       "));
	run_free(&r);
}

static void test_cli_help(void)
{
	struct run r;

	r = run_argv("help", NULL);
	CHECK_INT(r.status, 0);
	CHECK(starts_with(r.out, "Usage: memattr [OPTIONS] COMMAND [ARGS]\n"));
	CHECK(strstr(r.out, "\n  stats      the module's own statistics\n"));
	CHECK_STR(r.err, "");
	run_free(&r);

	r = run_argv("-h", NULL);
	CHECK_INT(r.status, 0);
	CHECK(starts_with(r.out, "Usage: memattr"));
	run_free(&r);

	r = run_argv("stats", "help", NULL);
	CHECK_INT(r.status, 0);
	CHECK(starts_with(r.out, "Usage: memattr [OPTIONS] stats\n\n"));
	run_free(&r);

	r = run_argv("help", "stats", NULL);
	CHECK_INT(r.status, 0);
	CHECK(starts_with(r.out, "Usage: memattr [OPTIONS] stats\n\n"));
	run_free(&r);
}

/* cli_parse() on a NULL-terminated argument list, output discarded. */
static int parse_argv(struct cli *cli, const char *arg, ...)
{
	char *argv[16] = { "memattr" };
	FILE *null = fopen("/dev/null", "w");
	int argc = 1, ret;
	va_list ap;

	if (!null)
		abort();
	va_start(ap, arg);
	for (; arg && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	ret = cli_parse(cli, argc, argv, null, null);
	fclose(null);
	return ret;
}

static void test_cli_parse(void)
{
	struct cli cli;

	/* twice in a row: getopt's state must not leak */
	CHECK_INT(parse_argv(&cli, "-x", NULL), 2);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "-jp", "stats", NULL), CLI_RUN);
	CHECK(cli.cmd == &cmd_stats);
	CHECK(cli.opts.json && cli.opts.pretty);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "--json", "stats", NULL), CLI_RUN);
	CHECK(cli.opts.json && !cli.opts.pretty);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "version", NULL), CLI_RUN);
	CHECK(cli.cmd == &cmd_version && !cli.opts.json);
	cli_release(&cli);
}

static const struct tap_test tests[] = {
	{ "json: compact objects, arrays, numbers", test_json_compact },
	{ "json: pretty", test_json_pretty },
	{ "json: string escaping and invalid UTF-8", test_json_escape },
	{ "print: several top-level values", test_multiple_roots },
	{ "print: misuse is reported", test_printer_misuse },
	{ "text: aligned key value lines", test_text_kv },
	{ "text: nested objects, tables, lists", test_text_nested },
	{ "text: table alignment", test_text_table },
	{ "text: control characters escaped", test_text_escape },
	{ "stats: valid reply", test_stats_valid },
	{ "stats: with and without PAD", test_stats_pad },
	{ "stats: truncated reply rejected", test_stats_truncated },
	{ "stats: wrong attribute length rejected", test_stats_bad_length },
	{ "stats: unknown attributes skipped", test_stats_unknown_attr },
	{ "stats: wrong command, empty, repeated", test_stats_other },
	{ "stats: text and JSON output", test_stats_print },
	{ "nl: CTRL_CMD_NEWFAMILY reply", test_family_parse },
	{ "nl: ACK and extended ACK", test_ack_parse },
	{ "nl: requests to the kernel's nlctrl family", test_nl_kernel },
	{ "nl: error messages of memattr_request()", test_request_messages },
	{ "cli: usage errors exit 2", test_cli_usage_errors },
	{ "cli: -V and version", test_cli_version },
	{ "cli: help", test_cli_help },
	{ "cli: option parsing", test_cli_parse },
};

int main(void)
{
	return tap_run(tests, ARRAY_SIZE(tests));
}
