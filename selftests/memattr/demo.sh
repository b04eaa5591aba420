#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: runs in the arm64 guest in place of the test runner and shows
# memattr at work. Prints TAP so that the host can tell a demo that broke.

set -u
step() { printf '\n$ %s\n' "$*"; sh -c "$*"; }

echo "TAP version 13"
echo "1..1"
insmod /lib/modules/memattr/memattr.ko sample_ms=200 || {
	echo "not ok 1 demo: insmod memattr.ko"
	exit 1
}

# A service in its own memory cgroup that leaks 1 MiB of tmpfs a second.
mkdir -p /sys/fs/cgroup/leaky
sh -c 'echo $$ > /sys/fs/cgroup/leaky/cgroup.procs
       exec sh -c "while :; do dd if=/dev/zero bs=1M count=1 2>/dev/null >> /dev/shm/leak; sleep 1; done"' &
leaker=$!
# A healthy one that keeps 16 MiB of anonymous memory.
sh -c 'x=$(head -c 16777216 /dev/zero | tr "\0" a); sleep 3600' &
healthy=$!
sleep 5

step memattr stats
step "head -n 1 /sys/kernel/debug/memattr/processes; grep -E ' (sh|init) ' /sys/kernel/debug/memattr/processes | head -n 5"
step cat /sys/kernel/debug/memattr/cgroups
sleep 5
step "grep -E 'path| /leaky' /sys/kernel/debug/memattr/cgroups"
step cat /sys/kernel/debug/memattr/system
step memattr -j stats

kill "$leaker" "$healthy"
rm -f /dev/shm/leak
echo "ok 1 demo"
