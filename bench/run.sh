#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The overhead benchmark's guest driver (busybox sh), packed as /bench/run.sh.
#
# usage: run.sh [--rounds N] [--scale PCT] [--procs "N ..."] [--smoke]
#               [--storms "S ..."] [--modes "M ..."]
#
# Each round runs every storm of /bench/bench (or those of --storms) in each
# mode (those of --modes, base always; default "memattr trace"), in an order
# that rotates from round to round:
#   base     memattr not loaded, no tracing
#   memattr  memattr.ko loaded (default parameters but max_procs)
#   floor    memattr_floor.ko loaded instead (scripts/bench.sh builds it):
#            the page allocator's tracepoints with an empty probe each,
#            the floor under memattr's page hooks
#   trace    no memattr; tracefs events for what memattr observes:
#            kmem:mm_page_alloc, kmem:mm_page_free, kmem:rss_stat,
#            sched:sched_process_fork/exec/exit, and kprobe events on
#            vm_mmap_pgoff, __vm_munmap and the brk and mremap syscalls,
#            read from trace_pipe by a cat in the background
#   prof1    memattr loaded (profile_rate=10000000: no walk throttled), and
#   prof16   the storm profiles itself: "memattr profile start PID -n N"
#            (one page in 1, in 16), its walks counted in samples=;
#            the fault storm only (the others skip these modes)
# Then, with memattr loaded, for each N of --procs: N sleeping processes,
# the sampler tick's cost, a full netlink dump, the module's own memory;
# and N processes that all run (each writes to a page every 500 ms), the
# sampler tick's cost. --storms: only those storms ("": none, the table
# sizes alone).
#
# Results are lines starting "BENCH " (scripts/bench.sh turns them into the
# table) and TAP lines, so that a lane judges the run. --smoke: one round at
# --scale, and TAP lines that check the numbers are sane, not budgets.

ko=/lib/modules/memattr/memattr.ko
floor_ko=/lib/modules/memattr/memattr_floor.ko
bench=$(dirname "$0")/bench
stats=/sys/kernel/debug/memattr/stats
T=/sys/kernel/tracing
storms="fault faultthp mmap brk fork exec read"
modes="base memattr trace"
rounds=7 scale=100 procs="1000 5000" smoke=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) rounds=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--procs) procs=$2; shift 2 ;;
	--storms) storms=$2; shift 2 ;;
	--modes) modes="base ${2#base}"; shift 2 ;;
	--smoke) smoke=1; rounds=1; shift ;;
	*) echo "# bench: unknown argument $1"; exit 2 ;;
	esac
done

n=0 rc=0
out_file=/tmp/bench.out
: >$out_file
res() {
	echo "BENCH $*" | tee -a $out_file
}
ok() {
	n=$((n + 1))
	echo "ok $n bench: $*"
}
notok() {
	n=$((n + 1))
	rc=1
	echo "not ok $n bench: $*"
}

unload() {
	if [ -d /sys/module/memattr ]; then
		rmmod memattr || return 1
	fi
	if [ -d /sys/module/memattr_floor ]; then
		rmmod memattr_floor || return 1
	fi
	return 0
}

load() {
	unload || return 1
	insmod $ko max_procs=16384 "$@"
}

stat_get() {
	awk -v k="$1" '$1 == k { print $2; exit }' $stats
}

# The syscall wrappers' prefix: __x64_sys_, __arm64_sys_.
sys_prefix() {
	case "$(uname -m)" in
	x86_64) echo __x64_sys_ ;;
	aarch64) echo __arm64_sys_ ;;
	*) echo sys_ ;;
	esac
}

trace_events="kmem/mm_page_alloc kmem/mm_page_free kmem/rss_stat
	sched/sched_process_fork sched/sched_process_exec sched/sched_process_exit
	membench/mmap membench/munmap membench/brk membench/mremap"

trace_on() {
	sys=$(sys_prefix)
	[ -d $T/events ] || mount -t tracefs tracefs $T 2>/dev/null
	[ -d $T/events/kmem ] || return 1
	echo 0 >$T/tracing_on
	echo >$T/trace
	{
		echo 'p:membench/mmap vm_mmap_pgoff'
		echo 'p:membench/munmap __vm_munmap'
		echo "p:membench/brk ${sys}brk"
		echo "p:membench/mremap ${sys}mremap"
	} >$T/kprobe_events || return 1
	for e in $trace_events; do
		echo 1 >$T/events/$e/enable || return 1
	done
	echo 1 >$T/tracing_on
	cat $T/trace_pipe >/dev/null &
	reader=$!
}

trace_off() {
	echo 0 >$T/tracing_on
	for e in $trace_events; do
		[ -f $T/events/$e/enable ] && echo 0 >$T/events/$e/enable
	done
	[ -n "${reader:-}" ] && kill "$reader" 2>/dev/null && wait "$reader" 2>/dev/null
	reader=
	echo >$T/kprobe_events
	echo >$T/trace
	echo 1 >$T/tracing_on
}

mode_on() {
	case "$1" in
	base) unload ;;
	memattr) load ;;
	floor) unload && insmod $floor_ko ;;
	trace) unload && trace_on ;;
	prof*) load profile_rate=10000000 ;;
	esac
}

mode_off() {
	case "$1" in
	memattr | floor | prof*) unload ;;
	trace) trace_off ;;
	esac
}

echo 0 >/proc/sys/kernel/randomize_va_space
res "info kernel=$(uname -r) machine=$(uname -m) rounds=$rounds scale=$scale"
unload || { notok "rmmod memattr before the runs"; exit 1; }

# Warm up: page cache, the binary, the lazy parts of the kernel.
for s in $storms; do
	$bench storm $s "$scale" >/dev/null || { notok "storm $s runs"; exit 1; }
done

r=0
while [ $r -lt "$rounds" ]; do
	# The modes rotated left by r.
	set -- $modes
	k=$((r % $#))
	while [ $k -gt 0 ]; do
		first=$1
		shift
		set -- "$@" "$first"
		k=$((k - 1))
	done
	order="$*"
	for m in $order; do
		if ! mode_on $m; then
			notok "round $r: set up mode $m"
			mode_off $m
			continue
		fi
		for s in $storms; do
			every=
			case "$m" in
			prof*) [ "$s" = fault ] || continue; every=${m#prof} ;;
			esac
			out=$(BENCH_PROFILE=$every $bench storm $s "$scale") || { notok "round $r $m: storm $s"; continue; }
			set -- ${out#storm }
			shift
			res "run round=$r mode=$m storm=$s $*"
		done
		mode_off $m || notok "round $r: tear down mode $m"
	done
	r=$((r + 1))
done

# Three ticks with the table full, from the second one on: their median
# cost ($tick), each one's ($ticks), the processes the last one read again
# ($reads) and the table's size ($tracked).
measure_ticks() {
	s0=$(stat_get samples)
	ticks=
	reads=
	last=$s0
	tries=0
	while [ $((last - s0)) -lt 4 ] && [ $tries -lt 120 ]; do
		sleep 1
		tries=$((tries + 1))
		now=$(stat_get samples)
		if [ "$now" != "$last" ]; then
			if [ $((now - s0)) -ge 2 ]; then
				ticks="$ticks $(stat_get sample_last_ns)"
				reads=$(stat_get sample_reads)
			fi
			last=$now
		fi
	done
	tick=$(echo $ticks | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] + 0 }')
	tracked=$(stat_get tracked_procs)
}

# The sampler, the dump and the module's memory, with N sleeping processes.
if ! load; then
	notok "insmod $ko for the table-size runs"
	exit 1
fi
sleep 2
res "mem procs=0 tracked=$(stat_get tracked_procs) own_mem_bytes=$(stat_get own_mem_bytes) coresize=$(cat /sys/module/memattr/coresize) entry_bytes=$(stat_get proc_entry_bytes)"
# The tick with no process started: what it costs whatever the table holds.
measure_ticks
res "tickbase procs=0 tracked=$tracked ns=$tick ticks=$(echo $ticks | tr ' ' ',') reads=$reads"
for np in $procs; do
	rm -f /tmp/bench-ready
	$bench spawn "$np" /tmp/bench-ready &
	spawner=$!
	while [ ! -f /tmp/bench-ready ]; do
		sleep 1
	done
	measure_ticks
	res "tick procs=$np tracked=$tracked ns=$tick ticks=$(echo $ticks | tr ' ' ',') reads=$reads"
	d=$($bench dump 5) || notok "dump of $np processes"
	res "dump procs=$np tracked=$tracked ${d#dump }"
	res "mem procs=$np tracked=$tracked own_mem_bytes=$(stat_get own_mem_bytes) coresize=$(cat /sys/module/memattr/coresize) entry_bytes=$(stat_get proc_entry_bytes)"
	grep -E '^(memattr_proc|kmalloc-1k|kmalloc-2k) ' /proc/slabinfo 2>/dev/null |
		awk -v np="$np" '{ print "BENCH slab procs=" np " cache=" $1 " active=" $2 " objsize=" $4 " perslab=" $5 " pagesperslab=" $6 }' |
		tee -a $out_file
	kill "$spawner"
	wait "$spawner"
	# The same number of processes, all of them running between ticks.
	rm -f /tmp/bench-ready
	$bench spawn "$np" /tmp/bench-ready 500 &
	spawner=$!
	while [ ! -f /tmp/bench-ready ]; do
		sleep 1
	done
	measure_ticks
	res "tickrun procs=$np tracked=$tracked ns=$tick ticks=$(echo $ticks | tr ' ' ',') reads=$reads"
	kill "$spawner"
	wait "$spawner"
done
unload || notok "rmmod memattr at the end"

# Sanity, not budgets: every storm ran in every mode with a plausible ratio
# (the profile modes: the fault storm, which walked stacks);
# the sampler ticked and the dump saw every process.
for s in $storms; do
	line=$(awk -v s="$s" -v modes="$modes" '
		$2 == "run" {
			split("", f)
			for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			if (f["storm"] == s) {
				ns[f["mode"]] += f["ns"]; seen[f["mode"]]++
				walks[f["mode"]] += f["samples"]
			}
		}
		END {
			n = split(modes, m, " ")
			for (i = 1; i <= n; i++) {
				if (m[i] ~ /^prof/ && s != "fault")
					continue
				if (!seen[m[i]]) { print "missing " m[i]; exit }
				if (m[i] ~ /^prof/ && walks[m[i]] <= 0) { print "no walks in " m[i]; exit }
			}
			if (ns["base"] <= 0) { print "missing base"; exit }
			# ratio, and whether it is plausible (tracefs: up to 50x)
			for (i = 1; i <= n; i++) {
				if (m[i] == "base" || !seen[m[i]])
					continue
				r = ns[m[i]] / ns["base"]
				bad = bad || r <= 0.2 || r >= (m[i] == "trace" ? 50 : 5)
				printf "%s %.3fx, ", m[i], r
			}
			print bad ? "implausible" : "ok"
		}' $out_file)
	case "$line" in
	*ok) ok "storm $s ran in every mode (${line%, ok})" ;;
	*) notok "storm $s ran in every mode ($line)" ;;
	esac
done
for np in $procs; do
	set -- $(awk -v np="$np" '$2 == "tick" && $3 == "procs=" np { t = $5 } $2 == "dump" && $3 == "procs=" np { d = $5 " " $6 }
		END { gsub(/[a-z]*=/, "", t); gsub(/[a-z]*=/, "", d); print t + 0, d }' $out_file)
	if [ "${1:-0}" -gt 0 ] && [ "${2:-0}" -ge "$np" ]; then
		ok "$np processes: tick ${1} ns, dump of ${2} rows ${3} ns"
	else
		notok "$np processes: tick ${1:-?} ns, dump of ${2:-?} rows ${3:-?} ns"
	fi
done
echo "1..$n"
exit $rc
