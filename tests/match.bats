#!/usr/bin/env bats
# match: options and edges, exact bytes, status and stderr.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "match selects lines, exit 0; none selected exit 1" {
	run --separate-stderr match b <<< $'a\nb\nc'
	[ "$status" -eq 0 ] && [ "$output" = b ] && [ -z "$stderr" ]
	run match z <<< $'a\nb'
	[ "$status" -eq 1 ] && [ -z "$output" ]
}

@test "match adds the missing final newline" {
	printf 'a\nlast' | match last > "$T/out"
	printf 'last\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "match on empty input: exit 1, -c writes 0" {
	run match x < /dev/null
	[ "$status" -eq 1 ] && [ -z "$output" ]
	run match -c x < /dev/null
	[ "$status" -eq 1 ] && [ "$output" = 0 ]
}

@test "match empty pattern selects every line" {
	printf 'a\n\nb' | match '' > "$T/out"
	printf 'a\n\nb\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "match keeps NUL bytes and CR: no binary detection" {
	printf 'a\0b x\r\ny\n' | match x > "$T/out"
	printf 'a\0b x\r\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	run match -c 'x$' <<< $'x\r'
	[ "$output" = 0 ]
}

@test "match invalid pattern: message with offset, exit 2, no input read" {
	run --separate-stderr match 'a(' /nonexistent
	[ "$status" -eq 2 ] && [ -z "$output" ]
	[ "$stderr" = "match: invalid pattern 'a(': missing closing parenthesis at offset 2" ]
}

@test "match -e repeated, -f FILE with an empty line matching all" {
	run match -e a -e c <<< $'a\nb\nc'
	[ "$output" = $'a\nc' ]
	printf 'zz\n\n' > "$T/pats"
	run match -c -f "$T/pats" <<< $'a\nb'
	[ "$output" = 2 ]
	run match -f /dev/null <<< a
	[ "$status" -eq 1 ] && [ -z "$output" ]
}

@test "match -F several strings: leftmost, then longest" {
	run match -o -F -e ab -e abcd -e b <<< 'xabcdb'
	[ "$output" = $'abcd\nb' ]
	run match -F 'a.b' <<< $'axb\na.b'
	[ "$output" = 'a.b' ]
}

@test "match -i -w -x -v" {
	run match -i abc <<< $'ABC\nx'
	[ "$output" = ABC ]
	run match -w ab <<< $'ab c\nabc'
	[ "$output" = 'ab c' ]
	run match -x 'a|ab' <<< $'ab\nabc'
	[ "$output" = ab ]
	run match -v a <<< $'a\nb\nc'
	[ "$output" = $'b\nc' ]
}

@test "match -c -l -L -q" {
	printf 'a\nb\na\n' > "$T/f1"; printf 'b\n' > "$T/f2"
	run match -c a "$T/f1" "$T/f2"
	[ "$output" = "$T/f1:2"$'\n'"$T/f2:0" ]
	run match -l a "$T/f1" "$T/f2"
	[ "$output" = "$T/f1" ] && [ "$status" -eq 0 ]
	run match -L a "$T/f1" "$T/f2"
	[ "$output" = "$T/f2" ]
	run match -q a "$T/f1"
	[ "$status" -eq 0 ] && [ -z "$output" ]
}

@test "match -n -b -H -h --label" {
	run match -n -b b <<< $'a\nbb'
	[ "$output" = '2:2:bb' ]
	run match -H --label=in x <<< x
	[ "$output" = 'in:x' ]
	printf 'x\n' > "$T/f1"
	run match -h x "$T/f1" "$T/f1"
	[ "$output" = $'x\nx' ]
	run match -o -b b <<< 'abcb'
	[ "$output" = $'1:b\n3:b' ]
}

@test "match context: -A -B -C with -- between groups, overlap merged" {
	run match -n -C1 -e 1 -e 9 < <(seq 10)
	[ "$output" = $'1:1\n2-2\n--\n8-8\n9:9\n10:10' ]
	run match -A1 -e 2 -e 3 < <(seq 6)
	[ "$output" = $'2\n3\n4' ]
	run match -B2 5 < <(seq 6)
	[ "$output" = $'3\n4\n5' ]
}

@test "match -B reaches back across batches" {
	{ seq 200000; echo hit; } | match -B2 hit > "$T/out"
	printf '199999\n200000\nhit\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "match -m with context prints trailing context, also with -v" {
	run match -m1 -A2 a <<< $'a\na\nb\nc'
	[ "$output" = $'a\na\nb' ]
	run match -v -m1 -A1 a <<< $'b\nc\na'
	[ "$output" = $'b\nc' ]
	run match -m 0 a <<< a
	[ "$status" -eq 1 ] && [ -z "$output" ]
}

@test "match --color=always uses grep's colours and GREP_COLORS" {
	run match --color=always -n b <<< 'abc'
	[ "$output" = $'\e[32m\e[K1\e[m\e[K\e[36m\e[K:\e[m\e[Ka\e[01;31m\e[Kb\e[m\e[Kc' ]
	GREP_COLORS='ms=04:ln=33' run match --color=always -n b <<< 'b'
	[ "$output" = $'\e[33m\e[K1\e[m\e[K\e[36m\e[K:\e[m\e[K\e[04m\e[Kb\e[m\e[K' ]
	run match --color=never b <<< b
	[ "$output" = b ]
	run match --color=auto b <<< b
	[ "$output" = b ]
}

@test "match --color=auto colours a terminal, and in pipe the last stage's only" {
	command -v script > /dev/null || skip "no script(1)"
	red=$'\e[01;31m\e[Kb\e[m\e[K\r'
	# script(1) runs the text with $SHELL, which may be sh: no bashisms
	TERM=xterm run script -qec 'echo b | match --color=auto b' /dev/null < /dev/null
	[ "$status" -eq 0 ] && [ "$output" = "$red" ]
	TERM=dumb run script -qec 'echo b | match --color=auto b' /dev/null < /dev/null
	[ "$status" -eq 0 ] && [ "$output" = $'b\r' ]
	TERM=xterm run script -qec 'echo b | match --color=auto b | cat' /dev/null < /dev/null
	[ "$status" -eq 0 ] && [ "$output" = $'b\r' ]
	TERM=xterm run script -qec "echo b | pipe 'match b | match --color=auto b'" /dev/null < /dev/null
	[ "$status" -eq 0 ] && [ "$output" = "$red" ]
	# as in the shell, a stage that writes into the next one does not
	TERM=xterm run script -qec "echo b | pipe 'match --color=auto b | match b'" /dev/null < /dev/null
	[ "$status" -eq 0 ] && [ "$output" = $'b\r' ]
}

@test "match several FILEs, one missing: FILE: prefix, message, exit 2" {
	printf 'a\n' > "$T/f1"
	run --separate-stderr match a "$T/f1" "$T/nope"
	[ "$status" -eq 2 ] && [ "$output" = "$T/f1:a" ]
	[ "$stderr" = "match: $T/nope: No such file or directory" ]
	run --separate-stderr match -s a "$T/nope" "$T/f1"
	[ "$status" -eq 2 ] && [ -z "$stderr" ]
	run --separate-stderr match -q a "$T/nope" "$T/f1"
	[ "$status" -eq 0 ]
}

@test "match: a hit across a newline is checked per line" {
	run match 'a\sb' <<< $'a\nb'
	[ "$status" -eq 1 ]
	run match -c '[^x]+z' <<< $'ab\nz'
	[ "$output" = 0 ]
	run match '\Aa' <<< $'ba\nab'
	[ "$output" = ab ]
	run match 'b\z' <<< $'ab\nbc'
	[ "$output" = ab ]
}

@test "match invalid UTF-8 in C and C.UTF-8 locales" {
	printf 'a\xffb\n\xc3\xa9\n' > "$T/in"
	run match -c 'a.b' "$T/in"
	[ "$output" = 1 ]
	LC_ALL=C.UTF-8 run match -c '^.$' "$T/in"
	[ "$output" = 1 ]
	LC_ALL=C.UTF-8 run match -o 'b' "$T/in"
	[ "$output" = b ]
}

@test "match on a 100 MB line" {
	head -c 100000000 /dev/zero | tr '\0' a > "$T/big"
	echo b >> "$T/big"
	run match -c 'ab$' "$T/big"
	[ "$output" = 1 ]
	rm -f "$T/big"
}

@test "match x big | head -1 returns at once, exit 0" {
	seq 3000000 > "$T/big"
	run timeout 5 bash -o pipefail -c "match 1 '$T/big' | head -1"
	[ "$status" -eq 0 ] && [ "$output" = 1 ]
}

@test "match --help and --version" {
	run match --version
	[ "$status" -eq 0 ] && [ "$output" = "match (runnel) 0.1.0" ]
	run match --help
	[ "$status" -eq 0 ] && [[ "$output" == Usage:* ]]
}

@test "match: the literal prefilter never drops a matching line" {
	printf '%s\n' A bB aa a.b 41 X aab abb xyz xabcyz bcd fo.o1 > "$T/in"
	for p in '\x41' 'b\x{42}' '(a)\1' 'a\Q.b\E' '\p{Lu}' '^.{3}' 'a{2}b' \
	    'ab{2}' 'x(abc)?yz' 'a+b' '[ab]cd' 'fo\.o\d' 'b|X'; do
		[ "$(match -c "$p" "$T/in")" = "$(grep -a -P -c "$p" "$T/in")" ] ||
		    { echo "differs: $p"; return 1; }
	done
}

@test "match: the byte-set prefilter for alternations and -i" {
	printf '%s\n' Mozilla PYTHON xKy 'a|b' zzz 'ſ' > "$T/in"
	for p in 'mozilla|python' 'k' 'zz|q' 'a\|b' 's' 'o(z|y)' 'ZZ|ky'; do
		for o in -c '-c -i'; do
			# shellcheck disable=SC2086
			[ "$(match $o "$p" "$T/in")" = \
			    "$(grep -a -P $o "$p" "$T/in")" ] ||
			    { echo "differs: $o $p"; return 1; }
		done
	done
	[ "$(LC_ALL=C.UTF-8 match -c -i 'S' "$T/in")" = 1 ]
}

@test "match: a rejected prefilter candidate does not shift the line" {
	printf 'y y python\nzoo\n' > "$T/in"
	run match -n 'python|mozilla' "$T/in"
	[ "$output" = '1:y y python' ]
	run match -i -o 'PYTHON|zoo' "$T/in"
	[ "$output" = $'python\nzoo' ]
}

@test "match: a large -B costs only the lines there are" {
	run match -B 100000000 -e 500 -e 999 < <(seq 1000)
	[ "${#lines[@]}" -eq 999 ] && [ "${lines[998]}" = 999 ]
}

@test "match: (?-m) and (?^) anchor at each line, as grep -P (fuzz_match)" {
	printf 'xa\na\nab\n' > "$T/in"
	for p in '(?-m)^a' '(?-m)a$' '(?^)^a' '(?i-m)^A' '(?-m:^a)b'; do
		[ "$(match "$p" "$T/in")" = "$(grep -a -P "$p" "$T/in")" ] ||
		    { echo "differs: $p"; return 1; }
	done
	run match -c '(?-m)^a' "$T/in"
	[ "$status" -eq 0 ] && [ "$output" = 2 ]
}

@test "match: -o with an empty match and a last line without newline" {
	printf 'ab\n\nc' > "$T/in"
	run --separate-stderr match -o -x '' "$T/in"
	[ "$status" -eq 0 ] && [ -z "$output" ] && [ -z "$stderr" ]
	printf 'a\nno newline' | match -x 'no.*' > "$T/out"
	printf 'no newline\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "match: a deep repeated group needs a larger JIT stack: grown, as grep -P" {
	head -c 100000 /dev/zero | tr '\0' x > "$T/in"
	printf 'z\n' >> "$T/in"
	run --separate-stderr match -c '(x|y)*z' "$T/in"
	[ "$status" -eq 0 ] && [ "$output" = 1 ] && [ -z "$stderr" ]
}

@test "match: lines over PCRE2's limit: the first 10 named, then a count" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "PCRE2's limit, 12 times"
	local i want=
	for ((i = 0; i < 12; i++)); do
		head -c 200 /dev/zero | tr '\0' a
		printf '\n%d\n' "$i"
	done > "$T/in"
	for ((i = 0; i < 10; i++)); do
		want+="match: $T/in: line at byte offset $((i * 203)): match limit exceeded"$'\n'
	done
	run --separate-stderr match -c '(a|aa)*\d' "$T/in"
	[ "$status" -eq 2 ] && [ "$output" = 12 ]
	[ "$stderr" = "${want}match: 2 more lines over PCRE2's limits not shown" ]
}

@test "match: a line over PCRE2's match limit: named, exit 2, others still matched" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "10 million steps in the interpreter"
	{ head -c 200 /dev/zero | tr '\0' a; printf '\n5\n'; } > "$T/in"
	run --separate-stderr match -n '(a|aa)*\d' "$T/in"
	[ "$status" -eq 2 ] && [ "$output" = 2:5 ]
	[ "$stderr" = "match: $T/in: line at byte offset 0: match limit exceeded" ]
}

# (CMD; head -c 200) < FILE for match and for grep -a -P: the same bytes.
seek_same() {
	local m g
	m=$( (match "$@"; echo "rc=$?"; head -c 200) < "$T/seek" | od -c)
	g=$( (grep -a -P "$@"; echo "rc=$?"; head -c 200) < "$T/seek" | od -c)
	[ "$m" = "$g" ] || { echo "differs: match $*"; diff <(echo "$g") <(echo "$m") | head; return 1; }
}

@test "match -m NUM leaves a file on stdin after the last selected line, as grep" {
	local n=0
	seq 1 100000 | sed 's/^/line /' > "$T/seek"
	for o in '-m1 5' '-m3 7' '-m3 -A5 7' '-m2 -c 9' '-v -m4 1' '-o -m2 [0-9]7' \
	    '-m1 -B2 -A3 99' '-m2 -n -b 12' '-m0 5' '-m5 nomatch' '-m1 99999$' \
	    '-m1 -C1 line' '-v -m1 -A2 ^line'; do
		# shellcheck disable=SC2086
		seek_same $o || n=$((n + 1))
	done
	[ "$n" -eq 0 ]
	# the offset taken when match began, not 0
	run bash -c '(head -c 14 > /dev/null; match -m1 5; head -n1) < "$1"' _ "$T/seek"
	[ "$status" -eq 0 ] && [ "$output" = $'line 5\nline 6' ]
	run bash -c '(match -m1 5; match -m1 5; head -n1) < "$1"' _ "$T/seek"
	[ "$status" -eq 0 ] && [ "$output" = $'line 5\nline 15\nline 16' ]
}

@test "pipe's first stage leaves stdin where match -m stopped, as the shell" {
	seq 1 100000 | sed 's/^/line /' > "$T/seek"
	run bash -c '(pipe "match -m2 -A3 7 | printer -p x"; head -n1) < "$1"' _ "$T/seek"
	[ "$status" -eq 0 ]
	[ "$output" = $'xline 7\nxline 8\nxline 9\nxline 10\nx--\nxline 17\nxline 18\nxline 19\nxline 20\nline 18' ]
	run bash -c '(pipe --threads=2 "match -m1 5 | match 5"; head -n1) < "$1"' _ "$T/seek"
	[ "$status" -eq 0 ] && [ "$output" = $'line 5\nline 6' ]
}
