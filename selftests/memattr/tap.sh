# SPDX-License-Identifier: GPL-2.0-only
#
# TAP for the guest's shell tests (busybox sh). Source it, call tap_plan N,
# then one tap_* per result; end with tap_done, which exits 0 when every
# planned result passed.
#
#   tap_ok DESC CMD...        ok when CMD succeeds
#   tap_is DESC GOT WANT      ok when the strings are equal
#   tap_near DESC GOT WANT PCT [SLACK]
#                             ok when |GOT - WANT| <= WANT * PCT / 100 + SLACK
#                             (integers)
#   tap_diag MSG...           a "# MSG" line
# Failures print what was expected and got as diagnostics.

_tap_n=0
_tap_fail=0
_tap_plan=0
_tap_name=${TAP_NAME:-$(basename "$0" .sh)}

tap_plan() {
	_tap_plan=$1
	echo "1..$1"
}

tap_diag() {
	echo "# $*"
}

_tap_result() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n $_tap_name: $2"
	else
		_tap_fail=$((_tap_fail + 1))
		echo "not ok $_tap_n $_tap_name: $2"
	fi
}

tap_ok() {
	_d=$1
	shift
	if "$@"; then
		_tap_result 0 "$_d"
	else
		_tap_result 1 "$_d"
		tap_diag "  failed: $*"
	fi
}

tap_is() {
	if [ "$2" = "$3" ]; then
		_tap_result 0 "$1"
	else
		_tap_result 1 "$1"
		tap_diag "  got:  '$2'"
		tap_diag "  want: '$3'"
	fi
}

tap_near() {
	_got=$2 _want=$3 _pct=$4 _slack=${5:-0}
	case "$_got" in
	'' | *[!0-9-]*)
		_tap_result 1 "$1"
		tap_diag "  got '$_got', not an integer (want $_want +-$_pct%)"
		return
		;;
	esac
	_d=$((_got - _want))
	[ "$_d" -lt 0 ] && _d=$((-_d))
	_lim=$(( (_want < 0 ? -_want : _want) * _pct / 100 + _slack ))
	if [ "$_d" -le "$_lim" ]; then
		_tap_result 0 "$1"
	else
		_tap_result 1 "$1"
		tap_diag "  got $_got, want $_want +-$_pct% +-$_slack"
	fi
}

tap_done() {
	if [ "$_tap_n" != "$_tap_plan" ]; then
		tap_diag "planned $_tap_plan results, ran $_tap_n"
		exit 1
	fi
	[ "$_tap_fail" = 0 ]
	exit $?
}

# memattr_load [PARAM=VALUE...]: insmod the module (each test script loads
# and unloads it itself, as the C tests do); memattr_unload removes it.
memattr_load() {
	insmod /lib/modules/memattr/memattr.ko "$@"
}

memattr_unload() {
	rmmod memattr
}
