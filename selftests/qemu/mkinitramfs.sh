#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh - build the initramfs a memattr test guest boots into.
#
# Usage: mkinitramfs.sh --arch amd64|arm64 --out FILE.cpio.gz
#                       [--file SRC:DEST]... [--bin SRC:DEST]... [--init FILE]
#
#   --file SRC:DEST  copy SRC to DEST in the guest, verbatim (a directory is
#                    copied recursively; a DEST ending in / receives SRC inside)
#   --bin SRC:DEST   copy the program SRC to DEST plus its ELF interpreter and
#                    every shared library it needs (NEEDED, recursively), at
#                    the paths the guest's dynamic loader looks in
#   --init FILE      the /init to use (default: the init beside this script)
#
# The archive holds a static busybox at /bin/busybox with its applet links,
# /init, /dev/console, the mount points /proc /sys /dev /tmp /run /mnt and a
# minimal /etc. Everything is owned by root:root in the guest, time stamps are
# $SOURCE_DATE_EPOCH (default 0): the same inputs give the same bytes. No root
# privileges are needed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

usage() {
	sed -n '/^# Usage:/,/^# *--init/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

die() {
	printf 'mkinitramfs: error: %s\n' "$*" >&2
	exit 1
}

arch='' out='' init=$here/init
files=() bins=()
while (($#)); do
	case $1 in
	--arch) arch=${2:?--arch needs a value}; shift 2 ;;
	--out) out=${2:?--out needs a value}; shift 2 ;;
	--file) files+=("${2:?--file needs SRC:DEST}"); shift 2 ;;
	--bin) bins+=("${2:?--bin needs SRC:DEST}"); shift 2 ;;
	--init) init=${2:?--init needs a value}; shift 2 ;;
	-h | --help) usage ;;
	*) printf 'mkinitramfs: unknown argument: %s\n' "$1" >&2; usage ;;
	esac
done
[[ -n $arch && -n $out ]] || usage
case $arch in
amd64)
	triplet=x86_64-linux-gnu
	machine='Advanced Micro Devices X86-64'
	libdirs=(/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu)
	;;
arm64)
	triplet=aarch64-linux-gnu
	machine=AArch64
	libdirs=(/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib)
	;;
*) die "--arch must be amd64 or arm64" ;;
esac
[[ -f $init ]] || die "no init script at $init"

stage=$(mktemp -d "${TMPDIR:-/tmp}/memattr-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# split_spec SPEC: sets src and dest from SRC:DEST (split at the last colon).
split_spec() {
	[[ $1 == *:* ]] || die "'$1' is not SRC:DEST"
	src=${1%:*}
	dest=${1##*:}
	[[ -n $src && $dest == /* ]] || die "'$1': SRC must be set and DEST absolute"
	[[ -e $src ]] || die "'$src' does not exist"
	[[ $dest == */ ]] && dest+=${src##*/}
	return 0
}

# ---- skeleton --------------------------------------------------------------
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,root,lib/modules,proc,sys,dev,tmp,run,mnt}
chmod 1777 "$stage/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
install -m 0755 "$init" "$stage/init"

# ---- busybox and its applets -----------------------------------------------
bb=$(memattr_busybox "$arch")
install -m 0755 "$bb" "$stage/bin/busybox"
# A foreign busybox cannot run here; the amd64 build of the same Debian
# package has the same applet set (and init re-runs 'busybox --install -s').
lister=$bb
[[ $arch == amd64 ]] || lister=$(memattr_busybox amd64)
applets=$("$lister" --list-full) || die "cannot list busybox applets with $lister"
# One process for ~300 links (a fork per 'ln' costs most of a second).
grep -vxE '(.*/)?(busybox|init|linuxrc)' <<<"$applets" | (cd "$stage" && python3 -c '
import os, sys
for a in sys.stdin.read().split():
    os.makedirs(os.path.dirname(a) or ".", exist_ok=True)
    if not os.path.lexists(a):
        os.symlink("/bin/busybox", a)
')
[[ -L $stage/bin/sh ]] || ln -sf /bin/busybox "$stage/bin/sh"

# ---- --file ----------------------------------------------------------------
for spec in "${files[@]}"; do
	split_spec "$spec"
	if [[ -d $src ]]; then
		mkdir -p "$stage$dest"
		cp -a "$src/." "$stage$dest/"
	else
		mkdir -p "$stage$(dirname "$dest")"
		cp -L --preserve=mode "$src" "$stage$dest"
	fi
done

# ---- --bin -----------------------------------------------------------------
is_elf() {
	[[ $(head -c 4 "$1" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]
}

elf_machine() {
	readelf -hW "$1" | sed -n 's/^ *Machine: *//p'
}

check_machine() {
	local m
	m=$(elf_machine "$1")
	[[ $m == "$machine" ]] || die "$1 is built for '$m', not $arch"
}

# find_lib NAME: print the first $arch library called NAME in the search path.
find_lib() {
	local d
	for d in "${libdirs[@]}"; do
		if [[ -f $d/$1 ]] && [[ $(elf_machine "$d/$1") == "$machine" ]]; then
			printf '%s\n' "$d/$1"
			return 0
		fi
	done
	return 1
}

declare -A seen=()
# add_deps ELF: copy the interpreter and the NEEDED closure of ELF.
add_deps() {
	local elf=$1 interp host lib path queue=() needed
	interp=$(readelf -lW "$elf" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
	[[ -n $interp ]] || return 0 # static
	if [[ -z ${seen[$interp]:-} ]]; then
		host=$interp
		if ! [[ -f $host && $(elf_machine "$host") == "$machine" ]]; then
			host=$(find_lib "${interp##*/}") || die "no $arch ELF interpreter ${interp##*/} on the host"
		fi
		mkdir -p "$stage$(dirname "$interp")"
		cp -L --preserve=mode "$host" "$stage$interp"
		seen[$interp]=1
	fi
	queue=("$elf")
	while ((${#queue[@]})); do
		path=${queue[0]}
		queue=("${queue[@]:1}")
		needed=$(readelf -dW "$path" | sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]$/\1/p')
		for lib in $needed; do
			[[ $lib == "${interp##*/}" || -n ${seen[$lib]:-} ]] && continue
			seen[$lib]=1
			host=$(find_lib "$lib") || die "$path needs $lib: not found for $arch in ${libdirs[*]}"
			mkdir -p "$stage/lib/$triplet"
			cp -L --preserve=mode "$host" "$stage/lib/$triplet/$lib"
			queue+=("$host")
		done
	done
}

for spec in "${bins[@]}"; do
	split_spec "$spec"
	[[ -f $src ]] || die "--bin '$src' is not a file"
	mkdir -p "$stage$(dirname "$dest")"
	cp -L --preserve=mode "$src" "$stage$dest"
	chmod a+rx "$stage$dest"
	if is_elf "$src"; then
		check_machine "$src"
		add_deps "$src"
	fi
done

# ---- archive ---------------------------------------------------------------
epoch=${SOURCE_DATE_EPOCH:-0}

# newc_entry NAME MODE RDEVMAJOR RDEVMINOR: one data-less newc cpio header.
newc_entry() {
	local name=$1 namesize=$((${#1} + 1)) pad
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$name"
	pad=$(((4 - (110 + namesize) % 4) % 4))
	((pad == 0)) || head -c "$pad" /dev/zero
}

find "$stage" -exec touch -h -d "@$epoch" {} +
mkdir -p "$(dirname "$out")"
tmp_out=$(mktemp "$out.XXXXXX")
{
	(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc --owner=0:0 --reproducible --quiet)
	# A second, concatenated archive with the console device node, which
	# the kernel opens for /init's stdio before anything is mounted. cpio
	# would need a real node (and root) to archive it.
	newc_entry dev/console $((0020600)) 5 1
	newc_entry 'TRAILER!!!' 0 0 0
} | gzip -n -6 >"$tmp_out"
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$out"
printf 'mkinitramfs: %s: %s, %s entries, %s bytes\n' "$arch" "$out" \
	"$(find "$stage" -mindepth 1 | wc -l)" "$(stat -c %s "$out")" >&2
