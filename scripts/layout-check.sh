#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The module's arrows run one way (README, "Layout"):
#   hooks -> tables <- sampler -> detector -> events -> outputs
# Outputs read the tables, the snapshots and the rings and are never called
# back. A file calls another only through its header, so the graph of
# '#include "x.h"' lines in module/*.c is the graph of calls; this checks it
# against who may include each header, one TAP line a header. Headers not
# listed (the tables, rings and helpers: acct, cgroup, hist, leak, mem, oom,
# params, parse, exhaust, watermark, line, report, postmortem, profile,
# ptable, ustack, compat) may be
# included by anyone; the second half checks that they call nothing above
# them.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=scripts/tap-host.sh
. scripts/tap-host.sh

# header -> the only .c files that may include it (besides its own .c)
declare -A allowed=(
	[sampler.h]="main"
	[detect.h]="main sampler"
	[oomkill.h]="main hooks sampler"
	[events.h]="main sampler detect oomkill netlink debugfs klog"
	[netlink.h]="main events"
	[klog.h]="main events netlink debugfs report"
	[debugfs.h]="main"
	[hooks.h]="main netlink debugfs"
)
# the tables and helpers: what they may include of the module's headers
lower="acct cgroup hist leak mem oom params parse exhaust watermark line report postmortem profile ptable ustack compat"

includes() {	# FILE.c -> the module headers it includes, one a line
	sed -n 's/^#include "\([a-z0-9_]*\)\.h"$/\1/p' "$1"
}

headers=$(printf '%s\n' "${!allowed[@]}" | sort)
echo "1..$(($(wc -l <<<"$headers") + $(wc -w <<<"$lower")))"
for h in $headers; do
	base=${h%.h} bad=""
	for c in module/*.c; do
		f=$(basename "$c" .c)
		[ "$f" = "$base" ] && continue
		includes "$c" | grep -qx "$base" || continue
		grep -qw "$f" <<<"${allowed[$h]}" || bad="$bad $f.c"
	done
	result "$([ -z "$bad" ]; echo $?)" "layout: $h included only by ${allowed[$h]// /, }${bad:+ (also by$bad)}"
done
for f in $lower; do
	c=module/$f.c bad=""
	[ -f "$c" ] || c=module/$f.h
	for i in $(includes "$c"); do
		grep -qw "$i" <<<"$lower" || bad="$bad $i.h"
	done
	result "$([ -z "$bad" ]; echo $?)" "layout: $f calls nothing above the tables${bad:+ (includes$bad)}"
done
[ "$failed" = 0 ]
