#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# completion_check.sh MEMATTR COMPLETION: the bash completion COMPLETION
# (contrib/bash-completion/memattr) offers exactly the CLI's commands,
# options, sort keys and config keys, and completes them. Prints TAP.
#
# What the CLI has, from two sources, so that neither an undocumented nor an
# undeclared option slips through:
#   - its help: the commands and global options of 'memattr help'; each
#     command's usage line and option lines of 'memattr COMMAND help'
#     ("  -x, --long ..." or "  --long ...");
#   - its sources (userspace/*.c): each file that defines a command
#     (.name = "X") gives X the long options of its 'struct option' tables,
#     the letters of its getopt_long() option strings and the options of
#     its query_opt() calls.
# What the completion offers: its lists, read by sourcing it
# ($_memattr_commands, $_memattr_global_opts, _memattr_cmd_opts COMMAND,
# $_memattr_sort_keys, $_memattr_config_keys).
# Word lists are split on purpose: one word per option or command.
# shellcheck disable=SC2046,SC2086
set -uo pipefail

bin=$1 comp=$2
src=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=scripts/tap-host.sh
. "$(dirname "$0")/../../scripts/tap-host.sh"

# words WORD...: sorted, unique, one per line
words() {
	printf '%s\n' "$@" | grep -v '^$' | sort -u
}

# same DESC CLI_WORDS COMPLETION_WORDS: one result; the difference on failure
same() {
	local d
	d=$(diff <(words $2) <(words $3))
	[ -z "$d" ] && [ -n "$2" ]
	result $? "$1"
	[ -n "$d" ] && printf '%s\n' "$d" |
		sed -n 's/^< /#   the CLI has, the completion lacks: /p
			s/^> /#   the completion has, the CLI lacks: /p'
	return 0
}

# src_opts COMMAND: the options COMMAND's source file declares
src_opts() {
	local f
	f=$(grep -l -E "^[[:space:]]*\.name[[:space:]]*=[[:space:]]*\"$1\"" \
		"$src"/*.c | head -n1)
	[ -n "$f" ] || return 0
	# struct option: { "long", required_argument, NULL, 'x' }
	sed -n 's/^[[:space:]]*{[[:space:]]*"\([a-z][a-z0-9-]*\)",[[:space:]]*[a-z_]*argument.*/--\1/p' "$f"
	# getopt_long(..., "+e:n:t:", ...): the letters
	sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$f" |
		tr -d '+:' | grep -o '[A-Za-z]' | sed 's/^/-/'
	# query_opt(argc, argv, &i, 's', "sort", ...)
	sed -n "s/.*query_opt([^']*'\\(.\\)',[[:space:]]*\"\\([a-z][a-z0-9-]*\\)\".*/-\\1 --\\2/p" "$f" |
		tr ' ' '\n'
}

# help_opts COMMAND: the options 'memattr COMMAND help' names
help_opts() {
	"$bin" "$1" help | {
		IFS= read -r usage
		# the usage line's arguments: "[-s KEY] [-n N]", "--prometheus"
		grep -oE '(^|[[ |])--?[A-Za-z][a-z0-9-]*' <<<"${usage#*"$1"}" |
			sed 's/^[[ |]//'
		# option lines: "  -x, --long ARG  text" or "  --long  text"
		sed -n 's/^ \{1,4\}\(-[A-Za-z]\)\(, \(--[a-z][a-z0-9-]*\)\)\{0,1\}\([ =].*\)\{0,1\}$/\1 \3/p
			s/^ \{1,4\}\(--[a-z][a-z0-9-]*\)\([ =].*\)\{0,1\}$/\1/p' |
			tr ' ' '\n'
	}
}

echo "TAP version 13"
echo "1..9"

# shellcheck source=../../contrib/bash-completion/memattr
comp_vars=$(bash -c 'complete() { :; }; . "$1" || exit 1
	printf "%s\n" "$_memattr_commands" "$_memattr_global_opts" \
		"$_memattr_sort_keys" "$_memattr_config_keys"' _ "$comp")
result $? "the completion file sources cleanly"
{
	IFS= read -r c_cmds
	IFS= read -r c_global
	IFS= read -r c_sort
	IFS= read -r c_keys
} <<<"$comp_vars"

cmds=$("$bin" help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
same "commands: 'memattr help' and the completion" "$cmds" "$c_cmds"

global=$("$bin" help | sed -n '/^Options:/,/^$/p' |
	grep -oE '(^|[ ,])--?[A-Za-z][a-z0-9-]*' | tr -d ' ,')
global+=" $(sed -n '/long_opts\[\] = {/,/};/s/^[[:space:]]*{[[:space:]]*"\([a-z][a-z0-9-]*\)".*/--\1/p' "$src/cli.c")"
global+=" $(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$src/cli.c" |
	tr -d '+:' | grep -o '[A-Za-z]' | sed 's/^/-/')"
same "global options: 'memattr help', cli.c and the completion" "$global" "$c_global"

# Each command's options; help, which takes none, is left out.
cli_all=''
for c in $cmds; do
	[ "$c" = help ] && continue
	cli_all+=$'\n'$(words $(help_opts "$c") $(src_opts "$c") | sed "s/^/$c /")
done
comp_all=$(bash -c 'complete() { :; }; . "$1"; shift
	for c; do
		for o in $(_memattr_cmd_opts "$c"); do echo "$c $o"; done
	done' _ "$comp" $(grep -vx help <<<"$cmds"))
d=$(diff <(grep -v '^$' <<<"$cli_all" | sort -u) <(grep -v '^$' <<<"$comp_all" | sort -u))
[ -z "$d" ]
result $? "every command's options: help, sources and the completion"
[ -n "$d" ] && printf '%s\n' "$d" |
	sed -n 's/^< /#   the CLI has, the completion lacks: /p
		s/^> /#   the completion has, the CLI lacks: /p'

# The sort keys of ps and top (their usage: "-s rss|anon|growth|allocs").
sort_keys=$(for c in ps top; do "$bin" "$c" help | head -n1; done |
	sed -n 's/.*-s \([a-z|]*\)\].*/\1/p' | tr '|' '\n')
same "sort keys: 'memattr ps/top help' and the completion" "$sort_keys" "$c_sort"

# The config keys: the indented names under "Keys" in 'memattr config help'.
keys=$("$bin" config help | sed -n '/Keys/,/^$/s/^  \([a-z_][a-z0-9_]*\)  .*/\1/p')
same "config keys: 'memattr config help' and the completion" "$keys" "$c_keys"

# It completes, through bash-completion's own machinery: COMP_WORDS as a
# shell would set it, then COMPREPLY.
complete_line() {
	bash -c '. /usr/share/bash-completion/bash_completion 2>/dev/null ||
		{ echo "no /usr/share/bash-completion/bash_completion"; exit 1; }
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_memattr memattr "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$comp" "$@" | tr '\n' ' '
}
got=$(complete_line memattr "")
[ "$got" = "$(words $cmds | tr '\n' ' ')" ]
result $? "'memattr <TAB>' gives the commands"
[ "$got" = "$(words $cmds | tr '\n' ' ')" ] || echo "#   got: $got"
got=$(complete_line memattr -j top --s)
[ "$got" = "--sort " ]
result $? "'memattr -j top --s<TAB>' gives --sort"
[ "$got" = "--sort " ] || echo "#   got: $got"
got=$(complete_line memattr ps -s g)
[ "$got" = "growth " ]
result $? "'memattr ps -s g<TAB>' gives growth"
[ "$got" = "growth " ] || echo "#   got: $got"

[ "$failed" = 0 ]
