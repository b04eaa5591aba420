#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz.sh FUZZ_BUILD_DIR GEN_SEEDS SECONDS: run each libFuzzer harness for
# SECONDS, starting from generated seeds and the corpus kept from earlier
# runs. Fails when a harness finds a crash, a leak or a timeout; the input
# is left as FUZZ_BUILD_DIR/crash-<name>-*.
set -uo pipefail

fb=$1
gen=$2
secs=$3
failed=0

mkdir -p "$fb/seeds-parse" "$fb/seeds-args" "$fb/corpus-parse" \
	"$fb/corpus-args"
"$gen" "$fb/seeds-parse" "$fb/seeds-args" || exit 1

for name in parse args; do
	t0=$SECONDS
	"$fb/fuzz_$name" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$fb/crash-$name-" \
		"$fb/corpus-$name" "$fb/seeds-$name" >"$fb/fuzz_$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$fb/fuzz_$name.log")
	if [ "$rc" != 0 ]; then
		tail -n 40 "$fb/fuzz_$name.log"
		echo "fuzz_$name: FAILED (exit $rc; log $fb/fuzz_$name.log)"
		failed=1
	else
		echo "fuzz_$name: ${runs:-?} runs in $((SECONDS - t0)) s, no crash"
	fi
done
exit $failed
