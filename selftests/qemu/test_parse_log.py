# SPDX-License-Identifier: GPL-2.0-only
"""Unit tests for parse-log.py.

Usage: python3 -m unittest discover -s selftests/qemu -p 'test_*.py'
   or: cd selftests/qemu && python3 -m unittest test_parse_log
"""

import contextlib
import importlib.util
import io
import os
import tempfile
import unittest

_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "parse_log", os.path.join(_HERE, "parse-log.py"))
parse_log = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parse_log)


def guest_log(tap, rc=0, dmesg="", kmemleak=None, done=True, console=""):
    """A serial log shaped like the one init produces."""
    parts = [
        "SeaBIOS (version 1.16.2)\r\n",
        console,
        "memattr-init: lane t, tests start at uptime 2.00 s\r\n",
        "MEMATTR-TAP-BEGIN\r\n",
        tap,
    ]
    if rc is not None:
        parts.append(f"MEMATTR-TAP-END rc={rc}\r\n")
    if kmemleak is not None:
        parts += ["MEMATTR-KMEMLEAK-BEGIN\r\n", kmemleak, "MEMATTR-KMEMLEAK-END\r\n"]
    if rc is not None:
        parts += ["MEMATTR-DMESG-BEGIN\r\n",
                  "[    0.000000] Linux version 6.1.0-56-amd64\r\n",
                  dmesg, "MEMATTR-DMESG-END\r\n"]
    if done:
        parts.append("MEMATTR-DONE\r\n[    3.5] reboot: Restarting system\r\n")
    return "".join(parts)


PASSING_TAP = (
    "TAP version 13\r\n"
    "1..3\r\n"
    "ok 1 memattr_load: debugfs dir exists\r\n"
    "ok 2 - cgroup2 has memory controller\r\n"
    "ok 3 needs hugepages # SKIP no hugetlbfs\r\n"
)


class ParseTest(unittest.TestCase):
    def parse(self, text, timed_out=None):
        return parse_log.parse(text, "lane", timed_out)

    def line(self, rep, desc):
        """The result line whose description is desc."""
        for line in rep.lines:
            if not line.startswith("#") and line.split(": ", 1)[1].split(" # ")[0] == desc:
                return line
        self.fail(f"no result {desc!r} in {rep.lines}")

    def test_all_pass(self):
        rep = self.parse(guest_log(PASSING_TAP))
        self.assertEqual(rep.lines[:3], [
            "ok - lane: memattr_load: debugfs dir exists",
            "ok - lane: cgroup2 has memory controller",
            "ok - lane: needs hugepages # SKIP no hugetlbfs",
        ])
        self.assertEqual((rep.passed, rep.failed, rep.skipped), (7, 0, 1))
        self.assertEqual(rep.summary(), "# lane: 7 passed, 0 failed, 1 skipped")
        for desc in ("tests produced results", "all planned tests reported (3 of 3)",
                     "test runner exit code 0", "guest reached MEMATTR-DONE",
                     "no kernel warnings"):
            self.assertTrue(self.line(rep, desc).startswith("ok - "), desc)
        # No kmemleak region, no kmemleak result.
        self.assertFalse(any("kmemleak" in line for line in rep.lines))

    def test_failure_and_rc(self):
        tap = ("1..2\r\n"
               "ok 1 fine\r\n"
               "not ok 2 broken\r\n"
               "# diagnostic text that is not a result\r\n")
        rep = self.parse(guest_log(tap, rc=1))
        self.assertEqual(self.line(rep, "broken"), "not ok - lane: broken")
        self.assertTrue(self.line(rep, "test runner exit code 0").startswith("not ok"))
        self.assertIn("# exit code 1", rep.lines)
        self.assertEqual((rep.passed, rep.failed, rep.skipped), (5, 2, 0))

    def test_skip_and_todo_directives(self):
        tap = ("ok 1 a # skip lower case\r\n"
               "not ok 2 b # SKIP skipped even if not ok\r\n"
               "not ok 3 c # TODO not written yet\r\n"
               "ok 4 d # TODO\r\n"
               "ok 5 e #SKIP\r\n")
        rep = self.parse(guest_log(tap))
        self.assertEqual(rep.lines[:5], [
            "ok - lane: a # SKIP lower case",
            "ok - lane: b # SKIP skipped even if not ok",
            "ok - lane: c # SKIP TODO not written yet",
            "ok - lane: d # SKIP TODO (passed)",
            "ok - lane: e # SKIP",
        ])
        self.assertEqual(rep.skipped, 5)
        self.assertEqual(rep.failed, 0)

    def test_only_top_level_tap_and_timestamps(self):
        tap = ("    ok 1 nested subtest is not counted\r\n"
               "\tnot ok 2 nor is this\r\n"
               "[   12.345678] ok 1 printk-stamped top-level line\r\n"
               "[   12.400000] memattr: some kernel chatter\r\n"
               "okay this is not TAP\r\n"
               "ok\r\n")
        rep = self.parse(guest_log(tap))
        results = [ln for ln in rep.lines if not ln.startswith("#")]
        self.assertEqual(results[0], "ok - lane: printk-stamped top-level line")
        self.assertEqual(results[1], "ok - lane: test 2")
        self.assertEqual(rep.failed, 0)

    def test_tap_outside_markers_ignored(self):
        text = "ok 1 before the markers\r\n" + guest_log("ok 1 inside\r\n")
        text += "ok 9 after everything\r\n"
        rep = self.parse(text)
        self.assertEqual([ln for ln in rep.lines if " - lane: " in ln][0],
                         "ok - lane: inside")
        self.assertFalse(any("before" in ln or "after everything" in ln for ln in rep.lines))

    def test_kernel_warning_in_dmesg(self):
        dmesg = ("[    3.1] WARNING: CPU: 0 PID: 110 at mm/memattr.c:3 f+0x5/0x10 [memattr]\r\n"
                 "[    3.1] Call Trace:\r\n"
                 "[    3.1]  <TASK>\r\n")
        rep = self.parse(guest_log(PASSING_TAP, dmesg=dmesg))
        self.assertTrue(self.line(rep, "no kernel warnings").startswith("not ok"))
        self.assertIn("# WARNING: CPU: 0 PID: 110 at mm/memattr.c:3 f+0x5/0x10 [memattr]",
                      rep.lines)
        self.assertEqual(rep.failed, 1)

    def test_each_trouble_pattern(self):
        for msg in ("BUG: KASAN: slab-out-of-bounds in f+0x1/0x2",
                    "BUG: unable to handle page fault for address: 0000",
                    "Unable to handle kernel NULL pointer dereference at virtual address 0",
                    "Internal error: Oops: 96000004 [#1] SMP",
                    "Kernel panic - not syncing: panic_on_warn set ...",
                    "UBSAN: shift-out-of-bounds in mm/memattr.c:9:1",
                    "WARNING: possible circular locking dependency detected",
                    "WARNING: possible recursive locking detected",
                    "WARNING: inconsistent lock state",
                    "WARNING: suspicious RCU usage",
                    "INFO: task insmod:99 blocked for more than 120 seconds.",
                    "general protection fault, probably for non-canonical address",
                    "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                    "rcu: INFO: rcu_preempt self-detected stall on CPU",
                    "kernel BUG at mm/memattr.c:12!",
                    # Preemptible and PREEMPT_RT kernels, lockdep with
                    # PROVE_RAW_LOCK_NESTING, debug objects.
                    "BUG: sleeping function called from invalid context at"
                    " kernel/locking/spinlock_rt.c:46",
                    "BUG: scheduling while atomic: attribution/212/0x00000002",
                    "BUG: using smp_processor_id() in preemptible [00000000] code: x/1",
                    "BUG: Invalid wait context",
                    "[ BUG: Invalid wait context ]",
                    "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected",
                    "WARNING: possible irq lock inversion dependency detected",
                    "DEBUG_LOCKS_WARN_ON(1)",
                    "ODEBUG: free active (active state 1) object: 00000000 object type:"
                    " rcu_head hint: 0x0"):
            with self.subTest(msg=msg):
                rep = self.parse(guest_log(PASSING_TAP, dmesg=f"[ 5.000000] {msg}\r\n"))
                self.assertTrue(self.line(rep, "no kernel warnings").startswith("not ok"))
                self.assertIn(f"# {msg}", rep.lines)

    def test_preempt_model(self):
        """--preempt MODEL passes only when init's uname -v line names MODEL
        as a whole word (PREEMPT is not PREEMPT_DYNAMIC or PREEMPT_RT)."""
        def result(uname_v, model):
            console = f"memattr-init: kernel version: {uname_v}\r\n" if uname_v else ""
            rep = parse_log.parse(guest_log(PASSING_TAP, console=console), "lane",
                                  preempt=model)
            return self.line(rep, f"kernel is {model}"), rep
        for uname_v, model, want in (
                ("#1 SMP PREEMPT Mon Nov 30 12:00:00 UTC 2026", "PREEMPT", True),
                ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3", "PREEMPT", False),
                ("#1 SMP PREEMPT_RT Debian 6.1.192-3", "PREEMPT", False),
                ("#1 SMP PREEMPT_RT Debian 6.1.192-3", "PREEMPT_RT", True),
                ("#1 SMP Debian 6.1.192-3", "PREEMPT_RT", False),
                (None, "PREEMPT_RT", False)):
            with self.subTest(uname_v=uname_v, model=model):
                line, rep = result(uname_v, model)
                self.assertEqual(line.startswith("ok - "), want, line)
                self.assertEqual(rep.failed, 0 if want else 1)
        # Without --preempt there is no such result.
        rep = self.parse(guest_log(PASSING_TAP))
        self.assertFalse(any("kernel is" in line for line in rep.lines))

    def test_oom_killer_stack_is_not_trouble(self):
        dmesg = ("[    9.1] dd invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0\r\n"
                 "[    9.1] Call Trace:\r\n"
                 "[    9.1]  <TASK>\r\n"
                 "[    9.2] Memory cgroup out of memory: Killed process 163 (dd)\r\n")
        rep = self.parse(guest_log(PASSING_TAP, dmesg=dmesg))
        self.assertTrue(self.line(rep, "no kernel warnings").startswith("ok"))

    def test_memattr_records_are_not_trouble(self):
        dmesg = ("[ 9.1] memattr: event=leak time_ms=9100 entity=process pid=7"
                 " comm=WARNING:\\x20x growth_kb_per_hour=9000 since_ms=1\r\n"
                 "[ 9.2] memattr: report=proc rank=1 comm=BUG:\r\n")
        rep = self.parse(guest_log(PASSING_TAP, dmesg=dmesg))
        self.assertTrue(self.line(rep, "no kernel warnings").startswith("ok"))
        rep = self.parse(guest_log(PASSING_TAP, dmesg=dmesg + "[ 9.3] WARNING: at x.c:1 f\r\n"))
        self.assertTrue(self.line(rep, "no kernel warnings").startswith("not ok"))

    def test_warning_on_console_dedup_and_cap(self):
        warn = "".join(f"[ 1.{i}] WARNING: CPU: 0 PID: 1 at x.c:{i} f\r\n" for i in range(20))
        console = "[ 1.0] BUG: sleeping function called from invalid context\r\n"
        rep = self.parse(guest_log(PASSING_TAP, console=console, dmesg=warn + console))
        diags = [ln for ln in rep.lines if ln.startswith("# ") and "lane:" not in ln]
        self.assertEqual(diags[0], "# BUG: sleeping function called from invalid context")
        self.assertEqual(len(diags), parse_log.MAX_DIAG + 1)
        self.assertEqual(diags[-1], f"# ... and {21 - parse_log.MAX_DIAG} more")

    def test_benign_stock_kernel_lines(self):
        dmesg = ("[ 3.1] hello: loading out-of-tree module taints kernel.\r\n"
                 "[ 3.1] hello: module verification failed: signature and/or required"
                 " key missing - tainting kernel\r\n"
                 "[ 0.1] Warning: unable to open an initial console.\r\n")
        rep = self.parse(guest_log(PASSING_TAP, dmesg=dmesg))
        self.assertTrue(self.line(rep, "no kernel warnings").startswith("ok"))

    def test_kmemleak(self):
        rep = self.parse(guest_log(PASSING_TAP, kmemleak=""))
        self.assertEqual(self.line(rep, "kmemleak clean"), "ok - lane: kmemleak clean")
        leak = ('unreferenced object 0xffff888003a1c000 (size 64):\r\n'
                '  comm "insmod", pid 110, jiffies 4294892296 (age 8.120s)\r\n'
                '  backtrace:\r\n'
                '    [<000000001>] kmalloc_trace+0x26/0x90\r\n'
                'unreferenced object 0xffff888003a1c040 (size 64):\r\n')
        rep = self.parse(guest_log(PASSING_TAP, kmemleak=leak))
        self.assertEqual(self.line(rep, "kmemleak clean"), "not ok - lane: kmemleak clean")
        self.assertIn("# unreferenced object 0xffff888003a1c000 (size 64):", rep.lines)
        self.assertEqual(rep.failed, 1)

    def test_missing_done(self):
        rep = self.parse(guest_log(PASSING_TAP, done=False))
        self.assertEqual(self.line(rep, "guest reached MEMATTR-DONE"),
                         "not ok - lane: guest reached MEMATTR-DONE")
        self.assertEqual(rep.failed, 1)

    def test_timeout_mid_run(self):
        text = guest_log("1..3\r\nok 1 first\r\n", rc=None, done=False)
        rep = self.parse(text, timed_out=600)
        self.assertEqual(rep.lines[0], "ok - lane: first")
        self.assertEqual(self.line(rep, "guest finished within 600 s"),
                         "not ok - lane: guest finished within 600 s")
        for desc in ("all planned tests reported (1 of 3)", "test runner exit code 0",
                     "guest reached MEMATTR-DONE"):
            self.assertTrue(self.line(rep, desc).startswith("not ok"), desc)
        self.assertEqual((rep.passed, rep.failed), (3, 4))

    def test_no_results(self):
        rep = self.parse(guest_log("# memattr-init: /selftests/run.sh is missing\r\n", rc=127))
        self.assertEqual(self.line(rep, "tests produced results"),
                         "not ok - lane: tests produced results")
        self.assertEqual(rep.failed, 2)
        rep = self.parse("SeaBIOS\r\nKernel panic - not syncing: VFS: Unable to mount root\r\n")
        self.assertEqual(rep.passed, 0)
        self.assertEqual(rep.failed, 4)


class RebootTest(unittest.TestCase):
    """parse-log --reboot: one log, several boots, crashes on purpose."""

    BOOT1 = ("memattr-init: lane t, reboot test boot at uptime 2.00 s\r\n"
             "MEMATTR-TAP-BEGIN\r\n"
             "ok 1 - case 1: starts\r\n"
             "MEMATTR-EXPECT-CRASH\r\n"
             "[   30.1] Kernel panic - not syncing: sysrq triggered crash\r\n"
             "[   30.2] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\r\n")
    BOOT2 = ("memattr-init: lane t, reboot test boot at uptime 2.00 s\r\n"
             "MEMATTR-TAP-BEGIN\r\n"
             "ok 2 - case 1: leak event\r\n"
             "MEMATTR-TAP-END rc=0\r\n"
             "MEMATTR-DONE\r\n")

    def test_every_boot_counts(self):
        rep = parse_log.parse(self.BOOT1 + self.BOOT2, "lane", reboot=True)
        self.assertIn("ok - lane: case 1: starts", rep.lines)
        self.assertIn("ok - lane: case 1: leak event", rep.lines)
        self.assertEqual(rep.failed, 0, rep.lines)

    def test_a_failure_in_an_early_boot_fails(self):
        log = self.BOOT1.replace("ok 1 - case 1: starts", "not ok 1 - case 1: starts")
        rep = parse_log.parse(log + self.BOOT2, "lane", reboot=True)
        self.assertEqual(rep.failed, 1, rep.lines)

    def test_marker_through_the_kernel_log(self):
        # The console printed the panic's first line before the backlog
        # that holds the announcement (seen on stock-arm64).
        log = (self.BOOT1.replace("MEMATTR-EXPECT-CRASH\r\n", "")
               + "[   29.9] MEMATTR-EXPECT-CRASH\r\n")
        rep = parse_log.parse(log + self.BOOT2, "lane", reboot=True)
        self.assertEqual(rep.failed, 0, rep.lines)

    def test_unannounced_panic_is_trouble(self):
        log = self.BOOT1.replace("MEMATTR-EXPECT-CRASH\r\n", "")
        rep = parse_log.parse(log + self.BOOT2, "lane", reboot=True)
        self.assertTrue(any(line.startswith("not ok - lane: no kernel warnings")
                            for line in rep.lines), rep.lines)

    def test_other_trouble_after_the_marker_counts(self):
        log = self.BOOT1 + "[   30.3] BUG: unable to handle page fault\r\n"
        rep = parse_log.parse(log + self.BOOT2, "lane", reboot=True)
        self.assertTrue(any(line.startswith("not ok - lane: no kernel warnings")
                            for line in rep.lines), rep.lines)

    def test_crash_marker_ends_with_the_next_boot(self):
        log = self.BOOT1 + self.BOOT2 + "[   40.0] Kernel panic - not syncing: Out of memory\r\n"
        rep = parse_log.parse(log, "lane", reboot=True)
        self.assertEqual(rep.failed, 1, rep.lines)


class MainTest(unittest.TestCase):
    def run_main(self, text, *args):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "some-lane.log")
            with open(path, "wb") as f:
                f.write(text.encode() if isinstance(text, str) else text)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = parse_log.main([*args, path])
        return rc, out.getvalue().splitlines()

    def test_exit_status_and_summary(self):
        rc, out = self.run_main(guest_log(PASSING_TAP), "--lane", "stock-amd64")
        self.assertEqual(rc, 0)
        self.assertEqual(out[0], "ok - stock-amd64: memattr_load: debugfs dir exists")
        self.assertEqual(out[-1], "# stock-amd64: 7 passed, 0 failed, 1 skipped")
        rc, out = self.run_main(guest_log("ok 1 x\r\n"), "--lane", "l", "--timed-out", "30")
        self.assertEqual(rc, 1)
        self.assertIn("not ok - l: guest finished within 30 s", out)
        rc, out = self.run_main(guest_log(PASSING_TAP), "--lane", "l", "--preempt", "PREEMPT_RT")
        self.assertEqual(rc, 1)
        self.assertIn("not ok - l: kernel is PREEMPT_RT", out)

    def test_lane_defaults(self):
        text = "[ 0.0] Kernel command line: console=ttyS0 memattr.lane=from-cmdline\r\n"
        _, out = self.run_main(text + guest_log(PASSING_TAP))
        self.assertTrue(out[0].startswith("ok - from-cmdline: "))
        _, out = self.run_main(guest_log(PASSING_TAP))
        self.assertTrue(out[0].startswith("ok - some-lane: "))

    def test_binary_garbage(self):
        rc, out = self.run_main(b"\xff\xfe\x00junk\r\n" + guest_log(PASSING_TAP).encode())
        self.assertEqual(rc, 0)


if __name__ == "__main__":
    unittest.main()
