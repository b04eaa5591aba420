# SPDX-License-Identifier: GPL-2.0-only
#
# The CLI's query commands against the live module (busybox sh): ps, show,
# top, cgroups, leaks, system, oom, config and stats, their JSON checked
# with jq against /proc/<pid>/status, /proc/meminfo, cgroupfs and
# /sys/module/memattr/parameters, their exit codes and messages.
# Accelerated detection: sample_ms=100 leak_window_s=20.

. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")" && pwd)
hog=$here/cli_hog
cg=/sys/fs/cgroup
params=/sys/module/memattr/parameters
tmp=$(mktemp -d)
pids=

tap_plan 84

cleanup() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for d in "$cg/cliq_shm" "$cg/cliq_oom"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# status PID FIELD: a /proc/PID/status value in kB
status() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# meminfo FIELD
meminfo() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# memstat CGROUP KEY: a memory.stat value in KiB
memstat() {
	awk -v k="$2" '$1 == k { print int($2 / 1024) }' "$cg/$1/memory.stat"
}

# wait_file PATH: up to 10 s
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# spawn [CGROUP] MODE N: start a hog (in CGROUP), wait until it is ready;
# its pid in $spawned
n_spawn=0
spawn() {
	n_spawn=$((n_spawn + 1))
	ready=$tmp/ready.$n_spawn
	if [ $# = 3 ]; then
		sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec $hog $2 $3 $ready" &
	else
		"$hog" "$1" "$2" "$ready" &
	fi
	spawned=$!
	pids="$pids $spawned"
	wait_file "$ready" || tap_diag "hog $* not ready"
}

# run ARGS...: memattr with stdout in $out, stderr in $err, exit in $rc
run() {
	memattr "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# jqv FILTER: a value from $out
jqv() {
	printf '%s\n' "$out" | jq -r "$1"
}

# jqok FILTER: whether $out satisfies it
jqok() {
	printf '%s\n' "$out" | jq -e "$1" >/dev/null 2>&1
}

memattr_load sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000 ||
	{ tap_diag "insmod failed"; exit 1; }

# ---- a 32 MiB anonymous hog, a 16 MiB shmem hog in a cgroup of its own ----

rmdir "$cg/cliq_shm" 2>/dev/null
mkdir "$cg/cliq_shm" && echo 268435456 >"$cg/cliq_shm/memory.max"
spawn anon 32
anon=$spawned
spawn cliq_shm shm 16
shm=$spawned
sleep 1		# a few samples

run -j show "$anon"
tap_is "show PID: exit 0" "$rc" 0
tap_ok "show PID: JSON object of that pid" jqok ".pid == $anon and .comm == \"cli_hog\""
tap_near "show: rss_kb ~ VmRSS" "$(jqv .rss_kb)" "$(status "$anon" VmRSS)" 3 256
tap_near "show: anon_kb ~ RssAnon" "$(jqv .anon_kb)" "$(status "$anon" RssAnon)" 3 256
tap_near "show: anon_kb ~ 32 MiB" "$(jqv .anon_kb)" 32768 5
tap_near "show: vm_kb ~ VmSize" "$(jqv .vm_kb)" "$(status "$anon" VmSize)" 1 64
tap_near "show: peak_rss_kb ~ VmHWM" "$(jqv .peak_rss_kb)" "$(status "$anon" VmHWM)" 3 256
tap_near "show: pgtables_kb ~ VmPTE" "$(jqv .pgtables_kb)" "$(status "$anon" VmPTE)" 50 16
tap_ok "show: history is [[t_ms, kb], ...], non-empty" \
	jqok '(.history | length > 0) and all(.history[]; length == 2 and (.[0] | type == "number") and (.[1] | type == "number"))'
tap_ok "show: every contract field" \
	jqok 'has("pid") and has("comm") and has("cgroup") and has("rss_kb") and has("anon_kb") and has("file_kb") and has("shmem_kb") and has("swap_kb") and has("peak_rss_kb") and has("vm_kb") and has("pgtables_kb") and has("page_allocs") and has("page_frees") and has("mmap_calls") and has("munmap_calls") and has("brk_calls") and has("mapped_kb") and has("growth_kb_per_hour") and (.leak | IN("ok", "suspect", "leak"))'

run show "$anon"
tap_ok "show PID (text): fields and a sparkline" \
	sh -c 'printf "%s\n" "$1" | grep -q "^history_span " && printf "%s\n" "$1" | grep -q "rss_kb"' _ "$out"
tap_ok "show (text): no escape bytes on a non-tty" \
	sh -c '! printf "%s" "$1" | grep -q "$(printf "\033")"' _ "$out"

run -j show "$shm"
tap_near "show shm hog: shmem_kb ~ RssShmem" "$(jqv .shmem_kb)" "$(status "$shm" RssShmem)" 3 256
tap_near "show shm hog: shmem_kb ~ 16 MiB" "$(jqv .shmem_kb)" 16384 5
tap_is "show shm hog: its cgroup" "$(jqv .cgroup)" /cliq_shm

run show 4194303
tap_is "show unknown PID: exit 1" "$rc" 1
tap_ok "show unknown PID: the kernel's extack as 'Error: ...' and a clear message" \
	sh -c 'printf "%s\n" "$1" | grep -q "^Error: .*\.$" && printf "%s\n" "$1" | grep -q "not tracked"' _ "$err"
run show 0
tap_is "show 0: usage error, exit 2" "$rc" 2
run show
tap_is "show without PID: exit 2" "$rc" 2

# ---- ps ----

run -j ps
tap_is "ps: exit 0" "$rc" 0
tap_ok "ps: an array with both hogs" \
	jqok "type == \"array\" and any(.[]; .pid == $anon) and any(.[]; .pid == $shm)"
tap_near "ps: the anon hog's rss_kb ~ VmRSS" \
	"$(jqv ".[] | select(.pid == $anon) | .rss_kb")" "$(status "$anon" VmRSS)" 3 256
tap_near "ps: the shm hog's shmem_kb ~ RssShmem" \
	"$(jqv ".[] | select(.pid == $shm) | .shmem_kb")" "$(status "$shm" RssShmem)" 3 256
tap_ok "ps: sorted by rss_kb, descending" \
	jqok '[.[].rss_kb] as $r | $r == ($r | sort | reverse)'
tap_ok "ps: every element has the contract's fields" \
	jqok 'all(.[]; has("pid") and has("comm") and has("rss_kb") and has("mapped_kb") and has("growth_kb_per_hour") and (.leak | IN("ok", "suspect", "leak")))'
run -j ps -s anon -n 3
tap_ok "ps -s anon -n 3: three, by anon_kb descending" \
	jqok 'length == 3 and ([.[].anon_kb] as $a | $a == ($a | sort | reverse))'
tap_is "ps -s anon -n 3: the anon hog first" "$(jqv '.[0].pid')" "$anon"
run ps -n 2
tap_ok "ps (text): a header with units, two rows" \
	sh -c 'printf "%s\n" "$1" | head -n1 | grep -q "PID.*COMM.*RSS_KB" && [ "$(printf "%s\n" "$1" | wc -l)" = 3 ]' _ "$out"
run ps -s bogus
tap_is "ps -s bogus: exit 2" "$rc" 2
tap_ok "ps -s bogus: a one-line hint" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" = 1 ]' _ "$err"
run ps -n 0
tap_is "ps -n 0: exit 2" "$rc" 2
out=$(su -s /bin/sh nobody -c "memattr -j ps" 2>/dev/null)
tap_ok "ps as nobody: root's processes hidden" jqok "type == \"array\" and all(.[]; .pid != $anon)"

# ---- cgroups ----

run -j cgroups
tap_is "cgroups: exit 0" "$rc" 0
usage=$(($(cat "$cg/cliq_shm/memory.current") / 1024))
tap_near "cgroups: /cliq_shm usage_kb ~ memory.current" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .usage_kb')" "$usage" 5 512
tap_near "cgroups: /cliq_shm shmem_kb ~ memory.stat shmem" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .shmem_kb')" "$(memstat cliq_shm shmem)" 5 256
tap_near "cgroups: /cliq_shm anon_kb ~ memory.stat anon" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .anon_kb')" "$(memstat cliq_shm anon)" 10 512
tap_is "cgroups: /cliq_shm limit_kb is memory.max" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .limit_kb')" 262144
tap_is "cgroups: /cliq_shm nr_procs" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .nr_procs')" 1
echo max >"$cg/cliq_shm/memory.max"
sleep 0.5
run -j cgroups
tap_is "cgroups: memory.max 'max' gives limit_kb null" \
	"$(jqv '.[] | select(.path == "/cliq_shm") | .limit_kb')" null
tap_ok "cgroups: every element has the contract's fields" \
	jqok 'all(.[]; has("id") and has("path") and has("nr_procs") and has("usage_kb") and has("anon_kb") and has("file_kb") and has("shmem_kb") and has("kernel_kb") and has("limit_kb") and has("growth_kb_per_hour") and has("exhaust_s") and (.leak | IN("ok", "suspect", "leak")))'
run cgroups
tap_ok "cgroups (text): a table with /cliq_shm" \
	sh -c 'printf "%s\n" "$1" | head -n1 | grep -q "PATH.*USAGE_KB" && printf "%s\n" "$1" | grep -q "^/cliq_shm "' _ "$out"

# ---- system ----

run -j system
tap_is "system: exit 0" "$rc" 0
total=$(meminfo MemTotal)
tap_near "system: mem_total_kb ~ MemTotal" "$(jqv .mem_total_kb)" "$total" 1
tap_near "system: mem_available_kb ~ MemAvailable" "$(jqv .mem_available_kb)" "$(meminfo MemAvailable)" 5 2048
avail=$(meminfo MemAvailable)
tap_near "system: used_pct ~ (MemTotal - MemAvailable) / MemTotal" \
	"$(jqv .used_pct)" $(( (total - avail) * 100 / total )) 0 3
tap_ok "system: the contract's fields" \
	jqok '(.growth_kb_per_hour | type == "number") and has("exhaust_s") and (.watermark_level | type == "number")'

# ---- stats ----

run -j stats
tap_ok "stats: counters and hooks" \
	jqok '.tracked_procs > 0 and .sample_ms == 100 and (.hooks | length > 0) and all(.hooks[]; has("name") and has("hits"))'

# ---- leaks: a 1 MiB/s leaker becomes "leak" ----

spawn leak 1024
leaker=$spawned
found=
t=0
while [ $t -lt 45 ]; do
	run -j leaks
	if jqok "any(.[]; .kind == \"process\" and .pid == $leaker and .state == \"leak\")"; then
		found=1
		break
	fi
	sleep 2
	t=$((t + 2))
done
tap_ok "leaks: the 1 MiB/s leaker is a leak within 45 s (after ${t}s)" [ -n "$found" ]
tap_ok "leaks: its growth_kb_per_hour > leak_min_kb_per_hour, since_s a number" \
	jqok ".[] | select(.pid == $leaker) | .growth_kb_per_hour > 36000 and (.since_s | type == \"number\") and .comm == \"cli_hog\""
tap_ok "leaks: every element has the contract's fields" \
	jqok 'all(.[]; (.kind | IN("process", "cgroup")) and has("growth_kb_per_hour") and (.state | IN("suspect", "leak")) and has("since_s") and (if .kind == "process" then has("pid") and has("comm") else has("path") end))'
run -j show "$leaker"
tap_is "show leaker: leak state" "$(jqv .leak)" leak
run leaks
tap_ok "leaks (text): a table naming the leaker" \
	sh -c 'printf "%s\n" "$1" | grep -q "KIND.*STATE" && printf "%s\n" "$1" | grep -q "$2"' _ "$out" "$leaker"
kill -9 "$leaker"

# ---- oom: a 64 MiB hog in a 32 MiB cgroup ----

rmdir "$cg/cliq_oom" 2>/dev/null
mkdir "$cg/cliq_oom" && echo 32M >"$cg/cliq_oom/memory.max"
sh -c "echo \$\$ > $cg/cliq_oom/cgroup.procs && exec $hog oom 64 $tmp/oom.ready" &
victim=$!
wait "$victim"
tap_is "oom: the hog was killed (SIGKILL)" $? 137
sleep 0.5
run -j oom
tap_is "oom: exit 0" "$rc" 0
tap_ok "oom: the victim, its cgroup, history and top growers" \
	jqok "any(.[]; .pid == $victim and .cgroup == \"/cliq_oom\" and (.history | type == \"array\") and (.top_growers | type == \"array\") and (.time_ms | type == \"number\") and (.rss_kb | type == \"number\"))"
run oom
tap_ok "oom (text): names the victim" sh -c 'printf "%s\n" "$1" | grep -q "^pid  *$2$"' _ "$out" "$victim"
su -s /bin/sh nobody -c "memattr oom" >"$tmp/out" 2>"$tmp/err"
rc=$?
tap_is "oom as nobody: exit 1" "$rc" 1
tap_ok "oom as nobody: says CAP_NET_ADMIN" grep -q CAP_NET_ADMIN "$tmp/err"

# ---- config ----

run -j config
tap_is "config: sample_ms is the parameter's" "$(jqv .sample_ms)" "$(cat $params/sample_ms)"
tap_is "config: watermarks is the parameter's" "$(jqv .watermarks)" "$(cat $params/watermarks)"
tap_ok "config: every key" jqok 'has("max_procs") and has("leak_window_s") and has("leak_min_kb_per_hour")'
run -j config sample_ms=250 watermarks=80,90
tap_is "config set: exit 0" "$rc" 0
tap_is "config set: sample_ms in /sys" "$(cat $params/sample_ms)" 250
tap_is "config set: watermarks in /sys" "$(cat $params/watermarks)" 80,90
tap_is "config set: prints the new settings" "$(jqv .sample_ms)" 250
run config sample_ms=5
tap_is "config sample_ms=5: exit 2" "$rc" 2
tap_is "config sample_ms=5: the old value kept" "$(cat $params/sample_ms)" 250
run config bogus=1
tap_is "config bogus=1: exit 2" "$rc" 2
su -s /bin/sh nobody -c "memattr config sample_ms=500" >"$tmp/out" 2>"$tmp/err"
rc=$?
tap_is "config set as nobody: exit 1" "$rc" 1
tap_ok "config set as nobody: says CAP_NET_ADMIN" grep -q CAP_NET_ADMIN "$tmp/err"
tap_is "config set as nobody: nothing changed" "$(cat $params/sample_ms)" 250
memattr config sample_ms=100 watermarks=85,92,97 >/dev/null

# ---- top, on a pipe: plain frames ----

t0=$(cut -d' ' -f1 /proc/uptime)
TERM=xterm memattr top -n 2 -d 0.5 >"$tmp/top" 2>"$tmp/err"
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
tap_is "top -n 2 -d 0.5: exit 0" "$rc" 0
tap_is "top: two frames, each behind a header line" "$(grep -c '^memattr top - ' "$tmp/top")" 2
tap_ok "top: no escape bytes when stdout is no tty" \
	sh -c '! grep -q "$(printf "\033")" "$1"' _ "$tmp/top"
tap_ok "top: waited about 0.5 s between frames" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.45 && b - a < 5) }'
memattr -j top -n 2 -d 0.2 >"$tmp/top" 2>"$tmp/err"
tap_ok "top -j: one JSON document per frame" \
	sh -c '[ "$(wc -l <"$1")" = 2 ] && jq -e ".processes | type == \"array\"" "$1" >/dev/null' _ "$tmp/top"

# ---- top, on a terminal: q quits, SIGTERM too; the terminal is restored ----

res=$("$hog" pty "$tmp/tty" q memattr top -d 0.3)
tap_is "top on a tty, q: non-canonical while running, restored, exit 0" \
	"$res" "raw=1 canon=1 echo=1 status=0"
tap_ok "top on a tty: clears the screen between frames" \
	grep -q "$(printf '\033')\[2J" "$tmp/tty"
res=$("$hog" pty "$tmp/tty" TERM memattr top -d 0.3)
tap_is "top on a tty, SIGTERM: restored, dies of the signal" \
	"$res" "raw=1 canon=1 echo=1 status=143"
TERM=dumb "$hog" pty "$tmp/tty" q sh -c 'TERM=dumb exec memattr top -d 0.3' >/dev/null
tap_ok "top on a tty with TERM=dumb: no escape bytes" \
	sh -c '! grep -q "$(printf "\033")" "$1" && grep -q "^memattr top - " "$1"' _ "$tmp/tty"

run top -d 0
tap_is "top -d 0: exit 2" "$rc" 2
run top -d abc
tap_is "top -d abc: exit 2" "$rc" 2

# ---- module not loaded ----

kill -9 "$anon" "$shm"
wait 2>/dev/null
pids=
memattr_unload
run ps
tap_is "ps, module unloaded: exit 1" "$rc" 1
tap_ok "ps, module unloaded: says so" \
	sh -c 'printf "%s\n" "$1" | grep -q "kernel module not loaded"' _ "$err"

tap_done
