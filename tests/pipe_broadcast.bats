#!/usr/bin/env bats
# pipe: broadcast -c 'SUB' in-process when SUB is a runnel pipeline, and
# through sh -c otherwise: deterministic order, the same lines as the
# executables, distribution, close, failures, errors before input.

load helper

teardown() {
	[ -z "${bg:-}" ] || kill "$bg" 2>/dev/null || true
}

setup() {
	T=$BATS_TEST_TMPDIR
	for c in pipe broadcast power match printer; do
		[ -x "$RUNNEL_BIN/$c" ] || skip "$c not built yet"
	done
}

# The same lines through pipe and through the executables, sorted (the
# executables interleave their commands' output as it comes).
# $1: the pipeline; stdin from $2.
same_lines_as_bash() {
	local ps pb
	set +e
	pipe "$1" < "$2" > "$T/pipe.out" 2> "$T/pipe.err"; ps=$?
	bash -o pipefail -c "$1" < "$2" > "$T/bash.out" 2> "$T/bash.err"; pb=$?
	set -e
	sort "$T/pipe.out" > "$T/pipe.sorted"
	sort "$T/bash.out" > "$T/bash.sorted"
	assert_same_bytes "$T/pipe.sorted" "$T/bash.sorted"
	[ "$ps" -eq "$pb" ] || { echo "status pipe=$ps bash=$pb"; return 1; }
}

# ---- order ---------------------------------------------------------------

@test "pipe broadcast: two in-process commands, line by line in order" {
	run --separate-stderr pipe 'broadcast -c "power 2" -c "power 3" | printer -n' < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%6d\t%s\n' 1 1 2 1 3 4 4 8 5 9 6 27 7 16 8 64)" ]
	[ -z "$stderr" ]
}

@test "pipe broadcast: the seeds' shape, seq 10, exact bytes" {
	seq 10 | pipe 'broadcast -c "power 2" -c "power 3" | printer -n' > "$T/out"
	for i in $(seq 10); do
		echo $((i * i))
		echo $((i * i * i))
	done | nl -ba -w6 > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "pipe broadcast: three commands, filters and pipelines among them" {
	run --separate-stderr pipe 'broadcast -c "match 1" -c "power 2 | printer -p sq:" -c "printer -p id:"' < <(seq 3 12)
	[ "$status" -eq 0 ]
	[ "$output" = "sq:9
id:3
sq:16
id:4
sq:25
id:5
sq:36
id:6
sq:49
id:7
sq:64
id:8
sq:81
id:9
10
sq:100
id:10
11
sq:121
id:11
12
sq:144
id:12" ]
	[ -z "$stderr" ]
}

@test "pipe broadcast: a big input keeps the order across read batches" {
	seq 200000 > "$T/in"
	pipe 'broadcast -c "printer -p a" -c "printer -p b"' < "$T/in" > "$T/out"
	sed 's/^/a/' "$T/in" > "$T/a"
	sed 's/^/b/' "$T/in" > "$T/b"
	paste -d '\n' "$T/a" "$T/b" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "pipe broadcast: one command alone, no -c order to keep" {
	run --separate-stderr pipe 'broadcast -c "power 2"' < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n4\n9' ]
}

@test "pipe broadcast: the same lines as the executables (sorted)" {
	seq 1000 > "$T/in"
	same_lines_as_bash 'broadcast -c "power 2" -c "match 1" | printer' "$T/in"
	same_lines_as_bash 'broadcast -c "power 2 | match 4" -c "match -v 1"' "$T/in"
	diff "$T/pipe.err" "$T/bash.err"
}

@test "pipe broadcast: in-process and sh commands mixed, same lines" {
	seq 50 > "$T/in"
	same_lines_as_bash 'broadcast -c "power 2" -c "sed s/^/x/" -c "match 5" | printer' "$T/in"
	grep -qx 'x50' "$T/pipe.out"
	grep -qx '2500' "$T/pipe.out"
}

@test "pipe broadcast: the in-process commands keep their order among sh output" {
	seq 30 | pipe 'broadcast -c "printer -p a" -c "sed s/^/s/" -c "printer -p b"' > "$T/out"
	grep -v '^s' "$T/out" > "$T/inproc"
	seq 30 | awk '{ print "a" $0; print "b" $0 }' > "$T/want"
	assert_same_bytes "$T/inproc" "$T/want"
	grep '^s' "$T/out" > "$T/sh"
	seq 30 | sed 's/^/s/' > "$T/want"
	assert_same_bytes "$T/sh" "$T/want"
}

@test "pipe broadcast: a last line without newline stays whole" {
	printf '1\n2' | pipe 'broadcast -c printer -c "printer -p x"' > "$T/out"
	printf '1\nx1\n2x2' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

# ---- distribution --------------------------------------------------------

@test "pipe broadcast --round-robin: exact turns over in-process commands" {
	run --separate-stderr pipe 'broadcast --round-robin -c "printer -p a:" -c "printer -p b:" -c "printer -p c:"' < <(seq 7)
	[ "$status" -eq 0 ]
	[ "$output" = $'a:1\nb:2\nc:3\na:4\nb:5\nc:6\na:7' ]
	seq 3000 | pipe 'broadcast --round-robin -c "printer -p a:" -c "printer -p b:" -c "printer -p c:"' > "$T/out"
	[ "$(grep -c '^a:' "$T/out")" -eq 1000 ]
	[ "$(grep -c '^b:' "$T/out")" -eq 1000 ]
	[ "$(grep -c '^c:' "$T/out")" -eq 1000 ]
}

@test "pipe broadcast --key: equal keys meet the same command, as the executable" {
	printf 'x 1\ny 2\nx 3\ny 4\nz 5\n' > "$T/in"
	pipe 'broadcast --key 1 -c "printer -p a:" -c "printer -p b:"' < "$T/in" > "$T/out"
	broadcast --key 1 -c 'printer -p a:' -c 'printer -p b:' < "$T/in" | sort > "$T/exe"
	sort "$T/out" > "$T/sorted"
	assert_same_bytes "$T/sorted" "$T/exe"
	# in-process, the input order is kept exactly
	sed 's/^[ab]://' "$T/out" > "$T/lines"
	assert_same_bytes "$T/lines" "$T/in"
	[ "$(grep -c ':x ' "$T/out")" -eq 2 ]
	[ "$(grep ':x ' "$T/out" | cut -c1 | sort -u | wc -l)" -eq 1 ]
}

@test "pipe broadcast: FILEs beside in-process commands get every line" {
	run --separate-stderr pipe "broadcast -c 'power 2' $T/f -c 'power 3'" < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n1\n4\n8\n9\n27' ]
	[ "$(cat "$T/f")" = $'1\n2\n3' ]
	# --round-robin counts the FILE among the destinations, in order
	run --separate-stderr pipe "broadcast --round-robin -c 'power 2' $T/g -c 'printer -p x'" < <(seq 6)
	[ "$output" = $'1\nx3\n16\nx6' ]
	[ "$(cat "$T/g")" = $'2\n5' ]
}

@test "pipe broadcast --balance: an in-process command never has unsent data" {
	run --separate-stderr pipe 'broadcast --balance -c "printer -p a:" -c "printer -p b:"' < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = $'a:1\nb:2\na:3\nb:4' ]
}

# ---- close, stop, failure ------------------------------------------------

@test "pipe broadcast: summaries of in-process commands at close, in order" {
	run --separate-stderr pipe 'broadcast -c "printer -q --summary" -c "power 2 | printer -q --summary"' < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "count=4 sum=10 min=1 max=4 mean=2.5
count=4 sum=30 min=1 max=16 mean=7.5" ]
	[ -z "$stderr" ]
}

@test "pipe broadcast: a failing command is reported, dropped, and sets the status" {
	printf '1\nx\n3\n' > "$T/in"
	run --separate-stderr pipe 'broadcast -c "power 2 --invalid=fail" -c "printer -p ok:"' < "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = $'1\nok:1\nok:x\nok:3' ]
	[ "$stderr" = "power: (standard input):2: invalid number 'x'
broadcast: 'power 2 --invalid=fail': exited with status 2" ]
	# the executables say the same words
	broadcast -c 'power 2 --invalid=fail' -c 'printer -p ok:' < "$T/in" > /dev/null 2> "$T/exe.err" || true
	[ "$(cat "$T/exe.err")" = "$stderr" ]
}

@test "pipe broadcast: the first failing command on the line gives the status" {
	run --separate-stderr pipe 'broadcast -c "printer" -c "match 7" -c "power 2 --invalid=fail"' < <(printf '1\nx\n')
	[ "$status" -eq 1 ]
	[ "$stderr" = "power: (standard input):2: invalid number 'x'
broadcast: 'match 7': exited with status 1
broadcast: 'power 2 --invalid=fail': exited with status 2" ]
}

@test "pipe broadcast: a command that stops (match -m1) is dropped silently" {
	run --separate-stderr pipe 'broadcast -c "match -m1 1" -c "match 2"' < <(seq 25)
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n2\n12\n20\n21\n22\n23\n24\n25' ]
	[ -z "$stderr" ]
}

@test "pipe broadcast: every command stopped ends the input" {
	run --separate-stderr pipe 'broadcast -c "match -m1 1" -c "match -m1 2"' < <(seq 1000000)
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n2' ]
}

@test "pipe broadcast: a closed stdout ends it at once, status 0" {
	set -o pipefail
	pipe 'broadcast -c "power 2" -c "printer"' < <(seq 1000000) | head -2 > "$T/out"
	[ "$(cat "$T/out")" = $'1\n1' ]
	# a later stage that stops is the same for broadcast
	run --separate-stderr pipe 'broadcast -c "power 2" -c "power 3 | printer -p c" | match -m1 64' < <(seq 1000000)
	[ "$status" -eq 0 ]
	[ "$output" = c64 ]
	[ -z "$stderr" ]
}

@test "pipe broadcast: SIGTERM closes the branches: summaries, then 143" {
	mkfifo "$T/in"
	pipe 'broadcast -c "printer -q --summary" -c "power 2 | printer -q --summary" -c "printer -p seen"' < "$T/in" > "$T/out" 3>&- &
	local pid=$!
	exec 5> "$T/in"
	printf '1\n2\n3\n' >&5
	# all read: the idle flush has shown every line
	wait_for '[ "$(grep -c seen "$T/out")" -eq 3 ]'
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	exec 5>&-
	[ "$st" -eq 143 ]
	[ "$(cat "$T/out")" = "seen1
seen2
seen3
count=3 sum=6 min=1 max=3 mean=2
count=3 sum=14 min=1 max=9 mean=4.666666666666667" ]
}

# ---- what runs in-process and what through sh ---------------------------

@test "pipe broadcast: nested quoting reaches the stage's options" {
	run --separate-stderr pipe "broadcast -c \"match 'a b'\" -c 'printer -p \"> \"'" < <(printf 'a b\nab\n')
	[ "$status" -eq 0 ]
	[ "$output" = $'a b\n> a b\n> ab' ]
	run pipe --explain "broadcast -c \"match 'a b'\""
	[ "${lines[2]}" = "  command 'match '\\''a b'\\''': in-process, its output merged in order" ]
}

@test "pipe broadcast: a command that is not runnel runs through sh -c" {
	run --separate-stderr pipe 'broadcast -c sort' < <(printf '3\n1\n2\n')
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n2\n3' ]
	# shell syntax, expansion: sh reads it, not pipe
	run --separate-stderr pipe 'broadcast -c "printer -p \$0:"' < <(echo x)
	[ "$output" = 'sh:x' ]
	run --separate-stderr pipe 'broadcast -c "match 1 | sed s/1/one/"' < <(seq 2)
	[ "$output" = 'one' ]
	run --separate-stderr pipe --explain 'broadcast -c "match 1 > /dev/null" -c "match 1; echo x"'
	[ "${lines[2]}" = "  command 'match 1 > /dev/null': through sh -c" ]
	[ "${lines[3]}" = "  command 'match 1; echo x': through sh -c" ]
}

@test "pipe broadcast: a SUB with bad options: exit 2 before input, nothing out" {
	run --separate-stderr pipe 'broadcast -c "power --bogus" -c "match -m x" | printer' < <(seq 3)
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "pipe: stage 1 (broadcast): -c 'power --bogus': stage 1 (power): unrecognized option '--bogus'
pipe: stage 1 (broadcast): -c 'match -m x': stage 1 (match): invalid number 'x' for -m" ]
}

@test "pipe broadcast: a SUB error names its place, also nested and later" {
	run --separate-stderr pipe 'printer | broadcast -c "printer | power"' < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 2 (broadcast): -c 'printer | power': stage 2 (power): missing exponent" ]
	run --separate-stderr pipe 'broadcast -c "broadcast -c \"power x\""' < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 1 (broadcast): -c 'broadcast -c \"power x\"': stage 1 (broadcast): -c 'power x': stage 1 (power): invalid exponent 'x'" ]
}

@test "pipe broadcast: a SUB may not read FILEs nor be a source" {
	run --separate-stderr pipe 'broadcast -c "match 1 /etc/passwd"' < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 1 (broadcast): -c 'match 1 /etc/passwd': stage 1 (match): FILE operand '/etc/passwd' not allowed: a command run in-process reads the lines given to it" ]
	run --separate-stderr pipe 'broadcast -c "follow /etc/passwd"' < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 1 (broadcast): -c 'follow /etc/passwd': stage 1 (follow): a source cannot read the lines given to it: it can only be stage 1 of the whole pipeline" ]
	# a lone - is the lines given to it, as in the shell
	run --separate-stderr pipe 'broadcast -c "match 1 -"' < <(seq 2)
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "pipe broadcast: --help in a SUB prints that help and exits 0" {
	run --separate-stderr pipe 'broadcast -c "power --help"' < /dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'Usage: power [OPTION]... EXPONENT [FILE]...' ]
}

@test "pipe broadcast: a nested broadcast in-process keeps the order too" {
	run --separate-stderr pipe 'broadcast -c "broadcast -c \"printer -p a\" -c \"printer -p b\"" -c "printer -p c"' < <(seq 2)
	[ "$status" -eq 0 ]
	[ "$output" = $'a1\nb1\nc1\na2\nb2\nc2' ]
}

# ---- idle input: sh commands' output still flows ------------------------

# idle_flow TEXT IN1 OUT1 IN2 OUT: pipe TEXT reading a fifo; after IN1
# the output is OUT1 while the input stays open and idle; after IN2 and
# the input's end it is OUT.
idle_flow() {
	mkfifo "$T/in"
	pipe "$1" < "$T/in" > "$T/out" 3>&- &
	local pid=$! first=$3	# wait_for has positional parameters of its own
	exec 5> "$T/in"
	printf '%s' "$2" >&5
	wait_for '[ "$(cat "$T/out")" = "$first" ]'
	printf '%s' "$4" >&5
	exec 5>&-
	wait "$pid"
	[ "$(cat "$T/out")" = "$5" ]
}

@test "pipe follow | broadcast -c: a command's output flows while follow is idle" {
	[ -x "$RUNNEL_BIN/follow" ] || skip "follow not built yet"
	printf 'a\n' > "$T/log"
	pipe "follow $T/log | broadcast -c 'sleep 0.3; cat' | printer -p '> '" \
	    > "$T/out" 3>&- &
	bg=$!	# teardown ends it if the test fails first
	local pid=$bg
	# nothing more is appended: only the watched pipe can bring it out
	wait_for '[ "$(cat "$T/out")" = "> a" ]'
	kill -TERM "$pid"
	wait "$pid" || true
	[ "$(cat "$T/out")" = "> a" ]
}

@test "pipe broadcast -c 'sh command': its output flows while input is idle" {
	idle_flow 'broadcast -c cat | printer' $'a\n' a $'b\n' $'a\nb'
}

@test "pipe broadcast: in-process output is shown before input waits" {
	idle_flow 'broadcast -c "power 2" -c "match 3 | printer -p m"' \
	    $'2\n3\n' $'4\n9\nm3' $'4\n' $'4\n9\nm3\n16'
}

@test "pipe broadcast: a sh command nested in an in-process one flows too" {
	idle_flow 'broadcast -c "power 2 | broadcast -c cat" | printer' \
	    $'3\n' 9 $'4\n' $'9\n16'
}

# ---- --explain, --stats, --trace ---------------------------------------

@test "pipe --explain lists a broadcast's commands and their stages" {
	run --separate-stderr pipe --explain 'broadcast -c "power 2" -c "match 1 | printer -p x" -c sort | printer -n'
	[ "$status" -eq 0 ]
	[ "$output" = "input: standard input
stage 1 (broadcast): -c 'power 2' -c 'match 1 | printer -p x' -c sort
  command 'power 2': in-process, its output merged in order
    stage 1 (power): exponent=2 scale=1 offset=0 field=0 invalid=warn
  command 'match 1 | printer -p x': in-process, its output merged in order
    stage 1 (match): 1
    stage 2 (printer): -p x
  command sort: through sh -c
stage 2 (printer): -n
output: standard output, block-buffered (line-buffered on a terminal)" ]
}

@test "pipe --stats counts the stages of in-process commands" {
	run --separate-stderr pipe --stats 'broadcast -c "power 2" -c "match 1 | printer -p x" | printer' < <(seq 12)
	[ "$status" -eq 0 ]
	sed 's/time=[0-9.]*s/time=T/' <<< "$stderr" > "$T/stats"
	[ "$(cat "$T/stats")" = "pipe: stage 1 (broadcast): in=12 out=16 time=T
pipe: stage 1 (broadcast): -c 'power 2': stage 1 (power): in=12 out=12 time=T
pipe: stage 1 (broadcast): -c 'match 1 | printer -p x': stage 1 (match): in=12 out=4 time=T
pipe: stage 1 (broadcast): -c 'match 1 | printer -p x': stage 2 (printer): in=4 out=4 time=T
pipe: stage 2 (printer): in=16 out=16 time=T" ]
}

@test "pipe --trace follows a line into each command" {
	run --separate-stderr pipe --trace 'broadcast -c "power 2" -c "match 1" | printer' < <(seq 2)
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n1\n4' ]
	[ "$stderr" = "stage 1 (broadcast) <- 1
stage 1 (broadcast): -c 'power 2': stage 1 (power) <- 1
stage 1 (broadcast): -c 'match 1': stage 1 (match) <- 1
stage 2 (printer) <- 1
stage 2 (printer) <- 1
stage 1 (broadcast) <- 2
stage 1 (broadcast): -c 'power 2': stage 1 (power) <- 2
stage 1 (broadcast): -c 'match 1': stage 1 (match) <- 2
stage 2 (printer) <- 4" ]
}

@test "pipe broadcast: SIGUSR1 reaches the in-process commands' stages" {
	mkfifo "$T/in"
	pipe 'broadcast -c "printer -q --summary" -c "power 2 | printer -q --summary" -c "printer -p seen"' < "$T/in" > "$T/out" 2> "$T/err" 3>&- &
	local pid=$!
	exec 5> "$T/in"
	printf '1\n2\n' >&5
	wait_for '[ "$(grep -c seen "$T/out")" -eq 2 ]'
	kill -USR1 "$pid"
	wait_for '[ "$(wc -l < "$T/err")" -eq 3 ]'
	exec 5>&-
	wait "$pid"
	# every printer reports, in command-line order
	[ "$(cat "$T/err")" = "count=2 sum=3 min=1 max=2 mean=1.5
count=2 sum=5 min=1 max=4 mean=2.5
count=2 sum=3 min=1 max=2 mean=1.5" ]
}

# Without -c, a closed stdout is one destination dropped: the FILEs go
# on to the end of input, and a FILE that failed still gives status 2.
@test "pipe broadcast FILE: a closed stdout drops one destination, as the executable" {
	seq 300000 > "$T/in"
	run bash -c "pipe 'broadcast $T/f' < '$T/in' | head -1; echo \${PIPESTATUS[0]}"
	[ "$output" = $'1\n0' ]
	cmp "$T/f" "$T/in"
	run bash -c "pipe 'broadcast $T/g | printer -n' < '$T/in' | head -1; echo \${PIPESTATUS[0]}"
	[ "$output" = $'     1\t1\n0' ]
	cmp "$T/g" "$T/in"
	run --separate-stderr bash -c "pipe 'broadcast /dev/full $T/h' < '$T/in' | head -1; echo \${PIPESTATUS[0]}"
	[ "$output" = $'1\n2' ]
	[ "$stderr" = "broadcast: /dev/full: No space left on device" ]
	cmp "$T/h" "$T/in"
	run --separate-stderr bash -c "broadcast /dev/full $T/k < '$T/in' | head -1; echo \${PIPESTATUS[0]}"
	[ "$output" = $'1\n2' ]
	[ "$stderr" = "broadcast: /dev/full: No space left on device" ]
}

@test "pipe broadcast FILE: a closed stdout while input idles, the FILE still gets the rest" {
	mkfifo "$T/fifo"
	exec 5<> "$T/fifo"
	pipe "broadcast $T/f" < "$T/fifo" 5>&- | head -1 > "$T/out" &
	pid=$!
	printf '1\n2\n' >&5
	wait_for '[ -s "$T/out" ]' 5
	printf '3\n' >&5
	exec 5>&-
	wait_for '[ "$(wc -l < "$T/f")" -eq 3 ]' 5
	wait "$pid"
	[ "$(cat "$T/f")" = $'1\n2\n3' ]
	[ "$(cat "$T/out")" = 1 ]
}
