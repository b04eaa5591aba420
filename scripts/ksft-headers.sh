#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the kernel files memattr's checks borrow (never committed) from
# Debian's linux-source package into the cache, once per source version:
# the kselftest harness headers and checkpatch.pl with its data files.
# Prints the directory; tools/testing/selftests/ and scripts/ live under it.
set -euo pipefail

cache=${MEMATTR_CACHE:-/var/cache/memattr}
tarball=$(ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
if [ -z "$tarball" ]; then
	echo "ksft-headers: no /usr/src/linux-source-*.tar.xz; apt-get install linux-source" >&2
	exit 1
fi
base=$(basename "$tarball" .tar.xz)
ver=$(dpkg-query -W -f='${Version}' "$base" 2>/dev/null || echo unknown)
dir=$cache/kernel-files/$base-$ver

if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -C "$dir.tmp" --strip-components=1 -xJf "$tarball" \
		"$base/tools/testing/selftests/kselftest_harness.h" \
		"$base/tools/testing/selftests/kselftest.h" \
		"$base/scripts/checkpatch.pl" \
		"$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
	touch "$dir.tmp/.done"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir"
