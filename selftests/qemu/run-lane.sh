#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-lane.sh - boot one memattr test lane in a QEMU TCG guest and report it.
#
# Usage: run-lane.sh --lane NAME --arch amd64|arm64 --kernel IMAGE --initrd CPIO
#                    [--mem MB] [--timeout SEC] [--log FILE]
#                    [--append 'EXTRA CMDLINE'] [--icount] [--interactive]
#                    [--preempt MODEL] [--reboot]
#
#   --mem MB         guest memory (default 1024)
#   --timeout SEC    kill QEMU after SEC seconds, +10 s grace (default 600)
#   --log FILE       serial log (default ${TMPDIR:-/tmp}/memattr-NAME.log)
#   --append STR     extra kernel command line
#   --icount         -icount shift=0: guest time counts executed
#                    instructions, so A/B timings repeat (the benchmark);
#                    one vCPU (an x86 guest hangs bringing up the second)
#   --preempt MODEL  fail unless the guest's uname -v names MODEL (PREEMPT,
#                    PREEMPT_RT): the lane really runs that preemption model
#   --reboot         the reboot test (memattr.mode=reboot): no -no-reboot,
#                    so a guest reset keeps QEMU and the guest's RAM;
#                    parse-log.py --reboot judges the log
#   --interactive    shell on this terminal (memattr.mode=shell), no timeout,
#                    no log; leave with 'reboot -f' or Ctrl-A x
#
# Without --interactive the guest runs its tests (memattr.mode=test), the
# serial console goes to the log, and the log is judged by parse-log.py,
# whose result lines and exit status become this script's.
# Always TCG: KVM guests hang on this project's hosts.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	sed -n '/^# Usage:/,/^# *no log;/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

lane='' arch='' kernel='' initrd='' mem=1024 timeout=600 log='' append='' interactive=0 icount=0
reboot=0
preempt=''
while (($#)); do
	case $1 in
	--lane) lane=${2:?--lane needs a value}; shift 2 ;;
	--arch) arch=${2:?--arch needs a value}; shift 2 ;;
	--kernel) kernel=${2:?--kernel needs a value}; shift 2 ;;
	--initrd) initrd=${2:?--initrd needs a value}; shift 2 ;;
	--mem) mem=${2:?--mem needs a value}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
	--log) log=${2:?--log needs a value}; shift 2 ;;
	--append) append=${2?--append needs a value}; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--icount) icount=1; shift ;;
	--reboot) reboot=1; shift ;;
	--preempt) preempt=${2:?--preempt needs a value}; shift 2 ;;
	-h | --help) usage ;;
	*) printf 'run-lane: unknown argument: %s\n' "$1" >&2; usage ;;
	esac
done
[[ -n $lane && -n $arch && -n $kernel && -n $initrd ]] || usage
[[ $lane =~ ^[A-Za-z0-9._+-]+$ ]] || { echo "run-lane: bad lane name '$lane'" >&2; exit 2; }
[[ $mem =~ ^[0-9]+$ && $timeout =~ ^[0-9]+$ ]] || { echo "run-lane: --mem/--timeout must be numbers" >&2; exit 2; }
[[ -f $kernel ]] || { echo "run-lane: no kernel image '$kernel'" >&2; exit 2; }
[[ -f $initrd ]] || { echo "run-lane: no initramfs '$initrd'" >&2; exit 2; }

case $arch in
amd64)
	qemu=(qemu-system-x86_64 -M pc -cpu max -smp 2)
	console=ttyS0
	;;
arm64)
	qemu=(qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2)
	console=ttyAMA0
	;;
*) echo "run-lane: --arch must be amd64 or arm64" >&2; exit 2 ;;
esac

mode='test'
((interactive)) && mode=shell
((reboot)) && mode=reboot
# panic_print=0x20 replays the whole kernel log on a panic (e.g. from
# panic_on_warn), so a WARN hidden by loglevel=4 still reaches the log.
# softlockup_panic=1: a CPU stuck in the kernel ends the run at once, with
# its stack in the log, instead of at the lane's timeout.
cmdline="console=$console loglevel=4 panic=-1 panic_print=0x20 softlockup_panic=1 memattr.lane=$lane memattr.mode=$mode"
[[ -n $append ]] && cmdline+=" $append"

# thread=single: round-robin TCG. With multi-threaded TCG a vCPU can keep
# running a stale translation of kernel text that another vCPU has just
# re-patched (a static key flipped by tracepoint_probe_register() while the
# first CPU sits in __alloc_pages()): it traps on the int3 that is no longer
# there, backs up and traps again, for ever. Seen on every unload under load.
# shellcheck disable=SC2054 # -accel takes one comma-separated value
qemu+=(-accel tcg,thread=single -m "$mem" -display none -nodefaults
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline")
((reboot)) || qemu+=(-no-reboot)
((icount)) && qemu+=(-icount shift=0 -smp 1)

if ((interactive)); then
	qemu+=(-serial mon:stdio)
	printf 'run-lane: %q' "${qemu[0]}" >&2
	printf ' %q' "${qemu[@]:1}" >&2
	printf '\nrun-lane: interactive %s guest; leave with reboot -f or Ctrl-A x\n' "$lane" >&2
	exec "${qemu[@]}"
fi

[[ -n $log ]] || log=${TMPDIR:-/tmp}/memattr-$lane.log
mkdir -p "$(dirname "$log")"
: >"$log"
qemu+=(-serial "file:$log")
printf 'run-lane: %s:' "$lane" >&2
printf ' %q' timeout --kill-after=10 "$timeout" "${qemu[@]}" >&2
printf '\n' >&2

start=$(date +%s.%N)
rc=0
timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null >&2 || rc=$?
end=$(date +%s.%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

parse=("$here/parse-log.py" --lane "$lane")
[[ -n $preempt ]] && parse+=(--preempt "$preempt")
((reboot)) && parse+=(--reboot)
if ((rc == 124 || rc == 137)); then
	printf 'run-lane: %s: QEMU killed after %s s (timeout)\n' "$lane" "$timeout" >&2
	parse+=(--timed-out "$timeout")
elif ((rc != 0)); then
	printf 'run-lane: %s: QEMU exited with status %d\n' "$lane" "$rc" >&2
fi
tests_at=$(sed -n 's/.*memattr-init: .*tests start at uptime \([0-9.]*\) s.*/\1/p' "$log" | head -n 1)
printf 'run-lane: %s: QEMU ran %s s wall time%s; log: %s\n' "$lane" "$wall" \
	"${tests_at:+ (tests started at guest uptime $tests_at s)}" "$log" >&2

prc=0
python3 "${parse[@]}" "$log" || prc=$?
# A QEMU that failed for any reason other than the timeout (bad option,
# missing binary) leaves a log without results, which parse-log fails.
exit "$prc"
