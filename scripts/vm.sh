#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make vm: boot a lane with memattr loaded and a shell on the console.
# usage: vm.sh --lane LANE (see scripts/lane.sh) | --arch amd64|arm64
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
lane=
case "${1:-}" in
--lane) lane=${2:?} ;;
--arch) lane=stock-${2:?} ;;
*) echo "usage: vm.sh --lane LANE | --arch ARCH" >&2; exit 2 ;;
esac
"$top/scripts/deps.sh"
exec "$top/scripts/lane.sh" --lane "$lane" --interactive
