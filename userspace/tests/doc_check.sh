#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# doc_check.sh MEMATTR TEST_QUERY PROM_DRIVER: every command of
# 'memattr help', every JSON field the query commands print (from canned
# replies, "test_query json WHAT") and every Prometheus metric the export
# prints must be documented in memattr(8) and the README. Prints TAP.
set -uo pipefail

bin=$1 tq=$2 prom=$3
here=$(cd "$(dirname "$0")" && pwd)
man=$here/../memattr.8
readme=$here/../../README.md

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

# missing FILE WORD...: the words FILE does not hold as whole words
missing() {
	local f=$1 w out=
	shift
	for w in "$@"; do
		grep -qw -- "$w" "$f" || out+=" $w"
	done
	printf '%s' "$out"
}

# check DESC WORD...: one result per document
check() {
	local desc=$1 m r
	shift
	m=$(missing "$man" "$@")
	r=$(missing "$readme" "$@")
	[ -z "$m" ]
	result $? "memattr.8 documents $desc"
	[ -n "$m" ] && echo "#   not in memattr.8:$m"
	[ -z "$r" ]
	result $? "README documents $desc"
	[ -n "$r" ] && echo "#   not in README.md:$r"
}

echo "TAP version 13"
echo "1..25"
cmds=$("$bin" help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]\+\) .*/\1/p' | grep -vx help)
[ -n "$cmds" ]
result $? "'memattr help' lists commands"
# shellcheck disable=SC2086 # one word each
check "every command" $cmds
for what in ps show cgroups leaks system oom config stats; do
	# shellcheck disable=SC2046 # one word each
	check "every field of 'memattr -j $what'" $("$tq" json "$what" |
		jq -r '[.. | objects | keys[]] | unique | .[]')
done
# last-boot's own keys (an event's or report line's are the log's)
# shellcheck disable=SC2046 # one word each
check "every field of 'memattr -j last-boot'" $("$bin" -j last-boot -d "$here/lastboot/pstore" |
	jq -r '[., .sources[], .reports[]] | map(keys[]) | unique | .[]')
metrics=$("$prom" canned | sed -n 's/^# TYPE \(memattr_[a-z_]*\) .*/\1/p' | sort -u)
suffixes=$(printf '%s\n' "$metrics" |
	sed -E 's/^memattr_(process|cgroup|system|module)_//' | sort -u)
[ -n "$metrics" ]
result $? "the export prints metrics"
# shellcheck disable=SC2086 # one word each
m=$(missing "$man" $suffixes)
[ -z "$m" ]
result $? "memattr.8 documents every metric"
[ -n "$m" ] && echo "#   not in memattr.8:$m"
# shellcheck disable=SC2086 # one word each
r=$(missing "$readme" $suffixes)
[ -z "$r" ]
result $? "README documents every metric"
[ -n "$r" ] && echo "#   not in README.md:$r"
if command -v groff >/dev/null; then
	w=$(groff -man -ww -z -t "$man" 2>&1)
	[ -z "$w" ]
	result $? "memattr.8 formats without groff warnings"
	[ -n "$w" ] && printf '%s\n' "$w" | sed 's/^/#   /'
else
	result 0 "memattr.8 formats without groff warnings # SKIP no groff"
fi
[ "$failed" = 0 ]
