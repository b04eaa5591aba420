#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# prom_check.sh PROM_DRIVER: memattr export --prometheus rendered from
# canned replies (prom_driver.c): the expected samples, label escaping,
# series present only when the module has the figure, and promtool check
# metrics clean (no error, no lint problem) on every rendering. The promtool
# checks are skipped, with a TAP SKIP, only where promtool is not installed
# (scripts/deps.sh installs it). Prints TAP.
set -uo pipefail

drv=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}

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
echo "1..8"

"$drv" canned >"$tmp/canned" 2>"$tmp/err"
result $? "canned replies render"
has "$tmp/canned" \
	'# TYPE memattr_process_rss_bytes gauge' \
	'memattr_process_rss_bytes{pid="4242",comm="leaker",cgroup="/mt leak"} 2097152' \
	'# TYPE memattr_process_page_allocs_total counter' \
	'memattr_process_page_allocs_total{pid="4242",comm="leaker",cgroup="/mt leak"} 100' \
	'memattr_process_growth_bytes_per_hour{pid="4242",comm="leaker",cgroup="/mt leak"} 3774873600' \
	'memattr_process_growth_bytes_per_hour{pid="1",comm="init",cgroup="/"} -12288' \
	'memattr_process_leak_state{pid="4242",comm="leaker",cgroup="/mt leak"} 2' \
	'memattr_cgroup_usage_bytes{path="/"} 8388608' \
	'memattr_cgroup_limit_bytes{path="/mt leak"} 67108864' \
	'memattr_cgroup_growth_bytes_per_hour{path="/"} 4194304' \
	'memattr_cgroup_exhaust_seconds{path="/mt leak"} 3600' \
	'memattr_system_memory_total_bytes 1073741824' \
	'memattr_system_memory_available_bytes 536870912' \
	'memattr_system_used_ratio 0.50' \
	'memattr_system_watermark_level 1' \
	'memattr_system_exhaust_seconds 7200' \
	'memattr_module_tracked_processes 12' \
	'memattr_module_memory_bytes 8192' \
	'memattr_oom_kills_total 3' \
	'# TYPE memattr_oom_kills_total counter'
result $? "canned: the expected samples and types"
! grep -qE '^memattr_cgroup_(limit_bytes|exhaust_seconds)\{path="/"\}' \
	"$tmp/canned"
result $? "canned: no limit or exhaust series for a cgroup without a limit"
# every family: HELP, TYPE, then its samples, each family once
awk '/^# HELP /{ if (seen[$3]++) bad = 1; help = $3; next }
     /^# TYPE /{ if ($3 != help) bad = 1; next }
     { split($1, a, "{"); if (a[1] != help) bad = 1 }
     END { exit bad }' "$tmp/canned"
result $? "canned: each family once, HELP and TYPE before its samples"
promtool_clean canned "$tmp/canned"

"$drv" hostile >"$tmp/hostile" 2>>"$tmp/err"
has "$tmp/hostile" \
	'memattr_process_rss_bytes{pid="4242",comm="a\"b\\c\\x0ad\\x1b[2J\\xff",cgroup="/x\\\"y\\x0a"} 2097152' \
	'memattr_cgroup_usage_bytes{path="/q\"\\\\x0a"} 4194304'
result $? "hostile label values: escaped, one line each"
promtool_clean hostile "$tmp/hostile"

"$drv" empty >"$tmp/empty" 2>>"$tmp/err"
promtool_clean "no replies" "$tmp/empty"
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
exit 0
