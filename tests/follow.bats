#!/usr/bin/env bats
# follow: start of files, headers, --once, --until/--timeout statuses.
# The following-in-time cases are in follow_live.bats.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	seq 1 20 > "$T/a"
	printf 'x\ny' > "$T/b"
}

@test "follow: --once writes the last 10 lines" {
	run --separate-stderr follow --once "$T/a"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 11 20)" ]
	[ -z "$stderr" ]
}

@test "follow: -n N, -n +K, -n 0" {
	run follow --once -n 3 "$T/a"
	[ "$output" = "$(seq 18 20)" ]
	run follow --once -n +18 "$T/a"
	[ "$output" = "$(seq 18 20)" ]
	run follow --once --lines=+1 "$T/a"
	[ "$output" = "$(seq 1 20)" ]
	run follow --once -n 0 "$T/a"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run follow --once -n 100 "$T/a"
	[ "$output" = "$(seq 1 20)" ]
}

@test "follow: -n counts a partial last line, --once writes it as is" {
	follow --once -n 1 "$T/b" > "$T/out"
	printf 'y' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "follow: -n N from the end of a file bigger than one read" {
	seq 1 200000 > "$T/big"
	run follow --once -n 2 "$T/big"
	[ "$output" = "$(printf '199999\n200000')" ]
}

@test "follow: several files get tail's headers" {
	follow --once -n 2 "$T/a" "$T/b" > "$T/out"
	printf '==> %s <==\n19\n20\n\n==> %s <==\nx\ny' "$T/a" "$T/b" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	run follow --once -q -n 1 "$T/a" "$T/a"
	[ "$output" = "20" ]
	run follow --once -v -n 1 "$T/a"
	[ "$output" = "$(printf '==> %s <==\n20' "$T/a")" ]
}

@test "follow: --prefix puts FILE: before every line" {
	follow --once --prefix -n 2 "$T/a" "$T/b" > "$T/out"
	printf '%s:19\n%s:20\n%s:x\n%s:y' "$T/a" "$T/a" "$T/b" "$T/b" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "follow: stdin is read to its end" {
	run follow -n 2 < <(seq 5)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '4\n5')" ]
	run bash -c 'seq 5 | follow -n +4 -'
	[ "$output" = "$(printf '4\n5')" ]
	run bash -c 'printf "a\nb" | follow -n 1'
	[ "$output" = "b" ]
}

@test "follow: a /proc file (size 0) is read to its end once, like a FIFO" {
	[ -r /proc/filesystems ] || skip "no /proc"
	tail -n 2 /proc/filesystems > "$T/want"
	run --separate-stderr timeout 5 follow --once -n 2 /proc/filesystems
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(cat "$T/want")" ]
	# without --once too: nothing more can come, so it ends
	run --separate-stderr timeout 5 follow -n +1 /proc/filesystems
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(cat /proc/filesystems)" ]
}

@test "follow: a missing FILE with --once is exit 2, others still written" {
	run --separate-stderr follow --once -n 1 "$T/nope" "$T/a"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '==> %s <==\n20' "$T/a")" ]
	[ "$stderr" = "follow: $T/nope: No such file or directory" ]
}

@test "follow: --until with --once: 0 when seen (lines up to it), 1 when not" {
	run follow --once --until '^1[3]$' "$T/a"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 11 13)" ]
	run follow --once --until 'zzz' "$T/a"
	[ "$status" -eq 1 ]
	[ "$output" = "$(seq 11 20)" ]
}

@test "follow: --until sees the -n lines and exits without following" {
	run timeout 5 follow --until '^15$' "$T/a"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 11 15)" ]
}

@test "follow: --timeout: 124 with --until unseen, 0 without --until" {
	run timeout 5 follow -n 0 --until ready --timeout 0.2 "$T/a"
	[ "$status" -eq 124 ]
	run timeout 5 follow -n 0 --timeout 0.2 "$T/a"
	[ "$status" -eq 0 ]
}

@test "follow: --until compiles as match does: . is one character in a UTF-8 locale" {
	printf 'ab\n\303\251\nyz\n' > "$T/u"
	LC_ALL=C.UTF-8 run --separate-stderr follow --once -n +1 --until '^.$' "$T/u"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'ab\n\303\251')" ]
	[ -z "$stderr" ]
	[ "$output" = "$(LC_ALL=C.UTF-8 match -m1 -B9 '^.$' "$T/u")" ]
	# in the C locale it is a byte, as for match: é is two
	LC_ALL=C run --separate-stderr follow --once -n +1 --until '^.$' "$T/u"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'ab\n\303\251\nyz')" ]
	# invalid UTF-8 in a line is no error in a UTF-8 locale
	printf 'a\377b\nstop\n' > "$T/v"
	LC_ALL=C.UTF-8 run --separate-stderr follow --once -n +1 --until '^s' "$T/v"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\377b\nstop')" ]
	[ -z "$stderr" ]
}

@test "follow: an invalid --until pattern is exit 2 before any output" {
	run --separate-stderr follow --until '(' "$T/a"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "$(printf "follow: invalid pattern '(': missing closing parenthesis at offset 1")" ]
}

@test "follow: bad option arguments" {
	run --separate-stderr follow -n x "$T/a"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "follow: invalid number of lines 'x' for -n" ]
	run --separate-stderr follow --follow=sideways "$T/a"
	[ "$status" -eq 2 ]
	run --separate-stderr follow --timeout=-1 "$T/a"
	[ "$status" -eq 2 ]
}

@test "follow: tail's spellings are accepted" {
	run follow -F --retry --once -n 1 "$T/a"
	[ "$output" = "20" ]
	run follow -f --follow=name --once -n 1 "$T/a"
	[ "$output" = "20" ]
}

@test "follow: --help and --version" {
	run follow --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:\ follow* ]]
	run follow --version
	[ "$output" = "follow (runnel) 0.1.0" ]
}

@test "follow: a 100 MB line" {
	{ head -c 100000000 /dev/zero | tr '\0' a; echo; echo end; } > "$T/huge"
	follow --once -n 2 "$T/huge" > "$T/out"
	cmp "$T/out" "$T/huge"
	rm -f "$T/huge" "$T/out"
}

@test "follow: bulk output is byte for byte, partial last line included, into a file and a pipe" {
	{ seq 1 100000; printf 'last without newline'; } > "$T/big"
	follow --once -n +1 "$T/big" > "$T/out"
	assert_same_bytes "$T/out" "$T/big"
	follow --once -n +1 "$T/big" | cat > "$T/out2"
	assert_same_bytes "$T/out2" "$T/big"
	follow --once -n +1 --state "$T/st" "$T/big" | cat > "$T/out3"
	assert_same_bytes "$T/out3" "$T/big"
	[ ! -e "$T/st.tmp" ]
	# from the middle of a line (-n +K after a held partial line) on
	follow --once -n +50001 "$T/big" > "$T/out4"
	{ seq 50001 100000; printf 'last without newline'; } > "$T/want4"
	assert_same_bytes "$T/out4" "$T/want4"
	# appending to an existing file (O_APPEND output)
	echo first > "$T/out5"
	follow --once -n +1 "$T/big" >> "$T/out5"
	{ echo first; cat "$T/big"; } > "$T/want5"
	assert_same_bytes "$T/out5" "$T/want5"
}

@test "follow: --state does not count lines that failed to be written" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c "follow --once -n +1 --state '$T/st' '$T/a' > /dev/full"
	[ "$status" -eq 2 ]
	[ "$stderr" = "follow: write error: No space left on device" ]
	[ ! -e "$T/st.tmp" ]
	run follow --once -n +1 --state "$T/st" "$T/a"
	[ "$output" = "$(seq 1 20)" ]
}
