#!/usr/bin/env bats
# pipe --threads: the same bytes, statuses and messages as without it,
# and the same closing, stopping and flushing across the thread
# boundaries (lib/handoff.c) and in a split's copies (lib/split.c).

load helper

teardown() {
	[ -z "${bg:-}" ] || kill "$bg" 2>/dev/null || true
}

setup() {
	T=$BATS_TEST_TMPDIR
	for c in pipe power match printer; do
		[ -x "$RUNNEL_BIN/$c" ] || skip "$c not built yet"
	done
}

# $1: the pipeline, stdin from $2: pipe --threads[=$3] gives bash's
# stdout bytes and status, and pipe's own messages.
same_threaded() {
	local ps pb pt
	set +e
	pipe "$1" < "$2" > "$T/pipe.out" 2> "$T/pipe.err"; ps=$?
	pipe --threads${3:+=$3} "$1" < "$2" > "$T/threads.out" \
	    2> "$T/threads.err"; pt=$?
	bash -o pipefail -c "$1" < "$2" > "$T/bash.out" 2> /dev/null; pb=$?
	set -e
	assert_same_bytes "$T/pipe.out" "$T/bash.out"
	assert_same_bytes "$T/threads.out" "$T/bash.out"
	[ "$ps" -eq "$pb" ] && [ "$pt" -eq "$pb" ] ||
	    { echo "status pipe=$ps --threads=$pt bash=$pb"; cat "$T/threads.err"; return 1; }
	diff "$T/pipe.err" "$T/threads.err"
}

# SIGTERM to the pipe that start_fed started: its status in st.
term_fed() {
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	exec 5>&-
}

# Start pipe --threads "$1" on a FIFO that fd 5 holds open, so input can
# go idle; stdout in $T/out, stderr in $T/err, its process id in pid.
start_fed() {
	mkfifo "$T/in"
	pipe --threads "$1" < "$T/in" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 5> "$T/in"
}

@test "pipe --threads: 4 stages over 4 MB, bytes as bash, every split" {
	"$BATS_TEST_DIRNAME/data/gen-access-log" 30000 7 > "$T/log"
	local p='match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n'
	same_threaded "$p" "$T/log"
	same_threaded "$p" "$T/log" 2
	same_threaded "$p" "$T/log" 3
	same_threaded "$p" "$T/log" 1
	[ "$(wc -l < "$T/threads.out")" -gt 15000 ]
}

@test "pipe --threads: follow --once feeds the stages, not stdout (no sendfile past them)" {
	[ -x "$RUNNEL_BIN/follow" ] || skip "follow not built yet"
	"$BATS_TEST_DIRNAME/data/gen-access-log" 30000 7 > "$T/log"
	same_threaded "follow --once -n +1 $T/log | match favicon | printer -p 'x: '" /dev/null
	[ "$(wc -l < "$T/threads.out")" -eq "$(grep -c favicon "$T/log")" ]
}

@test "pipe --threads: a 3 MB line and no final newline cross whole" {
	{ seq 5; head -c 3000000 /dev/zero | tr '\0' 7; echo; seq 3; printf 12; } > "$T/in"
	same_threaded 'printer | power 1 --invalid=pass | printer -p "> "' "$T/in"
	same_threaded 'printer -n | printer' "$T/in"
}

@test "pipe --threads: long lines behind a slow reader hold one buffer a thread" {
	(ulimit -v 80000 && printer < /dev/null) 2>/dev/null ||
	    skip "runs only on an uninstrumented build (ulimit -v refused)"
	local i
	for i in 1 2 3 4 5 6; do
		head -c 8000000 /dev/zero | tr '\0' "$i"
		echo
	done > "$T/in"
	# eight 8 MB buffers queued a thread would not fit in 78 MiB
	(ulimit -v 80000 && exec pipe --threads 'printer | printer -n | printer') \
	    < "$T/in" 2> "$T/err" | (sleep 1; cat) > "$T/out"
	[ ! -s "$T/err" ]
	printer -n < "$T/in" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "pipe --threads: power's warnings from a worker thread, word for word" {
	printf '1\nx\n3\n\n5\n' > "$T/in"
	same_threaded 'printer | power 2 | printer -n' "$T/in"
	[ "$(cat "$T/threads.err")" = "power: (standard input):2: invalid number 'x'
power: (standard input):4: invalid number ''" ]
}

@test "pipe --threads: summaries, -m and statuses as without threads" {
	seq 100000 > "$T/in"
	same_threaded 'printer | power 2 | printer --summary' "$T/in"
	same_threaded 'printer | match -m 3 7 | printer -n' "$T/in"
	same_threaded 'printer | match nothing | printer' "$T/in"
	same_threaded 'match 9 | power 0.5 | printer -q --summary=count,max' "$T/in"
	# stage 1 fails a FILE, then its reader goes: exit 0, as on EPIPE
	same_threaded "printer $T/missing - | power 1 | match -m1 2" "$T/in"
	same_threaded "printer $T/missing - | power 1 | match 2" "$T/in"
	[ "$(cat "$T/threads.err")" = "printer: $T/missing: No such file or directory" ]
}

@test "pipe --threads: a closed output ends it quietly, status 0" {
	seq 3000000 > "$T/in"
	run bash -o pipefail -c "pipe --threads 'printer | power 2 | printer -n' < '$T/in' | head -2"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '     1\t1\n     2\t4')" ]
}

@test "pipe --threads: /dev/full is a write error, exit 2" {
	seq 100000 > "$T/in"
	run --separate-stderr bash -c "pipe --threads 'printer | power 2' < '$T/in' > /dev/full"
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: write error: No space left on device" ]
}

@test "pipe --threads: a later stage's stop ends it while input is idle" {
	start_fed 'printer | power 1 | match -m1 2'
	printf '1\n2\n3\n' >&5
	# stdin stays open: only the stop down the chain can end it
	wait_for '! kill -0 "$pid" 2>/dev/null'
	exec 5>&-
	wait "$pid"
	[ "$(cat "$T/out")" = 2 ]
}

@test "pipe --threads: each line is out before input idles (flush across threads)" {
	start_fed 'printer | power 2 | printer -p "> "'
	printf '3\n' >&5
	wait_for '[ "$(cat "$T/out")" = "> 9" ]'
	printf '4\n' >&5
	wait_for '[ "$(cat "$T/out")" = "$(printf "> 9\n> 16")" ]'
	exec 5>&-
	wait "$pid"
}

@test "pipe --threads: follow drives the chain and hears a stop downstream" {
	need_follow
	printf 'a\n' > "$T/log"
	pipe --threads "follow $T/log | printer -p '> ' | match -m1 x" > "$T/out" &
	bg=$!	# teardown ends it if the test fails first
	local pid=$bg
	wait_for '[ -s "$T/log" ]'
	sleep 0.2
	printf 'b\nx\n' >> "$T/log"
	wait_for '! kill -0 "$pid" 2>/dev/null'
	wait "$pid"
	[ "$(cat "$T/out")" = "> x" ]
}

@test "pipe --threads: SIGTERM flushes, writes summaries, dies by it (143)" {
	start_fed 'printer | power 2 | printer --summary'
	printf '1\n2\n' >&5
	wait_for '[ "$(cat "$T/out")" = "$(printf "1\n4")" ]'
	term_fed
	[ "$st" -eq 143 ]
	[ "$(cat "$T/out")" = "$(printf '1\n4\ncount=2 sum=5 min=1 max=4 mean=2.5')" ]
}

@test "pipe --threads: SIGUSR1 reaches a stage on a worker thread" {
	start_fed 'power 2 | printer'
	printf '2\n3\n' >&5
	wait_for '[ "$(cat "$T/out")" = "$(printf "4\n9")" ]'
	kill -USR1 "$pid"
	wait_for '[ -s "$T/err" ]'
	exec 5>&-
	wait "$pid"
	[ "$(cat "$T/err")" = "count=2 sum=13 min=4 max=9 mean=6.5" ]
}

@test "pipe --threads --stats: the same counts as without threads" {
	seq 50000 > "$T/in"
	pipe --stats 'printer | match 7 | power 2 | printer -n' < "$T/in" \
	    > /dev/null 2> "$T/one"
	pipe --threads --stats 'printer | match 7 | power 2 | printer -n' \
	    < "$T/in" > /dev/null 2> "$T/many"
	diff <(sed 's/ time=.*//' "$T/one") <(sed 's/ time=.*//' "$T/many")
	[ "$(sed -n 2p "$T/many" | sed 's/ time=.*//')" = "pipe: stage 2 (match): in=50000 out=17195" ]
}

@test "pipe --threads --trace: one thread, so the trace keeps its order" {
	run --separate-stderr pipe --threads --trace 'power 2 | printer' <<< $'2\n3'
	[ "$status" -eq 0 ]
	[ "$output" = $'4\n9' ]
	[ "$stderr" = "stage 1 (power) <- 2
stage 2 (printer) <- 4
stage 1 (power) <- 3
stage 2 (printer) <- 9" ]
}

@test "pipe --threads: broadcast, its commands and the stages after it" {
	[ -x "$RUNNEL_BIN/broadcast" ] || skip "broadcast not built yet"
	seq 2000 > "$T/in"
	# in-process commands: a fixed order, the same with threads
	local p
	for p in 'broadcast -c "power 2" -c "match 7" | printer -n | match -v 1' \
	    'printer | broadcast -c "power 3 | printer -p x" -c "cat" | printer -p "> "'; do
		pipe "$p" < "$T/in" > "$T/pipe.out"
		pipe --threads "$p" < "$T/in" > "$T/threads.out"
		assert_same_bytes "$T/threads.out" "$T/pipe.out"
	done
	[ "$(wc -l < "$T/threads.out")" -eq 4000 ]
	run bash -c "pipe --threads 'printer | broadcast -c \"sed s/^/s:/\" | power 2 --invalid=pass' < '$T/in' | sort | md5sum"
	[ "$output" = "$(pipe 'printer | broadcast -c "sed s/^/s:/" | power 2 --invalid=pass' < "$T/in" | sort | md5sum)" ]
}

@test "pipe --threads --explain: where each thread starts" {
	run --separate-stderr pipe --threads --explain 'printer | power 2 | match -n x | printer -n'
	[ "$status" -eq 0 ]
	[ "$output" = "input: standard input
stage 1 (printer):
thread 2:
stage 2 (power): exponent=2 scale=1 offset=0 field=0 invalid=warn
thread 3:
stage 3 (match): -n x
thread 4:
stage 4 (printer): -n
output: standard output, block-buffered (line-buffered on a terminal)" ]
	# two threads for four stages: two stages each
	run pipe --threads=2 --explain 'printer | power 2 | match -n x | printer -n'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -n thread)" = "4:thread 2:" ]
	# broadcast and the stages before it stay on the first thread
	run pipe --threads --explain 'power 2 | broadcast -c "power 3" | printer'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -n thread)" = "6:thread 2:" ]
	run pipe --threads --trace --explain 'power 2 | printer'
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "stage 1 (power): exponent=2 scale=1 offset=0 field=0 invalid=warn" ]
	[[ "$output" != *thread* ]]
}

@test "pipe --threads=N: N must be a number from 1 to 1024" {
	local bad
	for bad in 0 -1 x 1025 ''; do
		run --separate-stderr pipe --threads="$bad" printer < /dev/null
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "pipe: invalid number of threads: '$bad'
Try 'pipe --help' for more information." ]
	done
}

need_follow() {
	[ -x "$RUNNEL_BIN/follow" ] || skip "follow not built yet"
}

@test "pipe --threads --explain: a split, and the stages outside it" {
	run --separate-stderr pipe --threads=3 --explain 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n'
	[ "$status" -eq 0 ]
	[ "$output" = "input: standard input
split over 3 worker threads (a copy of each stage on each, batches in turn, output in order):
stage 1 (match): GET
stage 2 (power): exponent=2 scale=1 offset=0 field=10 invalid=pass
stage 3 (match): -v favicon
end of split
stage 4 (printer): -n
output: standard output, block-buffered (line-buffered on a terminal)" ]
	# without N, a worker a processor (2 at least); the stages outside
	# the split stay on the first thread
	run pipe --threads --explain 'match GET | power 2 --invalid=pass | printer'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -n 'split\|thread')" = "2:split over $(nproc | awk '{print ($1 < 2 ? 2 : $1 > 16 ? 16 : $1)}') worker threads (a copy of each stage on each, batches in turn, output in order):
5:end of split" ]
	# a split of less than half the stages: a thread a stage instead
	run pipe --threads --explain 'match GET | power 2 | printer'
	[ "$(printf '%s\n' "$output" | grep -n 'split\|thread')" = "3:thread 2:
5:thread 3:" ]
	run pipe --threads --explain 'follow --once x | match GET | printer'
	[ "$(printf '%s\n' "$output" | grep -c 'split')" -eq 2 ]
	# a stage that counts, numbers or warns is not split
	local p
	for p in 'match -c x' 'match -n x' 'match -m 2 x' 'match -A 1 x' \
	    'power 2' 'power 0.5 --invalid=pass' 'printer' \
	    'match -l x' 'match -q x'; do
		run pipe --threads=4 --explain "$p"
		[[ "$output" != *split* ]] || { echo "split: $p"; return 1; }
	done
	run pipe --threads=4 --explain 'match --line-buffered x | power 2 --invalid=skip'
	[[ "$output" != *split* ]]
	run pipe --threads=4 --stats --explain 'match x | power 2 --invalid=skip'
	[[ "$output" != *split* ]]
	# -o, colour and any pattern behind another stage too: a line's
	# message is deferred to a run in order
	run pipe --threads=4 --explain 'match -o 1 | match --color=always 2'
	[ "$(printf '%s\n' "$output" | grep -n 'split\|stage')" = "2:split over 4 worker threads (a copy of each stage on each, batches in turn, output in order):
3:stage 1 (match): -o 1
4:stage 2 (match): --color=always 2
5:end of split" ] || { echo "$output"; return 1; }
}

# Without --threads: a split over the processors when stage 1 reads
# regular files only, never a thread a stage; one thread otherwise.
split_line() {
	printf '%s\n' "$output" | grep '^split\|^thread' || true
}

@test "pipe: by default a file as input is split over the processors" {
	local cpus want
	cpus=$(nproc)
	[ "$cpus" -ge 2 ] || skip "one processor: nothing is split"
	want="split over $((cpus > 16 ? 16 : cpus)) worker threads (a copy of each stage on each, batches in turn, output in order):"
	printf 'GET 1\n' > "$T/log"
	run pipe --explain 'match GET | power 2 -f 2 --invalid=pass | printer' < "$T/log"
	[ "$status" -eq 0 ]
	[ "$(split_line)" = "$want" ]
	run pipe --explain "match GET $T/log $T/log | power 2 -f 2 --invalid=pass"
	[ "$(split_line)" = "$want" ]
	# a FILE that is not there yet is reported when read: still files
	run pipe --explain "match GET $T/log $T/none | power 2 -f 2 --invalid=pass"
	[ "$(split_line)" = "$want" ]
	# --threads=1: one thread; --threads=N: N workers
	run pipe --threads=1 --explain 'match GET | power 2 -f 2 --invalid=pass' < "$T/log"
	[ -z "$(split_line)" ]
	run pipe --threads=2 --explain 'match GET | power 2 -f 2 --invalid=pass' < "$T/log"
	[ "$(split_line)" = "split over 2 worker threads (a copy of each stage on each, batches in turn, output in order):" ]
	# nothing to split: one thread, not a thread a stage
	run pipe --explain 'match GET | power 2 | printer' < "$T/log"
	[ "$status" -eq 0 ]
	[ -z "$(split_line)" ]
}

@test "pipe: by default a pipe, a FIFO, a terminal or follow run on one thread" {
	printf 'GET 1\n' > "$T/log"
	run pipe --explain 'match GET | power 2 -f 2 --invalid=pass' < <(cat "$T/log")
	[ "$status" -eq 0 ]
	[ -z "$(split_line)" ]
	mkfifo "$T/fifo"
	run pipe --explain "match GET $T/log $T/fifo | power 2 -f 2 --invalid=pass"
	[ -z "$(split_line)" ]
	run pipe --explain "follow --once $T/log | match GET | power 2 -f 2 --invalid=pass"
	[ -z "$(split_line)" ]
	run pipe --explain 'match GET | power 2 -f 2 --invalid=pass' < /dev/null
	[ -z "$(split_line)" ]
	if command -v script >/dev/null; then
		run script -qec "$RUNNEL_BIN/pipe --explain 'match GET | power 2 -f 2 --invalid=pass'" /dev/null < /dev/null
		[[ "$output" != *split* ]]
	fi
	# asked for: follow's chain is split too
	run pipe --threads=2 --explain "follow --once $T/log | match GET | power 2 -f 2 --invalid=pass"
	[ "$(split_line)" = "split over 2 worker threads (a copy of each stage on each, batches in turn, output in order):" ]
}

@test "pipe: the default split gives the one-thread bytes, status and messages" {
	"$BATS_TEST_DIRNAME/data/gen-access-log" 30000 5 > "$T/log"
	printf 'GET /x 200 abc\nlast GET' >> "$T/log"
	local text='match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n'
	run pipe --explain "$text" < "$T/log"
	[[ "$output" == *split* ]]
	pipe "$text" < "$T/log" > "$T/def.out" 2> "$T/def.err"
	pipe --threads=1 "$text" < "$T/log" > "$T/one.out" 2> "$T/one.err"
	bash -o pipefail -c "$text" < "$T/log" > "$T/bash.out" 2> "$T/bash.err"
	assert_same_bytes "$T/def.out" "$T/bash.out"
	assert_same_bytes "$T/one.out" "$T/bash.out"
	[ ! -s "$T/def.err" ] && [ ! -s "$T/one.err" ] && [ ! -s "$T/bash.err" ]
}

@test "pipe --threads: split copies over many jobs give bash's bytes and status" {
	"$BATS_TEST_DIRNAME/data/gen-access-log" 30000 7 > "$T/log"
	local p n
	for p in 'match GET | power 2 -f 10 --invalid=pass | match -v favicon' \
	    'match -o "[0-9]+ [0-9]+$" | power 3 -f 2 --invalid=skip' \
	    'printer | match --color=always " 404 " | power 2 -f 9 --invalid=pass' \
	    'power 2 -f 10 --invalid=pass | match 1 | match -v 0' \
	    'match -v "GET|POST" | printer -p "- "' \
	    'match nothing-at-all | power 2 --invalid=pass'; do
		for n in 2 3 5; do
			same_threaded "$p" "$T/log" "$n"
		done
	done
	[ "$(wc -l < "$T/threads.out")" -eq 0 ]
	# stage 1 reading its FILE: each copy is told the file begins
	same_threaded "match GET $T/log | power 2 -f 10 --invalid=pass" /dev/null 3
	[ "$(wc -l < "$T/threads.out")" -gt 20000 ]
}

@test "pipe --threads: split jobs cut whole lines: long lines, CRLF, NULs, no final newline" {
	{
		seq 200000
		head -c 3000000 /dev/zero | tr '\0' 7; echo
		printf 'a\r\n1\0 2\n\n'
		seq 100000 | sed 's/$/ x/'
		head -c 700000 /dev/zero | tr '\0' 1
	} > "$T/in"
	same_threaded 'match 1 | power 1 --invalid=pass' "$T/in" 3
	same_threaded 'match -v 3 | match 7' "$T/in" 2
	same_threaded 'power 2 --invalid=skip | printer -n' "$T/in" 4
	: > "$T/empty"
	same_threaded 'match x | power 2 --invalid=pass' "$T/empty" 3
}

@test "pipe --threads: a split's statuses: a hit in one job is a hit, a missing FILE is 2" {
	{ seq 300000; echo needle; seq 10; } > "$T/in"
	# whichever copy works on the needle's job, the status is 0
	local n
	for n in 3 4 6 10; do
		same_threaded 'match needle | power 1 --invalid=pass' "$T/in" "$n"
		[ "$(cat "$T/threads.out")" = needle ]
	done
	same_threaded 'match haystack | power 1 --invalid=pass' "$T/in" 3
	run --separate-stderr pipe --threads=3 "match x $T/missing | power 2 --invalid=pass"
	[ "$status" -eq 2 ] && [ -z "$output" ]
	[ "$stderr" = "match: $T/missing: No such file or directory" ]
}

@test "pipe --threads: a split names a line over PCRE2's limit by its byte offset" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "10 million steps in the interpreter"
	{ seq 300000; head -c 200 /dev/zero | tr '\0' a; printf '\n5\n'; } > "$T/in"
	same_threaded 'match "(a|aa)*\d" | power 1 --invalid=pass' "$T/in" 3
	[ "$(cat "$T/threads.err")" = "match: (standard input): line at byte offset 1988895: match limit exceeded" ]
	[ "$(tail -1 "$T/threads.out")" = 5 ]
}

# Lines over PCRE2's limit met by a stage after the first of a split:
# the copies defer the message, the batch runs again in order where the
# line's offset in that stage's input is known.  The messages are the
# bash pipeline's, in its order, the first 10 and a count.
@test "pipe: a split's later stage names lines over PCRE2's limit as bash does" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "PCRE2's limit, 12 times"
	local i
	for ((i = 0; i < 12; i++)); do
		seq -f '%010g x' 20000
		head -c 200 /dev/zero | tr '\0' a
		printf '\n5\n'
	done > "$T/in"
	local text='power 1 -f 1 --invalid=pass | match "(a|aa)*\d|x" | power 1 --invalid=pass'
	run pipe --explain "$text" < "$T/in"
	[[ "$output" == *"split over"*"stage 3"*"end of split"* ]]
	bash -o pipefail -c "$text" < "$T/in" > "$T/bash.out" 2> "$T/bash.err" || pb=$?
	[ "${pb:-0}" -eq 2 ]
	[ "$(wc -l < "$T/bash.err")" -eq 11 ]
	[ "$(tail -1 "$T/bash.err")" = "match: 2 more lines over PCRE2's limits not shown" ]
	for t in '' --threads=3 --threads=1; do
		pt=0
		pipe $t "$text" < "$T/in" > "$T/pipe.out" 2> "$T/pipe.err" || pt=$?
		[ "$pt" -eq 2 ] || { echo "$t: status $pt"; return 1; }
		assert_same_bytes "$T/pipe.out" "$T/bash.out"
		diff "$T/bash.err" "$T/pipe.err"
	done
}

@test "pipe --threads: a split's closed output ends it at once, status 0" {
	seq 3000000 > "$T/in"
	run timeout 10 bash -o pipefail -c "pipe --threads=3 'match 1 | power 2 --invalid=pass' < '$T/in' | head -2"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n100')" ]
}

@test "pipe --threads: a split passes each line on before input idles" {
	start_fed 'match -v x | power 2 --invalid=pass | printer -p "> "'
	printf '3\n' >&5
	wait_for '[ "$(cat "$T/out")" = "> 9" ]'
	printf 'x\n4\n' >&5
	wait_for '[ "$(cat "$T/out")" = "$(printf "> 9\n> 16")" ]'
	term_fed
	[ "$st" -eq 143 ]
	[ "$(cat "$T/out")" = "$(printf '> 9\n> 16')" ]
}

@test "pipe --threads: with no thread to be had, the work is done on one" {
	# the shim makes pthread_create fail; under make tsan there is none
	[ -n "${RUNNEL_SHIM:-}" ] || skip "needs RUNNEL_SHIM (make test, make check)"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	"$BATS_TEST_DIRNAME/data/gen-access-log" 30000 7 > "$T/log"
	local p
	for p in 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' \
	    'printer | power 2 --invalid=pass | printer -n'; do
		pipe "$p" < "$T/log" > "$T/want"
		RUNNEL_NOTHREADS=1 LD_PRELOAD="$RUNNEL_SHIM" timeout 20 \
		    "$RUNNEL_BIN/pipe" --threads "$p" < "$T/log" > "$T/out" \
		    2> "$T/err"
		[ ! -s "$T/err" ]
		assert_same_bytes "$T/out" "$T/want"
	done
	pipe --threads --explain 'printer | power 2 --invalid=pass | printer -n' | grep -q 'thread 2:'
}
