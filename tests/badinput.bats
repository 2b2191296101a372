#!/usr/bin/env bats
# The bad-input matrix, run against every command present in $RUNNEL_BIN.
# Each entry: NAME|COMMAND LINE|KIND|FILES
#   KIND cat:   output is the input bytes (cat, tee)
#        lines: output is the input lines, each ended by \n (grep '')
#        num:   power 1: numbers back, each ended by \n
#   FILES yes:  the command reads FILE operands in order (else stdin only:
#               broadcast's FILEs are outputs, follow's are followed)
# A command whose program is not built is left out, so the cases come
# alive when it is merged.
load helper

setup() {
	T=$(mktemp -d)
	ENTRIES=()
	local e name
	for e in \
		"printer|printer|cat|yes" \
		"power|power 1|num|yes" \
		"match|match -h ''|lines|yes" \
		"broadcast|broadcast|cat|no" \
		"follow|follow --once -q -n +1|cat|no" \
		"pipe|pipe printer|cat|no"; do
		name=${e%%|*}
		[ -x "$RUNNEL_BIN/$name" ] && ENTRIES+=("$e")
	done
	[ ${#ENTRIES[@]} -gt 0 ] || skip "no command built"
}

teardown() {
	rm -rf "$T"
}

# Who reports a run-time error: the stage itself, in pipe as in sh
# (the pipe entry has one stage).
writer_name() {
	if [ "$NAME" = pipe ]; then echo "${CMD##* }"; else echo "$NAME"; fi
}

# Split an entry into NAME CMD KIND FILES.
entry() {
	IFS='|' read -r NAME CMD KIND FILES <<< "$1"
}

# What KIND makes of the input file $1, into $2.
expect_of() {
	case $KIND in
	cat) cp "$1" "$2" ;;
	lines|num) awk '{ print }' "$1" > "$2" ;;
	esac
}

# check WHAT WANT-STATUS WANT-STDERR WANT-OUT-FILE: compare the last
# `run` (output in $T/out) and say which command failed and how.
check() {
	local what=$1 st=$2 err=$3 want=$4 bad=0
	[ "$status" -eq "$st" ] || bad=1
	[ "$err" = "-" ] || [ "$stderr" = "$err" ] || bad=1
	if [ -n "$want" ] && ! cmp -s "$T/out" "$want"; then bad=1; fi
	if [ $bad -eq 1 ]; then
		echo "# case: $what"
		echo "# command: $CMD"
		echo "# status: got $status want $st"
		echo "# stderr: got '${stderr:0:300}'"
		echo "#       want '${err:0:300}'"
		if [ -n "$want" ]; then
			echo "# stdout got:";  od -c "$T/out" | head -8
			echo "# stdout want:"; od -c "$want" | head -8
		fi
		return 1
	fi
}

# Run CMD over input file $1 as stdin (follow too: no FILE is stdin).
run_on() {
	run --separate-stderr bash -c "$CMD < '$1' > '$T/out'"
}

# Input per KIND for "some good lines".
good() {
	if [ "$KIND" = num ]; then printf '1\n2\n3\n'; else printf 'a\nb c\nd\n'; fi
}

@test "badinput: empty input gives empty output, exit 0" {
	: > "$T/in"
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		run_on "$T/in"
		# grep's rule: nothing selected is status 1
		local st=0; [ "$NAME" != match ] || st=1
		check "empty input" $st "" "$T/in"
	done
}

@test "badinput: a last line without newline is kept" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		good | head -c -1 > "$T/in"
		expect_of "$T/in" "$T/want"
		run_on "$T/in"
		check "no final newline" 0 "" "$T/want"
	done
}

@test "badinput: CRLF lines pass through (power reads the number before CR)" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		good | sed 's/$/\r/' > "$T/in"
		if [ "$KIND" = num ]; then good > "$T/want"; else expect_of "$T/in" "$T/want"; fi
		run_on "$T/in"
		check "CRLF" 0 "" "$T/want"
	done
}

@test "badinput: NUL bytes are data; power reports the line and goes on" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		if [ "$KIND" = num ]; then
			printf '1\n\0002\n3\n' > "$T/in"
			printf '1\n3\n' > "$T/want"
			run_on "$T/in"
			check "NUL" 2 "power: (standard input):2: invalid number '\\x002'" "$T/want"
			continue
		fi
		printf 'a\0b\n\0\n\0\0\0\nc\n' > "$T/in"
		expect_of "$T/in" "$T/want"
		run_on "$T/in"
		check "NUL" 0 "" "$T/want"
	done
}

@test "badinput: invalid UTF-8 under C and C.UTF-8" {
	for loc in C C.UTF-8; do
		for e in "${ENTRIES[@]}"; do
			entry "$e"
			if [ "$KIND" = num ]; then
				printf '1\n\377\376\n3\n' > "$T/in"
				printf '1\n3\n' > "$T/want"
				LC_ALL=$loc run_on "$T/in"
				# bytes >= 0x80 are quoted as they are (only controls escaped)
				check "invalid UTF-8 ($loc)" 2 "power: (standard input):2: invalid number '"$'\377\376'"'" "$T/want"
				continue
			fi
			printf 'a\377\376b\n\300\200\n\355\240\200\nz\n' > "$T/in"
			expect_of "$T/in" "$T/want"
			LC_ALL=$loc run_on "$T/in"
			check "invalid UTF-8 ($loc)" 0 "" "$T/want"
		done
	done
}

@test "badinput: one million empty lines" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		if [ "$KIND" = num ]; then
			yes 0 | head -n 1000000 > "$T/in"
		else
			yes '' | head -n 1000000 > "$T/in"
		fi
		expect_of "$T/in" "$T/want"
		run_on "$T/in"
		check "1M empty lines" 0 "" "$T/want"
	done
}

@test "badinput: a 100 MB line" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	head -c 100000000 /dev/zero | tr '\0' 'x' > "$T/big"
	echo >> "$T/big"
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		[ "$KIND" != num ] || continue	# not a number: one warning, tested above
		run_on "$T/big"
		check "100 MB line" 0 "" "$T/big"
	done
}

# FILE operands: a directory, a FIFO with a writer, an unreadable file and
# a missing one among good files; the good ones are all processed.
@test "badinput: bad FILE operands among good ones" {
	mkdir "$T/dir"
	mkfifo "$T/fifo"
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		[ "$FILES" = yes ] || continue
		good > "$T/g1"
		good | tail -1 > "$T/g2"
		# directory and missing file
		cat "$T/g1" "$T/g2" > "$T/cat"
		expect_of "$T/cat" "$T/want"
		run --separate-stderr bash -c "$CMD '$T/g1' '$T/dir' '$T/missing' '$T/g2' > '$T/out'"
		check "directory + missing FILE" 2 "$NAME: $T/dir: Is a directory
$NAME: $T/missing: No such file or directory" "$T/want"
		# a FIFO with a writer, between good files
		( good > "$T/fifo" ) &
		cat "$T/g1" "$T/g1" "$T/g2" > "$T/cat"
		expect_of "$T/cat" "$T/want"
		run --separate-stderr bash -c "timeout 10 $CMD '$T/g1' '$T/fifo' '$T/g2' > '$T/out'"
		wait
		check "FIFO FILE" 0 "" "$T/want"
	done
}

shim() {
	SHIM=${RUNNEL_SHIM:-$BATS_TEST_DIRNAME/../build/readfail.so}
	[ -f "$SHIM" ] || skip "no $SHIM: run through make"
	# The shim is not instrumented: ASan (make check) must not insist on
	# coming first.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
}

@test "badinput: an unreadable FILE (EACCES from the shim, root or not)" {
	shim
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		[ "$FILES" = yes ] || continue
		good > "$T/g1"
		good > "$T/NOACCESS"
		cat "$T/g1" "$T/g1" > "$T/cat"
		expect_of "$T/cat" "$T/want"
		run --separate-stderr env LD_PRELOAD="$SHIM" bash -c "$CMD '$T/g1' '$T/NOACCESS' '$T/g1' > '$T/out'"
		check "unreadable FILE" 2 "$NAME: $T/NOACCESS: Permission denied" "$T/want"
	done
}

@test "badinput: a read error (EIO) after the first chunk; later FILEs still read" {
	shim
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		[ "$FILES" = yes ] || continue
		if [ "$KIND" = num ]; then seq 1000000 > "$T/READFAIL"; else seq 1000000 | sed 's/^/line /' > "$T/READFAIL"; fi
		good > "$T/g2"
		run --separate-stderr env LD_PRELOAD="$SHIM" bash -c "$CMD '$T/READFAIL' '$T/g2' > '$T/out'"
		check "read error" 2 "$NAME: $T/READFAIL: Input/output error" ""
		# what came out is a prefix of the file's lines, then g2 whole
		expect_of "$T/g2" "$T/want"
		tail -c "$(stat -c %s "$T/want")" "$T/out" > "$T/tail"
		cmp -s "$T/tail" "$T/want" || { echo "# $CMD: last FILE not processed after EIO"; return 1; }
		[ "$(wc -l < "$T/out")" -gt 3 ] || { echo "# $CMD: first chunk lost"; return 1; }
	done
}

@test "badinput: /dev/full as stdout: write error, exit 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		good > "$T/in"
		run --separate-stderr bash -c "$CMD < '$T/in' > /dev/full"
		check "/dev/full" 2 "$(writer_name): write error: No space left on device" ""
	done
}

# GNU cat says "cat: write error: Bad file descriptor" and exits 1; we say
# the same and exit 2, the toolkit's one error status.
@test "badinput: stdout closed: write error, exit 2" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		good > "$T/in"
		run --separate-stderr bash -c "$CMD < '$T/in' >&-"
		check "stdout closed" 2 "$(writer_name): write error: Bad file descriptor" ""
	done
}

@test "badinput: stdin closed: message names standard input, exit 2" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		run --separate-stderr bash -c "$CMD <&- > '$T/out'"
		check "stdin closed" 2 "$(writer_name): (standard input): Bad file descriptor" ""
	done
}

# With fd 0 closed, the first FILE opened must not become "standard input"
# (it would be read again for "-" and never closed).
@test "badinput: stdin closed, FILE operands around '-' are read, '-' fails" {
	for e in "${ENTRIES[@]}"; do
		entry "$e"
		[ "$FILES" = yes ] || continue
		good > "$T/g1"
		good | tail -1 > "$T/g2"
		cat "$T/g1" "$T/g2" > "$T/cat"
		expect_of "$T/cat" "$T/want"
		run --separate-stderr bash -c "$CMD '$T/g1' - '$T/g2' <&- > '$T/out'"
		check "stdin closed among FILEs" 2 "$(writer_name): (standard input): Bad file descriptor" "$T/want"
	done
}
