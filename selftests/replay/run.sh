#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The replay's make check (TAP): two runs write the same results, the
# detector under test is module/leak.c and module/hist.c themselves, the
# committed results.md is today's, every run is as recorded there, every
# scenario with each of 12 other seeds, and what today's detector must keep
# (replay --tap).
#
#   run.sh OBJ TOP    OBJ: the build directory holding ./replay
set -uo pipefail

obj=$1 top=$2
res=$top/selftests/replay/results.md
fail=0
tap() {
	if [ "$1" = 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		fail=1
	fi
}

"$obj/replay" --tap "$res" "$obj/run2.md"
rc=$?
tap "$rc" "replay: replay --tap exit status"
# The second run sweeps one other seed only (the sweep's runs go through
# the same replay_run()): compare everything before its table.
corpus() { sed '/^## Other seeds$/,$d' "$1"; }
"$obj/replay" --seeds 1 --md "$obj/run1.md" >/dev/null &&
	cmp -s <(corpus "$obj/run1.md") <(corpus "$obj/run2.md")
tap $? "replay: two runs write identical results"
cmp -s "$obj/run2.md" "$res"
tap $? "replay: selftests/replay/results.md is up to date (make replay)"

# The objects under test were compiled from module/, through the shim.
for f in leak hist; do
	grep -qF "$top/module/$f.c" "$obj/module/$f.d" &&
		grep -qF "$top/selftests/replay/shim/linux/" "$obj/module/$f.d" &&
		! grep -qF "$top/include/linux/" "$obj/module/$f.d"
	tap $? "replay: $f.o is module/$f.c, unmodified, built with the shim headers"
done
[ -z "$(find "$top/selftests/replay" -name leak.c -o -name hist.c)" ]
tap $? "replay: no copy of leak.c or hist.c in the harness"
exit "$fail"
