#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# cli_test.sh MEMATTR: run the built binary on the host, where the memattr
# module is never loaded, and check its messages and exit codes; once more
# under valgrind for leaks. Prints TAP.
set -uo pipefail

bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
notloaded='memattr: kernel module not loaded (generic netlink family "memattr" not found); load it with: modprobe memattr'

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# run ARGS...: sets rc, out, err
run() {
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect WANT_RC WANT_STDERR DESC ARGS...
expect() {
	local want_rc=$1 want_err=$2 desc=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want_rc" ] && [ "$err" = "$want_err" ]; then
		result 0 "$desc"
	else
		echo "# memattr $*: exit $rc (want $want_rc), stderr: $err"
		result 1 "$desc"
	fi
}

echo "TAP version 13"
echo "1..19"

if [ -d /sys/module/memattr ]; then
	for a in stats "-j stats" "-p stats"; do
		skip "memattr $a: module not loaded" "the module is loaded here"
	done
else
	expect 1 "$notloaded" "memattr stats: module not loaded, exit 1" stats
	[ -z "$out" ]; result $? "memattr stats: nothing on stdout"
	expect 1 "$notloaded" "memattr -j stats: same message, exit 1" -j stats
fi
# export: a usage error changes nothing; a missing module still writes
# memattr_up 0, carrying the last success over, and exits 1
printf 'memattr_up 1\nmemattr_last_success_timestamp_seconds 1764525600\n' \
	>"$tmp/m.prom"
cp "$tmp/m.prom" "$tmp/m.orig"
for a in --processes=-1 --processes=lots --processes=1000001 --processes=; do
	run export --prometheus -o "$tmp/m.prom" "$a"
	[ "$rc" = 2 ] && [ "$err" = "memattr: export: --processes wants a count, 0 to 1000000, or 'all'; try 'memattr export help'" ] &&
		cmp -s "$tmp/m.prom" "$tmp/m.orig" || break
done
result $? "memattr export --processes=bad: exit 2, FILE untouched"
if [ -d /sys/module/memattr ]; then
	skip "memattr export -o FILE: module not loaded" "the module is loaded here"
	skip "memattr export: module not loaded, stdout" "the module is loaded here"
else
	run export --prometheus --processes=all -o "$tmp/m.prom"
	[ "$rc" = 1 ] && [ "$err" = "$notloaded" ] &&
		[ "$(grep -v '^#' "$tmp/m.prom")" = "memattr_up 0
memattr_last_success_timestamp_seconds 1764525600" ] &&
		[ -z "$(find "$tmp" -name 'm.prom.tmp.*')" ]
	result $? "memattr export -o FILE, module not loaded: memattr_up 0, last success kept, exit 1"
	run export --prometheus
	[ "$rc" = 1 ] && [ "$out" = "# HELP memattr_up 1 when this export read everything from the memattr module, 0 when it could not (module not loaded, no permission, an error).
# TYPE memattr_up gauge
memattr_up 0" ]
	result $? "memattr export, module not loaded: memattr_up 0 on stdout, exit 1"
fi
expect 2 "memattr: export: say which format: --prometheus; try 'memattr export help'" \
	"memattr export without --prometheus: exit 2" export
expect 2 "memattr: export: option '--processes' needs a count or 'all'; try 'memattr export help'" \
	"memattr export --processes without a value: exit 2" export --prometheus --processes
if command -v promtool >/dev/null; then
	promtool check metrics <"$tmp/m.prom" >"$tmp/pt" 2>&1
	[ "$?" = 0 ] && [ ! -s "$tmp/pt" ]
	result $? "promtool check metrics: the export of a failed read"
else
	result 1 "promtool check metrics: the export of a failed read (no promtool: scripts/deps.sh installs it)"
fi
expect 2 "memattr: unknown command 'bogus'; try 'memattr help'" \
	"memattr bogus: exit 2" bogus
expect 2 "memattr: invalid option '--bogus'; try 'memattr help'" \
	"memattr --bogus: exit 2" --bogus
expect 2 "memattr: missing command; try 'memattr help'" \
	"memattr: no command, exit 2"

run -V
[ "$rc" = 0 ] && [[ "$out" =~ ^memattr\ [^\ ]+$ ]]
result $? "memattr -V prints 'memattr <version>'"
run help
[ "$rc" = 0 ] && [[ "$out" == "Usage: memattr "* ]] && [ -z "$err" ]
result $? "memattr help: usage on stdout, exit 0"
run stats help
[ "$rc" = 0 ] && [[ "$out" == "Usage: memattr [OPTIONS] stats"* ]]
result $? "memattr stats help: exit 0"
run -j version
[ "$rc" = 0 ] && jq -e '(.version | type == "string") and .genl_version == 1' \
	<<<"$out" >/dev/null
result $? "memattr -j version: valid JSON"

if ! command -v valgrind >/dev/null; then
	for a in stats version bogus; do
		skip "valgrind memattr $a" "no valgrind"
	done
else
	# exit 99 means valgrind found an error or a leak
	vg=(valgrind -q --leak-check=full --show-leak-kinds=all
	    --errors-for-leak-kinds=all --error-exitcode=99)
	# vgcheck WANT_RC DESC ARGS...
	vgcheck() {
		local want=$1 desc=$2
		shift 2
		"${vg[@]}" "$bin" "$@" >/dev/null 2>"$tmp/vg"
		rc=$?
		if [ "$rc" = "$want" ]; then
			result 0 "$desc"
		else
			sed 's/^/# /' "$tmp/vg"
			result 1 "$desc (exit $rc, want $want)"
		fi
	}
	vgcheck 1 "valgrind memattr stats: no leak, exit 1" stats
	vgcheck 0 "valgrind memattr -p version: no leak" -p version
	vgcheck 2 "valgrind memattr bogus: no leak" bogus
fi
[ "$failed" = 0 ]
