#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# json_check.sh JSON_DRIVER [TEST_QUERY]: the printer's JSON, compact,
# pretty and as a stream of documents, must parse with jq and python3 and
# decode to the strings that were printed. With TEST_QUERY, each query
# command's JSON (from canned replies, "test_query json WHAT") must parse
# and have the contract's fields and types. Prints TAP.
set -uo pipefail

drv=$1
model=${2:-}

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

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

# WHAT jq-filter: the contract of each query command's JSON
contracts=(
	ps '(type == "array") and length == 3 and all(.[];
		(.pid | type == "number") and (.comm | type == "string") and
		(.cgroup | type == "string") and
		([.rss_kb, .anon_kb, .file_kb, .shmem_kb, .swap_kb, .peak_rss_kb,
		  .vm_kb, .pgtables_kb, .page_allocs, .page_frees, .mmap_calls,
		  .munmap_calls, .brk_calls, .mapped_kb, .growth_kb_per_hour] |
		 all(type == "number")) and
		(.leak | IN("ok", "suspect", "leak"))) and
		.[1].comm == "we\"ird\u001b\ufffd"'
	show '(type == "object") and .pid == 4242 and .leak == "leak" and
		.exhaust_s == 7200 and
		(.history | type == "array" and length == 5 and
		 all(type == "array" and length == 2 and
		     all(type == "number")))'
	cgroups 'length == 2 and all(.[]; ([.id, .nr_procs, .usage_kb, .anon_kb,
		.file_kb, .shmem_kb, .kernel_kb, .growth_kb_per_hour] |
		all(type == "number")) and (.path | type == "string") and
		(.leak | IN("ok", "suspect", "leak")) and has("limit_kb") and
		has("exhaust_s")) and .[0].limit_kb == null and
		.[0].exhaust_s == null and .[1].limit_kb == 65536 and
		.[1].exhaust_s == 3600'
	leaks 'length == 2 and .[0].kind == "process" and .[0].pid == 7 and
		.[0].comm == "leaky" and .[1].kind == "cgroup" and
		.[1].path == "/c" and all(.[]; (.growth_kb_per_hour |
		type == "number") and .state == "leak" and .since_s == 19) and
		.[0].exhaust_s == 7200 and .[1].exhaust_s == null'
	system '([.mem_total_kb, .mem_available_kb, .used_pct,
		.growth_kb_per_hour, .exhaust_s, .watermark_level] |
		all(type == "number")) and .used_pct == 60'
	oom 'length == 1 and (.[0] | .pid == 66 and .comm == "hog" and
		.cgroup == "/oom" and .rss_kb == 65000 and
		(.time_ms | type == "number") and (.history | length == 4) and
		(.top_growers | length == 3 and all(.[]; (.pid | type ==
		"number") and (.comm | type == "string") and
		(.growth_kb_per_hour | type == "number") and
		(.rss_kb | type == "number"))))'
	config '.sample_ms == 1000 and .max_procs == 4096 and
		.leak_window_s == 3600 and .leak_min_kb_per_hour == 4096 and
		.watermarks == "85,92,97"'
	stats '.tracked_procs == 12 and (.hooks | length == 4) and
		.hooks[0].target == null and .hooks[1].target == "do_mmap"'
)

echo "TAP version 13"
if [ -n "$model" ]; then
	echo "1..$((7 + ${#contracts[@]} / 2))"
else
	echo "1..7"
fi
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
if [ -n "$model" ]; then
	for ((i = 0; i < ${#contracts[@]}; i += 2)); do
		what=${contracts[i]}
		out=$("$model" json "$what") &&
			jq -e "${contracts[i + 1]}" <<<"$out" >/dev/null &&
			python3 -c 'import json, sys; json.loads(sys.stdin.read())' \
				<<<"$out"
		rc=$?
		[ "$rc" = 0 ] || printf '# %s\n' "$out"
		result $rc "memattr -j $what: the JSON contract"
	done
fi
[ "$failed" = 0 ]
