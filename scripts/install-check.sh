#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check's "install" step: what 'make install' and 'make dkms-install'
# put under DESTDIR, file by file, and 'systemd-analyze verify' and
# 'security' on the units installed. Prints TAP.
#
# systemd-analyze runs offline (no systemd is running here): --root= an
# image made of the DESTDIR install, the host's own units (for
# sysinit.target and the like) and /bin/sh; MANPATH points at the installed
# man page, which Documentation=man:memattr(8) must name. Any output is a
# failure, warnings included (an unknown key is only a warning).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(cat VERSION)

# shellcheck source=scripts/tap-host.sh
. scripts/tap-host.sh

# files DIR: every file and link under DIR, relative, sorted
files() {
	(cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
}

unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null ||
	echo /usr/lib/systemd/system)
unitdir=${unitdir#/}
# What 'make install' installs: this list is the contract (README,
# debian/), updated with it. The rules file comes with contrib/prometheus.
expected_install="etc/default/memattr
etc/modprobe.d/memattr.conf
$unitdir/memattr-export.service
$unitdir/memattr-export.timer
$unitdir/memattr-watch.service
PREFIX/bin/memattr
PREFIX/lib/modules-load.d/memattr.conf
PREFIX/share/bash-completion/completions/memattr
PREFIX/share/man/man8/memattr.8"
if [ -e contrib/prometheus/memattr-rules.yml ]; then
	expected_install+=$'\n'"PREFIX/share/memattr/memattr-rules.yml"
fi

echo "TAP version 13"
echo "1..11"

for prefix in /usr /usr/local; do
	d=$tmp/install${prefix//\//-}
	make -s install DESTDIR="$d" PREFIX="$prefix" >"$tmp/make.log" 2>&1
	result $? "make install DESTDIR=... PREFIX=$prefix"
	[ -s "$tmp/make.log" ] && sed 's/^/#   /' "$tmp/make.log" | tail -n 20
	same "PREFIX=$prefix: the files installed" \
		"$(LC_ALL=C sort <<<"${expected_install//PREFIX\//${prefix#/}/}")" \
		"$(files "$d")"
done

# The units name the installed binary and config file.
exec_lines=$(grep -h '^ExecStart=' "$tmp/install-usr-local/$unitdir"/memattr-*.service)
! grep -q '/usr/bin/memattr' <<<"$exec_lines" &&
	[ "$(grep -c '/usr/local/bin/memattr' <<<"$exec_lines")" = 2 ]
result $? "PREFIX=/usr/local: the units run /usr/local/bin/memattr"

# The modprobe.d example sets every module parameter (module/params.c).
params=$(sed -n 's/^module_param_cb(\([a-z_0-9]*\),.*/\1/p' module/params.c | LC_ALL=C sort)
example=$(sed -n 's/^#options memattr //p' "$tmp/install-usr/etc/modprobe.d/memattr.conf" |
	tr ' ' '\n' | sed -n 's/=.*//p' | LC_ALL=C sort)
same "modprobe.d/memattr.conf: every parameter of module/params.c" "$params" "$example"

# systemd-analyze verify, offline, on the PREFIX=/usr install.
root=$tmp/install-usr
mkdir -p "$root/bin" "$root/$unitdir"
cp -a "/$unitdir/." "$root/$unitdir/"
cp -L /bin/sh "$root/bin/sh"
out=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" \
	memattr-watch.service memattr-export.service memattr-export.timer 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -z "$out" ]
result $? "systemd-analyze verify: the three units, no error, no warning"
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/#   /'

# Their sandboxing: systemd's exposure score, 0 (best) to 10, at most 3
# ("OK"): memattr-watch.service 1.9, memattr-export.service 2.1 when written.
for u in memattr-watch.service memattr-export.service; do
	out=$(systemd-analyze security --offline=true --root="$root" \
		--threshold=30 "$u" 2>&1)
	rc=$?
	[ "$rc" = 0 ]
	result $? "systemd-analyze security: $u: $(tail -n1 <<<"$out" |
		sed 's/.*exposure level for [^:]*: //; s/ [^ ]*$//')"
	[ "$rc" = 0 ] || tail -n 30 <<<"$out" | sed 's/^/#   /'
done

# make dkms-install: dkms.conf, Kbuild, VERSION, the UAPI header and the
# module's sources (not its KUnit tests), nothing else.
d=$tmp/dkms
make -s dkms-install DESTDIR="$d" >"$tmp/make.log" 2>&1
result $? "make dkms-install DESTDIR=..."
[ -s "$tmp/make.log" ] && sed 's/^/#   /' "$tmp/make.log" | tail -n 20
same "dkms-install: the files installed" \
	"$( { printf "usr/src/memattr-$ver/%s\n" dkms.conf Kbuild VERSION \
		include/uapi/linux/memattr.h
	      git ls-files 'module/*.[ch]' | grep -v '^module/tests/' |
		sed "s|^|usr/src/memattr-$ver/|"; } | LC_ALL=C sort)" \
	"$(files "$d")"

[ "$failed" = 0 ]
