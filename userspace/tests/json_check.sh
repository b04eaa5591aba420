#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# json_check.sh JSON_DRIVER: the printer's JSON, compact, pretty and as a
# stream of documents, must parse with jq and python3 and decode to the
# strings that were printed. Prints TAP.
set -uo pipefail

drv=$1
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

# python3 check: the decoded values are exactly what was printed
pycheck='
import json, sys
docs = [json.loads(l) for l in sys.stdin.read().splitlines() if l.strip()] \
	if sys.argv[1] == "stream" else [json.load(sys.stdin)]
d = docs[0]
R = "\ufffd"
assert d["quote"] == "a\"b\\c/d", d["quote"]
assert d["ctl"] == "\b\f\n\r\t\x01\x1f\x7f", d["ctl"]
assert d["utf8"] == "\u00e9\u20ac\U0001F600", d["utf8"]
assert d["bad"] == R * 8, d["bad"]
assert d["nul"] == "a\x00b", d["nul"]
assert d["comm"] == "kworker/0:1" + R + "\x1b[0m", d["comm"]
assert d["nested"]["deeper"]["list"] == [{"pid": 1, "kernel": False}, [], None]
assert d["nested"]["empty"] == {}
assert d["u64_max"] == 2**64 - 1 and d["s64_min"] == -2**63
assert d["yes"] is True
if sys.argv[1] == "stream":
	assert len(docs) == 4 and docs[1] == 42 and docs[2] == "tail"
	assert docs[3] == d
'

echo "TAP version 13"
echo "1..7"
for mode in compact pretty; do
	"$drv" "$mode" | jq -e . >/dev/null
	result $? "jq parses $mode output"
	"$drv" "$mode" | python3 -c "$pycheck" "$mode"
	result $? "python3 decodes $mode output to the printed values"
done
"$drv" stream | jq -e -s 'length == 4' >/dev/null
result $? "jq parses a stream of documents"
"$drv" stream | python3 -c "$pycheck" stream
result $? "python3 decodes each document of a stream"
# compact output is one line per document, pretty is indented
[ "$("$drv" compact | wc -l)" = 1 ] && "$drv" pretty | grep -q '^  "quote": '
result $? "compact is one line, pretty is indented"
[ "$failed" = 0 ]
