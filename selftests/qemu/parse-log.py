#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the serial log of a memattr test guest into TAP-ish result lines.

Usage: parse-log.py [--lane NAME] [--timed-out SEC] [--preempt MODEL]
                    [--reboot] LOG

Prints one line per result, prefixed by the lane:
    ok - LANE: DESC
    not ok - LANE: DESC
    ok - LANE: DESC # SKIP REASON
then '# LANE: P passed, F failed, S skipped'; exits 1 if F > 0, else 0.

Results are the top-level TAP lines between MEMATTR-TAP-BEGIN and
MEMATTR-TAP-END (see init) plus these synthetic ones:
    tests produced results        at least one TAP result was seen
    all planned tests reported    only when a top-level plan 1..N was seen;
                                  the plans of several producers add up
    test runner exit code 0       the rc= on MEMATTR-TAP-END
    guest reached MEMATTR-DONE
    guest finished within SEC s   only with --timed-out SEC (always fails)
    kernel is MODEL               only with --preempt MODEL: init's
                                  "kernel version:" line (uname -v) has the
                                  word MODEL (PREEMPT, PREEMPT_RT, ...)
    no kernel warnings            no WARN/BUG/Oops/lockdep/RCU/KASAN/sleep-in-
                                  atomic report in the whole log
    kmemleak clean                only when a MEMATTR-KMEMLEAK region exists

With --reboot (the reboot test: several boots in one log), every
MEMATTR-TAP-BEGIN starts a region, up to the next MEMATTR-TAP-END or
MEMATTR-TAP-BEGIN (a boot that ended in a crash has no end marker), and the
results of all of them count. The crash a case asks for is announced by a
line MEMATTR-EXPECT-CRASH; in a boot that has one (from its first
"memattr-init:" line to the next boot's), the panic's own line
(EXPECTED_CRASH) is not a kernel warning. Anything
else there still is.
"""

import argparse
import os
import re
import sys

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
TAP_RESULT = re.compile(
    r"^(?P<status>not ok|ok)\b[ \t]*(?P<num>\d+)?[ \t]*(?:-[ \t]*)?(?P<rest>.*)$"
)
DIRECTIVE = re.compile(r"\s#\s*(?P<kind>SKIP|TODO)\b\s*(?P<reason>.*)$", re.IGNORECASE)
PLAN = re.compile(r"^1\.\.(?P<n>\d+)\b")
TAP_END = re.compile(r"^MEMATTR-TAP-END(?:\s+rc=(?P<rc>-?\d+))?")
UNAME_V = re.compile(r"^memattr-init: kernel version: (?P<v>.*)$")

# Kernel messages that mean something went wrong, wherever they appear
# (x86's BUG_ON says "kernel BUG at"). A bare "Call Trace:" is not one: the
# OOM killer, which the tests provoke on purpose, prints its stack too;
# every real trouble report has its own first line matched here. Most of
# them start with "BUG:" or "WARNING:"; the ones a preemptible or PREEMPT_RT
# kernel prints are also named, so a change of prefix cannot hide them.
KERNEL_TROUBLE = re.compile(
    r"WARNING:|BUG:|Oops|Kernel panic|KASAN:|UBSAN:"
    r"|possible circular locking|possible recursive locking"
    r"|inconsistent lock state|suspicious RCU usage|Invalid wait context"
    r"|sleeping function called from invalid context|scheduling while atomic"
    r"|DEBUG_LOCKS_WARN_ON|ODEBUG:"
    r"|INFO: task .* blocked|rcu: INFO: .* detected stalls?|self-detected stall"
    r"|general protection fault"
    r"|[Uu]nable to handle|kernel BUG at"
)
MAX_DIAG = 8
# The panics the reboot test causes: sysrq-c, and panic_on_oom.
EXPECTED_CRASH = re.compile(
    r"Kernel panic - not syncing: (sysrq triggered crash|Out of memory)"
    r"|---\[ end Kernel panic - not syncing: (sysrq triggered crash|Out of memory)"
)
# memattr's own records (module/klog.c, the post-mortem): their values are
# escaped names a test may choose freely ("WARNING:" is a legal comm), so
# they are never trouble reports, whatever they hold.
MEMATTR_RECORD = re.compile(r"^(?:<\d+>)?memattr: (?:event|report)=")


def clean(line):
    """Drop the serial line ending and a leading printk time stamp."""
    line = line.rstrip("\r\n").replace("\r", "")
    return TIMESTAMP.sub("", line, count=1)


def region(lines, begin, end):
    """Lines strictly between the first BEGIN marker and the next END marker
    (or the end of the log); None if BEGIN never appears."""
    for i, line in enumerate(lines):
        if line.strip() == begin:
            out = []
            for body in lines[i + 1:]:
                if body.strip().startswith(end):
                    break
                out.append(body)
            return out
    return None


class Report:
    def __init__(self, lane):
        self.lane = lane
        self.lines = []
        self.passed = self.failed = self.skipped = 0

    def ok(self, desc, passed=True, diags=()):
        if passed:
            self.passed += 1
            self.lines.append(f"ok - {self.lane}: {desc}")
        else:
            self.failed += 1
            self.lines.append(f"not ok - {self.lane}: {desc}")
        self.lines.extend(f"# {d}" for d in diags)

    def skip(self, desc, reason):
        self.skipped += 1
        self.lines.append(f"ok - {self.lane}: {desc} # SKIP {reason}".rstrip())

    def summary(self):
        return (f"# {self.lane}: {self.passed} passed, {self.failed} failed, "
                f"{self.skipped} skipped")


def regions(lines, begin, end):
    """The lines after each BEGIN marker up to the next END or BEGIN marker
    (or the end of the log), all together; None if BEGIN never appears."""
    out, inside, seen = [], False, False
    for line in lines:
        s = line.strip()
        if s == begin:
            inside = seen = True
            continue
        if s.startswith(end):
            inside = False
            continue
        if inside:
            out.append(line)
    return out if seen else None


def expected_crash_lines(lines):
    """Indexes of the lines EXPECTED_CRASH matches in a boot that announced
    a crash (a MEMATTR-EXPECT-CRASH line anywhere in it: the console may
    print a panic's first line before the kernel-log backlog that holds the
    announcement). A boot starts at its first "memattr-init:" line."""
    out, boot, armed, prev_init = set(), [], False, False

    def close():
        if armed:
            out.update(boot)

    for i, line in enumerate(lines):
        s = line.strip()
        init = s.startswith("memattr-init:")
        if init and not prev_init:
            close()
            boot, armed = [], False
        prev_init = init
        if s == "MEMATTR-EXPECT-CRASH":
            armed = True
        elif EXPECTED_CRASH.search(s):
            boot.append(i)
    close()
    return out


def parse(text, lane, timed_out=None, preempt=None, reboot=False):
    """Parse a whole guest log; return a Report."""
    lines = [clean(line) for line in text.splitlines()]
    rep = Report(lane)

    if reboot:
        tap = regions(lines, "MEMATTR-TAP-BEGIN", "MEMATTR-TAP-END")
    else:
        tap = region(lines, "MEMATTR-TAP-BEGIN", "MEMATTR-TAP-END")
    results = 0
    plan = None
    for line in tap or []:
        m = PLAN.match(line)
        if m:
            # Several TAP producers run one after the other: their plans add.
            plan = (plan or 0) + int(m.group("n"))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        results += 1
        rest = m.group("rest")
        d = DIRECTIVE.search(rest)
        desc = (rest[:d.start()] if d else rest).strip()
        if not desc:
            desc = f"test {m.group('num') or results}"
        if d:
            kind = d.group("kind").upper()
            reason = d.group("reason").strip()
            if kind == "TODO":
                reason = f"TODO {reason}".strip()
                if m.group("status") == "ok":
                    reason += " (passed)"
            rep.skip(desc, reason)
        else:
            rep.ok(desc, m.group("status") == "ok")

    if tap is None:
        rep.ok("tests produced results", False,
               ["MEMATTR-TAP-BEGIN never appeared: the guest did not reach the tests"])
    else:
        rep.ok("tests produced results", results > 0,
               [] if results else ["no TAP result lines between the markers"])
    if plan is not None:
        rep.ok(f"all planned tests reported ({results} of {plan})", results == plan)

    rc = None
    for line in lines:
        m = TAP_END.match(line.strip())
        if m:
            rc = m.group("rc")
            break
    if rc is None:
        rep.ok("test runner exit code 0", False,
               ["no MEMATTR-TAP-END rc=N line: the runner did not finish"])
    else:
        rep.ok("test runner exit code 0", rc == "0",
               [] if rc == "0" else [f"exit code {rc}"])

    done = any(line.strip() == "MEMATTR-DONE" for line in lines)
    rep.ok("guest reached MEMATTR-DONE", done)
    if timed_out is not None:
        rep.ok(f"guest finished within {timed_out} s", False,
               ["QEMU was killed by the timeout"])
    if preempt is not None:
        versions = [m.group("v").strip() for m in map(UNAME_V.match, lines) if m]
        if not versions:
            rep.ok(f"kernel is {preempt}", False,
                   ["no 'memattr-init: kernel version:' line in the log"])
        else:
            word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(preempt)}(?![A-Za-z0-9_])")
            rep.ok(f"kernel is {preempt}", bool(word.search(versions[0])),
                   [f"uname -v: {versions[0]}"])

    trouble, seen = [], set()
    allowed = expected_crash_lines(lines) if reboot else set()
    for i, line in enumerate(lines):
        if i in allowed or MEMATTR_RECORD.match(line.strip()):
            continue
        if KERNEL_TROUBLE.search(line) and line.strip() not in seen:
            seen.add(line.strip())
            trouble.append(line.strip())
    diags = trouble[:MAX_DIAG]
    if len(trouble) > MAX_DIAG:
        diags.append(f"... and {len(trouble) - MAX_DIAG} more")
    rep.ok("no kernel warnings", not trouble, diags)

    leak = region(lines, "MEMATTR-KMEMLEAK-BEGIN", "MEMATTR-KMEMLEAK-END")
    if leak is not None:
        objs = [ln.strip() for ln in leak if "unreferenced object" in ln]
        diags = objs[:MAX_DIAG]
        if len(objs) > MAX_DIAG:
            diags.append(f"... and {len(objs) - MAX_DIAG} more")
        rep.ok("kmemleak clean", not objs, diags)

    return rep


def lane_from(text, path):
    m = re.search(r"\bmemattr\.lane=(\S+)", text)
    if m:
        return m.group(1)
    return os.path.splitext(os.path.basename(path))[0] or "guest"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Report the results in a memattr guest's serial log.")
    ap.add_argument("--lane", help="lane name to prefix results with "
                    "(default: memattr.lane= from the log, else the log's name)")
    ap.add_argument("--timed-out", metavar="SEC", type=int,
                    help="QEMU was killed after SEC seconds: report that as a failure")
    ap.add_argument("--preempt", metavar="MODEL",
                    help="fail unless the guest kernel's uname -v names MODEL "
                    "(PREEMPT, PREEMPT_RT, PREEMPT_DYNAMIC)")
    ap.add_argument("--reboot", action="store_true",
                    help="the reboot test's log: several boots, crashes "
                    "announced by MEMATTR-EXPECT-CRASH")
    ap.add_argument("log", help="serial log of the guest")
    args = ap.parse_args(argv)

    try:
        with open(args.log, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    except OSError as e:
        print(f"parse-log: {e}", file=sys.stderr)
        text = ""
    lane = args.lane or lane_from(text, args.log)
    rep = parse(text, lane, args.timed_out, args.preempt, args.reboot)
    for line in rep.lines:
        print(line)
    print(rep.summary())
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
