#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the guest as /selftests/run.sh (busybox sh). Prints flat TAP:
# every kselftest binary's own results, and on the debug lane every KUnit
# result of memattr_kunit.ko. Exit status: 0 when nothing failed.
#
# Environment: LANE (stock-amd64, stock-arm64, debug, stock-rt,
# stock-5.10-amd64, ...).

here=$(dirname "$0")
rc=0

echo "TAP version 13"

# The lanes of the other supported kernels run what exercises load and
# unload, parameters and every hook against /proc and cgroupfs, and the
# regression tests of issue 16 (hardening) and the sampler's skipping of
# what did not run (tick, about 10 s); the PREEMPT_RT lane adds the
# detector's event paths, watermarks and OOM capture (detect) and the
# kernel log lines (klog), but not the footprint shapes (shapes, about 3
# minutes: the detector's judgement is kernel-independent and the replay
# and KUnit judge it; the paths RT can break are detect's); the stock 6.1
# lanes run everything. The debug lane runs neither detect nor shapes,
# whose acceptance
# runs at an accelerated scale (100 ms samples, a 20 s window) and times a
# sawtooth to the second: under KASAN, PROVE_RCU and full preemption on a
# shared TCG host its workloads miss their beats (a sawtooth judged a leak).
# The detector's logic runs there as KUnit; its OOM and event paths run
# there through hardening, storm and klog. hostile is left out there too:
# its namespace cases need user and pid namespaces, which the debug kernel
# is built without. profile (growth-site profiles, about 30 s, 25 of them
# profile_auto's two leakers in accelerated detection) runs on
# every lane: its hooks differ by kernel version and its locking by
# preemption model.
case "$LANE" in
debug)
	tests="lifecycle params attribution netlink hardening klog profile"
	cli=yes
	;;
stock-5.10-* | stock-6.12-*)
	tests="lifecycle params attribution hardening hostile profile tick"
	cli=no
	;;
stock-rt)
	tests="lifecycle params attribution detect hardening klog profile"
	cli=no
	;;
*)
	tests="lifecycle params attribution netlink detect shapes hardening hostile klog profile tick"
	cli=yes
	;;
esac

# The hardening storms (storm). Each scenario runs at the issue's full size
# on one of two lanes and at a tenth on the other: the netlink fuzz (100,000
# messages) on debug, where KASAN watches the parsers (about 9 min there);
# the fork/exec storm and the 100 reloads under load on stock-arm64, the
# first target (about 7 min; some 40 min under KASAN). The OOM kills run in
# full on both. The other lanes do not run them.
case "$LANE" in
debug)
	MEMATTR_STORM_SCALE=10 MEMATTR_STORM_SCALE_FUZZ=100 ;;
stock-arm64)
	MEMATTR_STORM_SCALE=10 MEMATTR_STORM_SCALE_FORK=100
	MEMATTR_STORM_SCALE_RELOAD=100 ;;
*) MEMATTR_STORM_SCALE= ;;
esac
if [ -n "$MEMATTR_STORM_SCALE" ]; then
	tests="$tests storm"
fi
export MEMATTR_STORM_SCALE MEMATTR_STORM_SCALE_FUZZ MEMATTR_STORM_SCALE_FORK
export MEMATTR_STORM_SCALE_RELOAD

# attribution's unload/load cycles under load: about 2.5 s each under TCG.
# All 20 where lockdep, KASAN and kmemleak watch them (debug); 5 on the
# other lanes. stock-arm64 runs storm's 100 reloads under heavier load
# (page faults, mmap, fork and netlink dumps), which covers the 20.
case "$LANE" in
debug) MEMATTR_UNLOAD_CYCLES=20 ;;
*) MEMATTR_UNLOAD_CYCLES=5 ;;
esac
export MEMATTR_UNLOAD_CYCLES

# Each selftest's start in the guest's uptime: where a lane's time goes.
uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

for t in $tests; do
	echo "# selftest: $t (uptime $(uptime_s) s)"
	if ! "$here/$t"; then
		rc=1
	fi
done

# The CLI's tests: shell scripts (tap.sh) that drive /usr/bin/memattr
# against the live module and check it with jq against /proc and cgroupfs.
for t in "$here"/cli_*.sh; do
	[ -e "$t" ] && [ "$cli" = yes ] || continue
	echo "# selftest: $(basename "$t" .sh) (uptime $(uptime_s) s)"
	if ! sh "$t"; then
		rc=1
	fi
done

# Growth-site profiles through the CLI, on the C and Go test programs
# (about 35 s on amd64, 60 s on arm64); the host checks the profiles they
# print with go tool pprof (scripts/profile-check.sh, in make check).
case "$LANE" in
stock-amd64 | stock-arm64)
	echo "# selftest: profile_cli (uptime $(uptime_s) s)"
	if ! sh "$here/profile_cli.sh"; then
		rc=1
	fi
	;;
esac

# KUnit: Debian's stock kernels have no CONFIG_KUNIT, so the suites run on the
# debug lane only, where they are required.
if [ "$LANE" = debug ]; then
	kunit=/lib/modules/memattr/memattr_kunit.ko
	# The suites run at insmod and print KTAP to the kernel log (the
	# debugfs copy is truncated to 512 bytes per case on 6.1).
	before=$(dmesg | wc -l)
	if ! insmod "$kunit"; then
		echo "not ok 1 kunit: insmod $kunit"
		rc=1
	else
		log=/tmp/kunit.log
		dmesg | tail -n +$((before + 1)) | sed 's/^\[[ 0-9.]*\] //' > "$log"
		# Flatten KTAP: every result line, whatever its depth, under a
		# plan of its own.
		flat=$(sed -n 's/^[[:space:]]*\(\(not \)\{0,1\}ok [0-9]*\) \(.*\)/\1 kunit: \3/p' "$log")
		echo "1..$(printf '%s\n' "$flat" | grep -c '^')"
		printf '%s\n' "$flat"
		grep -q '^[[:space:]]*not ok' "$log" && rc=1
		for suite in memattr_parse memattr_hist memattr_leak memattr_watermark memattr_oom memattr_klog memattr_report memattr_ustack memattr_ptable; do
			if ! grep -q "^[[:space:]]*ok [0-9]* $suite\$" "$log"; then
				echo "not ok 1 kunit: suite $suite did not pass"
				rc=1
			fi
		done
		rmmod memattr_kunit || rc=1
	fi
fi

# The overhead benchmark's smoke run on the stock lanes: one round of every
# storm at a tenth of the work (the fault storm also profiling itself, one
# page in 16), a tick and a dump with 200 processes. It
# checks that everything ran and the numbers are sane, not the budgets
# (these guests have no -icount): make bench does that.
case "$LANE" in
stock-amd64 | stock-arm64)
	t0=$(cut -d. -f1 /proc/uptime)
	echo "# bench: smoke"
	if [ ! -x /bench/run.sh ]; then
		echo "not ok 1 bench: /bench/run.sh is missing from the initramfs"
		rc=1
	elif ! /bench/run.sh --smoke --scale 10 --procs 200 \
		--modes "memattr trace prof16"; then
		rc=1
	fi
	echo "# bench: smoke took $(($(cut -d. -f1 /proc/uptime) - t0)) s"
	;;
esac

exit $rc
