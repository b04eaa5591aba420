# SPDX-License-Identifier: GPL-2.0-only
#
# memattr profile against the live module (busybox sh), on the programs of
# pf_leaker.c and pf_grow.go, with transparent huge pages off for the
# process (PR_SET_THP_DISABLE) unless said otherwise:
#   - the C leaker: leak_here() carries >= 80 % of the folded space; the
#     THP-on figure is reported (THP "always" for that run);
#   - the same, stripped: addresses and build-id only, for the host;
#   - Go, stripped (names from its pclntab): leakGrow() >= 80 %;
#   - Go with ten times as much garbage: first-touch and in-use shares
#     of leakGrow() and makeGarbage() reported;
#   - the command's paths: start/stop, a running profile used and left
#     running, SIGINT ending the wait, errors.
# Each profile.proto is printed base64 between "MEMATTR-PPROF-BEGIN NAME"
# and "MEMATTR-PPROF-END NAME" for the host's go tool pprof
# (scripts/profile-check.sh, which asserts on them too).

. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=
pids=

tap_plan 37

cleanup() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "$thp_was" ] && echo "$thp_was" >"$thp"
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_line FILE WORD: up to 120 s for a line WORD in FILE
wait_line() {
	i=0
	while ! grep -qx "$2" "$1" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -qx "$2" "$1"
}

# spawn NAME CMD...: start a program, wait for its "ready"; pid in $pid
spawn() {
	log=$tmp/$1.log
	shift
	"$@" >"$log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	wait_line "$log" ready || tap_diag "$* not ready: $(cat "$log")"
}

# grow: let $pid grow, wait for its "done"; the seconds it took in $took
grow() {
	t0=$(cut -d. -f1 /proc/uptime)
	kill -USR1 "$pid"
	wait_line "$log" "done" || tap_diag "not done: $(cat "$log")"
	took=$(($(cut -d. -f1 /proc/uptime) - t0))
}

# share FOLDED FUNC: tenths of a percent of the folded weight whose stack
# holds FUNC (cum)
share() {
	awk -v f="$2" '{
		w = $NF; sub(/ [0-9]+$/, ""); t += w
		n = split($0, a, ";")
		for (i = 1; i <= n; i++)
			if (a[i] == f) { l += w; break }
	} END { printf "%d\n", t ? l * 1000 / t : 0 }' "$1"
}

# pct TENTHS: "81.3"
pct() {
	echo "$(($1 / 10)).$(($1 % 10))"
}

# export NAME FILE: the file, base64, for the host
export_pprof() {
	echo "MEMATTR-PPROF-BEGIN $1"
	base64 "$2"
	echo "MEMATTR-PPROF-END $1"
}

# run ARGS...: memattr with stdout in $out, stderr in $err, exit in $rc
run() {
	memattr "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# dump NAME [TYPE]: the running profile of $pid as NAME.pb.gz and
# NAME.folded (weighed by TYPE, default space); ok when both were written
dump() {
	memattr profile "$pid" -d 0 -o "$tmp/$1.pb.gz" 2>"$tmp/err" &&
		memattr profile "$pid" -d 0 --folded -t "${2:-space}" \
			-o "$tmp/$1.folded" 2>>"$tmp/err" &&
		[ -s "$tmp/$1.pb.gz" ] && [ -s "$tmp/$1.folded" ] && return 0
	tap_diag "dump $1: exit $?, stderr: $(tr '\n' ' ' <"$tmp/err")"
	return 1
}

memattr_load || { tap_diag "insmod failed"; tap_done; }

# ---- the C leaker, THP off ----
spawn c "$here/pf_leaker" nothp
run profile start "$pid"
tap_is "profile start PID starts a profile" "$rc" 0
grow
tap_diag "C leaker: 64 MiB leaked, 640 MiB churned in $took s"
tap_ok "a running profile is dumped to pprof and folded files" dump c
tap_ok "memattr says it used the running profile" \
	grep -q "profiled already: using that profile" "$tmp/err"
run -j profile "$pid" -d 0
tap_is "-j profile exits 0" "$rc" 0
tap_is "-j: not started by this run, not stopped" \
	"$(echo "$out" | jq -c '[.pid, .started, .stopped]')" "[$pid,false,false]"
pages=$(echo "$out" | jq '.pages')
tap_ok "-j: at least the 64 MiB leaked in first-touch pages ($pages)" \
	[ "$pages" -ge 16384 ]
tap_diag "C leaker: samples $(echo "$out" | jq -c '[.samples, .throttled_pages, .other_pages, .walk_errors, .stacks]') (samples, throttled, other, walk errors, stacks)"
run profile "$pid" -d 0
tap_ok "text: the top sites name leak_here" \
	sh -c 'echo "$1" | grep -q " leak_here$"' _ "$out"
s=$(share "$tmp/c.folded" leak_here)
tap_diag "C leaker, THP off: leak_here $(pct "$s") % of folded space, churn $(pct "$(share "$tmp/c.folded" churn)") %"
tap_ok "C leaker, THP off: leak_here >= 80 % of the folded space ($(pct "$s") %)" \
	[ "$s" -ge 800 ]
export_pprof c "$tmp/c.pb.gz"
run profile stop "$pid"
tap_is "profile stop PID stops it" "$rc" 0
run profile stop "$pid"
tap_is "a second stop exits 1" "$rc" 1
tap_ok "and says it is not profiled" \
	sh -c 'echo "$1" | grep -q "not profiled"' _ "$err"
kill -9 "$pid"

# ---- the C leaker, THP always: the whole command, ended by SIGINT ----
if [ -w "$thp" ]; then
	thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp")
	echo always >"$thp"
fi
spawn thp "$here/pf_leaker"
memattr profile "$pid" -d 600 --folded -o "$tmp/thp.folded" 2>"$tmp/thp.err" &
mp=$!
# running once "profile start" finds it (or starts it: then it is used)
i=0
while [ $i -lt 100 ]; do
	memattr profile start "$pid" 2>"$tmp/probe" && break
	grep -q "profiled already" "$tmp/probe" && break
	sleep 0.1
	i=$((i + 1))
done
grow
tap_diag "C leaker, THP on: $(grep -E '^(Rss|AnonHugePages)' "/proc/$pid/smaps_rollup" | tr -s ' \n' ' ')"
kill -INT "$mp"
wait "$mp"
tap_is "SIGINT ends the wait: exit 0" "$?" 0
tap_ok "what was profiled is written" [ -s "$tmp/thp.folded" ]
tap_ok "and it says so" grep -q "interrupted" "$tmp/thp.err"
memattr profile stop "$pid" 2>/dev/null
s=$(share "$tmp/thp.folded" leak_here)
tap_diag "C leaker, THP $(cat "$thp" 2>/dev/null): leak_here $(pct "$s") % of folded space, churn $(pct "$(share "$tmp/thp.folded" churn)") %"
tap_ok "C leaker, THP on: leak_here has a share ($(pct "$s") %)" [ "$s" -gt 0 ]
kill -9 "$pid"
[ -n "$thp_was" ] && echo "$thp_was" >"$thp" && thp_was=

# ---- the C leaker, stripped: no names on the target ----
spawn cs "$here/pf_leaker_stripped" nothp
run profile start "$pid"
grow
tap_ok "stripped C: dumped" dump cs
tap_ok "stripped C: no names on the target" \
	sh -c '! grep -q leak_here "$1"' _ "$tmp/cs.folded"
tap_ok "stripped C: file offsets instead" \
	grep -q "pf_leaker_stripped+0x" "$tmp/cs.folded"
export_pprof cs "$tmp/cs.pb.gz"
run profile stop "$pid"
kill -9 "$pid"

# ---- Go, stripped, little garbage ----
spawn go "$here/pf_grow" grow
run profile start "$pid"
tap_is "Go: profile start" "$rc" 0
grow
tap_diag "Go grow: 32 MiB in $took s"
tap_ok "Go: dumped" dump go
s=$(share "$tmp/go.folded" main.leakGrow)
tap_diag "Go grow: main.leakGrow $(pct "$s") % of folded space"
# the text view, for the README's worked example
echo "# memattr profile $pid -d 0:"
memattr profile "$pid" -d 0 2>&1 | sed 's/^/#   /'
tap_ok "Go grow: main.leakGrow >= 80 % of the folded space ($(pct "$s") %)" \
	[ "$s" -ge 800 ]
export_pprof go "$tmp/go.pb.gz"
run profile stop "$pid"
kill -9 "$pid"

# ---- Go, ten times as much garbage: first touch and in use ----
spawn gg "$here/pf_grow" garbage
run profile start "$pid"
grow
tap_diag "Go garbage: 32 MiB kept, 320 MiB of garbage in $took s"
tap_ok "Go garbage: dumped" dump gg
tap_ok "Go garbage: in use dumped" \
	memattr profile "$pid" -d 0 --folded -t inuse -o "$tmp/ggi.folded"
run -j profile "$pid" -d 0
tap_diag "Go garbage: $(echo "$out" | jq -c '{pages, inuse_pages, inuse_lost, throttled_pages, other_pages, walk_errors}')"
tap_ok "Go garbage: in-use pages counted" \
	[ "$(echo "$out" | jq '.inuse_pages')" -gt 0 ]
# the runtime returns what it does not hold (debug.FreeOSMemory)
kill -USR1 "$pid"
wait_line "$log" freed || tap_diag "not freed: $(cat "$log")"
tap_ok "Go garbage: in use after FreeOSMemory dumped" \
	memattr profile "$pid" -d 0 --folded -t inuse -o "$tmp/ggf.folded"
run -j profile "$pid" -d 0
tap_diag "Go garbage, freed: $(echo "$out" | jq -c '{pages, inuse_pages}')"
for f in gg ggi ggf; do
	l=$(share "$tmp/$f.folded" main.leakGrow)
	g=$(share "$tmp/$f.folded" main.makeGarbage)
	case $f in
	gg) v="first touch" ;;
	ggi) v="in use" ;;
	ggf) v="in use after FreeOSMemory" ;;
	esac
	tap_diag "Go garbage, $v: main.leakGrow $(pct "$l") %, main.makeGarbage $(pct "$g") % of space"
	tap_ok "Go garbage, $v: both functions have a share" \
		[ "$l" -gt 0 -a "$g" -gt 0 ]
done
# first touch, and what is in use after FreeOSMemory
memattr profile "$pid" -d 0 -o "$tmp/ggf.pb.gz" 2>/dev/null
export_pprof gg "$tmp/ggf.pb.gz"
run profile stop "$pid"
kill -9 "$pid"

# ---- the whole command: start, wait, dump, stop ----
spawn w "$here/pf_leaker" nothp
run profile "$pid" -d 0.5 -o "$tmp/w.pb.gz"
tap_is "profile PID -d 0.5 -o FILE exits 0" "$rc" 0
tap_ok "and writes a gzip file" sh -c 'gzip -t <"$1"' _ "$tmp/w.pb.gz"
run profile stop "$pid"
tap_is "it stopped the profile it started" "$rc" 1
run profile "$pid" -d 0 --keep
tap_is "--keep leaves it running" "$rc" 0
run profile start "$pid"
tap_is "so a second start exits 1" "$rc" 1
run profile stop "$pid"
kill -9 "$pid"

# ---- errors: clear, exit 1 or 2, nothing started ----
run profile 4194304 -d 0
tap_is "an untracked pid exits 1" "$rc" 1
tap_ok "and says so" sh -c 'echo "$1" | grep -q "not tracked"' _ "$err"
run profile 1 -d x
tap_is "a bad -d exits 2" "$rc" 2
run profile stop 1
tap_is "stop of an unprofiled pid exits 1" "$rc" 1

memattr_unload
tap_done
