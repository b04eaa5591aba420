#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the console log of a benchmark guest (bench/run.sh) into a table.

Usage: bench-report.py --arch ARCH [--qemu VERSION] [--out FILE] LOG

Prints the table (Markdown) on stdout and, with --out, writes it there too.
Exits 1 when the log holds no complete run.
"""

import argparse
import datetime
import os
import re
import statistics
import sys

STORMS = [
    ("fault", "page-fault storm: mmap 64 MiB, touch every page, munmap (4 KiB pages: MADV_NOHUGEPAGE)", 1.01),
    ("faultthp", "the same with THP as the kernel sets it (always: 2 MiB pages)", 1.01),
    ("mmap", "mmap/munmap storm of 16 KiB mappings", 1.03),
    ("brk", "brk grow/shrink by 64 KiB", None),
    ("fork", "fork + exit", 1.03),
    ("exec", "fork + exec of a static binary", None),
    ("read", "page-cache reads of a cached 8 MiB file", None),
]
# The sampler tick's budgets, per 1000 tracked processes (README,
# "Benchmark").
TICK_SLEEPING_US = 100
TICK_RUNNING_US = 700
BENCH = re.compile(r"BENCH (\w+)((?: [\w.-]+=\S*)*)\s*$")


def fields(rest):
    return dict(kv.split("=", 1) for kv in rest.split())


def tick_cells(ns, tracked, budget_us):
    """A tick row's per-1000 and budget cells (<= budget_us per 1000)."""
    if not tracked:
        return "-", "-"
    per = ns / tracked * 1000 / 1e3
    return (f"{per:.1f} us",
            f"<= {budget_us} us: {'met' if per <= budget_us else 'NOT met'}")


def kernel_before(release, version):
    """Whether a kernel release string ("6.1.0-57-arm64") is older than
    version, a (major, minor) tuple; False when it does not parse."""
    m = re.match(r"(\d+)\.(\d+)", release)
    return bool(m) and (int(m.group(1)), int(m.group(2))) < version


def parse(log):
    info, runs, ticks, dumps, mems, slabs = {}, [], {}, {}, {}, []
    runticks, basetick = {}, {}
    with open(log, errors="replace") as f:
        for line in f:
            m = BENCH.search(line.replace("\r", ""))
            if not m:
                continue
            kind, kv = m.group(1), fields(m.group(2))
            if kind == "info":
                info = kv
            elif kind == "run":
                runs.append(kv)
            elif kind == "tick":
                ticks[int(kv["procs"])] = kv
            elif kind == "tickrun":
                runticks[int(kv["procs"])] = kv
            elif kind == "tickbase":
                basetick.update(kv)
            elif kind == "dump":
                dumps[int(kv["procs"])] = kv
            elif kind == "mem":
                mems[int(kv["procs"])] = kv
            elif kind == "slab":
                slabs.append(kv)
    return info, runs, ticks, dumps, mems, slabs, runticks, basetick


def ko_sections(path):
    """Sizes of a module's allocated sections by kind, read off its ELF64."""
    import struct
    out = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    try:
        with open(path, "rb") as f:
            elf = f.read()
    except OSError:
        return None
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    secs = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = secs[shstrndx][4]
    for name_off, typ, flags, _, _, size, *_ in secs:
        if not flags & 0x2:     # SHF_ALLOC
            continue
        name = elf[stroff + name_off:elf.index(b"\0", stroff + name_off)].decode()
        if name.startswith(".init") or name.startswith(".exit"):
            continue            # freed after load / never loaded
        if typ == 8:            # SHT_NOBITS
            out["bss"] += size
        elif flags & 0x4:       # SHF_EXECINSTR
            out["text"] += size
        elif flags & 0x1:       # SHF_WRITE
            out["data"] += size
        else:
            out["rodata"] += size
    return out


def fmt_ratio(r):
    return f"{r:.4f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--lane", help="the lane booted (default stock-ARCH)")
    ap.add_argument("--qemu", default="?")
    ap.add_argument("--out")
    ap.add_argument("--ko", help="the memattr.ko the guest loaded")
    ap.add_argument("--tree", default="?", help="the source tree's commit")
    ap.add_argument("log")
    a = ap.parse_args()

    info, runs, ticks, dumps, mems, slabs, runticks, basetick = parse(a.log)
    if not runs:
        print(f"bench-report: no BENCH run lines in {a.log}", file=sys.stderr)
        return 1

    out = []
    p = out.append
    # The run's date: when its console log was last written, so that a
    # report rendered again from the same log says the same.
    date = datetime.datetime.fromtimestamp(
        os.path.getmtime(a.log), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rounds = sorted({int(r["round"]) for r in runs})
    p(f"# memattr overhead benchmark, {a.arch}")
    p("")
    p(f"- date: {date}")
    p(f"- tree: {a.tree}")
    p(f"- guest kernel: {info.get('kernel', '?')} ({info.get('machine', '?')}), "
      f"Debian's stock kernel (lane {a.lane or 'stock-' + a.arch})")
    p(f"- QEMU: {a.qemu}, TCG, `-icount shift=0` (guest time counts executed "
      "instructions: ratios repeat to a fraction of a percent, but caches and "
      "contention are not modelled), 1 vCPU, ASLR off, `slab_nomerge` (so that /proc/slabinfo shows memattr's own cache)")
    p(f"- method: {len(rounds)} rounds in one boot; each runs every storm "
      "module unloaded (base), memattr loaded, the floor module loaded "
      "instead (memattr_floor.ko: mm_page_alloc and mm_page_free with an "
      "empty probe each, attached as memattr attaches its own), and tracefs "
      "on (no module), the order of the modes rotating from round to round; ratio = the "
      "round's run / the round's base run, then the median over rounds "
      f"(min-max in brackets); scale {info.get('scale', '100')} %")
    p("- tracefs: the events for what memattr observes: kmem:mm_page_alloc, "
      "kmem:mm_page_free, kmem:rss_stat, sched:sched_process_fork/exec/exit and "
      "kprobe events on vm_mmap_pgoff, __vm_munmap and the brk and mremap "
      "syscalls, read from trace_pipe by `cat` in the guest")
    p("")
    p("| storm | base (ms) | memattr | tracefs | budget | memattr added / tracefs added | hook events / iteration | ns / hook event |")
    p("|---|---:|---:|---:|---|---:|---:|---:|")
    above = []
    for name, desc, budget in STORMS:
        by = {}
        for r in runs:
            if r["storm"] == name:
                by[(int(r["round"]), r["mode"])] = r
        if not by:
            continue            # not run (bench.sh --storms)
        ratios = {"memattr": [], "trace": [], "floor": [], "prof1": [], "prof16": []}
        mode_ns = {m: [] for m in ratios}
        walks = {m: [] for m in ratios}
        base_ns, mem_ns, events, iters = [], [], [], 1
        for rd in rounds:
            b = by.get((rd, "base"))
            if not b:
                continue
            base_ns.append(int(b["ns"]))
            iters = int(b["iters"])
            for mode in ratios:
                r = by.get((rd, mode))
                if r:
                    ratios[mode].append(int(r["ns"]) / int(b["ns"]))
                    mode_ns[mode].append(int(r["ns"]))
                    if "samples" in r:
                        walks[mode].append(int(r["samples"]))
                    if mode == "memattr":
                        mem_ns.append(int(r["ns"]))
                        events.append(int(r["events"]))
        if not base_ns or not ratios["memattr"]:
            p(f"| {desc} | (missing) | | | | | | |")
            continue
        mr = statistics.median(ratios["memattr"])
        cells = [desc, f"{statistics.median(base_ns) / 1e6:.1f}",
                 f"{fmt_ratio(mr)} ({min(ratios['memattr']):.3f}-{max(ratios['memattr']):.3f})"]
        if ratios["trace"]:
            tr = statistics.median(ratios["trace"])
            cells.append(f"{fmt_ratio(tr)} ({min(ratios['trace']):.3f}-{max(ratios['trace']):.3f})")
        else:
            tr = None
            cells.append("-")
        if budget:
            cells.append(f"<= {budget:.2f}x: {'met' if mr <= budget else 'NOT met'}")
        else:
            cells.append("-")
        if tr is not None and max(tr, mr) < 1.002:
            cells.append("both < 0.2 %")
        elif tr is not None and tr > 1 and mr > 1:
            k = (tr - 1) / (mr - 1)
            cells.append(f"1/{k:.1f} ({'met' if k >= 5 else 'NOT met'})")
        elif tr is not None and tr > 1:
            cells.append("none measurable (met)")
        else:
            cells.append("-")
        ev = statistics.median(events)
        cells.append(f"{ev / iters:.0f}")
        added = statistics.median(mem_ns) - statistics.median(base_ns)
        cells.append(f"{added / ev:.0f}" if ev else "-")
        p("| " + " | ".join(cells) + " |")
        if ratios["floor"]:
            fr = statistics.median(ratios["floor"])
            if budget and mr > budget:
                above.append((desc, mr, fr, budget, name))
            p(f"| the same, memattr's hooks with empty bodies (the floor: memattr_floor.ko) | "
              f"{statistics.median(base_ns) / 1e6:.1f} | {fmt_ratio(fr)} "
              f"({min(ratios['floor']):.3f}-{max(ratios['floor']):.3f}) | - | - | "
              f"memattr above the floor: {mr - fr:+.4f} | - | - |")
        split = None
        if walks["prof1"] and walks["prof16"] and mode_ns["prof1"] and mode_ns["prof16"]:
            # added = pages * per_page + walks * per_walk; every page is
            # walked at N=1, so pages = the walks of prof1
            a1 = statistics.median(mode_ns["prof1"]) - statistics.median(mem_ns)
            a16 = statistics.median(mode_ns["prof16"]) - statistics.median(mem_ns)
            w1 = statistics.median(walks["prof1"])
            w16 = statistics.median(walks["prof16"])
            if w1 > w16:
                per_walk = (a1 - a16) / (w1 - w16)
                split = (per_walk, (a1 - per_walk * w1) / w1)
        for mode in ("prof1", "prof16"):
            if not ratios[mode] or not walks[mode]:
                continue
            pr = statistics.median(ratios[mode])
            w = statistics.median(walks[mode])
            added = statistics.median(mode_ns[mode]) - statistics.median(mem_ns)
            per = f"{added / w:.0f} ns per sampled walk" if w else "-"
            p(f"| the same, the storm's own pid profiled: one page in "
              f"{mode[4:]} (`memattr profile start PID -n {mode[4:]}`) | "
              f"{statistics.median(base_ns) / 1e6:.1f} | {fmt_ratio(pr)} "
              f"({min(ratios[mode]):.3f}-{max(ratios[mode]):.3f}) | - | - | "
              f"above memattr: {pr - mr:+.4f}; {per} | "
              f"{w / iters:.0f} walks | - |")
        if split:
            p(f"| the same, the two profiled rows split: a stack walk, and a "
              f"page of the profiled process whether sampled or not | - | - | - | - | "
              f"{split[0]:.0f} ns per walk + {split[1]:.0f} ns per page | - | - |")
    p("")
    p("ns / hook event = (median memattr time - median base time) / memattr "
      "hook hits during the storm (debugfs `stats`); it includes the "
      "sampler's ticks that fell inside the storm.")
    for desc, mr, fr, budget, name in above:
        p("")
        p(f"Above its budget, {desc}: {mr:.4f} against <= {budget:.2f}. The "
          f"floor, memattr's hooks with empty bodies, costs {fr - 1:+.4f} of "
          f"the {mr - 1:+.4f} memattr adds ({(fr - 1) / (mr - 1):.0%}); "
          f"memattr's own work above it is {mr - fr:+.4f}.")
        if name == "mmap" and a.arch.startswith("arm64") and \
                kernel_before(info.get("kernel", ""), (6, 4)):
            p("On arm64 before 6.4 a module's ftrace callback is reached "
              "through `ftrace_ops_list_func` with a full register frame, "
              "two per mmap/munmap pair; 6.4 gave arm64 per-callsite ops "
              "(`DYNAMIC_FTRACE_WITH_CALL_OPS`): compare the floor of this "
              "storm in results-arm64-6.12.md.")
    if any(r["mode"].startswith("prof") for r in runs):
        p("")
        p("Profiled rows: memattr loaded with profile_rate=10000000 (no walk "
          "throttled), the storm process starts a profile of its own pid "
          "before the timed part; ns per sampled walk = (median profiled time "
          "- median memattr time) / the profile's samples counter (stack "
          "walks, median over rounds). The split solves added = pages x "
          "per page + walks x per walk over the two rows (at N=1 every page "
          "is walked): per page is what a profile costs whether it samples "
          "or not (the sampling draw, the in-use table's bookkeeping at "
          "alloc and at free).")
    p("")
    p("| table size | sampler tick | per 1000 processes | budget | full netlink dump (GET_PROC) |")
    p("|---|---:|---:|---|---:|")
    if basetick.get("ns"):
        p(f"| no process started ({basetick['tracked']} tracked): the tick's "
          f"fixed part | {int(basetick['ns']) / 1e3:.0f} us | - | - | - |")
    for n in sorted(ticks):
        t = ticks[n]
        ns = int(t["ns"] or 0)
        tracked = int(t["tracked"] or 0)
        d = dumps.get(n, {})
        dump = (f"{int(d['ns']) / 1e6:.1f} ms ({d['rows']} rows)"
                if d.get("ns") else "-")
        per, budget = tick_cells(ns, tracked, TICK_SLEEPING_US)
        p(f"| {n} sleeping processes ({tracked} tracked) | {ns / 1e3:.0f} us | "
          f"{per} | {budget} | {dump} |")
    for n in sorted(runticks):
        t = runticks[n]
        ns = int(t["ns"] or 0)
        tracked = int(t["tracked"] or 0)
        per, budget = tick_cells(ns, tracked, TICK_RUNNING_US)
        p(f"| {n} processes that all run (each writes a page every 500 ms; "
          f"{tracked} tracked) | {ns / 1e3:.0f} us | {per} | {budget} | - |")
    p("")
    if 0 in mems and mems:
        top = max(mems)
        m0, m1 = mems[0], mems[top]
        dt = int(m1["tracked"]) - int(m0["tracked"])
        if dt > 0:
            per = (int(m1["own_mem_bytes"]) - int(m0["own_mem_bytes"])) / dt
            slab = [x for x in slabs if x["cache"] == "memattr_proc"]
            slab_per = None
            if slab:
                x = slab[-1]
                slab_per = int(x["pagesperslab"]) * 4096 / int(x["perslab"])
            fixed_dyn = int(m0["own_mem_bytes"]) - per * int(m0["tracked"])
            core = int(m0.get("coresize", 0))
            p("| memory | bytes | budget |")
            p("|---|---:|---|")
            p(f"| per tracked process, history included: own-memory count "
              f"(sizeof {m0.get('entry_bytes', '?')} B) | {per:.0f} | <= 1024: "
              f"{'met' if per <= 1024 else 'NOT met'} |")
            if slab_per:
                p(f"| per tracked process, as the slab really holds it (slab size / "
                  f"objects per slab of `memattr_proc`) | {slab_per:.0f} | <= 1024: "
                  f"{'met' if slab_per <= 1024 else 'NOT met'} |")
            secs = ko_sections(a.ko) if a.ko else None
            if secs:
                data = secs["data"] + secs["bss"]
                fixed = data + fixed_dyn
                p(f"| fixed: data {secs['data']} B + bss {secs['bss']} B + "
                  f"allocations {fixed_dyn:.0f} B (events ring, detector, cgroup table) | "
                  f"{fixed:.0f} ({fixed / 1024:.0f} KiB) | <= 256 KiB: "
                  f"{'met' if fixed <= 262144 else 'NOT met'} |")
                p(f"| code: text {secs['text']} B + read-only data {secs['rodata']} B "
                  f"(module core as loaded: {core} B) | {secs['text'] + secs['rodata']} | - |")
            else:
                p(f"| fixed: module core (coresize) {core} B + allocations "
                  f"{fixed_dyn:.0f} B | {core + fixed_dyn:.0f} | <= 256 KiB: "
                  f"{'met' if core + fixed_dyn <= 262144 else 'NOT met'} |")
            p("")
            p("Per process: the growth of the module's own-memory count "
              f"(debugfs `own_mem_bytes`) from {m0['tracked']} to {m1['tracked']} "
              "tracked processes, over their number. The history is a fixed "
              "array inside the entry, so an entry weighs the same with a full "
              "default window as with an empty one.")
            for s in slabs:
                p(f"- /proc/slabinfo with {s['procs']} processes: `{s['cache']}` "
                  f"{s['active']} objects of {s['objsize']} B, {s['perslab']} per "
                  f"{s['pagesperslab']}-page slab")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
