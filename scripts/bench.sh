#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: memattr's overhead benchmark in the stock lanes' guests.
#
# usage: bench.sh [--arch amd64|arm64|all] [--rounds N] [--scale PCT]
#                 [--procs "N ..."] [--storms "S ..."] [--no-write]
#
# Boots Debian's stock kernel for each architecture under QEMU with
# -icount shift=0 and runs bench/run.sh there: every storm module-unloaded,
# memattr-loaded and with the equivalent tracefs events, for --rounds rounds
# (7), then the sampler tick, a netlink dump and the module's memory with
# each number of --procs sleeping processes ("1000 5000"), and the tick with
# as many processes that all run. --storms runs only those storms (see
# bench/run.sh; "": none, for the tick rows alone, with --no-write). Prints
# the table and writes it to bench/results-<arch>.md (not with --no-write).
# Console logs: build/bench/<arch>/console.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arches="amd64 arm64" rounds=7 scale=100 procs="1000 5000" write=1
storms="fault faultthp mmap brk fork exec read"
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arches=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--procs) procs=$2; shift 2 ;;
	--storms) storms=$2; shift 2 ;;
	--no-write) write=0; shift ;;
	*) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ "$arches" = all ] && arches="amd64 arm64"
[[ $rounds =~ ^[0-9]+$ && $scale =~ ^[0-9]+$ && $procs =~ ^[0-9\ ]+$ ]] || {
	echo "bench: --rounds, --scale and --procs take numbers" >&2
	exit 2
}
[[ $storms =~ ^[a-z\ ]*$ ]] || { echo "bench: --storms takes storm names" >&2; exit 2; }

rc=0
for arch in $arches; do
	case "$arch" in
	amd64) qemu=qemu-system-x86_64 ;;
	arm64) qemu=qemu-system-aarch64 ;;
	*) echo "bench: --arch must be amd64, arm64 or all" >&2; exit 2 ;;
	esac
	out=$top/build/bench/$arch
	mkdir -p "$out"
	cat >"$out/guest-run.sh" <<-EOF
		#!/bin/sh
		# SPDX-License-Identifier: GPL-2.0-only
		exec /bench/run.sh --rounds $rounds --scale $scale --procs "$procs" --storms "$storms"
	EOF
	echo "bench: $arch: booting stock-$arch with -icount shift=0 ($rounds rounds)" >&2
	lrc=0
	"$top/scripts/lane.sh" --lane "stock-$arch" --out "$out" --icount \
		--mem 2048 --timeout 5400 --append slab_nomerge --run "$out/guest-run.sh" \
		>"$out/lane.log" 2>&1 || lrc=$?
	if [ "$lrc" != 0 ]; then
		echo "bench: $arch: the guest run failed (status $lrc):" >&2
		grep -E '^not ok|^#' "$out/lane.log" | tail -n 20 >&2 || true
		rc=1
	fi
	args=(--arch "$arch" --qemu "$("$qemu" --version | head -n1)"
	      --ko "$out/module/memattr.ko"
	      --tree "$(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')")
	[ "$write" = 1 ] && [ "$lrc" = 0 ] && args+=(--out "$top/bench/results-$arch.md")
	python3 "$top/scripts/bench-report.py" "${args[@]}" "$out/console.log" || rc=1
done
exit $rc
