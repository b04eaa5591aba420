#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: runs in the arm64 guest in place of the test runner and shows
# memattr at work on two services, one leaking and one healthy. Detection
# is accelerated (100 ms samples, a 20 s window) so that it fits in a
# minute; on a real ECU the window is an hour or more. Prints TAP so that
# the host can tell a demo that broke.

set -u
here=$(dirname "$0")
PATH=$here:$PATH

say() { printf '\n### %s\n' "$*"; }
step() { printf '\n$ %s\n' "$*"; sh -c "$*"; }
fail() {
	echo "not ok 1 demo: $*"
	exit 1
}

echo "TAP version 13"
echo "1..1"
insmod /lib/modules/memattr/memattr.ko \
	sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000 ||
	fail "insmod memattr.ko"
say "memattr.ko loaded: 100 ms samples, leaks judged over 20 s (accelerated for the demo)"

# Events from now on, as an integrator's watcher would see them.
memattr watch -t 150 > /tmp/watch.log 2>&1 &
watcher=$!

# Two services, each in its memory cgroup: one leaks 1 MiB/s of anonymous memory, the
# other keeps 16 MiB and stays there.
for svc in leaky:"leak 1024" healthy:"anon 16"; do
	name=${svc%%:*}
	cg=/sys/fs/cgroup/$name
	mkdir -p "$cg"
	# shellcheck disable=SC2086 # the arguments are meant to split
	sh -c "echo \$\$ > $cg/cgroup.procs && exec cli_hog ${svc#*:} /tmp/$name.ready" &
done
while [ ! -e /tmp/leaky.ready ] || [ ! -e /tmp/healthy.ready ]; do sleep 0.2; done
leaker=$(cat /sys/fs/cgroup/leaky/cgroup.procs)
say "services started: leaky (pid $leaker) and healthy"

sleep 4
step TERM=dumb memattr top -n 3 -d 2

# Wait for the verdict: 20 s of steady growth.
i=0
while [ "$i" -lt 60 ]; do
	memattr -j leaks |
		jq -e --argjson p "$leaker" 'any(.[]; .pid == $p and .state == "leak")' \
		>/dev/null && break
	sleep 1
	i=$((i + 1))
done
[ "$i" -lt 60 ] || fail "no leak reported within 60 s"
sleep 2

step memattr leaks
printf '\n$ memattr watch    # started before the services; what it printed\n'
cat /tmp/watch.log
grep -q leak /tmp/watch.log || fail "memattr watch printed no leak event"
step memattr show "$leaker"
step memattr cgroups
step memattr system

kill "$watcher" 2>/dev/null
for cg in leaky healthy; do
	# shellcheck disable=SC2046 # one pid per line
	kill $(cat /sys/fs/cgroup/$cg/cgroup.procs) 2>/dev/null
done
echo "ok 1 demo"
