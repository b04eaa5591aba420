#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build memattr.ko out of tree, in a private copy of the sources, so that
# builds for several kernels and architectures never share objects.
#
# usage: build-module.sh --arch amd64|arm64 --kdir DIR --out DIR [--strict]
#                        [-- EXTRA KBUILD ARGS (W=1, C=2, MEMATTR_KUNIT=m)]
# --strict fails the build when the compiler or sparse printed any warning.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch= kdir= out= strict=0
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=$2; shift 2 ;;
	--kdir) kdir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--strict) strict=1; shift ;;
	--) shift; break ;;
	*) echo "build-module: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$arch" ] && [ -n "$kdir" ] && [ -n "$out" ] ||
	{ echo "usage: build-module.sh --arch A --kdir DIR --out DIR [--strict] [-- ARGS]" >&2; exit 2; }
[ -f "$kdir/Makefile" ] || { echo "build-module: $kdir is not a kernel build tree" >&2; exit 1; }

case "$arch" in
amd64) kargs=(ARCH=x86) ;;
arm64) kargs=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
*) echo "build-module: unknown arch '$arch'" >&2; exit 2 ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/src
rm -rf "$src"
mkdir -p "$src"
cp -a "$top/Kbuild" "$top/VERSION" "$top/module" "$top/include" "$src/"

log=$out/build.log
if ! make -C "$kdir" M="$src" "${kargs[@]}" "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: build failed against $kdir" >&2
	exit 1
fi
if [ "$strict" = 1 ] && grep -E 'warning:|error:|ERROR:|WARNING:' "$log" >&2; then
	echo "build-module: warnings above (W=1/sparse must be clean)" >&2
	exit 1
fi
cp "$src"/*.ko "$out/"
echo "build-module: $(cd "$out" && ls ./*.ko | tr '\n' ' ')built against $kdir" >&2
