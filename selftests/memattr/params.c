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
};

FIXTURE_VARIANT_ADD(params, sample_ms) {
	.name = "sample_ms", .dflt = 1000, .good = "250\n", .good_val = 250,
};

FIXTURE_VARIANT_ADD(params, max_procs) {
	.name = "max_procs", .dflt = 4096, .good = "8192", .good_val = 8192,
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
	"-1", "0", "5", "9\n", "60000000000", "99999999999999999999",
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
}

TEST_F(params, good_write_applies)
{
	char path[256];

	snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", variant->name);
	ASSERT_EQ(0, mt_write_file(path, variant->good, strlen(variant->good)));
	EXPECT_EQ(variant->good_val, mt_param_read(variant->name));
}

TEST_HARNESS_MAIN
