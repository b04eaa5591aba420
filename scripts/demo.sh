#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: on a fresh machine, build everything, boot Debian's arm64
# kernel (the target architecture) under QEMU with memattr loaded, and show
# it finding a leaking service next to a healthy one
# (selftests/memattr/demo.sh runs in the guest).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS
"$top/scripts/deps.sh"
log=$top/build/lanes/stock-arm64/console.log
rc=0
"$top/scripts/lane.sh" --lane stock-arm64 --timeout 300 \
	--run "$top/selftests/memattr/demo.sh" >/dev/null || rc=$?
# What the guest printed, without the harness's markers, TAP and kernel lines.
sed -n '/^MEMATTR-TAP-BEGIN/,/^MEMATTR-TAP-END/p' "$log" |
	grep -vE '^(MEMATTR-|TAP version|1\.\.|ok |not ok )|^\[ *[0-9]+\.[0-9]+\]' |
	tr -d '\r'
if [ "$rc" != 0 ]; then
	grep -E '^not ok' "$log" >&2 || true
	echo "demo: the guest run failed; log: $log" >&2
	exit 1
fi
echo
echo "# make demo took $((SECONDS - t0)) s (log: ${log#"$top"/})"
