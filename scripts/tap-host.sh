# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# TAP for the host's bash test scripts (scripts/*-check.sh,
# userspace/tests/*.sh). Source it, print the plan, then one call a result:
#
#   result RC DESC          "ok N - DESC" when RC is 0, else "not ok N - DESC"
#                           and one more in $failed
#   same DESC WANT GOT      ok when the two texts are equal, else the diff
#                           as "#   " diagnostics
#
# End with [ "$failed" = 0 ] (or let the runner count "not ok" lines).

n=0
failed=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

same() {
	local d
	d=$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3"))
	[ -z "$d" ]
	result $? "$1"
	[ -n "$d" ] && printf '%s\n' "$d" | sed 's/^/#   /'
	return 0
}
