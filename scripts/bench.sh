#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: memattr's overhead benchmark in the stock lanes' guests.
#
# usage: bench.sh [--arch amd64|arm64|arm64-6.12|all] [--rounds N]
#                 [--scale PCT] [--procs "N ..."] [--storms "S ..."]
#                 [--modes "M ..."] [--no-write]
#
# Boots Debian's stock kernel for each architecture under QEMU with
# -icount shift=0 and runs bench/run.sh there: every storm module-unloaded,
# memattr-loaded, with the floor module's empty page-allocator probes and
# with the equivalent tracefs events, for --rounds rounds (7), then the
# sampler tick, a netlink dump and the module's memory with each number of
# --procs sleeping processes ("1000 5000"; "" for none), and the tick with
# as many processes that all run. Prints the table
# and writes it to bench/results-<arch>.md (not with --no-write, nor with
# --storms or --modes, which are for trying a change).
# --arch (several, space-separated): amd64 and arm64 boot Debian 12's 6.1
# (lanes stock-amd64, stock-arm64), arm64-6.12 Debian 13's 6.12 (lane
# stock-6.12-arm64: per-callsite ftrace ops on arm64); all: the three.
# --storms: some of fault faultthp mmap brk fork exec read ("": none, for
# the tick rows alone: --rounds 0 --storms "").
# --modes: some of memattr floor trace prof1 prof16 (base always runs;
# prof1, prof16: the fault storm with its own pid profiled, -n 1 and -n 16).
# Console logs: build/bench/<arch>/console.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
all="amd64 arm64 arm64-6.12"
arches=$all rounds=7 scale=100 procs="1000 5000" write=1
storms="fault faultthp mmap brk fork exec read" modes="memattr floor trace prof1 prof16"
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arches=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--procs) procs=$2; shift 2 ;;
	--storms) storms=$2; write=0; shift 2 ;;
	--modes) modes=$2; write=0; shift 2 ;;
	--no-write) write=0; shift ;;
	*) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ "$arches" = all ] && arches=$all
[[ $rounds =~ ^[0-9]+$ && $scale =~ ^[0-9]+$ && $procs =~ ^[0-9\ ]*$ ]] || {
	echo "bench: --rounds, --scale and --procs take numbers" >&2
	exit 2
}
[[ $storms =~ ^[a-z\ ]*$ && $modes =~ ^[a-z0-9\ ]*$ ]] || {
	echo "bench: --storms and --modes take names" >&2
	exit 2
}

# The tree as it was before the first results file was written.
tree=$(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')
rc=0
for arch in $arches; do
	case "$arch" in
	amd64) qemu=qemu-system-x86_64 lane=stock-amd64 ;;
	arm64) qemu=qemu-system-aarch64 lane=stock-arm64 ;;
	arm64-6.12) qemu=qemu-system-aarch64 lane=stock-6.12-arm64 ;;
	*) echo "bench: --arch must be amd64, arm64, arm64-6.12 or all" >&2; exit 2 ;;
	esac
	out=$top/build/bench/$arch
	mkdir -p "$out"
	cat >"$out/guest-run.sh" <<-EOF
		#!/bin/sh
		# SPDX-License-Identifier: GPL-2.0-only
		exec /bench/run.sh --rounds $rounds --scale $scale --procs "$procs" \
			--storms "$storms" --modes "$modes"
	EOF
	echo "bench: $arch: booting $lane with -icount shift=0 ($rounds rounds)" >&2
	lrc=0
	"$top/scripts/lane.sh" --lane "$lane" --out "$out" --icount \
		--kbuild MEMATTR_FLOOR=m \
		--mem 2048 --timeout 5400 --append slab_nomerge --run "$out/guest-run.sh" \
		>"$out/lane.log" 2>&1 || lrc=$?
	if [ "$lrc" != 0 ]; then
		echo "bench: $arch: the guest run failed (status $lrc):" >&2
		grep -E '^not ok|^#' "$out/lane.log" | tail -n 20 >&2 || true
		rc=1
	fi
	args=(--arch "$arch" --lane "$lane" --qemu "$("$qemu" --version | head -n1)"
	      --ko "$out/module/memattr.ko"
	      --tree "$tree")
	[ "$write" = 1 ] && [ "$lrc" = 0 ] && args+=(--out "$top/bench/results-$arch.md")
	python3 "$top/scripts/bench-report.py" "${args[@]}" "$out/console.log" || rc=1
done
exit $rc
