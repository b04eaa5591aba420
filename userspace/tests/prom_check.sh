#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# prom_check.sh PROM_DRIVER: memattr export --prometheus rendered from
# canned replies (prom_driver.c): the expected samples, label escaping,
# series present only when the module has the figure, the series count
# bounded with 500 processes, memattr_up 0 when the module cannot be read,
# and promtool check metrics clean (no error, no lint problem) on every
# rendering; contrib/prometheus/memattr-rules.yml through promtool check
# rules and promtool test rules, and naming only metrics the export
# writes (or node_exporter's). The promtool
# checks are skipped, with a TAP SKIP, only where promtool is not installed
# (scripts/deps.sh installs it). Prints TAP.
set -uo pipefail

drv=$1
rules=$(cd "$(dirname "$0")/../../contrib/prometheus" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

# promtool_clean NAME FILE
promtool_clean() {
	local out rc
	if ! command -v promtool >/dev/null; then
		n=$((n + 1))
		echo "ok $n - promtool check metrics: $1 # SKIP promtool not installed"
		return
	fi
	out=$(promtool check metrics <"$2" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	result $([ "$rc" = 0 ] && [ -z "$out" ]; echo $?) \
		"promtool check metrics: $1, no error or lint problem"
}

# has FILE LINE...: every LINE is a line of FILE
has() {
	local f=$1 l rc=0
	shift
	for l in "$@"; do
		if ! grep -qxF -- "$l" "$f"; then
			echo "# missing: $l"
			rc=1
		fi
	done
	return $rc
}

echo "TAP version 13"
echo "1..21"

"$drv" canned >"$tmp/canned" 2>"$tmp/err"
result $? "canned replies render"
has "$tmp/canned" \
	'memattr_up 1' \
	'memattr_last_success_timestamp_seconds 1764525600' \
	'memattr_process_info{pid="4242",comm="leaker",cgroup="/mt leak"} 1' \
	'# TYPE memattr_process_rss_bytes gauge' \
	'memattr_process_rss_bytes{pid="4242"} 2097152' \
	'# TYPE memattr_process_page_allocs_total counter' \
	'memattr_process_page_allocs_total{pid="4242"} 100' \
	'memattr_process_growth_bytes_per_hour{pid="4242"} 3774873600' \
	'memattr_process_growth_bytes_per_hour{pid="1"} -12288' \
	'memattr_process_leak_state{pid="4242"} 2' \
	'# TYPE memattr_process_exhaust_seconds gauge' \
	'memattr_process_exhaust_seconds{pid="4242"} 7200' \
	'memattr_processes{state="leak"} 1' \
	'memattr_processes{state="ok"} 1' \
	'memattr_cgroup_usage_bytes{cgroup="/"} 8388608' \
	'memattr_cgroup_limit_bytes{cgroup="/mt leak"} 67108864' \
	'memattr_cgroup_growth_bytes_per_hour{cgroup="/"} 4194304' \
	'memattr_cgroup_exhaust_seconds{cgroup="/mt leak"} 3600' \
	'memattr_system_used_ratio 0.50' \
	'memattr_system_watermark_level 1' \
	'memattr_system_exhaust_seconds 7200' \
	'memattr_watermark_threshold_ratio{level="1"} 0.85' \
	'memattr_watermark_threshold_ratio{level="3"} 0.97' \
	'memattr_watermark_levels 3' \
	'memattr_module_tracked_processes 12' \
	'memattr_module_memory_bytes 8192'
result $? "canned: the expected samples and types"
! grep -qE '^memattr_cgroup_(limit_bytes|exhaust_seconds)\{cgroup="/"\}|^memattr_process_exhaust_seconds\{pid="1"\}' \
	"$tmp/canned"
result $? "canned: no limit or exhaust series for a cgroup without a limit, none for a shrinking process"
# node_exporter has these: node_memory_*, node_vmstat_oom_kill
! grep -E '^memattr_(system_memory_|oom_kills)' "$tmp/canned"
result $? "canned: no duplicate of node_exporter's memory and OOM metrics"
# only memattr_process_info has comm or cgroup beside pid; one cgroup label
! grep -E '^memattr_process_[a-z_]+\{' "$tmp/canned" |
	grep -v '^memattr_process_info{' | grep -E 'comm=|cgroup='
result $? "canned: per-process series are labelled by pid alone"
! grep -q 'path=' "$tmp/canned"
result $? "canned: the cgroup label is cgroup everywhere"
# every family: HELP, TYPE, then its samples, each family once
awk '/^# HELP /{ if (seen[$3]++) bad = 1; help = $3; next }
     /^# TYPE /{ if ($3 != help) bad = 1; next }
     { split($1, a, "{"); if (a[1] != help) bad = 1 }
     END { exit bad }' "$tmp/canned"
result $? "canned: each family once, HELP and TYPE before its samples"
promtool_clean canned "$tmp/canned"

"$drv" hostile >"$tmp/hostile" 2>>"$tmp/err"
has "$tmp/hostile" \
	'memattr_process_info{pid="4242",comm="a\"b\\c\\x0ad\\x1b[2J\\xff",cgroup="/x\\\"y\\x0a"} 1' \
	'memattr_cgroup_usage_bytes{cgroup="/q\"\\\\x0a"} 4194304'
result $? "hostile label values: escaped, one line each"
promtool_clean hostile "$tmp/hostile"

"$drv" empty >"$tmp/empty" 2>>"$tmp/err"
promtool_clean "no replies" "$tmp/empty"

"$drv" down >"$tmp/down" 2>>"$tmp/err"
[ "$(grep -v '^#' "$tmp/down")" = "memattr_up 0
memattr_last_success_timestamp_seconds 1764525600" ]
result $? "module not read: memattr_up 0 and the last success, nothing else"
promtool_clean down "$tmp/down"

# The bound: N = --processes (default 10), C cgroups, at most 8 watermark
# levels: 14 series for each of at most 2N processes, 11 per cgroup, 26 more.
"$drv" fleet >"$tmp/fleet" 2>>"$tmp/err"
series=$(grep -vc '^#' "$tmp/fleet")
echo "# fleet: 500 processes (3 leaking), 8 cgroups: $series series"
[ "$series" -le $((14 * 2 * 10 + 11 * 8 + 26)) ]
result $? "500 processes, 3 leaking, 8 cgroups: at most 28N + 11C + 26 = 394 series ($series)"
[ "$(grep -c '^memattr_process_info{' "$tmp/fleet")" = 13 ] &&
	has "$tmp/fleet" \
		'memattr_process_leak_state{pid="1007"} 1' \
		'memattr_process_leak_state{pid="1123"} 2' \
		'memattr_process_leak_state{pid="1321"} 2' \
		'memattr_process_info{pid="1499",comm="worker499",cgroup="/svc3"} 1' \
		'memattr_processes{state="ok"} 497' \
		'memattr_processes{state="leak"} 2' \
		'memattr_processes{state="suspect"} 1' &&
	! grep -q '^memattr_process_info{pid="1489"' "$tmp/fleet"
result $? "fleet: the 10 largest and the 3 leaking, small as they are; no other"
promtool_clean fleet "$tmp/fleet"
"$drv" fleet 0 >"$tmp/fleet0" 2>>"$tmp/err"
! grep -q '^memattr_process_' "$tmp/fleet0"
result $? "fleet, --processes 0: no per-process series"
"$drv" fleet all >"$tmp/fleetall" 2>>"$tmp/err"
[ "$(grep -c '^memattr_process_info{' "$tmp/fleetall")" = 500 ]
result $? "fleet, --processes all: every process"

# the alert and recording rules
if command -v promtool >/dev/null; then
	out=$(promtool check rules "$rules/memattr-rules.yml" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	result $rc "promtool check rules memattr-rules.yml"
	out=$(cd "$rules" && promtool test rules memattr-rules.test.yml 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^$' | sed 's/^/# /'
	result $rc "promtool test rules memattr-rules.test.yml: what must fire fires, nothing else"
else
	result 1 "promtool check rules (no promtool: scripts/deps.sh installs it)"
	result 1 "promtool test rules (no promtool: scripts/deps.sh installs it)"
fi
cat "$tmp/canned" "$tmp/fleet" "$tmp/down" |
	sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' | sort -u >"$tmp/written"
grep -v '^ *#' "$rules/memattr-rules.yml" | grep -o 'memattr_[a-z_]*' |
	sort -u >"$tmp/used"
unknown=$(comm -23 "$tmp/used" "$tmp/written")
[ -n "$unknown" ] && echo "# the rules use metrics the export never writes: $unknown"
[ -z "$unknown" ] && [ -s "$tmp/used" ]
result $? "the rules use only metrics the export writes"
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
exit 0
