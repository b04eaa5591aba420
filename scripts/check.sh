#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: every build, static check and test of memattr, on a fresh
# machine too (it installs what it needs). Prints one line per result and
# ends with "N passed, N failed, N skipped"; exits 1 when anything failed.
#
# Logs: build/check/logs/<step>.log.
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
	local name=$1 line desc rc
	shift
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
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
kver=$(memattr_kver amd64)
kdir_amd64=/usr/src/linux-headers-$kver
kdir_arm64=$(memattr_arm64_kdir 2>"$logs/arm64-kdir.log") || kdir_arm64=/nonexistent
echo "# kernels: amd64 $kver ($kdir_amd64), arm64 $kdir_arm64"

build_strict() {
	scripts/build-module.sh --strict --arch "$1" --kdir "$2" --out "$out/$3" -- "${@:4}"
}
step build-module-amd64-W1 build_strict amd64 "$kdir_amd64" amd64 W=1
step build-module-arm64-W1 build_strict arm64 "$kdir_arm64" arm64 W=1
step sparse-amd64 build_strict amd64 "$kdir_amd64" sparse-amd64 C=2
step sparse-arm64 build_strict arm64 "$kdir_arm64" sparse-arm64 C=2

# The other supported kernels: Debian's 5.10 (bullseye) and 6.12 (trixie)
# headers, fetched by scripts/kdir-other.sh (a failed download fails the
# step), built with this host's gcc 12; kdir-other.sh unsets the
# CONFIG_CC_HAS_* options whose flags gcc 12 lacks (6.12:
# -fmin-function-alignment, a gcc 14 flag) and leaves module BTF out.
build_other() {
	local tree
	tree=$(scripts/kdir-other.sh "$1" "$2") || return 1
	build_strict "$2" "$tree" "$3" W=1
}
step build-module-5.10-amd64-W1 build_other bullseye amd64 amd64-5.10
step build-module-6.12-amd64-W1 build_other trixie amd64 amd64-6.12
step build-module-6.12-arm64-W1 build_other trixie arm64 arm64-6.12
step checkpatch scripts/style.sh
step build-cli-amd64 make -C userspace O="$out/cli-amd64"
step build-cli-arm64 make -C userspace CROSS_COMPILE=aarch64-linux-gnu- O="$out/cli-arm64"
tap cli-unit make -C userspace O="$out/cli-test" test
step cli-fuzz make -C userspace O="$out/cli-fuzz" fuzz FUZZ_SECONDS=20
tap harness-unit python3 -m unittest -v selftests/qemu/test_parse_log.py
step dkms scripts/dkms-check.sh

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

# The other kernels' lanes run a reduced set (run.sh).
for lane in stock-amd64 stock-arm64 debug stock-5.10-amd64 stock-6.12-amd64 \
	stock-6.12-arm64; do
	tap "$lane" scripts/lane.sh --lane "$lane"
	case "$lane" in
	stock-amd64 | stock-arm64) step "promtool-$lane" prom_console "$lane" ;;
	esac
done

finish
