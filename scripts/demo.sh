#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: on a fresh machine, build everything, boot Debian's arm64
# kernel (the target architecture) under QEMU with memattr loaded, and show
# it attributing memory to a leaking service and a healthy one.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
log=$top/build/lanes/stock-arm64/console.log
rc=0
"$top/scripts/lane.sh" --lane stock-arm64 --timeout 300 \
	--run "$top/selftests/memattr/demo.sh" >/dev/null || rc=$?
# What the guest printed, without the harness's markers and TAP lines.
sed -n '/^MEMATTR-TAP-BEGIN/,/^MEMATTR-TAP-END/p' "$log" |
	grep -vE '^(MEMATTR-|TAP version|1\.\.|ok |not ok )'
if [ "$rc" != 0 ]; then
	echo "demo: the guest run failed; log: $log" >&2
	exit 1
fi
