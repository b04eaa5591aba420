#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build everything one QEMU lane needs and boot it.
#
# usage: lane.sh --lane LANE [--interactive]
#                [--timeout SEC] [--mem MB] [--append CMDLINE] [--run SCRIPT]
#                [--icount] [--out DIR]
#
# --run SCRIPT: the guest runs SCRIPT instead of the selftests' run.sh.
# --icount:     guest time counts instructions (QEMU -icount shift=0), for
#               the benchmark (scripts/bench.sh).
# --out DIR:    build and log there instead of build/lanes/<lane>.
#
# LANE:
# stock-amd64, stock-arm64: Debian's own kernel (6.1), the version
#          linux-image-<arch> names today.
# stock-5.10-amd64, stock-6.12-amd64, stock-6.12-arm64: the kernel
#          linux-image-<arch> of bullseye (5.10) or trixie (6.12) names today;
#          the guest runs a reduced set of selftests (see run.sh).
# debug:   a small x86_64 kernel with KUnit, KASAN, lockdep and kmemleak,
#          built once from Debian's linux-source and cached.
# Non-interactive runs print one TAP line per result (see
# selftests/qemu/parse-log.py) and exit non-zero when any failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../selftests/qemu/lib.sh
. "$top/selftests/qemu/lib.sh"

lane= interactive=0 timeout=900 mem=1024 append= run= icount=0 out=
while [ $# -gt 0 ]; do
	case "$1" in
	--lane) lane=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--run) run=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	--icount) icount=1; shift ;;
	--out) out=$2; shift 2 ;;
	*) echo "lane: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

[ -n "$out" ] || out=$top/build/lanes/$lane
case "$lane" in
stock-amd64)
	arch=amd64
	kver=$(memattr_kver amd64)
	kdir=/usr/src/linux-headers-$kver
	kernel=$(memattr_kernel_image amd64)
	kbargs=()
	;;
stock-arm64)
	arch=arm64
	kdir=$(memattr_arm64_kdir)
	kernel=$(memattr_kernel_image arm64)
	kbargs=()
	;;
stock-5.10-amd64 | stock-6.12-amd64 | stock-6.12-arm64)
	# Debian's kernels of the other supported releases: 5.10 (bullseye),
	# 6.12 (trixie), through scripts/kdir-other.sh's private apt lists.
	arch=${lane##*-}
	case "$lane" in
	stock-5.10-*) suite=bullseye ;;
	*) suite=trixie ;;
	esac
	kdir=$("$top/scripts/kdir-other.sh" "$suite" "$arch")
	kernel=$("$top/scripts/kdir-other.sh" --image "$suite" "$arch")
	if [ "$arch" = arm64 ]; then
		_memattr_check_arm64_image "$kernel"
	fi
	kbargs=()
	;;
debug)
	arch=amd64
	kdir=$("$top/selftests/qemu/build-debug-kernel.sh" | tail -n1)
	kernel=$kdir/arch/x86/boot/bzImage
	kbargs=(MEMATTR_KUNIT=m)
	;;
*)
	echo "lane: --lane must be stock-amd64, stock-arm64, debug," \
		"stock-5.10-amd64, stock-6.12-amd64 or stock-6.12-arm64" >&2
	exit 2
	;;
esac
case "$arch" in
amd64) cross= ;;
arm64) cross=aarch64-linux-gnu- ;;
esac

mkdir -p "$out"
"$top/scripts/build-module.sh" --arch "$arch" --kdir "$kdir" \
	--out "$out/module" -- "${kbargs[@]}"
make -s -C "$top/userspace" CROSS_COMPILE="$cross" O="$out/userspace" >&2
ksft=$("$top/scripts/ksft-headers.sh")
make -s -C "$top/selftests/memattr" CROSS_COMPILE="$cross" O="$out/selftests" \
	KSFT_INC="$ksft/tools/testing/selftests" >&2
make -s -C "$top/bench" CROSS_COMPILE="$cross" O="$out/bench" >&2
# Always (re)install the guest's run.sh: make would keep a --run script an
# earlier run of this lane left there.
install -m 0755 "${run:-$top/selftests/memattr/run.sh}" "$out/selftests/run.sh"

"$top/selftests/qemu/mkinitramfs.sh" --arch "$arch" --out "$out/initramfs.cpio.gz" \
	--file "$out/module/memattr.ko:/lib/modules/memattr/memattr.ko" \
	$( [ -f "$out/module/memattr_kunit.ko" ] &&
	   echo "--file $out/module/memattr_kunit.ko:/lib/modules/memattr/memattr_kunit.ko" ) \
	--bin "$out/userspace/memattr:/usr/bin/memattr" \
	--bin "$(memattr_jq "$arch"):/usr/bin/jq" \
	--file "$out/selftests:/selftests" \
	--file "$out/bench:/bench" >&2

args=(--lane "$lane" --arch "$arch" --kernel "$kernel"
      --initrd "$out/initramfs.cpio.gz" --mem "$mem" --timeout "$timeout")
[ -n "$append" ] && args+=(--append "$append")
[ "$icount" = 1 ] && args+=(--icount)
if [ "$interactive" = 1 ]; then
	exec "$top/selftests/qemu/run-lane.sh" "${args[@]}" --interactive
fi
exec "$top/selftests/qemu/run-lane.sh" "${args[@]}" --log "$out/console.log"
