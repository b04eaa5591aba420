#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make dkms-check: dkms add, build and remove memattr, as 'make
# dkms-install' installs it, against the Debian amd64 headers
# linux-headers-amd64 names today, in private DKMS and source trees (the
# system's /var/lib/dkms and /usr/src are not touched).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../selftests/qemu/lib.sh
. "$top/selftests/qemu/lib.sh"

ver=$(cat "$top/VERSION")
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
if [ "$ver" != "$conf_ver" ]; then
	echo "dkms-check: dkms.conf PACKAGE_VERSION $conf_ver != VERSION $ver" >&2
	exit 1
fi
kver=$(memattr_kver amd64)
[ -d "/lib/modules/$kver/build" ] ||
	{ echo "dkms-check: no /lib/modules/$kver/build (linux-headers-$kver)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dkms"
make -s -C "$top" dkms-install DESTDIR="$tmp/root"
d=(dkms --sourcetree "$tmp/root/usr/src" --dkmstree "$tmp/dkms")

"${d[@]}" add -m memattr -v "$ver"
if ! "${d[@]}" build -m memattr -v "$ver" -k "$kver"; then
	cat "$tmp/dkms/memattr/$ver/build/make.log" >&2 || true
	exit 1
fi
ko=$(find "$tmp/dkms/memattr/$ver/$kver" -name memattr.ko | head -n1)
[ -n "$ko" ] || { echo "dkms-check: dkms built no memattr.ko" >&2; exit 1; }
modinfo -F vermagic "$ko" | grep -q "^$kver " ||
	{ echo "dkms-check: $ko has the wrong vermagic" >&2; exit 1; }
"${d[@]}" remove -m memattr -v "$ver" --all
[ ! -e "$tmp/dkms/memattr/$ver" ] ||
	{ echo "dkms-check: dkms remove left $tmp/dkms/memattr/$ver" >&2; exit 1; }
echo "dkms-check: built memattr $ver for $kver and removed it"
