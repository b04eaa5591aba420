// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr.ko comes up whole, goes away without a trace, and survives being
 * loaded and unloaded over and over.
 */
#include <sys/wait.h>

#include "memattr_test.h"
#include "kselftest_harness.h"

FIXTURE(loaded) {
	int unused;
};

FIXTURE_SETUP(loaded)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
}

FIXTURE_TEARDOWN(loaded)
{
	if (mt_module_loaded())
		EXPECT_EQ(0, mt_module_unload());
}

TEST_F(loaded, debugfs_stats_table)
{
	char buf[4096];

	ASSERT_TRUE(mt_path_exists(MEMATTR_DEBUGFS));
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/stats", buf, sizeof(buf)));
	/* A header line, then one key per line. */
	EXPECT_EQ(0, strncmp(buf, "key", 3));
	EXPECT_NE(NULL, strstr(buf, "\nsample_ms"));
	EXPECT_NE(NULL, strstr(buf, "\nown_mem_bytes"));
}

TEST_F(loaded, params_have_defaults)
{
	EXPECT_EQ(1000, mt_param_read("sample_ms"));
	EXPECT_EQ(4096, mt_param_read("max_procs"));
}

TEST_F(loaded, genl_family_answers)
{
	char out[4096];

	ASSERT_EQ(0, mt_run("memattr stats", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "sample_ms"));
	ASSERT_EQ(0, mt_run("memattr -j stats", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\"sample_ms\":1000"));
}

TEST_F(loaded, second_load_refused)
{
	EXPECT_EQ(EEXIST, mt_module_load(NULL));
}

/* After rmmod nothing of memattr is left: sysfs, debugfs, genl family. */
TEST(unload_leaves_nothing)
{
	char out[4096];

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
	ASSERT_EQ(0, mt_module_unload());
	EXPECT_FALSE(mt_path_exists(MEMATTR_SYSMOD));
	EXPECT_FALSE(mt_path_exists(MEMATTR_DEBUGFS));
	EXPECT_EQ(1, mt_run("memattr stats 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "kernel module not loaded"));
}

/*
 * No state: a fixture only for the timeout, as 20 cycles under a debug
 * kernel (KASAN, lockdep, full preemption) on a busy TCG host take about
 * 30 s, the harness's default.
 */
FIXTURE(cycles) {
};

FIXTURE_SETUP(cycles)
{
}

FIXTURE_TEARDOWN(cycles)
{
}

TEST_F_TIMEOUT(cycles, load_unload_20_times, 180)
{
	int i;

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, mt_module_load(NULL)) TH_LOG("load %d", i);
		ASSERT_EQ(0, mt_module_unload()) TH_LOG("unload %d", i);
	}
	EXPECT_FALSE(mt_module_loaded());
}

/* A bad parameter at load time refuses the load and leaves nothing. */
TEST(load_with_bad_param_refused)
{
	static const char * const bad[] = {
		"sample_ms=5", "sample_ms=60001", "sample_ms=-1",
		"sample_ms=abc", "sample_ms=", "max_procs=0",
		"max_procs=99999999999",
	};
	unsigned int i;

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, mt_module_load(bad[i])) TH_LOG("%s", bad[i]);
		EXPECT_FALSE(mt_module_loaded()) TH_LOG("%s", bad[i]);
		if (mt_module_loaded())
			mt_module_unload();
	}
	ASSERT_EQ(0, mt_module_load("sample_ms=250 max_procs=100"));
	EXPECT_EQ(250, mt_param_read("sample_ms"));
	EXPECT_EQ(100, mt_param_read("max_procs"));
	EXPECT_EQ(0, mt_module_unload());
}

TEST_HARNESS_MAIN
