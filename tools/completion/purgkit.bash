# SPDX-License-Identifier: MIT
# bash completion for purgkit-load, purgkit-link and purgkit-run.
#
# Options, payload types and architectures are read from the command's own
# --help (cached per shell), so the completion knows what the installed
# program knows: a new type or target needs no edit here.  make install
# puts this file in bash-completion's folder once per command name.

# The words of `CMD --help`, once per shell.
_purgkit_help()
{
	local var="_purgkit_help_${1//-/_}"
	if [[ -z ${!var-} ]]; then
		printf -v "$var" '%s' "$("$1" --help 2>/dev/null)"
	fi
	printf '%s\n' "${!var}"
}

# Every --long and -s option the help text names.
_purgkit_options()
{
	_purgkit_help "$1" | grep -oE '(^|[][ ,|])--?[a-zA-Z][a-zA-Z0-9-]*' |
		sed -E 's/^[][ ,|]//' | sort -u
}

# purgkit-load's payload types: the lines of its --type list, each a name
# and what it reads, ending in the targets that have it ("[x86_64]").
_purgkit_load_types()
{
	_purgkit_help "$1" | awk '/^ +[a-z0-9]+ .*\[[a-z0-9_ ]+\]$/ { print $1 }' | sort -u
}

# purgkit-load's targets: the list on its --arch line.
_purgkit_load_arches()
{
	_purgkit_help "$1" | sed -n 's/^ *--arch=ARCH *\([^(]*\).*/\1/p' | tr -d ','
}

_purgkit_load()
{
	local cur prev words cword split
	_init_completion -s -n = || return
	local cmd=${1:-purgkit-load}
	case $prev in
	--type) COMPREPLY=($(compgen -W "$(_purgkit_load_types "$cmd")" -- "$cur")); return ;;
	--arch) COMPREPLY=($(compgen -W "$(_purgkit_load_arches "$cmd")" -- "$cur")); return ;;
	--mode) COMPREPLY=($(compgen -W "64 32 16" -- "$cur")); return ;;
	--console) COMPREPLY=($(compgen -W "serial vga debugcon hvterm opal memlog none" -- "$cur")); return ;;
	--purgatory) _filedir ro; return ;;
	--dump-segments) _filedir -d; return ;;
	--initrd | --dtb | --memmap | -l | --load | --module) _filedir; return ;;
	--append | --command-line | --address | --entry | --reg | --set | \
	--secondary-entry | --test-corrupt-segment) return ;;
	esac
	$split && return
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_purgkit_options "$cmd")" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	_filedir
}

_purgkit_link()
{
	local cur prev words cword split
	_init_completion -s || return
	case $prev in
	-f | --format) COMPREPLY=($(compgen -W "bin elf" -- "$cur")); return ;;
	-o | --output) _filedir; return ;;
	-b | --base | -s | --set) return ;;
	esac
	$split && return
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_purgkit_options purgkit-link)" -- "$cur"))
		return
	fi
	_filedir ro
}

_purgkit_run()
{
	local cur prev words cword split
	_init_completion -s || return
	# After --, the words are purgkit-load's.
	local i
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			_purgkit_load purgkit-load
			return
		fi
	done
	case $prev in
	--arch)
		COMPREPLY=($(compgen -W "$(_purgkit_help purgkit-run |
			sed -n 's/.*--arch {\([^}]*\)}.*/\1/p' | head -n 1 | tr ',' ' ')" -- "$cur"))
		return ;;
	--accel) COMPREPLY=($(compgen -W "tcg kvm auto" -- "$cur")); return ;;
	--lockdown) COMPREPLY=($(compgen -W "integrity confidentiality" -- "$cur")); return ;;
	--kernel | --loader | --init | --log) _filedir; return ;;
	--cache | --build) _filedir -d; return ;;
	--smp | --memory | --timeout | --expect | --expect-old | --exec-arg | \
	--step | --crashkernel | --cmdline-extra | --qemu-arg) return ;;
	esac
	$split && return
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_purgkit_options purgkit-run) --" -- "$cur"))
		return
	fi
}

complete -F _purgkit_load purgkit-load
complete -F _purgkit_link purgkit-link
complete -F _purgkit_run purgkit-run
