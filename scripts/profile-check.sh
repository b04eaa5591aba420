#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# profile-check.sh LANE: the growth-site profiles a lane's guest printed
# (selftests/memattr/profile_cli.sh, base64 between "MEMATTR-PPROF-BEGIN
# NAME" and "MEMATTR-PPROF-END NAME" in build/lanes/LANE/console.log)
# through the host's go tool pprof (Debian's golang-go), which the guest
# cannot run. Asserted: each decodes; the C leaker's leak_here and the
# Go program's main.leakGrow carry >= 80 % of space (cum) in
# `go tool pprof -top`; the stripped C leaker is symbolized offline from
# the unstripped binary given as pprof's argument. Reported: the Go
# program with ten times as much garbage, and whether PPROF_BINARY_PATH
# finds the unstripped binary. Prints TAP.
set -uo pipefail

lane=$1
top=$(cd "$(dirname "$0")/.." && pwd)
log=$top/build/lanes/$lane/console.log
bins=$top/build/lanes/$lane/selftests
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tap-host.sh
. "$top/scripts/tap-host.sh"

# go tool pprof, offline and with nothing of the caller's
gopprof() {
	HOME=$tmp PPROF_TMPDIR=$tmp GOFLAGS='' GOPROXY=off \
		go tool pprof "$@" 2>"$tmp/pprof.err"
}

# extract NAME: $tmp/NAME.pb.gz from the console log
extract() {
	tr -d '\r' <"$log" |
		sed -n "/^MEMATTR-PPROF-BEGIN $1\$/,/^MEMATTR-PPROF-END $1\$/p" |
		grep -v -e '^MEMATTR-PPROF-' -e '^\[ *[0-9]*\.[0-9]*\]' |
		base64 -d >"$tmp/$1.pb.gz" 2>/dev/null &&
		gzip -t "$tmp/$1.pb.gz" 2>/dev/null
}

# cum TOP FUNC: FUNC's cum% in a `pprof -top` listing, "0" when absent
cum() {
	awk -v f="$2" '$NF == f { sub(/%/, "", $5); print $5; found = 1; exit }
		END { if (!found) print 0 }' "$1"
}

# at_least PCT MIN: PCT (a decimal) >= MIN
at_least() {
	awk -v p="$1" -v m="$2" 'BEGIN { exit !(p + 0 >= m) }'
}

echo "1..8"
for name in c cs go gg; do
	extract "$name"
	result $? "$lane: profile '$name' from the console decodes (gzip)"
done

gopprof -top -sample_index=space "$tmp/c.pb.gz" >"$tmp/c.top"
p=$(cum "$tmp/c.top" leak_here)
echo "# $lane: C leaker, THP off: leak_here $p % of space (cum)"
at_least "$p" 80
result $? "$lane: C leaker: leak_here >= 80 % of space, cum ($p %)"

gopprof -top -sample_index=space "$bins/pf_leaker" "$tmp/cs.pb.gz" >"$tmp/cs.top"
p=$(cum "$tmp/cs.top" leak_here)
at_least "$p" 80
result $? "$lane: stripped C leaker, the unstripped binary as pprof's argument: leak_here >= 80 % ($p %)"
# PPROF_BINARY_PATH: pprof looks for DIR/BUILD_ID/NAME and DIR/NAME
id=$(sed -n 's/^Build ID: //p' "$tmp/cs.top")
mkdir -p "$tmp/bin/$id"
cp "$bins/pf_leaker" "$tmp/bin/$id/pf_leaker_stripped"
PPROF_BINARY_PATH=$tmp/bin gopprof -top -sample_index=space "$tmp/cs.pb.gz" >"$tmp/csp.top"
echo "# $lane: stripped C leaker through PPROF_BINARY_PATH: leak_here $(cum "$tmp/csp.top" leak_here) % ($(grep -c 'build-id mismatch' "$tmp/pprof.err") build-id mismatch lines)"

gopprof -top -sample_index=space "$tmp/go.pb.gz" >"$tmp/go.top"
p=$(cum "$tmp/go.top" main.leakGrow)
echo "# $lane: Go grow (stripped, pclntab names): main.leakGrow $p % of space (cum)"
at_least "$p" 80
result $? "$lane: Go: main.leakGrow >= 80 % of space, cum ($p %)"

ok=0
for idx in space inuse_space; do
	gopprof -top -sample_index=$idx "$tmp/gg.pb.gz" >"$tmp/gg.top" || ok=1
	echo "# $lane: Go, 10x garbage, $idx$([ $idx = inuse_space ] && echo " after FreeOSMemory"): main.leakGrow $(cum "$tmp/gg.top" main.leakGrow) %, main.makeGarbage $(cum "$tmp/gg.top" main.makeGarbage) % (cum)"
done
grep -q 'main.makeGarbage$' "$tmp/gg.top" || ok=1
grep -q '^Type: inuse_space$' "$tmp/gg.top" || ok=1
result $ok "$lane: Go, 10x garbage: space and inuse_space (-sample_index) read by pprof"
[ "$failed" = 0 ]
