#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: every build, static check and test of memattr, on a fresh
# machine too (it installs what it needs). Prints one line per result and
# ends with "N passed, N failed, N skipped"; exits 1 when anything failed.
#
# Logs: build/check/logs/<step>.log.
#
# After the dependencies and the lanes' cache, everything runs two at a time
# (a 2-core host; a build, a host check or a QEMU lane each keeps about one
# core busy): the debug lane, the longest, beside the builds and host
# checks, then the other lanes. The results are printed in a fixed order,
# each as soon as it and everything printed before it have finished, so
# the output does not depend on which one ends first. What lanes share in
# the cache (kernels, headers trees, the debug kernel, kselftest headers,
# busybox, jq) is filled first, one lane after the other (lane.sh
# --prepare).
#
# Most functions here run through step, tap or job, which shellcheck cannot
# follow.
# shellcheck disable=SC2317
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/check
logs=$out/logs
rm -rf "$out"
mkdir -p "$logs"

pass=0 fail=0 skip=0
t0=$(date +%s)

ok() { pass=$((pass + 1)); echo "ok - $*"; }
notok() { fail=$((fail + 1)); echo "not ok - $*"; }

# step NAME CMD...: one result; the log's tail is shown when it fails.
step() {
	local name=$1 t=$SECONDS
	shift
	if "$@" >"$logs/$name.log" 2>&1; then
		ok "$name ($((SECONDS - t)) s)"
		return 0
	fi
	notok "$name ($((SECONDS - t)) s; log: build/check/logs/$name.log)"
	tail -n 25 "$logs/$name.log" | sed 's/^/# /'
	return 1
}

# tap NAME CMD...: one result per TAP line CMD prints ("ok", "not ok",
# "# SKIP"), plus one for CMD's exit status.
tap() {
	local name=$1 rc
	shift
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
	tap_report "$name" "$rc"
}

# tap_report NAME RC: tap's results from NAME's log and exit status RC.
tap_report() {
	local name=$1 rc=$2 line desc
	while IFS= read -r line; do
		case "$line" in
		"not ok"*)
			desc=${line#not ok }
			desc=${desc#- }
			notok "$name: ${desc#"$name: "}" ;;
		"ok "*"# SKIP"*|"ok "*"# skip"*)
			desc=${line#ok }
			desc=${desc#- }
			skip=$((skip + 1)); echo "ok - $name: ${desc#"$name: "}" ;;
		"ok "*)
			desc=${line#ok }
			desc=${desc#- }
			pass=$((pass + 1)); echo "ok - $name: ${desc#"$name: "}" ;;
		esac
	done < <(grep -E '^(not )?ok( |$)' "$logs/$name.log")
	if [ "$rc" = 0 ]; then
		ok "$name: exit status 0"
	else
		notok "$name: exit status $rc (log: build/check/logs/$name.log)"
		grep -E '^#|rror|FAIL' "$logs/$name.log" | tail -n 25 | sed 's/^/# /'
	fi
}

# Side by side: 'job NAME KIND CMD...' queues CMD (a command or a function;
# KIND is step or tap); 'run_jobs ORDER...' runs the queue in queue order,
# two at a time, each in its own process group with its output in
# $logs/NAME.log, and reports each job (as step or tap would) in ORDER, as
# soon as it and every job before it in ORDER have finished. Queue long
# jobs first so the two slots end at about the same time.
declare -A job_cmd job_kind
queue=() running=()
job() {
	job_kind[$1]=$2
	job_cmd[$1]=$(printf '%q ' "${@:3}")
	queue+=("$1")
}
kill_jobs() {
	local j
	for j in "${running[@]}"; do
		kill -TERM -- "-${j#*:}" 2>/dev/null
	done
	wait
}
# report NAME: what step or tap prints for the finished job NAME.
report() {
	local rc secs
	read -r rc secs <"$logs/$1.rc"
	if [ "${job_kind[$1]}" = tap ]; then
		tap_report "$1" "$rc"
	elif [ "$rc" = 0 ]; then
		ok "$1 ($secs s)"
	else
		notok "$1 ($secs s; log: build/check/logs/$1.log)"
		tail -n 25 "$logs/$1.log" | sed 's/^/# /'
	fi
	after_job "$1"
}
# after_job NAME: what to run once NAME is reported (a function's hook).
after_job() { :; }
run_jobs() {
	local order=("$@") name j next=0 still
	running=()
	trap 'kill_jobs; exit 130' INT
	trap 'kill_jobs; exit 143' TERM HUP
	while [ "$next" -lt "${#order[@]}" ]; do
		while [ "${#running[@]}" -lt 2 ] && [ "${#queue[@]}" -gt 0 ]; do
			name=${queue[0]}
			queue=("${queue[@]:1}")
			rm -f "$logs/$name.rc"
			# Job control for this job only: its own process group,
			# which kill_jobs can stop as a whole.
			set -m
			(
				t=$SECONDS
				eval "${job_cmd[$name]}" >"$logs/$name.log" 2>&1 </dev/null
				echo "$? $((SECONDS - t))" >"$logs/$name.rc"
			) &
			set +m
			running+=("$name:$!")
		done
		[ -e "$logs/${order[$next]}.rc" ] || wait -n
		still=()
		for j in "${running[@]}"; do
			if [ -e "$logs/${j%:*}.rc" ]; then
				wait "${j#*:}"
			else
				still+=("$j")
			fi
		done
		running=("${still[@]}")
		while [ "$next" -lt "${#order[@]}" ] && [ -e "$logs/${order[$next]}.rc" ]; do
			report "${order[$next]}"
			next=$((next + 1))
		done
	done
	trap - INT TERM HUP
}

finish() {
	echo "# make check took $(( $(date +%s) - t0 )) s; logs in build/check/logs"
	if [ "$skip" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" = 0 ]
	exit $?
}

if ! step deps scripts/deps.sh; then
	finish
fi

# shellcheck source=../selftests/qemu/lib.sh
. selftests/qemu/lib.sh
# Headers trees are filled under the lock lane.sh takes for the cache (other
# people's lanes may be filling it too); the builds only read them.
mkdir -p "$MEMATTR_CACHE"
exec 8>"$MEMATTR_CACHE/.lane-cache.lock"
flock 8
kver=$(memattr_kver amd64)
kdir_amd64=/usr/src/linux-headers-$kver
# shellcheck disable=SC2119 # the standard flavour: no argument
kdir_arm64=$(memattr_arm64_kdir 2>"$logs/arm64-kdir.log") || kdir_arm64=/nonexistent
echo "# kernels: amd64 $kver ($kdir_amd64), arm64 $kdir_arm64"

build_strict() {
	scripts/build-module.sh --strict --arch "$1" --kdir "$2" --out "$out/$3" -- "${@:4}"
}

# The other supported kernels: Debian's 5.10 (bullseye) and 6.12 (trixie)
# headers, fetched by scripts/kdir-other.sh (a failed download fails the
# step), built with this host's gcc 12; kdir-other.sh unsets the
# CONFIG_CC_HAS_* options whose flags gcc 12 lacks (6.12:
# -fmin-function-alignment, a gcc 14 flag) and leaves module BTF out.
# The trees are fetched here, one after the other (two of them share
# trixie's apt lists).
other_kdir() {
	scripts/kdir-other.sh "$1" "$2" 2>"$logs/kdir-$1-$2.log" ||
		echo "/nonexistent-kdir-$1-$2"
}
build_other() {
	if [ ! -d "$2" ]; then
		cat "$logs/kdir-$3-$1.log"
		echo "check: no $3 headers tree for $1 (see above)"
		return 1
	fi
	build_strict "$1" "$2" "$4" W=1
}
kdir_510_amd64=$(other_kdir bullseye amd64)
kdir_612_amd64=$(other_kdir trixie amd64)
kdir_612_arm64=$(other_kdir trixie arm64)
flock -u 8
exec 8>&-

# The lanes, in the order their results are printed. The other kernels'
# lanes and stock-rt run a reduced set (run.sh).
lanes=(stock-amd64 stock-arm64 stock-rt debug stock-5.10-amd64 stock-6.12-amd64
	stock-6.12-arm64)
# Fill the cache for all of them, one after the other (the first run builds
# the debug kernel, several minutes), so the lanes below only read it.
prepare_lanes() {
	local lane rc=0
	for lane in "${lanes[@]}"; do
		echo "# lane.sh --lane $lane --prepare"
		scripts/lane.sh --lane "$lane" --prepare || rc=1
	done
	for lane in stock-amd64 stock-arm64; do
		echo "# lane.sh --lane $lane --reboot --prepare"
		scripts/lane.sh --lane "$lane" --reboot --prepare || rc=1
	done
	return "$rc"
}
step prepare-lanes prepare_lanes

# Everything else is one queue, two jobs at a time. The debug lane, the
# longest (about 19 min), goes first; the builds and host checks (about 12
# min, most of them one core's work) run in the other slot meanwhile, then
# the other lanes, longest first, so that both slots end at about the same
# time. Each build copies the sources into its own directory; each lane
# has its own build/lanes/<lane>.
job debug tap scripts/lane.sh --lane debug
host_steps=(build-module-amd64-W1 build-module-arm64-W1 sparse-amd64
	sparse-arm64 build-module-5.10-amd64-W1 build-module-6.12-amd64-W1
	build-module-6.12-arm64-W1 checkpatch build-cli-amd64 build-cli-arm64
	cli-unit cli-fuzz layout harness-unit replay install deb)
job build-module-amd64-W1 step build_strict amd64 "$kdir_amd64" amd64 W=1
job build-module-arm64-W1 step build_strict arm64 "$kdir_arm64" arm64 W=1
job sparse-amd64 step build_strict amd64 "$kdir_amd64" sparse-amd64 C=2
job sparse-arm64 step build_strict arm64 "$kdir_arm64" sparse-arm64 C=2
job build-module-5.10-amd64-W1 step build_other amd64 "$kdir_510_amd64" bullseye amd64-5.10
job build-module-6.12-amd64-W1 step build_other amd64 "$kdir_612_amd64" trixie amd64-6.12
job build-module-6.12-arm64-W1 step build_other arm64 "$kdir_612_arm64" trixie arm64-6.12
job checkpatch step scripts/style.sh
job build-cli-amd64 step make -C userspace O="$out/cli-amd64"
job build-cli-arm64 step make -C userspace CROSS_COMPILE=aarch64-linux-gnu- O="$out/cli-arm64"
job cli-unit tap make -C userspace O="$out/cli-test" test
job cli-fuzz step make -C userspace O="$out/cli-fuzz" fuzz FUZZ_SECONDS=20
job layout tap scripts/layout-check.sh
job harness-unit tap python3 -m unittest -v selftests/qemu/test_parse_log.py
job replay tap make -s -C selftests/replay check O="$out/replay"
job install tap scripts/install-check.sh
# The Debian packages; memattr-dkms installed on the host, which is what
# make dkms-check does (a DKMS build of make dkms-install against the same
# headers) and more.
job deb tap scripts/deb-check.sh

# The live export a lane's guest printed (selftests/memattr/cli_watch.sh,
# between MEMATTR-PROM-BEGIN and MEMATTR-PROM-END) through the host's
# promtool, which the arm64 guest cannot run: no error, no lint problem.
prom_console() {
	local log=build/lanes/$1/console.log prom=$out/prom-$1.txt res rc
	tr -d '\r' <"$log" |
		sed -n '/^MEMATTR-PROM-BEGIN$/,/^MEMATTR-PROM-END$/p' |
		grep -v -e '^MEMATTR-PROM-' -e '^\[ *[0-9]*\.[0-9]*\]' >"$prom"
	if [ ! -s "$prom" ]; then
		echo "no MEMATTR-PROM-BEGIN/END region in $log"
		return 1
	fi
	echo "$(grep -vc '^#' "$prom") samples from $log"
	res=$(promtool check metrics <"$prom" 2>&1)
	rc=$?
	printf '%s\n' "$res"
	[ "$rc" = 0 ] && [ -z "$res" ]
}

# Under TCG, roughly: stock-arm64 15 min, stock-amd64 11, stock-rt 7, the
# others 3 to 4.
for lane in stock-arm64 stock-amd64 stock-rt stock-5.10-amd64 \
	stock-6.12-amd64 stock-6.12-arm64; do
	job "$lane" tap scripts/lane.sh --lane "$lane"
done
# The reboot test (selftests/memattr/reboot.sh): four boots of a stock
# kernel in one QEMU run, three of them ended by a panic or a reboot: QEMU
# 125 s on arm64, 180 s on amd64 (5 to 6 min with the build on a busy host).
job reboot-stock-amd64 tap scripts/lane.sh --lane stock-amd64 --reboot
job reboot-stock-arm64 tap scripts/lane.sh --lane stock-arm64 --reboot
# A lane's promtool and pprof steps read its console.log, so they run once
# the lane has finished (lane.sh removes an earlier run's log when it
# starts). pprof: the growth-site profiles of profile_cli.sh through go
# tool pprof (a few seconds).
after_job() {
	case "$1" in
	stock-amd64 | stock-arm64)
		step "promtool-$1" prom_console "$1"
		tap "pprof-$1" scripts/profile-check.sh "$1"
		;;
	esac
}
run_jobs "${host_steps[@]}" "${lanes[@]}" reboot-stock-amd64 reboot-stock-arm64

finish
