#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# pprof_test.sh TEST_BUILD_DIR: the growth-site profile's host side
# (pprof.c, symbolize.c) on a real process's addresses. pprof_target (PIE,
# frame pointers) prints where its functions are and copies its maps;
# pprof_driver builds a canned profile over those addresses (leak_here
# 80 % of space, see pprof_driver.c) and renders it. Asserted: the
# folded stacks and the top list exactly; the gzipped profile.proto
# decoded by `go tool pprof -raw` (sample types, values, names, mapping
# and build-id) and `-top` (leak_here 80 % of space and of pages); the
# same without names, symbolized offline by pprof from the binary; a
# stripped binary (build-id kept, file offsets exact); one with only
# .dynsym names (-rdynamic); a non-PIE one; and
# a static Go program stripped with -s -w (names from its pclntab); an
# arm64 build (cross-compiled, read through a made-up maps); and
# unreadable or truncated ELF files. go comes from Debian's golang-go
# (scripts/deps.sh). Prints TAP.
set -uo pipefail

tb=$1
src=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

# go tool pprof, offline and with nothing of the caller's
gopprof() {
	command -v go >/dev/null || {
		echo "go not found: scripts/deps.sh installs golang-go" >&2
		return 127
	}
	HOME=$tmp PPROF_TMPDIR=$tmp GOFLAGS='' GOPROXY=off \
		go tool pprof "$@"
}

# squeeze: runs of blanks to one, none at the ends
squeeze() {
	sed -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//'
}

# run_target BIN DIR: runs BIN there, leaving DIR/maps and DIR/addrs
run_target() {
	mkdir -p "$2"
	"$1" "$2/maps" >"$2/addrs"
}

# addr DIR NAME
addr() {
	sed -n "s/^$2 0x\\([0-9a-f]*\\)\$/\\1/p" "$1/addrs"
}

# off DIR NAME DELTA: "0xOFFSET" of NAME+DELTA in its file, from the maps
off() {
	local a start offset
	a=$((0x$(addr "$1" "$2") + $3))
	while read -r range _ offset _; do
		start=$((0x${range%-*}))
		if [ "$a" -ge "$start" ] && [ "$a" -lt $((0x${range#*-})) ]; then
			printf '0x%x\n' $((a - start + 0x$offset))
			return
		fi
	done < <(grep -F ' r-xp ' "$1/maps")
}

named_folded='main;grow;leak_here 286720
main;leak_here 40960
main;churn 61440
[throttled] 20480'

echo "1..30"

# ---- PIE, names from .symtab ----
d=$tmp/pie
run_target "$tb/pprof_target" "$d"
result $? "pprof_target runs and copies its maps"
drv() { "$tb/pprof_driver" "$1" "$d/maps" "$d/addrs" "${@:2}"; }

id=$(readelf -n "$tb/pprof_target" | sed -n 's/^ *Build ID: *//p')
same "the main mapping's build-id, file offset and names" \
	"$tb/pprof_target $id 0x1000 names" "$(drv ids | head -n1)"

same "folded stacks: root first, names, space in bytes" \
	"$named_folded" "$(drv folded)"

same "top sites by space" "space/bytes total 409600
flat flat% cum cum% site
327680 80.0% 327680 80.0% leak_here
61440 15.0% 61440 15.0% churn
20480 5.0% 20480 5.0% [throttled]
0 0.0% 389120 95.0% main
0 0.0% 286720 70.0% grow" "$(drv top | squeeze)"

drv pprof "$d/p.pb.gz"
result $? "profile written"
gzip -t "$d/p.pb.gz" 2>/dev/null
result $? "profile is gzip"

t0=$SECONDS
raw=$(gopprof -raw -symbolize=none "$d/p.pb.gz" 2>&1)
rc=$?
result $rc "go tool pprof -raw reads the profile ($((SECONDS - t0)) s)"
[ $rc = 0 ] || printf '%s\n' "$raw" | sed 's/^/#   /'
same "-raw: period, sample types and values" \
	"PeriodType: space bytes
Period: 4096
Duration: 10s
pages/count space/bytes[dflt]
70 286720: 1 2 3
10 40960: 1 4
15 61440: 5 6
5 20480: 7" \
	"$(printf '%s\n' "$raw" | squeeze |
	   grep -E '^(PeriodType|Period|Duration|pages/|[0-9]+ [0-9]+:)')"
leak=$(printf '%x' $((0x$(addr "$d" leak_here) + 4)))
same "-raw: locations named, leaf at its own address, callers at return - 1" \
	"1: 0x$leak M=1 leak_here :0 s=0
2: grow
3: main
5: churn
7: 0x0 [throttled] :0 s=0" \
	"$(printf '%s\n' "$raw" | squeeze |
	   sed -n -e '/^1: 0x[0-9a-f]* M=/p' \
		  -e 's/^\([235]\): 0x[0-9a-f]* M=1 \([a-z_]*\) .*/\1: \2/p' \
		  -e '/^7: /p')"
printf '%s\n' "$raw" | grep -qE "^1: 0x[0-9a-f]+/0x[0-9a-f]+/0x1000 $tb/pprof_target $id \\[FN\\]\$"
result $? "-raw: the main mapping with its file offset, build-id and [FN]"

top=$(gopprof -top -symbolize=none "$d/p.pb.gz" 2>&1 | squeeze)
same "-top: leak_here 80 % of space, flat and cum; main 95 % cum" \
	"320kB 80.00% 80.00% 320kB 80.00% leak_here
0 0% 100% 380kB 95.00% main" \
	"$(printf '%s\n' "$top" | grep -E ' (leak_here|main)$')"
same "-top -sample_index=pages: leak_here 80 pages of 100" \
	"80 80.00% 80.00% 80 80.00% leak_here" \
	"$(gopprof -top -symbolize=none -sample_index=pages "$d/p.pb.gz" \
		2>&1 | squeeze | grep -E ' leak_here$')"

# ---- no names: build-id and offsets for pprof to symbolize offline ----
drv raw "$d/r.pb.gz"
result $? "profile without names written"
printf '%s\n' "$(gopprof -raw -symbolize=none "$d/r.pb.gz" 2>&1)" |
	grep -qE "^1: 0x[0-9a-f]+/0x[0-9a-f]+/0x1000 $tb/pprof_target $id \$"
result $? "-raw: the mapping keeps its build-id, without [FN]"
same "offline: pprof names it from the binary given as argument" \
	"320kB 80.00% 80.00% 320kB 80.00% leak_here" \
	"$(gopprof -top "$tb/pprof_target" "$d/r.pb.gz" 2>&1 | squeeze |
	   grep -E ' leak_here$')"

# ---- stripped: no names on the target, the build-id and offsets stay ----
d=$tmp/stripped
mkdir -p "$d"
strip -o "$d/pprof_target" "$tb/pprof_target"
run_target "$d/pprof_target" "$d"
same "stripped: the same build-id, no names" \
	"$d/pprof_target $id 0x1000 nonames" "$(drv ids | head -n1)"
same "stripped: folded stacks name file offsets" \
	"pprof_target+$(off "$d" main 7);pprof_target+$(off "$d" grow 7);pprof_target+$(off "$d" leak_here 4) 286720
pprof_target+$(off "$d" main 11);pprof_target+$(off "$d" leak_here 4) 40960
pprof_target+$(off "$d" main 15);pprof_target+$(off "$d" churn 4) 61440
[throttled] 20480" "$(drv folded)"
drv pprof "$d/s.pb.gz"
same "stripped: pprof names it from the unstripped binary" \
	"320kB 80.00% 80.00% 320kB 80.00% leak_here" \
	"$(gopprof -top "$tb/pprof_target" "$d/s.pb.gz" 2>&1 | squeeze |
	   grep -E ' leak_here$')"

# ---- stripped but -rdynamic: names from .dynsym, no [FN] for pprof ----
d=$tmp/dynsym
mkdir -p "$d"
${HOSTCC:-cc} -O0 -g -fno-omit-frame-pointer -rdynamic \
	-o "$d/pprof_target" "$src/pprof_target.c" 2>&1 | sed 's/^/# /'
strip "$d/pprof_target"
run_target "$d/pprof_target" "$d"
same "dynsym: exported names found, the mapping says so" \
	"dynsym
$named_folded" "$(drv ids | head -n1 | awk '{ print $4 }'
				  drv folded)"
drv pprof "$d/d.pb.gz"
gopprof -raw -symbolize=none "$d/d.pb.gz" 2>&1 |
	grep -qE "^1: 0x[0-9a-f]+/0x[0-9a-f]+/0x[0-9a-f]+ $d/pprof_target [0-9a-f]{40} \$"
result $? "dynsym: -raw: no [FN], so pprof may symbolize it better offline"

# ---- not PIE: no load bias ----
d=$tmp/nopie
run_target "$tb/pprof_target_nopie" "$d"
same "not PIE: folded stacks" "$named_folded" "$(drv folded)"

# ---- Go, static and stripped (-s -w): names from the pclntab ----
d=$tmp/go
mkdir -p "$d"
t0=$SECONDS
if command -v go >/dev/null; then
	(cd "$src" && HOME=$tmp GOCACHE=$tb/gocache GOFLAGS='' GOPROXY=off \
		GO111MODULE=off CGO_ENABLED=0 \
		go build -ldflags='-s -w' -o "$d/pprof_target_go" \
		pprof_target.go) 2>&1 | sed 's/^/# /'
fi
[ -x "$d/pprof_target_go" ] && ! readelf -S "$d/pprof_target_go" |
	grep -qE ' \.(symtab|dynsym) '
result $? "go: a static stripped Go program built ($((SECONDS - t0)) s)"
run_target "$d/pprof_target_go" "$d"
same "go: names though stripped, no GNU build-id" \
	"$d/pprof_target_go - 0x0 names" "$(drv ids | head -n1)"
same "go: folded stacks" "main.main;main.grow;main.leakHere 286720
main.main;main.leakHere 40960
main.main;main.churn 61440
[throttled] 20480" "$(drv folded)"
drv pprof "$d/g.pb.gz"
same "go: -top: main.leakHere 80 % of space" \
	"320kB 80.00% 80.00% 320kB 80.00% main.leakHere" \
	"$(gopprof -top -symbolize=none "$d/g.pb.gz" 2>&1 | squeeze |
	   grep -E ' main\.leakHere$')"

# ---- arm64 (cross-built, not run): names and build-id, a load bias ----
d=$tmp/arm64
mkdir -p "$d"
aarch64-linux-gnu-gcc -O0 -g -fno-omit-frame-pointer -fPIE -pie \
	-o "$d/pprof_target" "$src/pprof_target.c" 2>&1 | sed 's/^/# /'
bias=$((0xaaaad0000000))
# the executable PT_LOAD: its offset and size, page-aligned
read -r lo lsz < <(readelf -lW "$d/pprof_target" 2>/dev/null |
	awk '$1 == "LOAD" && / R E / { print $2, $5; exit }')
printf '%x-%x r-xp %08x 00:00 1 %s\n' $((bias + (lo & ~0xfff))) \
	$((bias + ((lo + lsz + 0xfff) & ~0xfff))) $((lo & ~0xfff)) \
	"$d/pprof_target" >"$d/maps"
aarch64-linux-gnu-nm "$d/pprof_target" 2>/dev/null |
	while read -r val type name; do
		[ "$type" = T ] && [[ $name =~ ^(leak_here|grow|churn|main)$ ]] &&
			printf '%s 0x%x\n' "$name" $((bias + 0x$val))
	done >"$d/addrs"
aid=$(readelf -n "$d/pprof_target" 2>/dev/null | sed -n 's/^ *Build ID: *//p')
[ -n "$aid" ] && [ "$(wc -l <"$d/addrs")" = 4 ]
result $? "arm64: cross-built, with a build-id and four functions"
same "arm64: the mapping's build-id and names" \
	"$d/pprof_target $aid 0x0 names" "$(drv ids)"
same "arm64: folded stacks" "$named_folded" "$(drv folded)"

# ---- files that are not what the maps say ----
d=$tmp/bad
mkdir -p "$d"
cp "$tmp/pie/addrs" "$d/addrs"
head -c 100 "$tb/pprof_target" >"$d/short"
head -c 8192 "$tb/pprof_target" >"$d/cut"
head -c 4096 /dev/urandom >"$d/noise"
{
	printf '1000-2000 r-xp 00000000 00:00 1 %s\n' "$d/short" "$d/cut" \
		"$d/noise" "$d/missing" "$d"
	echo "garbage line"
	echo "3000-2000 r-xp 00000000 00:00 1 $d/short"
} >"$d/maps"
same "short, cut, noise, missing and directory files: no names, no crash" \
	"$d/short - 0x0 nonames
$d/cut $id 0x0 nonames
$d/noise - 0x0 nonames
$d/missing - 0x0 nonames
$d - 0x0 nonames" "$(drv ids 2>&1)"
drv folded >/dev/null 2>&1
result $? "folded over unreadable mappings"

[ "$failed" = 0 ]
