#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh TEST_BUILD_DIR MEMATTR: run the host test programs, pass their TAP
# through, check each one's plan and exit status, and end with the line
# "userspace: N passed, N failed". Exits 1 when anything failed.
set -uo pipefail

tb=$1
bin=$2
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0

# suite NAME CMD...
suite() {
	local name=$1 out rc plan count p f t0=$SECONDS
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(grep -cE '^ok ' <<<"$out")
	f=$(grep -cE '^not ok ' <<<"$out")
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' <<<"$out" | head -n1)
	count=$((p + f))
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited $rc"
		fail=$((fail + 1))
	fi
	if [ -z "$plan" ] || [ "$plan" != "$count" ]; then
		echo "not ok - $name planned ${plan:-nothing}, ran $count"
		fail=$((fail + 1))
	fi
	echo "# $name: $p passed, $f failed, $((SECONDS - t0)) s"
}

suite unit "$tb/test_unit"
suite query "$tb/test_query"
suite events "$tb/test_events"
suite prom bash "$here/prom_check.sh" "$tb/prom_driver"
suite json bash "$here/json_check.sh" "$tb/json_driver" "$tb/test_query"
suite cli bash "$here/cli_test.sh" "$bin"
suite lastboot bash "$here/lastboot_test.sh" "$tb/memattr" "$here/lastboot"
suite pprof bash "$here/pprof_test.sh" "$tb"
suite docs bash "$here/doc_check.sh" "$bin" "$tb/test_query" "$tb/prom_driver"
suite completion bash "$here/completion_check.sh" "$bin" \
	"$here/../../contrib/bash-completion/memattr"
echo "userspace: $pass passed, $fail failed"
[ "$fail" = 0 ]
