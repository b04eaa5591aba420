#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# checkpatch.pl --strict (from Debian's linux-source, never committed) over
# every C source and header of the module, UAPI, CLI, selftests and bench.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kf=$("$top/scripts/ksft-headers.sh")
cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'module/*.[ch]' 'include/*.h' 'userspace/*.[ch]' 'selftests/*.[ch]' \
	'bench/*.[ch]')
[ ${#files[@]} -gt 0 ] || { echo "style: no files" >&2; exit 1; }
# --no-tree: out of tree; C99 comments and new typedefs are the CLI's and
# tests' business, so the module's rules apply to module/ and include/ only;
# the CLI calls libraries with CamelCase names (zlib's inflateInit2).
rc=0
cp() { "$kf/scripts/checkpatch.pl" --no-tree --strict --quiet --show-types --terse "$@"; }
# module/compat.h is the one place allowed to test kernel versions.
cp --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f module/compat.h || rc=1
cp -f $(printf '%s\n' "${files[@]}" | grep -E '^(module|include)/' | grep -vx module/compat.h) || rc=1
cp --ignore NEW_TYPEDEFS,CAMELCASE,SPDX_LICENSE_TAG,PREFER_KERNEL_TYPES,SPLIT_STRING,COMMIT_LOG_LONG_LINE \
	-f $(printf '%s\n' "${files[@]}" | grep -Ev '^(module|include)/') || rc=1
exit $rc
