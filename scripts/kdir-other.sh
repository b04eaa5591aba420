#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A Debian kernel headers tree of another Debian release, ready for out-of-tree
# builds on this (bookworm) host; prints the tree.
#
# usage: kdir-other.sh [--kver] [--image] SUITE ARCH
#   SUITE   a Debian suite: bullseye (5.10), trixie (6.12), ...
#   ARCH    amd64 or arm64 (arm64: cross-build with aarch64-linux-gnu-gcc)
#   --kver  print only the kernel version the suite's meta package names
#   --image print the suite's stock kernel image (vmlinuz) for ARCH instead
#
# The suite is read through a private apt configuration in
# $MEMATTR_CACHE/apt-SUITE (its own sources.list, lists and archives; the
# host's /etc/apt is never touched), refreshed once a day. The kernel version
# is what the suite's linux-headers-ARCH names today, never a pinned ABI.
# linux-headers-KVER, its -common and the matching linux-kbuild are
# extracted into $MEMATTR_CACHE/kdir/ and tied together:
#  - the flavour Makefile includes the extracted -common tree;
#  - scripts/ and tools/ point at the extracted linux-kbuild;
#  - .kernelvariables' CC, which names the compiler Debian built that kernel
#    with (gcc-10 for 5.10, gcc-14 for 6.12; neither is on bookworm), names
#    this host's gcc (12) instead, for the same target;
#  - a linux-kbuild program that needs a newer glibc than this host's
#    (trixie's modpost, objtool and resolve_btfids need 2.38) is replaced by
#    the same program from Debian's bookworm rebuild of that kernel
#    (linux-kbuild-X.Y.Z+deb12), of the same upstream version when there is
#    one, else the newest (a warning says so).
#  - a CONFIG_CC_HAS_* option whose flag this host's gcc lacks
#    (-fmin-function-alignment, gcc 14) is unset in the tree's
#    configuration, with what it implies, as Kconfig would for gcc 12;
#  - vmlinux (the base for module BTF, which needs a newer pahole than
#    bookworm's) is left out, so Kbuild skips BTF for modules.
#
# Idempotent; once cached it prints the tree without any download unless the
# suite's lists are a day old. Every failure is an error (exit 1).
set -euo pipefail

: "${MEMATTR_CACHE:=/var/cache/memattr}"
export MEMATTR_CACHE
# How old (minutes) a suite's package lists may get before an update.
: "${MEMATTR_APT_MAX_AGE_MIN:=1440}"

log() { printf 'kdir-other: %s\n' "$*" >&2; }
die() {
	printf 'kdir-other: error: %s\n' "$*" >&2
	exit 1
}

mode=tree
while [ $# -gt 0 ]; do
	case "$1" in
	--kver) mode=kver; shift ;;
	--image) mode=image; shift ;;
	-*) die "unknown option '$1' (usage: kdir-other.sh [--kver|--image] SUITE ARCH)" ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || die "usage: kdir-other.sh [--kver|--image] SUITE ARCH"
suite=$1 arch=$2
[[ $suite =~ ^[a-z]+$ ]] || die "SUITE must be a Debian suite name like bullseye or trixie, got '$suite'"
case "$arch" in
amd64) karch=x86 cross=x86_64-linux-gnu- ;;
arm64) karch=arm64 cross=aarch64-linux-gnu- ;;
*) die "ARCH must be amd64 or arm64, got '$arch'" ;;
esac
hostarch=$(dpkg --print-architecture)
[ "$hostarch" = amd64 ] || die "this script runs on an amd64 host, not $hostarch"

mkdir -p "$MEMATTR_CACHE/kdir" "$MEMATTR_CACHE/debs"

# apt_dir SUITE: set up (once) the private apt configuration of SUITE.
apt_dir() {
	local s=$1 d=$MEMATTR_CACHE/apt-$1 sec keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f $keyring ] || die "$keyring is missing: apt-get install debian-archive-keyring"
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/sources.list.d" "$d/preferences.d"
	[ -f "$d/status" ] || : >"$d/status"
	sec=$s-security
	[ "$s" = buster ] && sec=$s/updates
	cat >"$d/sources.list.new" <<-EOF
		deb [signed-by=$keyring] http://deb.debian.org/debian $s main
		deb [signed-by=$keyring] http://deb.debian.org/debian $s-updates main
		deb [signed-by=$keyring] http://deb.debian.org/debian-security $sec main
	EOF
	mv -f "$d/sources.list.new" "$d/sources.list"
	cat >"$d/apt.conf.new" <<-EOF
		Dir::Etc::SourceList "$d/sources.list";
		Dir::Etc::SourceParts "$d/sources.list.d";
		Dir::Etc::Preferences "$d/preferences";
		Dir::Etc::PreferencesParts "$d/preferences.d";
		Dir::State "$d";
		Dir::State::Lists "$d/lists";
		Dir::State::status "$d/status";
		Dir::Cache "$d";
		Dir::Cache::archives "$d/archives";
		Dir::Cache::pkgcache "$d/pkgcache.bin";
		Dir::Cache::srcpkgcache "$d/srcpkgcache.bin";
		APT::Architecture "amd64";
		APT::Architectures { "amd64"; "arm64"; };
		Acquire::Languages "none";
		Acquire::PDiffs "false";
		APT::Sandbox::User "root";
	EOF
	mv -f "$d/apt.conf.new" "$d/apt.conf"
	printf '%s\n' "$d"
}

# sapt SUITE CMD ARGS...: run an apt command against SUITE's private config.
sapt() {
	local d=$MEMATTR_CACHE/apt-$1
	shift
	APT_CONFIG=$d/apt.conf "$@"
}

# apt_update SUITE: refresh SUITE's lists when missing or older than a day.
# A failed refresh with lists still there only warns (the cached trees and
# debs of the version they name stay usable); with none it is fatal.
apt_update() {
	local s=$1 d
	d=$(apt_dir "$s")
	if [ -f "$d/updated" ] && [ -z "$(find "$d/updated" -mmin +"$MEMATTR_APT_MAX_AGE_MIN")" ]; then
		return 0
	fi
	log "apt-get update for $s (private lists in $d)"
	if sapt "$s" apt-get -q update >"$d/update.log" 2>&1 &&
		! grep -q '^[WE]: ' "$d/update.log"; then
		touch "$d/updated"
		return 0
	fi
	sed 's/^/  /' "$d/update.log" >&2
	if compgen -G "$d/lists/*_Packages*" >/dev/null; then
		log "warning: could not refresh $s's package lists; using the old ones"
		return 0
	fi
	die "apt-get update for $s failed (is deb.debian.org reachable?)"
}

# depends SUITE PKG: PKG's direct Depends, one name a line (first of each
# alternative).
depends() {
	sapt "$1" apt-cache depends "$2" 2>/dev/null |
		sed -n 's/^ *|\{0,1\}Depends: <\{0,1\}\([^ :<>]*\).*$/\1/p' | sort -u
}

# fetch SUITE PKG[:ARCH]: download PKG's candidate into $MEMATTR_CACHE/debs
# unless there; print the .deb's path.
fetch() {
	local s=$1 pkg=$2 info name ver a deb tmp
	info=$(sapt "$s" apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		awk -F': ' '/^Package: /{p=$2} /^Version: /{v=$2} /^Architecture: /{a=$2}
			/^$/{if (p) exit} END{if (p && v && a) print p, v, a}')
	[ -n "$info" ] || die "$s has no package '$pkg'"
	read -r name ver a <<<"$info"
	deb=$MEMATTR_CACHE/debs/${name}_${ver//:/%3a}_$a.deb
	if [ ! -s "$deb" ]; then
		log "downloading $name $ver ($a) from $s"
		tmp=$(mktemp -d "$MEMATTR_CACHE/debs/.tmp.XXXXXX")
		if ! (cd "$tmp" && sapt "$s" apt-get download -q "$name:$a=$ver" >&2) ||
			[ ! -s "$tmp/${deb##*/}" ]; then
			rm -rf "$tmp"
			die "apt-get download $name:$a=$ver from $s failed"
		fi
		mv -f "$tmp/${deb##*/}" "$deb"
		rm -rf "$tmp"
	fi
	printf '%s\n' "$deb"
}

# pkgver SUITE PKG: PKG's candidate version.
pkgver() {
	sapt "$1" apt-cache show --no-all-versions "$2" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}

# extract DEB SUBDIR DEST: DEB's ./SUBDIR, placed atomically at DEST.
extract() {
	local deb=$1 sub=$2 dest=$3 tmp
	tmp=$(mktemp -d "$MEMATTR_CACHE/kdir/.tmp.XXXXXX")
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$sub"; then
		rm -rf "$tmp"
		die "cannot extract ./$sub from $deb"
	fi
	rm -rf "$dest"
	mv -T "$tmp/$sub" "$dest"
	rm -rf "$tmp"
}

# glibc_needed ELF: the newest GLIBC_x.y version ELF needs (empty if none).
glibc_needed() {
	objdump -T "$1" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' |
		sort -V | tail -n 1
}

# kbuild_tree SUITE PKG: linux-kbuild package PKG of SUITE extracted into
# the cache, with programs this host's glibc cannot run replaced (see top).
kbuild_tree() {
	local s=$1 pkg=$2 dir deb host f need upver major bpkg bdeb bdir cands
	dir=$MEMATTR_CACHE/kdir/$pkg
	if [ -f "$dir/.memattr-ready" ]; then
		printf '%s\n' "$dir"
		return 0
	fi
	deb=$(fetch "$s" "$pkg")
	log "extracting $pkg"
	extract "$deb" "usr/lib/$pkg" "$dir"
	host=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
	local -a stale=()
	while IFS= read -r -d '' f; do
		[ "$(head -c 4 "$f" | tail -c 3)" = ELF ] || continue
		need=$(glibc_needed "$f")
		[ -n "$need" ] || continue
		if [ "$(printf '%s\n%s\n' "$need" "$host" | sort -V | tail -n 1)" != "$host" ]; then
			stale+=("${f#"$dir"/}")
		fi
	done < <(find "$dir" -type f -perm -u+x -print0)
	if [ ${#stale[@]} -gt 0 ]; then
		# Debian's rebuild of the same kernel for this host's release.
		upver=$(pkgver "$s" "$pkg" | sed 's/-[^-]*$//')
		major=$(. /etc/os-release && echo "$VERSION_ID")
		apt_update "$VERSION_CODENAME_HOST"
		bpkg=linux-kbuild-$upver+deb$major
		if [ -z "$(pkgver "$VERSION_CODENAME_HOST" "$bpkg")" ]; then
			cands=$(sapt "$VERSION_CODENAME_HOST" apt-cache pkgnames "linux-kbuild-${upver%.*}." |
				grep -E "^linux-kbuild-${upver%.*}\.[0-9]+\+deb$major\$" | sort -V || true)
			bpkg=$(printf '%s\n' "$cands" | tail -n 1)
			[ -n "$bpkg" ] || die "${stale[*]} of $pkg need a glibc newer than $host and" \
				"$VERSION_CODENAME_HOST has no linux-kbuild-${upver%.*}.*+deb$major to take them from"
			log "warning: no linux-kbuild-$upver+deb$major; taking ${stale[*]} from $bpkg"
		fi
		bdeb=$(fetch "$VERSION_CODENAME_HOST" "$bpkg")
		bdir=$(mktemp -d "$MEMATTR_CACHE/kdir/.tmp.XXXXXX")
		dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C "$bdir" "./usr/lib/$bpkg" ||
			die "cannot extract $bdeb"
		for f in "${stale[@]}"; do
			[ -f "$bdir/usr/lib/$bpkg/$f" ] || die "$bpkg has no $f"
			cp -f "$bdir/usr/lib/$bpkg/$f" "$dir/$f"
		done
		rm -rf "$bdir"
		log "glibc $host: took ${stale[*]} from $bpkg"
		printf '%s\n' "$bpkg" >"$dir/.memattr-programs-from"
	fi
	touch "$dir/.memattr-ready"
	printf '%s\n' "$dir"
}

VERSION_CODENAME_HOST=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$VERSION_CODENAME_HOST" ] || die "cannot tell this host's Debian release (/etc/os-release)"

apt_update "$suite"
meta=linux-headers-$arch
[ "$arch" = arm64 ] && meta=$meta:arm64
kver=$(depends "$suite" "$meta" | sed -n "s/^linux-headers-\([0-9].*-$arch\)\$/\1/p" | head -n 1)
[ -n "$kver" ] || die "cannot resolve the kernel version of $suite's $meta"
if [ "$mode" = kver ]; then
	printf '%s\n' "$kver"
	exit 0
fi

if [ "$mode" = image ]; then
	dir=$MEMATTR_CACHE/kernels/$kver
	if [ ! -s "$dir/vmlinuz" ]; then
		ipkg=linux-image-$kver
		# trixie's linux-image-KVER is the signed one; -unsigned is the same.
		[ -n "$(pkgver "$suite" "$ipkg-unsigned")" ] && ipkg=$ipkg-unsigned
		[ "$arch" = arm64 ] && ipkg=$ipkg:arm64
		deb=$(fetch "$suite" "$ipkg")
		log "extracting /boot/vmlinuz-$kver"
		mkdir -p "$MEMATTR_CACHE/kernels"
		extract "$deb" "boot" "$MEMATTR_CACHE/kernels/.boot-$kver"
		[ -s "$MEMATTR_CACHE/kernels/.boot-$kver/vmlinuz-$kver" ] ||
			die "no ./boot/vmlinuz-$kver in $deb"
		mkdir -p "$dir"
		mv -f "$MEMATTR_CACHE/kernels/.boot-$kver/vmlinuz-$kver" "$dir/vmlinuz"
		rm -rf "$MEMATTR_CACHE/kernels/.boot-$kver"
	fi
	printf '%s\n' "$dir/vmlinuz"
	exit 0
fi

tree=$MEMATTR_CACHE/kdir/$kver
# Bumped whenever what is done to a tree changes, so cached trees are redone.
stamp="kdir-other 2"
if [ "$(cat "$tree/.memattr-ready" 2>/dev/null)" = "$stamp" ]; then
	printf '%s\n' "$tree"
	exit 0
fi
command -v "${cross}gcc" >/dev/null ||
	die "no ${cross}gcc: apt-get install gcc$([ "$arch" = arm64 ] && echo -aarch64-linux-gnu)"

hpkg=linux-headers-$kver
[ "$arch" = arm64 ] && hpkg=$hpkg:arm64
deps=$(depends "$suite" "$hpkg")
cpkg=$(printf '%s\n' "$deps" | grep -E '^linux-headers-.*-common(-rt)?$' | head -n 1) ||
	die "$hpkg depends on no linux-headers-*-common"
kpkg=$(printf '%s\n' "$deps" | grep -E '^linux-kbuild-' | head -n 1) ||
	die "$hpkg depends on no linux-kbuild-*"

kbuild=$(kbuild_tree "$suite" "$kpkg")

cdir=$MEMATTR_CACHE/kdir/$cpkg
if [ ! -f "$cdir/.memattr-ready" ]; then
	deb=$(fetch "$suite" "$cpkg")
	log "extracting $cpkg"
	extract "$deb" "usr/src/$cpkg" "$cdir"
	for l in scripts tools; do
		rm -rf "${cdir:?}/$l"
		ln -s "$kbuild/$l" "$cdir/$l"
	done
	touch "$cdir/.memattr-ready"
fi

deb=$(fetch "$suite" "$hpkg")
log "extracting linux-headers-$kver"
tmp=$(mktemp -d "$MEMATTR_CACHE/kdir/.tmp.XXXXXX")
extract "$deb" "usr/src/linux-headers-$kver" "$tmp/tree"
new=$tmp/tree
for l in scripts tools; do
	rm -rf "${new:?}/$l"
	ln -s "$kbuild/$l" "$new/$l"
done
# The flavour Makefile is one line: include /usr/src/<cpkg>/Makefile
grep -q "^include /usr/src/$cpkg/Makefile\$" "$new/Makefile" ||
	die "unexpected $new/Makefile (no 'include /usr/src/$cpkg/Makefile')"
printf 'include %s/Makefile\n' "$cdir" >"$new/Makefile"
# Debian's compiler for that kernel (gcc-10, gcc-14) -> this host's gcc.
[ -f "$new/.kernelvariables" ] || die "no .kernelvariables in linux-headers-$kver"
sed -i "s/^CC = .*/CC = \$(CROSS_COMPILE)gcc/" "$new/.kernelvariables"
# 5.10 sets CROSS_COMPILE only when cross-building; name it always.
sed -i '/^ifneq (\$(DEB_BUILD_ARCH),\$(DEB_HOST_ARCH))$/,/^endif$/d' "$new/.kernelvariables"
sed -i '/^override CROSS_COMPILE = /d' "$new/.kernelvariables"
printf 'override CROSS_COMPILE = %s\n' "$cross" >>"$new/.kernelvariables"
grep -q "^override ARCH = $karch\$" "$new/.kernelvariables" ||
	die "linux-headers-$kver is not for ARCH=$karch"
# What Kconfig found in the newer compiler that gcc 12 lacks: configure the
# tree as Kconfig would have for gcc 12, in .config, auto.conf (make) and
# autoconf.h (C). OPTION:flag:OPTIONS IT IMPLIES, one a line. Without
# -fmin-function-alignment (gcc 14) the Makefile falls back to
# -falign-functions, and without CC_HAS_SANE_FUNCTION_ALIGNMENT
# compiler_types.h drops __cold, which would make gcc leave functions
# unaligned (arm64's ftrace with CALL_OPS WARNs on such a module's load).
while IFS=: read -r opt flag implied; do
	grep -q "^$opt=y\$" "$new/.config" || continue
	echo 'int x;' | "${cross}gcc" -Werror "$flag" -x c -c -o /dev/null - 2>/dev/null && continue
	log "${cross}gcc lacks $flag: unsetting $opt $implied"
	for o in $opt $implied; do
		sed -i "s/^$o=.*/# $o is not set/" "$new/.config"
		sed -i "/^$o=/d" "$new/include/config/auto.conf"
		sed -i "/^#define $o /d" "$new/include/generated/autoconf.h"
	done
done <<-EOF
	CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT:-fmin-function-alignment=16:CONFIG_CC_HAS_SANE_FUNCTION_ALIGNMENT
EOF
# Module BTF: its flags were chosen for the pahole Debian built with (1.30
# for 6.12), which bookworm's 1.24 rejects; without vmlinux Kbuild skips
# BTF for modules, which load the same without it.
rm -f "$new/vmlinux"
printf '%s\n' "$stamp" >"$new/.memattr-ready"
rm -rf "$tree"
mv -T "$new" "$tree"
rm -rf "$tmp"
log "$tree: linux-headers-$kver from $suite, $kpkg, CC=${cross}gcc"
printf '%s\n' "$tree"
