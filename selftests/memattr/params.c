// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes to /sys/module/memattr/parameters/: bad input is refused with
 * EINVAL and changes nothing; good input takes effect.
 */
#include "memattr_test.h"
#include "kselftest_harness.h"

FIXTURE(params) {
	int unused;
};

FIXTURE_VARIANT(params) {
	const char *name;
	long long dflt;
	const char *good;
	long long good_val;
	const char *below;	/* one less than the minimum */
	const char *above;	/* one more than the maximum */
};

FIXTURE_VARIANT_ADD(params, sample_ms) {
	.name = "sample_ms", .dflt = 1000, .good = "250\n", .good_val = 250,
	.below = "9", .above = "60001",
};

FIXTURE_VARIANT_ADD(params, max_procs) {
	.name = "max_procs", .dflt = 4096, .good = "8192", .good_val = 8192,
	.below = "15", .above = "1048577",
};

FIXTURE_VARIANT_ADD(params, leak_window_s) {
	.name = "leak_window_s", .dflt = 3600, .good = "20", .good_val = 20,
	.below = "9", .above = "604801",
};

FIXTURE_VARIANT_ADD(params, leak_min_kb_per_hour) {
	.name = "leak_min_kb_per_hour", .dflt = 4096, .good = "36000",
	.good_val = 36000,
	.below = "0", .above = "4194305",
};

FIXTURE_SETUP(params)
{
	if (!mt_module_loaded())
		ASSERT_EQ(0, mt_module_load(NULL));
}

FIXTURE_TEARDOWN(params)
{
	EXPECT_EQ(0, mt_module_unload());
}

static const char * const bad_values[] = {
	"-1", "0", "60000000000", "99999999999999999999",
	"abc", "\n", " ", " 100", "100 ", "100abc", "0x100", "1e3", "+100",
	"100\n\n",
};

TEST_F(params, bad_writes_rejected)
{
	char path[256];
	unsigned int i;

	snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", variant->name);
	ASSERT_EQ(variant->dflt, mt_param_read(variant->name));
	for (i = 0; i < ARRAY_SIZE(bad_values); i++) {
		EXPECT_EQ(EINVAL, mt_write_file(path, bad_values[i],
						strlen(bad_values[i])))
			TH_LOG("%s <- \"%s\"", variant->name, bad_values[i]);
		EXPECT_EQ(variant->dflt, mt_param_read(variant->name))
			TH_LOG("%s changed by \"%s\"", variant->name,
			       bad_values[i]);
	}
	EXPECT_EQ(EINVAL, mt_write_file(path, variant->below,
					strlen(variant->below)));
	EXPECT_EQ(EINVAL, mt_write_file(path, variant->above,
					strlen(variant->above)));
	EXPECT_EQ(variant->dflt, mt_param_read(variant->name));
}

TEST_F(params, good_write_applies)
{
	char path[256];

	snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", variant->name);
	ASSERT_EQ(0, mt_write_file(path, variant->good, strlen(variant->good)));
	EXPECT_EQ(variant->good_val, mt_param_read(variant->name));
}

/* watermarks: a list; bad lists are refused and change nothing. */
TEST_F(params, watermarks)
{
	/*
	 * No "": sysfs ends a zero-length write before the parameter's
	 * set() sees it (sysfs_kf_write()), so it succeeds and changes
	 * nothing; that is checked below.
	 */
	static const char * const bad[] = {
		"\n", "0", "100", "92,85", "85,85", "85,,92", "85,92,",
		" 85", "85 ,92", "-5", "abc", "1,2,3,4,5,6,7,8,9", "85;92",
	};
	const char *path = MEMATTR_PARAMS "/watermarks";
	char buf[64];
	unsigned int i;

	if (strcmp(variant->name, "sample_ms"))
		return;	/* one run is enough */
	ASSERT_LT(0, mt_read_file(path, buf, sizeof(buf)));
	ASSERT_STREQ("85,92,97\n", buf);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, mt_write_file(path, bad[i], strlen(bad[i])))
			TH_LOG("watermarks <- \"%s\"", bad[i]);
		ASSERT_LT(0, mt_read_file(path, buf, sizeof(buf)));
		EXPECT_STREQ("85,92,97\n", buf);
	}
	EXPECT_EQ(0, mt_write_file(path, "", 0));
	ASSERT_LT(0, mt_read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("85,92,97\n", buf);
	ASSERT_EQ(0, mt_write_file(path, "30,50,70\n", 9));
	ASSERT_LT(0, mt_read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("30,50,70\n", buf);
}

TEST_HARNESS_MAIN
