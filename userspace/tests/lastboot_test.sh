#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lastboot_test.sh MEMATTR DATA: memattr last-boot on canned sources (DATA,
# tests/lastboot/) and on ones made here (compressed pstore records, binary
# junk, an over-long line), its text and JSON compared byte for byte with
# DATA/expected/, the JSON also checked by python3 -m json.tool. Then its
# errors: a missing file, a directory, a file it may not read, a bad option.
# Prints TAP.
set -uo pipefail

bin=$(realpath "$1")
data=$(realpath "$2")
tmp=$(mktemp -d)
# KEEP=1: keep the inputs made here, to look at
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
[ -z "${KEEP:-}" ] || echo "# KEEP: the inputs stay in $tmp/in"

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

# run ARGS...: memattr ARGS in $tmp/in; sets rc, out, err (files)
run() {
	(cd "$tmp/in" && "$bin" "$@" >"$tmp/out" 2>"$tmp/err")
	rc=$?
}

# same FILE WANT DESC: FILE is byte for byte WANT
same() {
	if cmp -s "$1" "$2"; then
		result 0 "$3"
	else
		diff -u "$2" "$1" | head -n 40 | sed 's/^/# /'
		result 1 "$3"
	fi
}

# expect WANT_RC WANT_STDERR DESC ARGS...: exit status and stderr, exactly
expect() {
	local want_rc=$1 want_err=$2 desc=$3 err
	shift 3
	run "$@"
	err=$(cat "$tmp/err")
	if [ "$rc" = "$want_rc" ] && [ "$err" = "$want_err" ]; then
		result 0 "$desc"
	else
		echo "# memattr $*: exit $rc (want $want_rc), stderr: $err"
		result 1 "$desc"
	fi
}

# the sources: the canned ones, and what cannot be kept as text
cp -r "$data" "$tmp/in"
rm -rf "$tmp/in/expected"
mkdir "$tmp/in/empty"
python3 - "$tmp/in" <<'EOF' || { echo "Bail out! python3 cannot make the inputs"; exit 1; }
import sys, zlib
d = sys.argv[1]
def deflate(data, wbits):
    c = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()
# raw deflate, as the crypto API's "deflate" (window 2^11) wrote it up to
# 6.5, then ramoops' ECC notice after it
oops1 = (b"Oops#1 Part1\n"
         b"<4>[  500.000000] memattr: event=leak time_ms=500000 entity=process"
         b" pid=4200 comm=early growth_kb_per_hour=100 since_ms=490000\n")
open(d + "/pstore/dmesg-ramoops-2.enc.z", "wb").write(
    deflate(oops1, -11) + b"\nECC: No errors detected\n")
# zlib-wrapped deflate
oops2 = (b"Oops#2 Part1\n"
         b"<6>[  510.000000] memattr: event=leak_cleared time_ms=510000"
         b" entity=process pid=4200 comm=early growth_kb_per_hour=0"
         b" since_ms=505000\n")
open(d + "/pstore/dmesg-ramoops-3.enc.z", "wb").write(deflate(oops2, 15))
# zstd (its magic number) and bytes that are no compressed data at all
open(d + "/pstore/dmesg-ramoops-4.enc.z", "wb").write(
    b"\x28\xb5\x2f\xfd" + bytes(range(64)))
open(d + "/pstore/dmesg-ramoops-5.enc.z", "wb").write(b"\xff" * 32)
# a serial capture that starts with line noise: binary bytes, a NUL inside
# what looks like a record, a line longer than any, then the canned log
junk = (bytes(range(256)) + b"\n"
        b"\x00\xff\xfememattr: event=leak time_ms=1 comm=a\x00b\n"
        b"[   49.000000] memattr: event=leak time_ms=49000 " + b"x" * 70000 +
        b"\n")
open(d + "/serial-junk.log", "wb").write(
    junk + open(d + "/serial.log", "rb").read())
# a journal export entry whose MESSAGE is a binary field: name, newline,
# 64-bit little-endian size, the bytes, newline
msg = (b"memattr: event=watermark time_ms=66000 direction=up level=1"
       b" level_pct=80 used_pct=81")
open(d + "/journal.export", "ab").write(
    b"__CURSOR=s=0b1c;i=1a8\n_TRANSPORT=kernel\nMESSAGE\n" +
    len(msg).to_bytes(8, "little") + msg + b"\n\n")
EOF
rm "$tmp/in/serial.log"
files=(journal.export journal.json kmsg.txt serial-junk.log)

echo "TAP version 13"
echo "1..23"

# pstore: the parts of one dump joined, compressed records, duplicates
run last-boot -d pstore
[ "$rc" = 0 ]
result $? "last-boot -d pstore: exit 0"
same "$tmp/out" "$data/expected/pstore.txt" "last-boot -d pstore: text"
same "$tmp/err" "$data/expected/pstore.err" \
	"last-boot -d pstore: the records it cannot decompress, on stderr"
run -j last-boot -d pstore
same "$tmp/out" "$data/expected/pstore.json" "last-boot -j -d pstore: JSON"
python3 -m json.tool "$tmp/out" >/dev/null
result $? "last-boot -j -d pstore: valid JSON"

# files: journal export and JSON, raw /dev/kmsg, a serial capture with junk
run last-boot "${files[@]}"
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ]
result $? "last-boot FILE...: exit 0, nothing on stderr"
same "$tmp/out" "$data/expected/files.txt" "last-boot FILE...: text"
run -j last-boot "${files[@]}"
same "$tmp/out" "$data/expected/files.json" "last-boot -j FILE...: JSON"
python3 -m json.tool "$tmp/out" >/dev/null
result $? "last-boot -j FILE...: valid JSON"
run -p last-boot "${files[@]}"
python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))' \
	"$tmp/out" "$data/expected/files.json"
result $? "last-boot -p FILE...: the same JSON, indented"

# standard input: a pipe, read whole
run -j last-boot journal.json
sed 's/"path":"journal.json"/"path":"-"/' "$tmp/out" >"$tmp/want"
(cd "$tmp/in" && "$bin" -j last-boot - <journal.json >"$tmp/out" 2>"$tmp/err")
same "$tmp/out" "$tmp/want" "last-boot -: standard input, the same records"
(cd "$tmp/in" && "$bin" -j last-boot <(cat journal.json) >"$tmp/out" 2>"$tmp/err")
sed 's|"path":"/dev/fd/[0-9]*"|"path":"-"|' "$tmp/out" >"$tmp/got"
same "$tmp/got" "$tmp/want" "last-boot <(...): a pipe by name, the same records"

# a last line without its newline may be cut short: not believed
printf 'memattr: event=leak time_ms=5 pid=1\nmemattr: event=leak time_ms=6 pid=12' \
	>"$tmp/in/cut.log"
run -j last-boot cut.log
python3 - "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert [e["pid"] for e in d["events"]] == [1], d["events"]
assert d["skipped"] == 1 and d["sources"][0]["lines"] == 2, d
EOF
result $? "a record on a last line without its newline is skipped"

# the forged record inside a comm stays a comm
python3 - "$data/expected/files.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
assert not [e for e in ev if e.get("time_ms") == 1], "forged record"
assert [e for e in ev if e.get("comm") ==
        "x memattr: event=oom_kill time_ms=1"], "escaped comm"
EOF
result $? "a record forged inside a comm is no record, and the comm is whole"

# nothing to show
run last-boot -d empty
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ]
result $? "last-boot -d EMPTY: exit 0"
same "$tmp/out" "$data/expected/empty.txt" "last-boot -d EMPTY: says there is nothing"
run -j last-boot -d empty
same "$tmp/out" "$data/expected/empty.json" "last-boot -j -d EMPTY: empty arrays"

# sources it cannot read
expect 1 "memattr: last-boot: cannot read missing.log: No such file or directory" \
	"last-boot MISSING: exit 1" last-boot missing.log
expect 1 "memattr: last-boot: cannot read pstore: it is a directory (for a copy of pstore's files: -d DIR)" \
	"last-boot DIRECTORY: exit 1" last-boot kmsg.txt pstore
expect 1 "memattr: last-boot: cannot read nodir: No such file or directory" \
	"last-boot -d MISSING: exit 1" last-boot -d nodir
cp "$tmp/in/kmsg.txt" "$tmp/in/secret.log"
chmod 000 "$tmp/in/secret.log"
chmod 755 "$tmp" "$tmp/in"
if [ "$(id -u)" = 0 ]; then
	# root reads anything: the check runs as nobody
	(cd "$tmp/in" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin" last-boot secret.log >"$tmp/out" 2>"$tmp/err")
	rc=$?
else
	run last-boot secret.log
fi
[ "$rc" = 1 ] && [ "$(cat "$tmp/err")" = "memattr: last-boot: cannot read secret.log: Permission denied" ]
result $? "last-boot UNREADABLE: exit 1, permission denied"
[ ! -s "$tmp/out" ]
result $? "last-boot UNREADABLE: nothing on stdout"
expect 2 "memattr: last-boot: invalid option '--bogus'; try 'memattr last-boot help'" \
	"last-boot --bogus: exit 2" last-boot --bogus

[ "$failed" = 0 ]
