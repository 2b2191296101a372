#!/usr/bin/env bats
# pipe: word splitting, comments, scripts, errors before input, --explain,
# --stats, --trace, and equivalence with bash -o pipefail.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

# The same text through pipe and through bash -o pipefail: stdout bytes
# and status must be equal.  $1: the pipeline; stdin from $2 (a file).
# pipe --threads and --threads=1 too, with the same messages (their
# order across stages is the threads', so compared sorted).
same_as_bash() {
	local in=${2:-/dev/null} ps pb pt p1
	set +e
	pipe "$1" < "$in" > "$T/pipe.out" 2> "$T/pipe.err"; ps=$?
	bash -o pipefail -c "$1" < "$in" > "$T/bash.out" 2> "$T/bash.err"; pb=$?
	pipe --threads "$1" < "$in" > "$T/threads.out" 2> "$T/threads.err"; pt=$?
	pipe --threads=1 "$1" < "$in" > "$T/one.out" 2> "$T/one.err"; p1=$?
	set -e
	assert_same_bytes "$T/pipe.out" "$T/bash.out"
	[ "$ps" -eq "$pb" ] || { echo "status pipe=$ps bash=$pb"; return 1; }
	assert_same_bytes "$T/one.out" "$T/bash.out"
	[ "$p1" -eq "$pb" ] || { echo "status --threads=1 $p1 bash=$pb"; return 1; }
	diff <(sort "$T/pipe.err") <(sort "$T/one.err")
	assert_same_bytes "$T/threads.out" "$T/bash.out"
	[ "$pt" -eq "$pb" ] || { echo "status --threads=$pt bash=$pb"; return 1; }
	diff <(sort "$T/pipe.err") <(sort "$T/threads.err")
}

need() {
	local c
	for c; do
		[ -x "$RUNNEL_BIN/$c" ] || skip "$c not built yet"
	done
}

# ---- word splitting -------------------------------------------------

@test "pipe: single quotes keep every byte, | and \\ included" {
	run --separate-stderr pipe "printer -p 'a|b \\ \"c\" \$HOME '" <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = 'a|b \ "c" $HOME x' ]
	[ -z "$stderr" ]
}

@test "pipe: double quotes unescape \\\" \\\\ \\\$ \\\` only" {
	run pipe 'printer -p "q\"b\\s\$d\`t\n|"' <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = 'q"b\s$d`t\n|x' ]
}

@test "pipe: backslash outside quotes quotes the next byte" {
	run pipe 'printer -p \|\ \"\'\''\\:' <<< 'x'
	[ "$output" = "| \"'\\:x" ]
}

@test "pipe: backslash-newline joins lines, outside and inside double quotes" {
	run pipe $'printer -p ab\\\ncd -p "e\\\nf"' <<< 'x'
	[ "$output" = 'efx' ]
	run pipe $'printer -p ab\\\ncd' <<< 'x'
	[ "$output" = 'abcdx' ]
}

@test "pipe: no expansion: \$VAR, globs, tilde, \$(...), backquotes stay literal" {
	touch "$T/a1" "$T/a2"
	cd "$T"
	run --separate-stderr pipe 'printer -p $HOME~*$(id)`id`?[a]' <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = '$HOME~*$(id)`id`?[a]x' ]
	run pipe 'printer -p ~/' <<< 'x'
	[ "$output" = '~/x' ]
}

@test "pipe: quotes join into one word; an empty quoted word is a word" {
	run pipe "printer -p a'b c'\"d e\"f" <<< 'x'
	[ "$output" = 'ab cd efx' ]
	run pipe "printer -p '' -n" <<< 'x'
	[ "$output" = "$(printf '     1\tx')" ]
}

@test "pipe: | needs no blanks around it; newlines and tabs are blanks" {
	run pipe $'printer -n|printer\t-p >\n|\nprinter' <<< 'x'
	[ "$output" = "$(printf '>     1\tx')" ]
}

@test "pipe: # at the start of a word is a comment to the end of the line" {
	run pipe $'printer -p a#b # -n | printer -p X\n| printer -p "#c" #x' <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = '#ca#bx' ]
}

# ---- scripts ----------------------------------------------------------

@test "pipe -f SCRIPT reads the pipeline from a file, split over lines" {
	cat > "$T/s.pipe" <<-'EOF'
	# number, then prefix
	printer -n   # cat -n style
	  | printer --prefix '> '
	EOF
	run --separate-stderr pipe -f "$T/s.pipe" <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '>      1\tx')" ]
	[ -z "$stderr" ]
}

@test "pipe: an executable script with #!/usr/bin/env -S pipe -f" {
	env -S true 2>/dev/null || skip "env -S not supported"
	printf '#!/usr/bin/env -S pipe -f\nprinter -p "s: "\n' > "$T/s"
	chmod +x "$T/s"
	run "$T/s" <<< 'x'
	[ "$status" -eq 0 ]
	[ "$output" = 's: x' ]
}

@test "pipe -f: a missing SCRIPT is exit 2 with the reason" {
	run --separate-stderr pipe -f "$T/nope"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: $T/nope: No such file or directory" ]
}

@test "pipe -f: a word error names the SCRIPT and its line" {
	printf 'printer |\n printer "abc\n\n' > "$T/s"
	run --separate-stderr pipe -f "$T/s"
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: $T/s:2: unterminated double quote" ]
}

# ---- errors: all before input, exit 2, nothing on stdout --------------

@test "pipe: unterminated quotes" {
	run --separate-stderr pipe "printer -p 'abc"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: line 1: unterminated single quote" ]
	run --separate-stderr pipe $'printer |\nprinter -p "a'
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: line 2: unterminated double quote" ]
}

@test "pipe: empty stages and empty pipelines" {
	run --separate-stderr pipe 'printer || printer'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: stage 2 is empty" ]
	run --separate-stderr pipe '| printer'
	[ "$stderr" = "pipe: stage 1 is empty" ]
	run --separate-stderr pipe 'printer |'
	[ "$stderr" = "pipe: stage 2 is empty" ]
	run --separate-stderr pipe ' # only a comment'
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: empty pipeline" ]
}

@test "pipe: unknown command names the stage" {
	run --separate-stderr pipe 'printer | foo -x | printer'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: stage 2: unknown command 'foo'" ]
}

@test "pipe: a stage's option error is the executable's, prefixed by its place" {
	run --separate-stderr printer --bogus
	want=${stderr%%$'\n'*}
	run --separate-stderr pipe 'printer | printer --bogus'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: stage 2 (${want#printer: }" ] || [ "$stderr" = "pipe: stage 2 (printer): ${want#printer: }" ]
	run --separate-stderr pipe 'printer -f 0 | printer -d'
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 1 (printer): invalid field number '0' for -f
pipe: stage 2 (printer): option requires an argument -- 'd'" ]
}

@test "pipe: every error is found before any input is read" {
	# a fifo held open with no data: reading it would block
	mkfifo "$T/fifo"
	exec 5<> "$T/fifo"
	run --separate-stderr timeout 5 pipe 'printer | printer --summary=bad' < "$T/fifo"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	exec 5>&-
	[ "$stderr" = "pipe: stage 2 (printer): invalid summary list 'bad' for --summary" ]
}

@test "pipe: a later stage with FILE operands is refused" {
	run --separate-stderr pipe 'printer | printer -n file'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: stage 2 (printer): FILE operand 'file' not allowed: only stage 1 reads files, stage 2 reads stage 1's output" ]
	# "-" is the upstream output, as in the shell
	run pipe 'printer | printer -p "> " -' <<< 'x'
	[ "$output" = '> x' ]
}

@test "pipe: usage errors of its own" {
	run --separate-stderr pipe
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: missing PIPELINE
Try 'pipe --help' for more information." ]
	run --separate-stderr pipe printer -n
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "pipe: invalid option -- 'n'" ]
	run --separate-stderr pipe printer printer
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "pipe: extra operand 'printer'" ]
}

@test "pipe --help and --version" {
	run --separate-stderr pipe --help
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: pipe [OPTION]... 'PIPELINE'"* ]]
	run pipe --version
	[ "$output" = "pipe (runnel) 0.1.0" ]
	run pipe 'printer --version'
	[ "$status" -eq 0 ]
	[ "$output" = "printer (runnel) 0.1.0" ]
}

# ---- files and the first stage ----------------------------------------

@test "pipe: the first stage reads its FILE operands; errors as the executable" {
	printf '1\n2' > "$T/a"; printf '3\n' > "$T/b"
	run --separate-stderr pipe "printer $T/a $T/nope $T/b | printer -n"
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '     1\t1\n     2\t23')" ]
	[ "$stderr" = "printer: $T/nope: No such file or directory" ]
}

# ---- --explain, --stats, --trace -------------------------------------

@test "pipe --explain prints the chain and reads nothing" {
	run --separate-stderr pipe --explain "printer -n a 'b c' | printer -p 'it'\\''s' --summary=sum"
	[ "$status" -eq 0 ]
	[ "$output" = "input: one stream of a 'b c'
stage 1 (printer): -n a 'b c'
stage 2 (printer): -p 'it'\\''s' --summary=sum
output: standard output, block-buffered (line-buffered on a terminal)" ]
	[ -z "$stderr" ]
	run pipe --explain 'printer --line-buffered'
	[ "$output" = "input: standard input
stage 1 (printer): --line-buffered
output: standard output, line-buffered" ]
}

@test "pipe --line-buffered: accepted, said by --explain, no split" {
	printf 'a\n' > "$T/in"
	run --separate-stderr pipe --line-buffered --explain 'match a | power 2 --invalid=skip' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "input: standard input
stage 1 (match): a
stage 2 (power): exponent=2 scale=1 offset=0 field=0 invalid=skip
output: standard output, line-buffered" ]
	[ -z "$stderr" ]
	run --separate-stderr pipe --line-buffered 'printer -n' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '     1\ta')" ]
	[ -z "$stderr" ]
}

# A FILE whose second read stalls 3 s (the LD_PRELOAD shim): a regular
# file never looks idle, so only a line-buffered output is written
# before the stall.
@test "pipe --line-buffered writes each line at once" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "timed case"
	SHIM=${RUNNEL_SHIM:-$BATS_TEST_DIRNAME/../build/readfail.so}
	[ -f "$SHIM" ] || skip "no $SHIM: run through make"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	printf 'a\nb\n' > "$T/READSLOW"
	LD_PRELOAD=$SHIM pipe --line-buffered "printer -n $T/READSLOW | printer -p x" > "$T/out" &
	pid=$!
	wait_for '[ "$(wc -l < "$T/out")" -eq 2 ]' 2
	kill -0 "$pid"	# still in the stalled read
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'x     1\ta\nx     2\tb')" ]
	# without it, nothing before the stall
	LD_PRELOAD=$SHIM pipe "printer -n $T/READSLOW | printer -p x" > "$T/out" &
	pid=$!
	sleep 1
	[ ! -s "$T/out" ]
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf 'x     1\ta\nx     2\tb')" ]
}

@test "pipe --stats writes one line a stage" {
	seq 5 > "$T/in"
	run --separate-stderr pipe --stats 'printer | printer --summary=count' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2\n3\n4\n5\ncount=5')" ]
	[[ "$stderr" =~ ^pipe:\ stage\ 1\ \(printer\):\ in=5\ out=5\ time=[0-9]+\.[0-9]{3}s$'\n'pipe:\ stage\ 2\ \(printer\):\ in=5\ out=6\ time=[0-9]+\.[0-9]{3}s$ ]]
}

@test "pipe --trace shows each line entering each stage, in order" {
	printf '1\n2' | pipe --trace 'printer -n | printer -p "> "' > "$T/out" 2> "$T/err"
	printf '>      1\t1\n>      2\t2' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	printf 'stage 1 (printer) <- 1\nstage 2 (printer) <-      1\t1\nstage 1 (printer) <- 2\nstage 2 (printer) <-      2\t2\n' > "$T/want"
	assert_same_bytes "$T/err" "$T/want"
}

# ---- status, closed output, signals ------------------------------------

@test "pipe: a closed stdout ends it quietly with status 0" {
	run --separate-stderr bash -c 'seq 1000000 > "$1"; pipe "printer | printer -n" < "$1" | head -1; exit ${PIPESTATUS[0]}' sh "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '     1\t1')" ]
	[ -z "$stderr" ]
}

@test "pipe: SIGTERM flushes, closes the chain and dies by the signal" {
	mkfifo "$T/fifo"
	pipe 'printer | printer --summary=count' < "$T/fifo" > "$T/out" &
	pid=$!
	exec 5> "$T/fifo"
	echo 7 >&5
	wait_for "[ -s '$T/out' ]"
	kill -TERM "$pid"
	set +e; wait "$pid"; st=$?; set -e
	exec 5>&-
	[ "$st" -eq 143 ]
	[ "$(cat "$T/out")" = "$(printf '7\ncount=1')" ]
}

@test "pipe: lines reach stdout before input ends (flush before blocking)" {
	mkfifo "$T/fifo"
	pipe 'printer | printer -p "> "' < "$T/fifo" > "$T/out" &
	pid=$!
	exec 5> "$T/fifo"
	echo hello >&5
	wait_for "[ \"\$(cat '$T/out')\" = '> hello' ]"
	exec 5>&-
	wait "$pid"
}

# ---- equivalence with bash -o pipefail ---------------------------------

@test "pipe equals bash -o pipefail for printer chains" {
	printf 'a\n\nb\r\n\xff\x00z\nlast' > "$T/in"
	same_as_bash 'printer' "$T/in"
	same_as_bash 'printer -n | printer -n | printer -p "> "' "$T/in"
	same_as_bash 'printer -p "x: " --summary | printer -n' "$T/in"
	seq 20 > "$T/nums"
	same_as_bash 'printer --summary=sum,count | printer -q --summary' "$T/nums"
	same_as_bash "printer $T/nums - $T/nums | printer -n -" "$T/in"
	same_as_bash "printer $T/missing $T/nums | printer -n" "$T/in"
	same_as_bash 'printer -f 2 -d , --summary=max | printer -p ">"' "$T/nums"
}

@test "pipe equals bash: power, match seeds" {
	need power match
	seq 10 > "$T/in"
	same_as_bash 'power 2 | power 3 | match "[02468]$" | printer' "$T/in"
	same_as_bash 'power 2 --offset 1 | printer -n' "$T/in"
	same_as_bash 'power 0.5 | printer --summary' "$T/in"
}

@test "pipe equals bash: match chains and statuses" {
	need match
	printf 'GET /a\nPOST /b\nGET /favicon.ico\nx\n' > "$T/in"
	same_as_bash 'match GET | match -v favicon | printer -n' "$T/in"
	same_as_bash 'match nothing | printer' "$T/in"
	same_as_bash 'printer | match -c GET' "$T/in"
	same_as_bash 'match -m1 GET | printer -p "> "' "$T/in"
	run --separate-stderr pipe 'printer | match "("'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "pipe: stage 2 (match): invalid pattern '('"* ]]
}

@test "pipe equals bash: power with invalid lines, messages word for word" {
	need power
	printf '1\nx\n3\n' > "$T/in"
	same_as_bash 'power 2 | printer -n' "$T/in"
	diff "$T/pipe.err" "$T/bash.err"
	same_as_bash 'power 2 --invalid=pass | printer' "$T/in"
}

@test "pipe equals bash: follow --once and broadcast" {
	need follow broadcast
	seq 30 > "$T/log"
	same_as_bash "follow --once -n 5 $T/log | printer -n"
	same_as_bash 'broadcast | printer -p "> "' "$T/log"
}

# ---- Makefile use --------------------------------------------------------

@test "pipe in a Makefile recipe under .SHELLFLAGS = -ec -o pipefail" {
	command -v make > /dev/null || skip "make not installed"
	printf '1\n2\n3\n' > "$T/in"
	printf '%s\n' 'SHELL = /bin/bash' '.SHELLFLAGS = -ec -o pipefail' \
	    'out: in' "	pipe 'printer -n | printer -p \"> \"' < in > \$@" \
	    'bad:' "	pipe 'printer missing | printer' > bad.out" \
	    '	echo not reached' > "$T/Makefile"
	run make -s -C "$T" out
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out")" = "$(printf '>      1\t1\n>      2\t2\n>      3\t3')" ]
	run --separate-stderr make -s -C "$T" bad
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"printer: missing: No such file or directory"* ]]
	[[ "$output" != *"not reached"* ]]
}
