#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) and cache a small x86_64 debug kernel for the memattr QEMU
# selftests, from Debian's linux-source tarball plus debug.config.
#
# Usage: build-debug-kernel.sh [--print-key]
#
# The last line on stdout is the absolute path of the built tree, usable as
#   <tree>/arch/x86/boot/bzImage        (qemu -kernel)
#   make -C <tree> M=<module dir>       (out-of-tree modules)
# Progress goes to stderr; the build's output goes to a log in the cache.
# The tree is built in a temp dir, renamed into place and only then marked
# with .done; a tree without .done is never used (it is removed and rebuilt),
# so a killed build is never mistaken for a finished one.
#
# Environment: MEMATTR_CACHE (default /var/cache/memattr).

set -euo pipefail

SELF=$(realpath "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
FRAGMENT=$HERE/debug.config
CACHE=${MEMATTR_CACHE:-/var/cache/memattr}
ROOT=$CACHE/debug-kernel
ARCH_MAKE=(make ARCH=x86_64)

msg() { echo "build-debug-kernel: $*" >&2; }
die() { msg "error: $*"; exit 1; }

print_key=0
case "${1:-}" in
	"") ;;
	--print-key) print_key=1 ;;
	-h|--help) sed -n '4,17s/^# \{0,1\}//p' "$SELF" >&2; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
esac

[[ -r $FRAGMENT ]] || die "missing config fragment $FRAGMENT"

# Newest Debian kernel source tarball, e.g. /usr/src/linux-source-6.1.tar.xz.
tarball=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' 2>/dev/null |
	sort -V | tail -n 1)
if [[ -z $tarball ]]; then
	msg "error: no /usr/src/linux-source-*.tar.xz found."
	msg "Install Debian's kernel source first:  apt-get install linux-source"
	exit 1
fi
majmin=$(basename "$tarball" .tar.xz)
majmin=${majmin#linux-source-}
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$majmin" 2>/dev/null) ||
	die "$tarball is not owned by package linux-source-$majmin (apt-get install linux-source)"

# Cache key: source package version + fragment + this script.
key=$({ printf '%s\n' "$srcver"; cat "$FRAGMENT" "$SELF"; } |
	sha256sum | cut -c1-16)
if (( print_key )); then
	echo "$key"
	exit 0
fi

final=$ROOT/$key
tree=$final/linux

# Warm path: nothing to do.
if [[ -e $final/.done ]]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$ROOT"

# One builder at a time; whoever waited may find the work already done.
exec 9>"$ROOT/.lock"
if ! flock -n 9; then
	msg "another build is running; waiting for $ROOT/.lock"
	flock 9
fi
if [[ -e $final/.done ]]; then
	echo "$tree"
	exit 0
fi

# Holding the lock, anything unfinished is a leftover of a killed run.
rm -rf "$ROOT"/.tmp-* "$final"

log=$ROOT/build-$key.log
: >"$log"
tmp=$(mktemp -d "$ROOT/.tmp-$key-XXXXXX")
chmod 755 "$tmp"
child=
cleanup() {
	# Stop a running step (its whole process group), then drop the temp dir.
	if [[ -n $child ]]; then
		kill -TERM -- "-$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	[[ -z ${tmp:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Run a build step with its output in the log; on failure show the tail.
# It runs in its own session so that a signal to this script can stop it
# at once (wait is interruptible, a foreground command is not).
step() {
	local what=$1 rc=0; shift
	msg "$what"
	setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
	child=$!
	wait "$child" || rc=$?
	child=
	if (( rc )); then
		msg "error: '$what' failed; last 40 lines of $log:"
		tail -n 40 "$log" >&2
		msg "full log: $log"
		exit 1
	fi
}

# Fail loudly if any option of the fragment did not survive olddefconfig
# (typically because of an unmet dependency).
verify_config() {
	local line sym want got bad=()
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
			grep -qxF "$sym=$want" .config && continue
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]} want=n
			grep -q "^$sym=" .config || continue
		else
			continue
		fi
		got=$(sed -n "s/^$sym=//p" .config)
		grep -qx "# $sym is not set" .config && got=n
		bad+=("$sym: wanted ${want}, got ${got:-nothing (dependencies not met)}")
	done <"$FRAGMENT"
	if (( ${#bad[@]} )); then
		msg "error: .config does not match $FRAGMENT:"
		printf '  %s\n' "${bad[@]}" >&2
		exit 1
	fi
}

start=$SECONDS
msg "building debug kernel $key (linux-source-$majmin $srcver); log: $log"

step "extracting $tarball" tar -xJf "$tarball" -C "$tmp"
mv "$tmp/linux-source-$majmin" "$tmp/linux"
cd "$tmp/linux"

step "make allnoconfig" "${ARCH_MAKE[@]}" allnoconfig
step "merging $(basename "$FRAGMENT")" \
	scripts/kconfig/merge_config.sh -m .config "$FRAGMENT"
step "make olddefconfig" "${ARCH_MAKE[@]}" olddefconfig
msg "verifying .config against the fragment"
verify_config

jobs=$(( $(nproc) + 1 ))
# 'modules' (none are configured) makes modpost write Module.symvers, which
# out-of-tree module builds need to resolve kernel symbols.
step "make -j$jobs bzImage modules (several minutes)" \
	"${ARCH_MAKE[@]}" -j"$jobs" bzImage modules
[[ -s arch/x86/boot/bzImage && -s Module.symvers ]] ||
	die "build finished without bzImage or Module.symvers (see $log)"

# Move into place (atomic rename), then make sure everything out-of-tree
# module builds use is current there: objtool's build records absolute
# paths, so modules_prepare relinks it once (a few seconds). Only then mark
# the tree done; until .done exists the cleanup still removes it.
mv -T "$tmp" "$final"
tmp=$final
cd "$tree"
step "make modules_prepare" "${ARCH_MAKE[@]}" -j"$jobs" modules_prepare
cd /
touch "$final/.done"
tmp=

# Drop trees (and logs) of other keys to save disk.
for old in "$ROOT"/*; do
	name=$(basename "$old")
	[[ $name == "$key" || $name == "build-$key.log" ]] && continue
	if [[ $name =~ ^[0-9a-f]{16}$ || $name =~ ^build-[0-9a-f]{16}\.log$ ]]; then
		msg "removing stale $old"
		rm -rf "$old"
	fi
done

msg "done in $(( SECONDS - start ))s"
echo "$tree"
