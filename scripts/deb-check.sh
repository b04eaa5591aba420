#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check's "deb" step: build the Debian packages (debian/) from a copy
# of the tree, for amd64 and, cross, for arm64; check what they hold; install
# memattr-dkms on this host so that DKMS builds the module against the
# installed Debian headers (building only: the host cannot load it), then
# purge it and check that nothing of it is left. Prints TAP.
#
# The host's dpkg database, /usr/src, /var/lib/dkms and /lib/modules are
# changed for the length of the test, under a lock in $MEMATTR_CACHE.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=../selftests/qemu/lib.sh
. selftests/qemu/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(cat VERSION)
kver=$(memattr_kver amd64)

# shellcheck source=scripts/tap-host.sh
. scripts/tap-host.sh

# files DEB: its files and links, without ./, sorted
files() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./||' |
		LC_ALL=C sort
}

apt() {
	DEBIAN_FRONTEND=noninteractive apt-get -y -q \
		-o DPkg::Lock::Timeout=300 "$@"
}

# what memattr-dkms may leave behind: none of it
leftovers() {
	{
		ls -d /usr/src/memattr-* /var/lib/dkms/memattr
		find /lib/modules/*/updates -name 'memattr*'
	} 2>/dev/null
}

echo "TAP version 13"
echo "1..12"

[ "$(dpkg-parsechangelog -S Version)" = "$ver" ]
result $? "debian/changelog's version is VERSION ($ver)"

# Both builds side by side, each from its own copy (dpkg-buildpackage
# writes into the tree and its parent).
status_before=$(git status --porcelain)
t=$SECONDS
for arch in amd64 arm64; do
	mkdir -p "$tmp/$arch/memattr"
	git ls-files -co --exclude-standard -z |
		xargs -0 tar -cf - | tar -xf - -C "$tmp/$arch/memattr"
	(
		cd "$tmp/$arch/memattr" &&
		dpkg-buildpackage -b -us -uc -a "$arch" >"$tmp/$arch.log" 2>&1
		echo $? >"$tmp/$arch.rc"
	) &
done
wait
echo "# both builds: $((SECONDS - t)) s"
for arch in amd64 arm64; do
	[ "$(cat "$tmp/$arch.rc")" = 0 ]
	result $? "dpkg-buildpackage -b -us -uc -a $arch"
	[ "$(cat "$tmp/$arch.rc")" = 0 ] || tail -n 20 "$tmp/$arch.log" | sed 's/^/#   /'
done
[ "$(git status --porcelain)" = "$status_before" ]
result $? "the packages are built out of the tree: it is left as it was"

# memattr: the files of 'make install' (scripts/install-check.sh), with
# the man page compressed, plus Debian's doc files. Each one is named in
# README's "Packages and services" table.
expected="etc/default/memattr
lib/systemd/system/memattr-export.service
lib/systemd/system/memattr-export.timer
lib/systemd/system/memattr-watch.service
usr/bin/memattr
usr/share/bash-completion/completions/memattr
usr/share/doc/memattr/changelog.gz
usr/share/doc/memattr/copyright
usr/share/man/man8/memattr.8.gz"
if [ -e contrib/prometheus/memattr-rules.yml ]; then
	expected+=$'\n'"usr/share/memattr/memattr-rules.yml"
fi
expected=$(LC_ALL=C sort <<<"$expected")
same "memattr_${ver}_amd64.deb: its files" "$expected" \
	"$(files "$tmp/amd64/memattr_${ver}_amd64.deb")"
same "memattr_${ver}_arm64.deb: its files" "$expected" \
	"$(files "$tmp/arm64/memattr_${ver}_arm64.deb")"
dpkg-deb --fsys-tarfile "$tmp/arm64/memattr_${ver}_arm64.deb" |
	tar -xO ./usr/bin/memattr | file - | grep -q 'ARM aarch64'
result $? "memattr_${ver}_arm64.deb: /usr/bin/memattr is an arm64 program"
undocumented=
while IFS= read -r f; do
	grep -qF "/${f%.gz}" README.md || undocumented+=" /$f"
done < <(grep -v "^usr/share/doc/" <<<"$expected")
[ -z "$undocumented" ]
result $? "README names where each of memattr's files lands"
[ -n "$undocumented" ] && echo "#   not in README.md:$undocumented"

# memattr-dkms: what make dkms-install installs, the module's modprobe.d
# and modules-load.d files (moved here by debian/rules), Debian's doc files.
same "memattr-dkms_${ver}_all.deb: its files" \
	"$( { printf "usr/src/memattr-$ver/%s\n" dkms.conf Kbuild VERSION \
		include/uapi/linux/memattr.h
	      printf '%s\n' etc/modprobe.d/memattr.conf \
		usr/lib/modules-load.d/memattr.conf
	      git ls-files 'module/*.[ch]' | grep -v '^module/tests/' |
		sed "s|^|usr/src/memattr-$ver/|"
	      printf 'usr/share/doc/memattr-dkms/%s\n' changelog.gz copyright
	    } | LC_ALL=C sort)" \
	"$(files "$tmp/amd64/memattr-dkms_${ver}_all.deb")"

# Installed on this host: DKMS builds memattr.ko for the Debian headers.
mkdir -p "$MEMATTR_CACHE"
exec 9>"$MEMATTR_CACHE/.deb-check.lock"
flock 9
if dpkg-query -W memattr-dkms >/dev/null 2>&1; then
	echo "# purging a memattr-dkms left by an earlier run"
	apt purge memattr-dkms >/dev/null 2>&1
fi
left=$(leftovers)
[ -z "$left" ]
result $? "before: nothing of memattr under /usr/src, /var/lib/dkms, /lib/modules/*/updates"
[ -n "$left" ] && printf '#   %s\n' "$left"
ko=/lib/modules/$kver/updates/dkms/memattr.ko
t=$SECONDS
if apt install "$tmp/amd64/memattr-dkms_${ver}_all.deb" >"$tmp/install.log" 2>&1; then
	dkms status memattr | grep -q "^memattr/$ver, $kver, x86_64: installed" &&
		modinfo -F vermagic "$ko" | grep -q "^$kver "
	result $? "apt-get install memattr-dkms: DKMS built and installed memattr.ko for $kver"
	dkms status memattr | sed 's/^/#   /'
else
	result 1 "apt-get install memattr-dkms: DKMS built and installed memattr.ko for $kver"
	tail -n 30 "$tmp/install.log" | sed 's/^/#   /'
	find /var/lib/dkms/memattr -name make.log -exec tail -n 20 {} \; 2>/dev/null |
		sed 's/^/#   /'
fi
echo "# install (the DKMS build): $((SECONDS - t)) s"
t=$SECONDS
apt purge memattr-dkms >"$tmp/purge.log" 2>&1
rc=$?
echo "# purge: $((SECONDS - t)) s"
left=$(leftovers)
[ "$rc" = 0 ] && [ -z "$left" ] && ! dpkg-query -W memattr-dkms >/dev/null 2>&1
result $? "apt-get purge memattr-dkms: nothing of it is left"
[ -n "$left" ] && printf '#   %s\n' "$left"
[ "$rc" = 0 ] || tail -n 20 "$tmp/purge.log" | sed 's/^/#   /'

[ "$failed" = 0 ]
