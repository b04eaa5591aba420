#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel build tree `make` uses when KDIR is not given: the running
# kernel's, else the newest Debian amd64 headers installed. Says which.
set -euo pipefail

kdir=/lib/modules/$(uname -r)/build
if [ ! -d "$kdir" ]; then
	kdir=$(ls -1d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
fi
if [ -z "$kdir" ] || [ ! -d "$kdir" ]; then
	echo "kdir: no kernel headers; apt-get install linux-headers-amd64 (or make KDIR=...)" >&2
	exit 1
fi
echo "kdir: using $kdir" >&2
echo "$kdir"
