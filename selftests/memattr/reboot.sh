#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The reboot test (issue 12): what memattr knew survives a reboot in
# pstore, and `memattr last-boot` reads it back. Runs at every boot of a
# reboot-mode guest (init, memattr.mode=reboot; scripts/lane.sh --reboot),
# QEMU without -no-reboot: a guest reset keeps its RAM, and with it the
# ramoops region (memattr.ramoops=ADDR on the kernel command line).
#
# Three cases, one boot each, then one boot that checks them:
#   1. a leaker is flagged LEAK; in its cgroup an OOM kill (the victim: a
#      hog), then panic_on_oom=2 and the leaker's next OOM: a panic;
#   2. a leaker is flagged LEAK, then sysrq-c: a panic;
#   3. a leaker is flagged LEAK, then `reboot -f` (a software watchdog's
#      reboot): ramoops max_reason=4 (KMSG_DUMP_SHUTDOWN) dumps the log.
# Before its crash a case logs "memattr-reboot: case=N leaker=PID hog=PID"
# to /dev/kmsg. The next boot finds that line in pstore, checks the case with
# `memattr last-boot -j`, empties pstore and starts the next case; with no
# record it starts case 1; after case 3 it returns (init powers off).
#
# The checks, each a TAP line: the leaker's LEAK event (an event line of
# the kernel log) with its rate within 15 % of the true one; for the panics,
# a complete post-mortem report whose fastest grower is the leaker, flagged
# leak, its rate within 15 % of the true one; for the OOM case the victim in
# the oom_kill event line and in the report. The true rate is what pm_leaker
# logged it did over the 20 s window before the event (before the marker,
# for the report): a starved TCG guest leaks slower than asked. Without the
# event lines, the report or the parser, a check fails.
#
# A crash announces itself on the console (MEMATTR-EXPECT-CRASH) so that
# parse-log.py --reboot does not take its panic for a kernel warning. It
# goes to the console and to the kernel log: a line still in the console
# tty's buffer is lost when the kernel stops, and the kernel log's backlog
# may come out after the panic's first line (parse-log.py allows that).

here=$(dirname "$0")
ko=/lib/modules/memattr/memattr.ko
mods=/lib/modules/pstore
pstore=/sys/fs/pstore

expect_crash() {
	echo MEMATTR-EXPECT-CRASH
	echo MEMATTR-EXPECT-CRASH >/dev/kmsg
	sleep 1
}
cg=/sys/fs/cgroup/pm
# The rate asked for: 2 MiB/s.
rate_kib_s=2048
n=0
rc=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

notok() {
	n=$((n + 1))
	echo "not ok $n - $*"
	rc=1
}

# check DESC CMD...: one result, from CMD's exit status.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}

# kv KEY TEXT: the value of the first word KEY=VALUE of TEXT.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

arg() {
	kv "$1" "$(cat /proc/cmdline)"
}

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

# ---- pstore ---------------------------------------------------------------
addr=$(arg memattr.ramoops)
if [ -z "$addr" ]; then
	notok "memattr.ramoops=ADDR is on the kernel command line"
	exit 1
fi
insmod $mods/reed_solomon.ko 2>/dev/null
# record_size 64 KiB, 16 records; max_reason 4: panic, oops, emergency
# and shutdown (reboot) dumps.
if ! insmod $mods/ramoops.ko mem_address="$addr" mem_size=0x100000 \
	record_size=0x10000 max_reason=4; then
	notok "ramoops loads on $addr"
	exit 1
fi
mkdir -p $pstore
if ! mount -t pstore pstore $pstore; then
	notok "pstore mounts"
	exit 1
fi

# The case the previous boot ran: its marker in the records, if any.
marker=$(cat $pstore/dmesg-* 2>/dev/null | grep -o 'memattr-reboot: case=[0-9].*' | tail -n 1)
field() {
	kv "$1" "$marker"
}
prev=$(field case)
echo "# boot at uptime $(uptime_s) s; pstore: $(ls $pstore | tr '\n' ' ')"

# ---- the checks of the previous boot's case ---------------------------------
# within15 VALUE TRUE: VALUE is within 15 % of TRUE.
# shellcheck disable=SC2317 # called through check
within15() {
	[ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt 0 ] &&
		[ "$1" -ge $(($2 * 85 / 100)) ] && [ "$1" -le $(($2 * 115 / 100)) ]
}

check_case() {
	c=$1
	leaker=$(field leaker)
	hog=$(field hog)
	true_ev=$(field true_event_kbh)
	true_now=$(field true_kbh)
	if ! memattr -j last-boot >/tmp/lb.json 2>/tmp/lb.err; then
		notok "case $c: memattr -j last-boot succeeds"
		sed 's/^/# /' /tmp/lb.err
		return
	fi
	ok "case $c: memattr -j last-boot succeeds"
	# The LEAK event line, from the kernel log of the previous boot.
	r=$(jq -r --argjson p "$leaker" '[.events[] | select(.event == "leak"
		and .entity == "process" and .pid == $p)][0].growth_kb_per_hour // empty' /tmp/lb.json)
	echo "# case $c: leaker $leaker, LEAK event rate $r KiB/h, true $true_ev"
	check "case $c: the leaker's LEAK event, its rate within 15 %" within15 "$r" "$true_ev"
	if [ "$c" = 3 ]; then
		# A reboot runs no panic notifier: no report, the events only.
		n_rep=$(jq '.reports | length' /tmp/lb.json)
		check "case 3: a reboot leaves the events, no report" [ "$n_rep" = 0 ]
		return
	fi
	# The post-mortem report: the last one, complete, printed at the panic.
	jq '.reports[-1] // {}' /tmp/lb.json >/tmp/rep.json
	check "case $c: a complete post-mortem report" \
		[ "$(jq -r '.complete' /tmp/rep.json)" = true ]
	check "case $c: the report says panic" \
		[ "$(jq -r '.lines[0].reason' /tmp/rep.json)" = panic ]
	top=$(jq -r '[.lines[] | select(.report == "proc" and .by == "growth"
		and .rank == 1)][0] | "\(.pid) \(.leak) \(.growth_kb_per_hour)"' /tmp/rep.json)
	echo "# case $c: the report's fastest grower: pid leak rate = $top, true rate $true_now"
	# shellcheck disable=SC2086 # three words
	set -- $top
	check "case $c: the report's fastest grower is the leaker" [ "$1" = "$leaker" ]
	check "case $c: ... flagged leak" [ "$2" = leak ]
	check "case $c: ... its rate within 15 %" within15 "$3" "$true_now"
	if [ "$c" = 1 ]; then
		v=$(jq -r --argjson p "$hog" '[.events[] | select(.event == "oom_kill"
			and .pid == $p)] | length' /tmp/lb.json)
		check "case 1: the OOM victim's oom_kill event" [ "$v" -ge 1 ]
		v=$(jq -r '[.lines[] | select(.report == "oom")][0] |
			"\(.pid) \(.top1_pid)"' /tmp/rep.json)
		echo "# case 1: the report's OOM: victim, top grower = $v (hog $hog, leaker $leaker)"
		check "case 1: the report's OOM names the victim and the leaker" \
			[ "$v" = "$hog $leaker" ]
	fi
}

if [ -n "$prev" ]; then
	echo "# the previous boot ran case $prev: $marker"
	check_case "$prev"
	if [ "$rc" != 0 ]; then
		echo "# memattr's lines in pstore:"
		cat $pstore/* | grep 'memattr: \(event\|report\)=' | sed 's/^/# /' | tail -n 40
		echo "# memattr last-boot (text):"
		memattr last-boot 2>&1 | sed 's/^/# /' | tail -n 60
	fi
	rm -f $pstore/*
else
	ok "first boot: pstore holds no case yet"
fi
next=$((${prev:-0} + 1))
if [ "$next" -gt 3 ]; then
	exit "$rc"
fi

# ---- case $next ---------------------------------------------------------------
if ! insmod $ko sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000; then
	notok "case $next: memattr loads"
	exit 1
fi

# spawn CGROUP NAME HOLD_KIB KIB_PER_S [OOM_ADJ]: a pm_leaker in CGROUP
# (empty: stay), its log in /tmp/NAME.log; prints its pid.
spawn() {
	sh -c "[ -z '$1' ] || echo \$\$ >'$1/cgroup.procs'
		echo ${5:-0} >/proc/self/oom_score_adj
		exec $here/pm_leaker $2 $3 $4" >/tmp/$2.log &
	i=0
	while [ ! -s /tmp/$2.log ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	head -n 1 /tmp/$2.log
}

# true_kbh NAME [T_MS]: KiB/h that NAME leaked over the 20 s up to T_MS
# (CLOCK_MONOTONIC; default: its last beat), from its log.
true_kbh() {
	t=${2:-$(tail -n 1 "/tmp/$1.log" | cut -d' ' -f1)}
	awk -v t="$t" 'NR > 1 && $1 <= t {
			if (!h || $1 <= t - 20000) { t0 = $1; k0 = $2; h = 1 }
			t1 = $1; k1 = $2
		}
		END { if (t1 > t0) printf "%d\n", (k1 - k0) * 3600000 / (t1 - t0) }' "/tmp/$1.log"
}

# wait_line REGEX SECONDS: a kernel log line matching REGEX appears.
wait_line() {
	i=0
	while [ $i -lt $(($2 * 5)) ]; do
		dmesg | grep -q "$1" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

leak_line() {
	wait_line "memattr: event=leak time_ms=[0-9]* entity=process pid=$1 " "$2"
}

hog=0
cgroup=
if [ "$next" = 1 ]; then
	mkdir -p $cg
	cgroup=$cg
	echo 0 >$cg/memory.swap.max 2>/dev/null
	# The victim: 40 MiB, first in line (oom_score_adj 1000).
	hog=$(spawn $cg pm_hog 40960 0 1000)
fi
# Case 1: the OOM killer spares the leaker (oom_score_adj -1000): a memcg
# OOM between the hog's kill and panic_on_oom=2 (the hog's memory not yet
# uncharged) would otherwise take it, and the panic would never come.
adj=0
[ "$next" = 1 ] && adj=-1000
leaker=$(spawn "$cgroup" pm_leaker 0 $rate_kib_s $adj)
echo "# case $next: leaker $leaker, hog $hog, at uptime $(uptime_s) s"
if ! leak_line "$leaker" 120; then
	notok "case $next: the leaker is flagged LEAK within 120 s"
	dmesg | grep 'memattr:' | tail -n 20 | sed 's/^/# /'
	exit 1
fi
ok "case $next: the leaker is flagged LEAK (uptime $(uptime_s) s)"
if [ "$next" = 1 ]; then
	# The parameter refuses what is not 0 or 1; the report on demand.
	pr=/sys/module/memattr/parameters/panic_report
	check "panic_report refuses 2 and stays 1" \
		sh -c "! echo 2 >$pr 2>/dev/null && [ \"\$(cat $pr)\" = 1 ]"
	d=/sys/kernel/debug/memattr/report
	check "debugfs report: begin on_demand, the leaker growing fastest, end" \
		sh -c "grep -q '^memattr: report=begin reason=on_demand ' $d &&
			grep -q '^memattr: report=proc by=growth rank=1 pid=$leaker ' $d &&
			grep -q '^memattr: report=end lines=' $d"
	# -j is a global option; jq -e passes on empty input, so the file
	# must not be empty.
	check "memattr -j report: complete, the leaker growing fastest" \
		sh -c "memattr -j report >/tmp/report.json && [ -s /tmp/report.json ] &&
			jq -e '.complete and
			([.lines[] | select(.report == \"proc\" and .by == \"growth\")][0].pid == $leaker)' \
			/tmp/report.json >/dev/null"
fi
# One more second of samples in the snapshot a panic reads.
sleep 1
t_ev=$(dmesg | grep "memattr: event=leak time_ms=[0-9]* entity=process pid=$leaker " |
	head -n 1 | sed 's/.* time_ms=\([0-9]*\) .*/\1/')
true_ev=$(true_kbh pm_leaker "$t_ev")
true_now=$(true_kbh pm_leaker)
echo "memattr-reboot: case=$next leaker=$leaker hog=$hog true_event_kbh=$true_ev true_kbh=$true_now" >/dev/kmsg

case $next in
1)
	# The leaker fills its cgroup: the OOM killer takes the hog.
	echo $(($(cat $cg/memory.current) + 2097152)) >$cg/memory.max
	if ! wait_line "memattr: event=oom_kill time_ms=[0-9]* pid=$hog " 60; then
		notok "case 1: the hog is OOM-killed"
		exit 1
	fi
	ok "case 1: the hog is OOM-killed"
	# Its next OOM panics (2: even a cgroup's).
	echo 2 >/proc/sys/vm/panic_on_oom
	expect_crash
	echo $(($(cat $cg/memory.current) + 2097152)) >$cg/memory.max
	sleep 60
	notok "case 1: the leaker's OOM panics"
	;;
2)
	expect_crash
	echo c >/proc/sysrq-trigger
	sleep 5
	notok "case 2: sysrq-c panics"
	;;
3)
	sync
	reboot -f
	sleep 5
	notok "case 3: reboot -f reboots"
	;;
esac
exit 1
