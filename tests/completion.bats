#!/usr/bin/env bats
# Shell completions (completions/gen, from each program's --help): every
# option that --help lists is offered by bash, zsh and fish; closed sets
# of values, file names and commands where an option takes them; and
# `make install` puts them where bash-completion, zsh and fish look.

load helper

CMDS=(match follow broadcast power printer pipe)
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}

setup_file() {
	C=$BATS_FILE_TMPDIR/c
	python3 "$BATS_TEST_DIRNAME/../completions/gen" --bin "$RUNNEL_BIN" \
		--out "$C" "${CMDS[@]}" 2>"$BATS_FILE_TMPDIR/gen.err"
}

setup() {
	C=$BATS_FILE_TMPDIR/c
	T=$BATS_TEST_TMPDIR
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	cd "$T" || return 1
}

# The option words on the option lines of CMD --help, found here without
# the generator's code: the words before the text, "-x" or "--name",
# each followed by its argument (=ARG, [=ARG]) and ", " or a blank.
help_options() {
	local l re='^(-[A-Za-z0-9]|--[A-Za-z0-9][A-Za-z0-9-]*)([^ ,]|,[^ ])*(, | |$)'
	"$1" --help | grep -E '^ {1,8}-' | while IFS= read -r l; do
		l=${l#"${l%%[! ]*}"}
		while [[ $l =~ $re ]]; do
			echo "${BASH_REMATCH[1]}"
			[ "${BASH_REMATCH[3]}" = ", " ] || break
			l=${l:${#BASH_REMATCH[0]}}
		done
	done | sort -u
}

# What bash offers on Tab at the end of LINE, sorted: LINE is split into
# COMP_WORDS as bash splits it (blanks, and '=' a word of its own).
bash_complete() {
	[ -f "$BASH_COMPLETION" ] || skip "bash-completion is not installed"
	local cmd=${1%% *}
	bash --norc --noprofile -c '
		. "$1" || exit 3
		compopt() { :; }	# only valid inside a real completion
		. "$2" || exit 3
		line=$3 words=()
		read -ra ws <<<"$line"
		[[ $line == *" " ]] && ws+=("")
		for w in "${ws[@]}"; do
			while [[ $w == *=* ]]; do
				[ -n "${w%%=*}" ] && words+=("${w%%=*}")
				words+=("="); w=${w#*=}
			done
			[[ -n $w || ${ws[-1]} == "" && $w == "${ws[-1]}" ]] && words+=("$w")
		done
		COMP_WORDS=("${words[@]}") COMP_CWORD=$((${#words[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		spec=$(complete -p "${words[0]}") || exit 4
		fn=${spec#*-F }; fn=${fn%% *}
		"$fn" "${words[0]}" "${words[COMP_CWORD]}" "${words[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' bash "$BASH_COMPLETION" "$C/bash/$cmd" "$1"
}

# What fish offers for LINE (candidates only, sorted).
fish_complete() {
	command -v fish >/dev/null || skip "fish is not installed"
	local cmd=${1%% *}
	fish --no-config -c 'source $argv[1]; complete -C$argv[2]' \
		"$C/fish/$cmd.fish" "$1" | cut -f1 | sort
}

@test "the generator reads every --help without a complaint" {
	[ -z "$(cat "$BATS_FILE_TMPDIR/gen.err")" ]
	for n in "${CMDS[@]}"; do
		[ -s "$C/bash/$n" ] && [ -s "$C/zsh/_runnel_$n" ] && [ -s "$C/fish/$n.fish" ]
	done
}

@test "the help parser of this test finds the options it should" {
	run -0 help_options follow
	for o in -f -F --follow --descriptor -s --sleep-interval; do
		grep -qxF -- "$o" <<<"$output"
	done
	run -0 help_options printer
	for o in -T --timestamp-format --by --time; do
		grep -qxF -- "$o" <<<"$output"
	done
	# "(implies -t)" and "groups of --by" are text, not more options
	[ "$(grep -c -x -e -t -e --by <<<"$output")" -eq 2 ]
}

@test "bash offers every option of every --help" {
	for n in "${CMDS[@]}"; do
		offered=$(bash_complete "$n -")
		[ -n "$offered" ]
		for o in $(help_options "$n"); do
			grep -qxF -e "$o" -e "$o=" <<<"$offered" ||
				{ echo "bash: $n: $o is not offered"; return 1; }
		done
	done
}

@test "fish offers every option of every --help" {
	for n in "${CMDS[@]}"; do
		offered=$(fish_complete "$n -"; fish_complete "$n --")
		for o in $(help_options "$n"); do
			grep -qxF -e "$o" <<<"$offered" ||
				{ echo "fish: $n: $o is not offered"; return 1; }
		done
	done
}

@test "zsh has a spec for every option of every --help, and compinit binds it" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	for n in "${CMDS[@]}"; do
		f=$C/zsh/_runnel_$n
		run -0 zsh -n "$f"
		[ "$(head -1 "$f")" = "#compdef $n" ]
		for o in $(help_options "$n"); do
			grep -qE "^  '(\([^)]*\)|\*)$o(=|\+|=-)?\[" "$f" ||
				{ echo "zsh: $n: $o has no spec"; return 1; }
		done
	done
	run -0 zsh -f -c 'fpath=($1 $fpath); autoload -Uz compinit; compinit -D -u
		for n in match follow broadcast power printer pipe; do
			print -r -- $n=$_comps[$n]; done; print -r -- $functions_source[_match]' \
		zsh "$C/zsh"
	[ "${lines[0]}" = "match=_runnel_match" ]
	[ "${lines[5]}" = "pipe=_runnel_pipe" ]
	# zsh's own _match completer is still its own
	[[ "${lines[6]}" != "$C"* ]]
}

@test "bash: closed sets of values after --opt=" {
	run -0 bash_complete "match --color="
	[ "$output" = $'always\nauto\nnever' ]
	run -0 bash_complete "match --color=a"
	[ "$output" = $'always\nauto' ]
	run -0 bash_complete "power --invalid="
	[ "$output" = $'fail\npass\nskip\nwarn' ]
	run -0 bash_complete "follow --follow=d"
	[ "$output" = "descriptor" ]
	run -0 bash_complete "printer --summary=count,s"
	[ "$output" = $'count,stddev\ncount,sum' ]
	run -0 bash_complete "printer -q --summary=p9"
	[ "$output" = $'p90\np95\np99\np99.9' ]
}

@test "bash: an optional value only after '=': --color al completes a FILE" {
	touch alpha.log
	run -0 bash_complete "match --color al"
	[ "$output" = "alpha.log" ]
}

@test "bash: file names for FILE, SCRIPT and operands; nothing for other values" {
	touch access.log acme.txt
	run -0 bash_complete "follow --state=acc"
	[ "$output" = "access.log" ]
	run -0 bash_complete "follow --state acc"
	[ "$output" = "access.log" ]
	run -0 bash_complete "match -f ac"
	[ "$output" = $'access.log\nacme.txt' ]
	run -0 bash_complete "match -i GET ac"
	[ "$output" = $'access.log\nacme.txt' ]
	run -0 bash_complete "pipe -f acm"
	[ "$output" = "acme.txt" ]
	# NUM, SPEC and the pipeline text have no completion
	run -0 bash_complete "match -m ac"
	[ "$output" = "" ]
	run -0 bash_complete "printer --by="
	[ "$output" = "" ]
	run -0 bash_complete "pipe ac"
	[ "$output" = "" ]
}

@test "bash: commands after broadcast -c, process ids after follow --pid" {
	run -0 bash_complete "broadcast -c printe"
	[[ $'\n'"$output"$'\n' == *$'\nprinter\n'* ]]
	run -0 bash_complete "follow --pid "
	[[ $'\n'"$output"$'\n' == *$'\n1\n'* ]]
	! grep -qv '^[0-9][0-9]*$' <<<"$output"
}

@test "bash: after -- every word is an operand" {
	touch -- -x.log
	run -0 bash_complete "match -- -"
	[ "$output" = "-x.log" ]
	run -0 bash_complete "match --line-n"
	[ "$output" = "--line-number" ]
}

@test "fish: values, lists and files" {
	touch access.log
	run -0 fish_complete "match --color="
	[ "$output" = $'--color=always\n--color=auto\n--color=never' ]
	run -0 fish_complete "printer --summary=count,me"
	[ "$output" = "--summary=count,mean" ]
	run -0 fish_complete "follow --state acc"
	[ "$output" = "access.log" ]
	run -0 fish_complete "pipe acc"
	[ "$output" = "" ]
}

@test "make install: completions where bash-completion, zsh and fish look" {
	[ -f "$BASH_COMPLETION" ] || skip "bash-completion is not installed"
	make -s -C "$TOP" install DESTDIR="$T/d" PREFIX=/usr >/dev/null
	s=$T/d/usr/share
	for n in "${CMDS[@]}"; do
		[ -f "$s/bash-completion/completions/$n" ]
		[ -f "$s/zsh/vendor-completions/_runnel_$n" ]
		[ -f "$s/fish/vendor_completions.d/$n.fish" ]
	done
	# bash-completion's own loader finds it by the command's name
	run -0 env BASH_COMPLETION_USER_DIR="$s/bash-completion" bash --norc -c \
		'. "$1"; complete -p match 2>/dev/null; __load_completion match; complete -p match' \
		bash "$BASH_COMPLETION"
	[ "$output" = "complete -F _runnel_match match" ]
	make -s -C "$TOP" uninstall DESTDIR="$T/d" PREFIX=/usr
	[ -z "$(find "$T/d" -type f)" ]
}

@test "make install PROGRAM_PREFIX=rn- completes the prefixed names" {
	make -s -C "$TOP" install DESTDIR="$T/d" PREFIX=/usr PROGRAM_PREFIX=rn- >/dev/null
	s=$T/d/usr/share
	grep -qx 'complete -F _runnel_match rn-match' <(sed -n '$,$p;/complete -F/s/^ *//p' "$s/bash-completion/completions/rn-match")
	[ "$(head -1 "$s/zsh/vendor-completions/_runnel_match")" = "#compdef rn-match" ]
	grep -q '^complete -c rn-match -l color ' "$s/fish/vendor_completions.d/rn-match.fish"
	! grep -q ' match ' "$s/fish/vendor_completions.d/rn-match.fish"
	make -s -C "$TOP" uninstall DESTDIR="$T/d" PREFIX=/usr PROGRAM_PREFIX=rn-
	[ -z "$(find "$T/d" -type f)" ]
}

# What Tab shows in an interactive SHELL (bash or zsh) whose start-up
# file loads the completions and sets the prompt ptytype waits for; $2
# is typed, $3 is the text to wait for.
tab() {
	local sh=$1 keys=$2 until=$3
	command -v python3 >/dev/null || skip "python3 is not installed"
	mkdir -p "$T/home"
	if [ "$sh" = zsh ]; then
		command -v zsh >/dev/null || skip "zsh is not installed"
		printf '%s\n' "fpath=($C/zsh \$fpath)" \
			'autoload -Uz compinit; compinit -D -u' \
			"PS1='READY> '" 'setopt nobeep' > "$T/home/.zshrc"
		set -- env ZDOTDIR="$T/home" zsh -i
	else
		[ -f "$BASH_COMPLETION" ] || skip "bash-completion is not installed"
		printf '%s\n' ". $BASH_COMPLETION" ". $C/bash/match" ". $C/bash/power" \
			"PS1='READY> '" 'bind "set bell-style none"' > "$T/home/.bashrc"
		set -- bash --rcfile "$T/home/.bashrc" -i
	fi
	PTY_UNTIL=$until python3 "$BATS_TEST_DIRNAME/ptytype.py" "$keys" "$@"
}

@test "interactive zsh: Tab completes an option, then its closed set" {
	run -0 tab zsh $'power --inv\t' 'power --invalid='
	[ "$output" = "power --invalid=" ]
	run -0 tab zsh $'match --color=\t' 'never'
	[[ "$output" == *"always  auto    never"* ]]
	run -0 tab zsh $'printer --summary=count,me\t' 'mean'
	# the next name may follow: zsh adds a ',' that a blank takes back
	[ "$output" = "printer --summary=count,mean," ]
}

@test "interactive bash: Tab completes an option, then its closed set" {
	run -0 tab bash $'power --inv\t' 'power --invalid='
	[ "$output" = "power --invalid=" ]
	run -0 tab bash $'match --color=\t\t' 'never'
	[[ "$output" == *"always  auto    never"* ]]
}
