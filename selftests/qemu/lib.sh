# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# lib.sh - helpers for the memattr QEMU guest harness (source it, don't run it).
#
# Usage: source selftests/qemu/lib.sh
#        memattr_kver ARCH [rt]       -> e.g. 6.1.0-56-amd64   (ARCH: amd64|arm64)
#        memattr_fetch_deb PKG        -> path of the downloaded .deb
#        memattr_kernel_image ARCH [rt] -> path of the stock Debian vmlinuz for ARCH
#        memattr_busybox ARCH         -> path of a static busybox for ARCH
#        memattr_arm64_kdir [rt]      -> cross-build-ready arm64 headers tree
#        memattr_kernel_modules ARCH MOD... -> a directory holding MOD.ko of
#                                        the stock kernel (e.g. ramoops)
#
# The optional 'rt' picks Debian's PREEMPT_RT flavour (linux-image-rt-ARCH,
# e.g. 6.1.0-56-rt-arm64) instead of the standard one.
#
# Every function prints its result on stdout and its chatter on stderr, is
# idempotent, and returns in well under a second once the cache is warm.
# Downloads and extracted trees live in $MEMATTR_CACHE, never in the repo.
# Nothing here hardcodes a kernel ABI number: it is resolved from the Debian
# meta packages (linux-image-amd64, linux-image-arm64, linux-image-rt-*) at
# run time.

: "${MEMATTR_CACHE:=/var/cache/memattr}"

memattr_log() {
	printf 'memattr: %s\n' "$*" >&2
}

memattr_die() {
	printf 'memattr: error: %s\n' "$*" >&2
	return 1
}

# _memattr_mktemp_in DIR: a fresh temporary directory inside DIR (same file
# system, so the final rename into place is atomic and concurrent callers
# never see half-extracted trees).
_memattr_mktemp_in() {
	mkdir -p "$1" && mktemp -d "$1/.tmp.XXXXXX"
}

# apt-cache re-parses every package list on each call here (no pkgcache.bin),
# about a second per call; its answers are memoised in $MEMATTR_CACHE/apt-memo
# and reused for as long as the package lists and dpkg's state are unchanged.
_memattr_apt_stamp() {
	{
		stat -c '%n %s %Y' /var/lib/apt/lists /var/lib/apt/lists/* \
			/var/lib/dpkg/status /var/lib/dpkg/arch /etc/apt/preferences.d 2>/dev/null
	} | md5sum | cut -d' ' -f1
}

# _memattr_apt_memo KEY CMD...: print CMD's stdout, from the memo if fresh.
# An empty or failed answer is never memoised.
_memattr_apt_memo() {
	local key=$1 memo stamp out tmp
	shift
	memo=$MEMATTR_CACHE/apt-memo/${key//[^A-Za-z0-9._+-]/_}
	stamp=$(_memattr_apt_stamp)
	if [[ -f $memo ]] && [[ $(head -n 1 "$memo") == "$stamp" ]]; then
		tail -n +2 "$memo"
		return 0
	fi
	out=$("$@") || return 1
	[[ -n $out ]] || return 0
	if mkdir -p "${memo%/*}" 2>/dev/null && tmp=$(mktemp "$memo.XXXXXX" 2>/dev/null); then
		printf '%s\n%s\n' "$stamp" "$out" >"$tmp" && mv -f "$tmp" "$memo"
	fi
	printf '%s\n' "$out"
}

_memattr_apt_show_raw() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		awk -F': ' '/^Package: /{p=$2} /^Version: /{v=$2} /^Architecture: /{a=$2}
			/^$/{if (p) exit} END{if (p && v && a) print p, v, a}'
}

# _memattr_apt_show PKG: print "name version arch" of PKG's candidate, running
# 'apt-get update' once if the package lists do not know it yet.
_memattr_apt_show() {
	local pkg=$1 out
	out=$(_memattr_apt_memo "show-$pkg" _memattr_apt_show_raw "$pkg") || true
	if [[ -z $out && -z ${_MEMATTR_APT_UPDATED:-} ]]; then
		memattr_log "apt does not know '$pkg' yet; running apt-get update"
		_MEMATTR_APT_UPDATED=1
		apt-get update -qq >&2 || memattr_die "apt-get update failed" || return 1
		_memattr_apt_show "$pkg"
		return
	fi
	[[ -n $out ]] || memattr_die "apt has no candidate for '$pkg'" \
		"(for :arm64 packages run: dpkg --add-architecture arm64 && apt-get update)" || return 1
	printf '%s\n' "$out"
}

_memattr_check_arch() {
	case ${1:-} in
	amd64 | arm64) ;;
	*) memattr_die "ARCH must be amd64 or arm64, got '${1:-}'" || return 1 ;;
	esac
}

# _memattr_check_flavour FLAVOUR: empty (the standard kernel) or rt.
_memattr_check_flavour() {
	case ${1:-} in
	'' | rt) ;;
	*) memattr_die "the kernel flavour must be rt or nothing, got '${1:-}'" || return 1 ;;
	esac
}

_memattr_kver_raw() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: linux-image-\([0-9][^:]*-$2\)\(:.*\)\?\$/\1/p" | head -n 1
}

# memattr_kver ARCH [rt]: the kernel ABI version that Debian's meta package
# for ARCH (linux-image-ARCH, or linux-image-rt-ARCH) depends on today,
# e.g. 6.1.0-56-amd64 or 6.1.0-56-rt-arm64.
memattr_kver() {
	local arch=${1:-} flavour=${2:-} meta kver suffix
	_memattr_check_arch "$arch" || return 1
	_memattr_check_flavour "$flavour" || return 1
	suffix=${flavour:+$flavour-}$arch
	meta=linux-image-$suffix
	[[ $arch == amd64 ]] || meta+=:$arch
	_memattr_apt_show "$meta" >/dev/null || return 1
	kver=$(_memattr_apt_memo "kver-$suffix" _memattr_kver_raw "$meta" "$suffix") || true
	[[ -n $kver ]] || memattr_die "cannot resolve the kernel version of '$meta' (apt-cache depends)" || return 1
	printf '%s\n' "$kver"
}

# memattr_fetch_deb PKG: 'apt-get download' PKG (name or name:arch) into
# $MEMATTR_CACHE/debs unless that exact version is there; print its path.
memattr_fetch_deb() {
	local pkg=${1:-} info name ver arch deb dir tmp
	[[ -n $pkg ]] || memattr_die "usage: memattr_fetch_deb PKG" || return 1
	info=$(_memattr_apt_show "$pkg") || return 1
	read -r name ver arch <<<"$info"
	dir=$MEMATTR_CACHE/debs
	deb=$dir/${name}_${ver//:/%3a}_${arch}.deb
	if [[ -s $deb ]]; then
		printf '%s\n' "$deb"
		return 0
	fi
	memattr_log "downloading $name $ver ($arch)"
	tmp=$(_memattr_mktemp_in "$dir") || return 1
	# The cache is not readable by _apt: download as root without the warning.
	if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$name:$arch=$ver" >&2); then
		rm -rf "$tmp"
		memattr_die "apt-get download $name:$arch=$ver failed" || return 1
	fi
	[[ -s $tmp/${deb##*/} ]] || {
		rm -rf "$tmp"
		memattr_die "apt-get download did not produce ${deb##*/}" || return 1
	}
	mv -f "$tmp/${deb##*/}" "$deb"
	rm -rf "$tmp"
	printf '%s\n' "$deb"
}

# _memattr_extract DEB DIR MEMBER...: extract the given members of DEB's data
# tarball (paths like ./boot/vmlinuz-X) below DIR.
_memattr_extract() {
	local deb=$1 dir=$2
	shift 2
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" "$@"
}

# _memattr_check_arm64_image FILE: qemu-system-aarch64 -kernel takes a raw
# arm64 Image ('ARMd' at 0x38; what Debian 12 ships as vmlinuz, 32 MB) or a
# gzip-compressed one (it gunzips that itself), but QEMU 7.2 cannot boot an
# EFI zboot image ('zimg' at offset 4): unpack a gzip zboot payload, refuse
# anything else.
_memattr_check_arm64_image() {
	local f=$1 magic off size comp
	magic=$(od -An -c -j 56 -N 4 "$f" | tr -d ' ')
	[[ $magic == ARMd ]] && return 0
	[[ $(od -An -tx1 -N 2 "$f" | tr -d ' ') == 1f8b ]] && return 0
	if [[ $(od -An -c -j 4 -N 4 "$f" | tr -d ' ') == zimg ]]; then
		off=$(od -An -tu4 -j 8 -N 4 "$f" | tr -d ' ')
		size=$(od -An -tu4 -j 12 -N 4 "$f" | tr -d ' ')
		comp=$(od -An -c -j 24 -N 4 "$f" | tr -d ' \\0')
		if [[ $comp == gzip ]]; then
			memattr_log "unpacking the EFI zboot image $f"
			tail -c +$((off + 1)) "$f" | head -c "$size" | gunzip >"$f.raw" && mv -f "$f.raw" "$f" &&
				_memattr_check_arm64_image "$f"
			return
		fi
		memattr_die "$f is an EFI zboot image compressed with '$comp', which this qemu cannot boot" || return 1
	fi
	memattr_die "$f is not an arm64 Image" || return 1
}

# memattr_kernel_image ARCH [rt]: the stock Debian kernel for ARCH, extracted
# once to $MEMATTR_CACHE/kernels/<kver>/vmlinuz; prints that path. Both are
# given to QEMU's -kernel as shipped (amd64: bzImage; arm64: see above).
memattr_kernel_image() {
	local arch=${1:-} kver dir out deb tmp pkg
	_memattr_check_arch "$arch" || return 1
	kver=$(memattr_kver "$arch" "${2:-}") || return 1
	dir=$MEMATTR_CACHE/kernels/$kver
	out=$dir/vmlinuz
	if [[ -s $out ]]; then
		printf '%s\n' "$out"
		return 0
	fi
	pkg=linux-image-$kver
	[[ $arch == arm64 ]] && pkg+=:arm64
	deb=$(memattr_fetch_deb "$pkg") || return 1
	memattr_log "extracting /boot/vmlinuz-$kver"
	tmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/kernels") || return 1
	if ! _memattr_extract "$deb" "$tmp" "./boot/vmlinuz-$kver"; then
		rm -rf "$tmp"
		memattr_die "no ./boot/vmlinuz-$kver in $deb" || return 1
	fi
	if [[ $arch == arm64 ]] && ! _memattr_check_arm64_image "$tmp/boot/vmlinuz-$kver"; then
		rm -rf "$tmp"
		return 1
	fi
	mkdir -p "$dir"
	mv -f "$tmp/boot/vmlinuz-$kver" "$out"
	rm -rf "$tmp"
	printf '%s\n' "$out"
}

# memattr_kernel_modules ARCH PATH...: modules of the stock Debian kernel for
# ARCH, by their path below the kernel's module tree (fs/pstore/ramoops.ko),
# extracted once to $MEMATTR_CACHE/kernels/<kver>/modules/ as NAME.ko
# (uncompressed); prints that directory.
memattr_kernel_modules() {
	local arch=${1:-} kver dir deb tmp pkg rel m f pats
	_memattr_check_arch "$arch" || return 1
	shift
	kver=$(memattr_kver "$arch") || return 1
	dir=$MEMATTR_CACHE/kernels/$kver/modules
	for rel in "$@"; do
		[[ -s $dir/$(basename "$rel") ]] || break
		rel=
	done
	if [[ -z ${rel:-} ]]; then
		printf '%s\n' "$dir"
		return 0
	fi
	pkg=linux-image-$kver
	[[ $arch == arm64 ]] && pkg+=:arm64
	deb=$(memattr_fetch_deb "$pkg") || return 1
	tmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/kernels") || return 1
	pats=()
	for rel in "$@"; do
		pats+=("*/modules/$kver/kernel/${rel%.ko}.ko*")
	done
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "${pats[@]}" 2>/dev/null || true
	mkdir -p "$dir"
	for rel in "$@"; do
		m=$(basename "$rel" .ko)
		f=$(find "$tmp" -path "*/modules/$kver/kernel/${rel%.ko}.ko*" | head -n 1)
		if [[ -z $f ]]; then
			rm -rf "$tmp"
			memattr_die "no $rel in $deb" || return 1
		fi
		case $f in
		*.xz) xz -dc "$f" >"$dir/$m.ko.tmp" ;;
		*.zst) zstd -qdc "$f" >"$dir/$m.ko.tmp" ;;
		*) cp "$f" "$dir/$m.ko.tmp" ;;
		esac
		mv -f "$dir/$m.ko.tmp" "$dir/$m.ko"
	done
	rm -rf "$tmp"
	printf '%s\n' "$dir"
}

# _memattr_is_static FILE: true if FILE is an ELF without a PT_INTERP.
_memattr_is_static() {
	[[ -f $1 ]] && ! readelf -lW "$1" 2>/dev/null | grep -q 'Requesting program interpreter' &&
		readelf -hW "$1" >/dev/null 2>&1
}

# memattr_busybox ARCH: path of a statically linked busybox for ARCH.
# amd64 uses the host's busybox-static; arm64 (or amd64 without it) comes
# from the busybox-static deb extracted into the cache.
memattr_busybox() {
	local arch=${1:-} info name ver a dir out deb tmp pkg
	_memattr_check_arch "$arch" || return 1
	if [[ $arch == amd64 ]] && _memattr_is_static /bin/busybox; then
		printf '%s\n' /bin/busybox
		return 0
	fi
	pkg=busybox-static:$arch
	info=$(_memattr_apt_show "$pkg") || return 1
	read -r name ver a <<<"$info"
	dir=$MEMATTR_CACHE/busybox/${ver//[^A-Za-z0-9.+-]/_}_$a
	out=$dir/busybox
	if [[ -s $out ]]; then
		printf '%s\n' "$out"
		return 0
	fi
	deb=$(memattr_fetch_deb "$pkg") || return 1
	tmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/busybox") || return 1
	if ! _memattr_extract "$deb" "$tmp" ./bin/busybox; then
		rm -rf "$tmp"
		memattr_die "no ./bin/busybox in $deb" || return 1
	fi
	_memattr_is_static "$tmp/bin/busybox" || {
		rm -rf "$tmp"
		memattr_die "busybox from $deb is not a static ELF" || return 1
	}
	mkdir -p "$dir"
	mv -f "$tmp/bin/busybox" "$out"
	rm -rf "$tmp"
	printf '%s\n' "$out"
}

# memattr_jq ARCH: path of a jq program for ARCH, for the guest tests that
# check the CLI's JSON. amd64 uses the host's; arm64's comes from the jq deb
# extracted into the cache. Its libraries (libjq1, libonig5, Multi-Arch:
# same) are installed for arm64 by scripts/deps.sh, where mkinitramfs.sh's
# --bin finds them.
memattr_jq() {
	local arch=${1:-} info name ver a dir out deb tmp pkg
	_memattr_check_arch "$arch" || return 1
	if [[ $arch == amd64 ]]; then
		command -v jq || memattr_die "no jq: apt-get install jq" || return 1
		return 0
	fi
	pkg=jq:$arch
	info=$(_memattr_apt_show "$pkg") || return 1
	read -r name ver a <<<"$info"
	dir=$MEMATTR_CACHE/jq/${ver//[^A-Za-z0-9.+-]/_}_$a
	out=$dir/jq
	if [[ -s $out ]]; then
		printf '%s\n' "$out"
		return 0
	fi
	deb=$(memattr_fetch_deb "$pkg") || return 1
	tmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/jq") || return 1
	if ! _memattr_extract "$deb" "$tmp" ./usr/bin/jq; then
		rm -rf "$tmp"
		memattr_die "no ./usr/bin/jq in $deb" || return 1
	fi
	mkdir -p "$dir"
	mv -f "$tmp/usr/bin/jq" "$out"
	rm -rf "$tmp"
	printf '%s\n' "$out"
}

# _memattr_fix_kbuild_links TREE KBUILD: point TREE/scripts and TREE/tools at
# the host's linux-kbuild (host-arch helper programs work for any target).
_memattr_fix_kbuild_links() {
	local t=$1 kb=$2 l
	for l in scripts tools; do
		rm -rf "${t:?}/$l"
		ln -s "$kb/$l" "$t/$l"
	done
}

# memattr_arm64_kdir [rt]: a Debian arm64 kernel headers tree, for the same
# kver as memattr_kernel_image arm64 [rt], usable from this amd64 host with
#   make -C "$(memattr_arm64_kdir)" M=... ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# Prints the tree (the directory holding .config and Module.symvers). The
# flavour's headers include a -common (or -common-rt) package's Makefile;
# when the host lacks that package it is fetched and extracted here too.
memattr_arm64_kdir() {
	local kver majmin kbuild tree deb tmp inc common cpkg cdir
	kver=$(memattr_kver arm64 "${1:-}") || return 1
	tree=$MEMATTR_CACHE/kdir/$kver
	if [[ -e $tree/.memattr-ready ]]; then
		printf '%s\n' "$tree"
		return 0
	fi
	majmin=$(printf '%s\n' "$kver" | sed -n 's/^\([0-9]\+\.[0-9]\+\).*/\1/p')
	kbuild=/usr/lib/linux-kbuild-$majmin
	[[ -d $kbuild/scripts && -d $kbuild/tools ]] ||
		memattr_die "$kbuild is missing: apt-get install linux-kbuild-$majmin" || return 1
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		memattr_die "no cross compiler: apt-get install gcc-aarch64-linux-gnu" || return 1

	deb=$(memattr_fetch_deb "linux-headers-$kver:arm64") || return 1
	tmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/kdir") || return 1
	memattr_log "extracting linux-headers-$kver (arm64)"
	if ! _memattr_extract "$deb" "$tmp" "./usr/src/linux-headers-$kver"; then
		rm -rf "$tmp"
		memattr_die "cannot extract $deb" || return 1
	fi
	local new=$tmp/usr/src/linux-headers-$kver
	_memattr_fix_kbuild_links "$new" "$kbuild"

	# The flavour Makefile is one line: include /usr/src/linux-headers-<ver>-common/Makefile
	inc=$(sed -n 's/^include[[:space:]]\+\(\/.*\/Makefile\)[[:space:]]*$/\1/p' "$new/Makefile" | head -n 1)
	[[ -n $inc ]] || {
		rm -rf "$tmp"
		memattr_die "unexpected $new/Makefile (no 'include .../Makefile')" || return 1
	}
	common=${inc%/Makefile}
	# MEMATTR_FORCE_CACHED_COMMON=1 takes the no-host-headers path (for testing).
	if [[ -n ${MEMATTR_FORCE_CACHED_COMMON:-} || ! -f $common/Makefile ]]; then
		cpkg=${common##*/}
		cdir=$MEMATTR_CACHE/kdir/$cpkg
		if [[ ! -f $cdir/.memattr-ready ]]; then
			local cdeb ctmp
			cdeb=$(memattr_fetch_deb "$cpkg") || {
				rm -rf "$tmp"
				return 1
			}
			ctmp=$(_memattr_mktemp_in "$MEMATTR_CACHE/kdir") || return 1
			memattr_log "extracting $cpkg"
			_memattr_extract "$cdeb" "$ctmp" "./usr/src/$cpkg" || {
				rm -rf "$tmp" "$ctmp"
				memattr_die "cannot extract $cdeb" || return 1
			}
			_memattr_fix_kbuild_links "$ctmp/usr/src/$cpkg" "$kbuild"
			touch "$ctmp/usr/src/$cpkg/.memattr-ready"
			rm -rf "$cdir"
			mv -T "$ctmp/usr/src/$cpkg" "$cdir"
			rm -rf "$ctmp"
		fi
		memattr_log "using $cdir (instead of $common)"
		printf 'include %s/Makefile\n' "$cdir" >"$new/Makefile"
	fi

	touch "$new/.memattr-ready"
	rm -rf "$tree"
	mv -T "$new" "$tree"
	rm -rf "$tmp"
	printf '%s\n' "$tree"
}
