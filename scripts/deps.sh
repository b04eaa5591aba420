#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what building and testing memattr needs, from Debian's archive.
# Idempotent: does nothing (and needs no network) when all is there.
set -euo pipefail

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod file
	xz-utils zstd python3 jq sparse dkms
	linux-headers-amd64 linux-source busybox-static
	qemu-system-x86 qemu-system-arm
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	libmnl-dev libmnl-dev:arm64 zlib1g-dev zlib1g-dev:arm64
	libjq1:arm64 libonig5:arm64
	clang libclang-rt-14-dev
	prometheus
	bash-completion debhelper dh-dkms
	golang-go
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done

# The stock-amd64 lane boots the kernel linux-image-amd64 names today, so the
# module must be built against exactly that version's headers.
need_update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	need_update=1
fi
[ ${#missing[@]} -gt 0 ] && need_update=1

if [ "$need_update" = 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages (${missing[*]}); run as root" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]:-(package lists only)}" >&2
	apt-get update -q >&2
fi

# Resolve after the lists are current: the meta package names the ABI.
kver=$(apt-cache depends linux-image-amd64 2>/dev/null |
       sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1)
if [ -z "$kver" ]; then
	echo "deps: cannot resolve linux-image-amd64's version" >&2
	exit 1
fi
if [ ! -d "/usr/src/linux-headers-$kver" ]; then
	missing+=("linux-headers-$kver")
fi

if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2
fi
