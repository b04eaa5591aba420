#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build everything one QEMU lane needs and boot it.
#
# usage: lane.sh --lane LANE [--interactive | --prepare]
#                [--timeout SEC] [--mem MB] [--append CMDLINE] [--run SCRIPT]
#                [--icount] [--out DIR] [--reboot] [--kbuild VAR=VALUE]...
#
# --prepare:    only fill the shared cache with what LANE needs (kernel
#               image, headers tree, the debug kernel build, kselftest
#               headers, busybox, jq) and exit; scripts/check.sh does that
#               for every lane, one after the other, before booting lanes
#               side by side. Filling the cache always holds
#               $MEMATTR_CACHE/.lane-cache.lock, so two lanes never fill it
#               at once; once it is warm every lookup is read-only.
# --run SCRIPT: the guest runs SCRIPT instead of the selftests' run.sh.
# --icount:     guest time counts instructions (QEMU -icount shift=0), for
#               the benchmark (scripts/bench.sh).
# --out DIR:    build and log there instead of build/lanes/<lane>.
# --kbuild VAR=VALUE: one more Kbuild argument for the module's build
#               (MEMATTR_FLOOR=m: the benchmark's floor module, packed as
#               /lib/modules/memattr/memattr_floor.ko).
# --reboot:     the reboot test (stock-amd64, stock-arm64 only): ramoops,
#               from the stock kernel's own modules, on a reserved 1 MiB of
#               the guest's RAM; QEMU runs without -no-reboot, so a guest
#               reset keeps its RAM, and the guest runs
#               selftests/memattr/reboot.sh at every boot (build and log in
#               build/lanes/<lane>-reboot).
#
# LANE:
# stock-amd64, stock-arm64: Debian's own kernel (6.1), the version
#          linux-image-<arch> names today.
# stock-rt: Debian's arm64 PREEMPT_RT kernel (6.1), the version
#          linux-image-rt-arm64 names today: spinlock_t sleeps there, so a
#          spinlock_t or an allocation in a tracepoint probe is a bug the
#          log scan catches ("scheduling while atomic"); the lane also fails
#          unless uname -v says PREEMPT_RT. Reduced selftests (see run.sh).
# stock-5.10-amd64, stock-6.12-amd64, stock-6.12-arm64: the kernel
#          linux-image-<arch> of bullseye (5.10) or trixie (6.12) names today;
#          the guest runs a reduced set of selftests (see run.sh).
# debug:   a small x86_64 kernel, fully preemptible (CONFIG_PREEMPT; the lane
#          fails unless uname -v says PREEMPT), with KUnit, KASAN, lockdep
#          (raw lock nesting, RCU, atomic sleep, preempt checks), debug
#          objects and kmemleak, built once from Debian's linux-source and
#          cached (selftests/qemu/debug.config).
# Non-interactive runs print one TAP line per result (see
# selftests/qemu/parse-log.py) and exit non-zero when any failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../selftests/qemu/lib.sh
. "$top/selftests/qemu/lib.sh"

lane='' interactive=0 timeout='' mem=1024 append='' run='' icount=0 out='' preempt=''
kbextra=()
lane_append=''
prepare=0 reboot=0
while [ $# -gt 0 ]; do
	case "$1" in
	--lane) lane=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--run) run=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	--icount) icount=1; shift ;;
	--kbuild) kbextra+=("$2"); shift 2 ;;
	--out) out=$2; shift 2 ;;
	--prepare) prepare=1; shift ;;
	--reboot) reboot=1; shift ;;
	*) echo "lane: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

if [ -z "$out" ]; then
	out=$top/build/lanes/$lane
	[ "$reboot" = 0 ] || out=$out-reboot
fi

mkdir -p "$MEMATTR_CACHE"
lock=$MEMATTR_CACHE/.lane-cache.lock
exec 8>"$lock"
if ! flock -n 8; then
	echo "lane: waiting for $lock (another lane is filling the cache)" >&2
	flock 8
fi
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
stock-rt)
	arch=arm64
	kdir=$(memattr_arm64_kdir rt)
	kernel=$(memattr_kernel_image arm64 rt)
	kbargs=()
	preempt=PREEMPT_RT
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
	preempt=PREEMPT
	# KASAN, lockdep and a full netlink fuzz: some 20 min, not 10. A 4 MiB
	# log, so that run.sh still finds the KUnit output after a flood.
	: "${timeout:=2700}"
	lane_append=log_buf_len=4M
	;;
*)
	echo "lane: --lane must be stock-amd64, stock-arm64, stock-rt, debug," \
		"stock-5.10-amd64, stock-6.12-amd64 or stock-6.12-arm64" >&2
	exit 2
	;;
esac
case "$arch" in
amd64) cross= ;;
arm64) cross=aarch64-linux-gnu- ;;
esac
ksft=$("$top/scripts/ksft-headers.sh")
jq=$(memattr_jq "$arch")
# The reboot test's ramoops, and where it lives: a 1 MiB region of the
# guest's RAM the kernel leaves alone (amd64: memmap=SIZE$ADDR marks it
# reserved; arm64 virt, RAM from 1 GiB: mem= stops the kernel below it).
# Above the kernel and below the initramfs QEMU loads at the top of RAM.
pstore=()
if [ "$reboot" = 1 ]; then
	case "$lane" in
	stock-amd64)
		ramoops_addr=0x20000000
		lane_append="memmap=1M\$$ramoops_addr"
		;;
	stock-arm64)
		ramoops_addr=$(printf '0x%x' $((0x40000000 + (mem - 16) * 1048576)))
		lane_append="mem=$((mem - 16))M"
		;;
	*)
		echo "lane: --reboot runs on stock-amd64 and stock-arm64 only" >&2
		exit 2
		;;
	esac
	# pstore.kmsg_bytes: how much of the log's tail a dump keeps (10 KiB
	# by default, less than an OOM report's task list and meminfo).
	lane_append+=" memattr.ramoops=$ramoops_addr pstore.kmsg_bytes=65536"
	mods=$(memattr_kernel_modules "$arch" fs/pstore/ramoops.ko \
		lib/reed_solomon/reed_solomon.ko)
	pstore=(--file "$mods/reed_solomon.ko:/lib/modules/pstore/reed_solomon.ko"
		--file "$mods/ramoops.ko:/lib/modules/pstore/ramoops.ko")
fi
# For mkinitramfs.sh, which looks it up again (then from the warm cache).
memattr_busybox "$arch" >/dev/null
[ "$arch" = amd64 ] || memattr_busybox amd64 >/dev/null
flock -u 8
exec 8>&-
if [ "$prepare" = 1 ]; then
	exit 0
fi

mkdir -p "$out"
# A console.log left by an earlier run must not stand for this one (check.sh
# reads it after the lane) when this run fails before QEMU starts.
rm -f "$out/console.log"
"$top/scripts/build-module.sh" --arch "$arch" --kdir "$kdir" \
	--out "$out/module" -- "${kbargs[@]}" "${kbextra[@]}"
make -s -C "$top/userspace" CROSS_COMPILE="$cross" O="$out/userspace" >&2
make -s -C "$top/selftests/memattr" CROSS_COMPILE="$cross" O="$out/selftests" \
	KSFT_INC="$ksft/tools/testing/selftests" >&2
make -s -C "$top/bench" CROSS_COMPILE="$cross" O="$out/bench" >&2
# Always (re)install the guest's run.sh: make would keep a --run script an
# earlier run of this lane left there.
install -m 0755 "${run:-$top/selftests/memattr/run.sh}" "$out/selftests/run.sh"

kunit=()
if [ -f "$out/module/memattr_kunit.ko" ]; then
	kunit=(--file "$out/module/memattr_kunit.ko:/lib/modules/memattr/memattr_kunit.ko")
fi
if [ -f "$out/module/memattr_floor.ko" ]; then
	kunit+=(--file "$out/module/memattr_floor.ko:/lib/modules/memattr/memattr_floor.ko")
fi
"$top/selftests/qemu/mkinitramfs.sh" --arch "$arch" --out "$out/initramfs.cpio.gz" \
	--file "$out/module/memattr.ko:/lib/modules/memattr/memattr.ko" \
	"${kunit[@]}" "${pstore[@]}" \
	--bin "$out/userspace/memattr:/usr/bin/memattr" \
	--bin "$jq:/usr/bin/jq" \
	--file "$out/selftests:/selftests" \
	--file "$out/bench:/bench" >&2

# A stock lane runs 5 to 15 min under TCG; twice that on a loaded host.
: "${timeout:=1800}"
append="${lane_append}${lane_append:+${append:+ }}$append"
args=(--lane "$lane" --arch "$arch" --kernel "$kernel"
      --initrd "$out/initramfs.cpio.gz" --mem "$mem" --timeout "$timeout")
[ -n "$append" ] && args+=(--append "$append")
[ "$icount" = 1 ] && args+=(--icount)
[ "$reboot" = 1 ] && args+=(--reboot)
[ -n "$preempt" ] && args+=(--preempt "$preempt")
if [ "$interactive" = 1 ]; then
	exec "$top/selftests/qemu/run-lane.sh" "${args[@]}" --interactive
fi
exec "$top/selftests/qemu/run-lane.sh" "${args[@]}" --log "$out/console.log"
