// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prints a JSON document exercising every printer feature, for
 * json_check.sh to feed to real JSON parsers (jq, python3).
 *
 *   json_driver compact|pretty|stream
 */
#include <stdint.h>
#include <string.h>

#include "print.h"

static void document(struct pr *pr)
{
	pr_obj_open(pr, NULL);
	pr_str(pr, "quote", "a\"b\\c/d");
	pr_str(pr, "ctl", "\b\f\n\r\t\x01\x1f\x7f");
	pr_str(pr, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	pr_str(pr, "bad", "\xff\xc0\x80\xed\xa0\x80\xe2\x82");
	pr_strn(pr, "nul", "a\0b", 3);
	pr_strn(pr, "comm", "kworker/0:1\xfe\x1b[0m", 16);
	pr_obj_open(pr, "nested");
	pr_obj_open(pr, "deeper");
	pr_arr_open(pr, "list");
	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", 1);
	pr_bool(pr, "kernel", false);
	pr_obj_close(pr);
	pr_arr_open(pr, NULL);
	pr_arr_close(pr);
	pr_null(pr, NULL);
	pr_arr_close(pr);
	pr_obj_close(pr);
	pr_obj_open(pr, "empty");
	pr_obj_close(pr);
	pr_obj_close(pr);
	pr_u64(pr, "u64_max", UINT64_MAX);
	pr_s64(pr, "s64_min", INT64_MIN);
	pr_bool(pr, "yes", true);
	pr_obj_close(pr);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "compact";
	unsigned int flags = PR_JSON;
	struct pr *pr;

	if (!strcmp(mode, "pretty"))
		flags |= PR_PRETTY;
	pr = pr_new(stdout, flags);
	if (!pr)
		return 1;
	document(pr);
	if (!strcmp(mode, "stream")) {
		pr_u64(pr, NULL, 42);
		pr_str(pr, NULL, "tail");
		document(pr);
	}
	return pr_free(pr) ? 1 : 0;
}
