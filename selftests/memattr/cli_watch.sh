#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# memattr watch and memattr export against the live module, in accelerated
# time (sample_ms=100, leak_window_s=20, leak_min_kb_per_hour=36000, as
# detect.c): a 1 MiB/s leaker in its own cgroup raises a leak event, which
# watch prints as JSON and hands to --exec in the environment; watermarks
# set below and above the use raise watermark events up and down; an
# unprivileged watch is refused; SIGTERM and -t end it with status 0,
# unloading the module with status 1.
# export --prometheus is printed between MEMATTR-PROM-BEGIN and
# MEMATTR-PROM-END for the host's promtool (scripts/check.sh), and its
# values are checked against /proc and cgroupfs here.

. "$(dirname "$0")/tap.sh"

here=$(dirname "$0")
cg=/sys/fs/cgroup/mt_cli_watch
tmp=/tmp/cli_watch
rate_kbh=3686400	# 1 MiB/s in KiB per hour

tap_plan 27

rm -rf "$tmp"
mkdir -p "$tmp"
memattr_load sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000
rmdir "$cg" 2>/dev/null
mkdir "$cg"

# ---- unprivileged: refused, exit 1, saying why ----
su -s /bin/sh nobody -c 'memattr watch -t 2' >"$tmp/np.out" 2>"$tmp/np.err"
tap_is "unprivileged watch exits 1" "$?" 1
tap_ok "unprivileged watch names CAP_NET_ADMIN" grep -q CAP_NET_ADMIN "$tmp/np.err"

# ---- a watermark crossed up: the line leaves through a pipe at once ----
mkfifo "$tmp/fifo"
memattr -j watch -t 20 >"$tmp/fifo" 2>"$tmp/wm.err" &
watch=$!
head -n 1 <"$tmp/fifo" >"$tmp/wm.json" &
reader=$!
sleep 1
echo 1 >/sys/module/memattr/parameters/watermarks
i=0
while [ ! -s "$tmp/wm.json" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
tap_ok "the event line came through a pipe while watch still ran" \
	test -s "$tmp/wm.json" -a "$i" -lt 50 -a -d "/proc/$watch"
kill -TERM "$watch"
wait "$watch"
wait "$reader"
ev=$(cat "$tmp/wm.json")
tap_diag "watermark event: $ev"
tap_is "watermark event: level 1 (1 %) crossed up" \
	"$(echo "$ev" | jq -c '[.event, .level, .level_pct, .direction]')" \
	'["watermark",1,1,"up"]'
total=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
tap_near "used_pct is /proc/meminfo's" "$(echo "$ev" | jq -r .used_pct)" \
	$(((total - avail) * 100 / total)) 0 3

# ---- and down, in text, with a failing --exec ----
memattr watch -n 1 -t 20 --exec 'exit 3' >"$tmp/down.txt" 2>"$tmp/down.err" &
watch=$!
sleep 1
echo 99 >/sys/module/memattr/parameters/watermarks
wait "$watch"
rc=$?
tap_diag "text: $(cat "$tmp/down.txt")"
tap_ok "text line: watermark 99 % crossed down" \
	grep -q '^event=watermark time=.* level=1 level_pct=99 direction=down used_pct=[0-9]*$' \
	"$tmp/down.txt"
tap_ok "a failing --exec is reported, watch exits 0" \
	test "$rc" = 0 -a "$(cat "$tmp/down.err")" = \
	"memattr: watch: --exec command exited with status 3"

# ---- SIGTERM and -t end it cleanly ----
memattr watch -t 60 >/dev/null 2>&1 &
watch=$!
sleep 1
kill -TERM "$watch"
wait "$watch"
tap_is "SIGTERM: exit 0" "$?" 0
t0=$(date +%s)
memattr watch -t 1 >"$tmp/t.out" 2>&1
rc=$?
[ -s "$tmp/t.out" ] && tap_diag "-t 1 printed: $(cat "$tmp/t.out")"
tap_ok "-t 1: exit 0 within 3 s" \
	test "$rc" = 0 -a $(($(date +%s) - t0)) -le 3

# ---- a leak: JSON lines, --exec environment ----
# The leaker's process and its cgroup leak, and so does every cgroup above
# it (the root): watch until both of the leaker's events have come.
memattr -j watch -t 90 --exec "env | grep ^MEMATTR_ > $tmp/ev.\$\$" \
	>"$tmp/leak.json" 2>"$tmp/leak.err" &
watch=$!
sleep 1
# the leaker joins the cgroup before it starts leaking
sh -c "echo \$\$ > $cg/cgroup.procs && exec $here/mt_leaker 1024 80" \
	>"$tmp/leaker.pid" &
leaker=$!
t0=$(date +%s)
sel_proc="select(.event == \"leak\" and .kind == \"process\" and .pid == $leaker)"
sel_cg='select(.event == "leak" and .kind == "cgroup" and .cgroup == "/mt_cli_watch")'
i=0
while [ "$i" -lt 120 ]; do
	if [ -n "$(jq -c "$sel_proc" "$tmp/leak.json" 2>/dev/null)" ] &&
	   [ -n "$(jq -c "$sel_cg" "$tmp/leak.json" 2>/dev/null)" ]; then
		break
	fi
	sleep 0.5
	i=$((i + 1))
done
tap_diag "leak events after $(($(date +%s) - t0)) s"
sleep 0.5	# the last --exec
kill -TERM "$watch"
wait "$watch"
tap_is "watch exits 0 on SIGTERM after the leak events" "$?" 0
while read -r line; do tap_diag "$line"; done <"$tmp/leak.json"
[ -s "$tmp/leak.err" ] && tap_diag "stderr: $(cat "$tmp/leak.err")"
ev=$(jq -c "$sel_proc" "$tmp/leak.json" | head -n 1)
tap_is "a leak event names the leaker (pid $leaker) and its cgroup" \
	"$(echo "$ev" | jq -r '.cgroup + " " + .comm')" "/mt_cli_watch mt_leaker"
tap_near "its growth_kb_per_hour is 1 MiB/s" \
	"$(echo "$ev" | jq -r .growth_kb_per_hour)" "$rate_kbh" 30
ev=$(jq -c "$sel_cg" "$tmp/leak.json" | head -n 1)
tap_ok "a leak event names the leaker's cgroup" test -n "$ev"
envf=$(grep -lx "MEMATTR_PID=$leaker" "$tmp"/ev.* 2>/dev/null | head -n 1)
tap_diag "--exec environment: $(cat "$envf" 2>/dev/null | tr '\n' ' ')"
tap_ok "--exec saw MEMATTR_EVENT=leak, MEMATTR_PID and MEMATTR_CGROUP" \
	sh -c "grep -qx MEMATTR_EVENT=leak '$envf' &&
	       grep -qx MEMATTR_CGROUP=/mt_cli_watch '$envf' &&
	       grep -qx MEMATTR_KIND=process '$envf'"
# ---- export --prometheus while the leaker runs ----
memattr export --prometheus >"$tmp/prom" 2>"$tmp/prom.err"
rc=$?
vmrss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$leaker/status")
cgcur=$(cat "$cg/memory.current")
# for the host's promtool (scripts/check.sh): the arm64 guest cannot run it
echo "MEMATTR-PROM-BEGIN"
cat "$tmp/prom"
echo "MEMATTR-PROM-END"
[ -s "$tmp/prom.err" ] && tap_diag "stderr: $(cat "$tmp/prom.err")"
tap_is "export --prometheus exits 0" "$rc" 0
# sample VALUE of the series NAME{LABELS}
sample() {
	grep -F "$1 " "$tmp/prom" | sed -n 's/^.* \([-0-9.e+]*\)$/\1/p' | head -n 1
}
tap_is "the leaker's memattr_process_info carries its comm and cgroup" \
	"$(sample "memattr_process_info{pid=\"$leaker\",comm=\"mt_leaker\",cgroup=\"/mt_cli_watch\"}")" 1
lbl="{pid=\"$leaker\"}"
rss=$(sample "memattr_process_rss_bytes$lbl")
tap_near "the leaker's memattr_process_rss_bytes is its VmRSS" \
	"$((${rss:-0} / 1024))" "$vmrss" 5 1024
tap_is "the leaker's memattr_process_leak_state is 2 (leak)" \
	"$(sample "memattr_process_leak_state$lbl")" 2
use=$(sample 'memattr_cgroup_usage_bytes{cgroup="/mt_cli_watch"}')
tap_near "its cgroup's memattr_cgroup_usage_bytes is memory.current" \
	"$((${use:-0} / 1024))" "$((cgcur / 1024))" 5 1024
tap_is "memattr_up is 1" "$(sample memattr_up)" 1
tap_is "memattr_watermark_levels is the number of watermarks" \
	"$(sample memattr_watermark_levels)" \
	"$(tr ',' '\n' </sys/module/memattr/parameters/watermarks | grep -c .)"
# -o: written whole, by rename, nothing left behind; failing, nothing either
mkdir "$tmp/out"
memattr export --prometheus -o "$tmp/out/memattr.prom"
rc=$?
tap_ok "export -o FILE: exit 0, FILE written, no temporary file left" \
	test "$rc" = 0 -a "$(ls "$tmp/out")" = memattr.prom -a \
	"$(grep -c '^memattr_up 1$' "$tmp/out/memattr.prom")" = 1
mkdir "$tmp/out/dir.prom"
memattr export --prometheus -o "$tmp/out/dir.prom" 2>"$tmp/o.err"
rc=$?
tap_diag "export -o DIRECTORY: $(cat "$tmp/o.err")"
tap_ok "export -o onto a directory: exit 1, no temporary file left" \
	test "$rc" = 1 -a "$(ls "$tmp/out" | tr '\n' ' ')" = "dir.prom memattr.prom "
kill "$leaker" 2>/dev/null
wait "$leaker" 2>/dev/null

rmdir "$cg"

# ---- an OOM kill: one event with the victim and the top growers ----
cgo=/sys/fs/cgroup/mt_cli_watch_oom
rmdir "$cgo" 2>/dev/null
mkdir "$cgo" && echo 32M >"$cgo/memory.max"
memattr -j watch -t 30 --exec "env | grep ^MEMATTR_ >> $tmp/oom.env" \
	>"$tmp/oom.json" 2>"$tmp/oom.err" &
watch=$!
sleep 1
# straight into its cgroup and growing: the report reads the cgroup at the
# kill, not at the last sample
sh -c "echo \$\$ > $cgo/cgroup.procs && exec $here/cli_hog oom 64 $tmp/oom.ready" &
hog=$!
wait "$hog"
tap_is "oom: the 64 MiB hog in a 32 MiB cgroup was killed (SIGKILL)" "$?" 137
# watch prints the event, then runs --exec: wait for what CMD wrote
i=0
while ! grep -q '^MEMATTR_EVENT=oom_kill$' "$tmp/oom.env" 2>/dev/null &&
      [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM "$watch"
wait "$watch"
tap_diag "oom event: $(grep '"oom_kill"' "$tmp/oom.json")"
tap_ok "oom_kill event: the victim (pid, cgroup, rss_kb) and top growers" \
	jq -e -s --argjson p "$hog" 'any(.[]; .event == "oom_kill" and
		.victim.pid == $p and .victim.cgroup == "/mt_cli_watch_oom" and
		(.victim.rss_kb | type == "number") and
		(.top_growers | type == "array"))' "$tmp/oom.json"
tap_ok "--exec on oom_kill: MEMATTR_EVENT=oom_kill, MEMATTR_PID is the victim" \
	sh -c "grep -qx MEMATTR_EVENT=oom_kill '$tmp/oom.env' &&
	       grep -qx MEMATTR_PID=$hog '$tmp/oom.env'"
rmdir "$cgo"

# ---- the module going away ends watch, exit 1 ----
memattr watch -t 60 >/dev/null 2>"$tmp/unload.err" &
watch=$!
sleep 1
t0=$(date +%s)
memattr_unload
wait "$watch"
rc=$?
tap_diag "watch after rmmod: exit $rc, $(cat "$tmp/unload.err")"
tap_ok "rmmod ends watch within 5 s: exit 1, saying so" \
	test "$rc" = 1 -a $(($(date +%s) - t0)) -le 5 -a \
	"$(cat "$tmp/unload.err")" = "memattr: watch: the memattr module was unloaded"
tap_done
