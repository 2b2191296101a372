#!/usr/bin/env bats
# SIGTERM/SIGINT in the middle of heavy output: the command dies by the
# signal (143/130) and what it wrote ends with a whole line.  Runs for
# every command present in $RUNNEL_BIN that writes a transformed stream.
load helper

setup() {
	T=$(mktemp -d)
}

teardown() {
	rm -rf "$T"
}

# heavy SIG WANT NAME CMD...: numbers through CMD into a reader that
# starts late, so the command is blocked on a full pipe, then keeps
# reading while the command writes flat out; signal it meanwhile.
heavy() {
	local sig=$1 want=$2 name=$3
	shift 3
	[ -x "$RUNNEL_BIN/$name" ] || skip "$name not built"
	mkfifo "$T/p"
	{ sleep 0.2; exec cat "$T/p"; } > "$T/out" &
	local reader=$!
	# bash -c resets SIGINT, which a background job would ignore
	seq 100000000 | bash -c 'trap - INT; exec "$@"' sh "$@" > "$T/p" &
	local pid=$!
	wait_for '[ "$(stat -c %s "$T/out")" -gt 1000000 ]' 20
	kill -"$sig" "$pid"
	local st=0
	wait "$pid" || st=$?
	wait "$reader" || true
	if [ "$st" -ne "$want" ]; then
		echo "# $*: status $st, want $want"
		return 1
	fi
	if [ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "# $*: output ends with a partial line:"
		tail -c 40 "$T/out" | od -c
		return 1
	fi
}

@test "signals: printer -n, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 printer printer -n
}

@test "signals: printer -n, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 printer printer -n
}

@test "signals: power 2, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 power power 2
}

@test "signals: power 2, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 power power 2
}

@test "signals: match, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 match match 1
}

@test "signals: broadcast, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 broadcast broadcast
}

@test "signals: pipe, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 pipe pipe 'power 2 | printer -n'
}

@test "signals: pipe --threads, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 pipe pipe --threads 'power 2 | printer -n | printer'
}

@test "signals: pipe --threads, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 pipe pipe --threads 'power 2 | printer -n | printer'
}

@test "signals: pipe --threads with a split, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 pipe pipe --threads 'match 1 | power 2 --invalid=pass | printer -n'
}

@test "signals: pipe --threads with a split, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 pipe pipe --threads 'match 1 | power 2 --invalid=pass | printer -n'
}

@test "signals: follow of stdin, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 follow follow -n +1
}

@test "signals: follow of stdin, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 follow follow -n +1
}

@test "signals: match, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 match match 1
}

@test "signals: broadcast -c cat, SIGTERM mid-stream: 143, whole lines" {
	heavy TERM 143 broadcast broadcast -c cat
}

@test "signals: pipe, SIGINT mid-stream: 130, whole lines" {
	heavy INT 130 pipe pipe 'power 2 | printer -n'
}

# closed_early DISPOSITION NAME CMD...: CMD's reader takes one line and
# goes; with SIGPIPE ignored (EPIPE from write) or default (the signal),
# the command ends at once, quietly, with status 0.
closed_early() {
	local disp=$1 name=$2
	shift 2
	[ -x "$RUNNEL_BIN/$name" ] || skip "$name not built"
	local trap_cmd='trap - PIPE'
	[ "$disp" = ignored ] && trap_cmd="trap '' PIPE"
	run --separate-stderr timeout 10 bash -c "$trap_cmd"'
	    seq 10000000 2>/dev/null | "$@" | head -1; echo "status ${PIPESTATUS[1]}"' sh "$@"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "status 0" ]
	[ "$stderr" = "" ]
}

@test "signals: SIGPIPE ignored or default, a closed reader ends each command with 0" {
	local d
	for d in ignored default; do
		closed_early $d printer printer -n
		[ "${lines[0]}" = "     1	1" ]
		closed_early $d power power 2
		[ "${lines[0]}" = "1" ]
		closed_early $d match match 7
		[ "${lines[0]}" = "7" ]
		closed_early $d follow follow -n +1
		[ "${lines[0]}" = "1" ]
		closed_early $d broadcast broadcast
		[ "${lines[0]}" = "1" ]
		closed_early $d broadcast broadcast -c cat
		[ "${lines[0]}" = "1" ]
		closed_early $d pipe pipe 'power 2 | printer'
		[ "${lines[0]}" = "1" ]
	done
}

@test "signals: broadcast -c, SIGTERM while a command's pipe holds part of a line: it gets the whole line" {
	[ -x "$RUNNEL_BIN/broadcast" ] || skip "broadcast not built"
	# 300 KB lines: a full pipe always cuts one
	head -c 300000 /dev/zero | tr '\0' x > "$T/line"
	echo >> "$T/line"
	for i in 1 2 3 4 5 6 7 8 9 10; do cat "$T/line"; done > "$T/in"
	broadcast -c 'sleep 1; cat' < "$T/in" > "$T/out" &
	local pid=$! st=0
	sleep 0.3	# the command sleeps: its pipe is full, mid-line
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ -s "$T/out" ]
	[ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(awk 'length($0) != 300000' "$T/out" | wc -l)" -eq 0 ]
}

@test "signals: SIGTERM between a flush and the wait for input is not slept through" {
	# The shim makes each write to stdout sleep after it: the signal
	# comes once the line is out and before the command waits again.
	[ -n "${RUNNEL_SHIM:-}" ] || skip "needs RUNNEL_SHIM (make test, make check)"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	local cmd st
	for cmd in 'printer' 'power 2' 'match 7' "pipe 'printer | power 2'"; do
		rm -f "$T/fifo"
		mkfifo "$T/fifo"
		RUNNEL_SLOWWRITE=1 LD_PRELOAD="$RUNNEL_SHIM" \
		    timeout 10 bash -c "trap - INT; exec $cmd" < "$T/fifo" > "$T/out" &
		local pid=$!
		exec 5> "$T/fifo"
		echo 7 >&5
		wait_for '[ -s "$T/out" ]'
		# timeout's child: the command itself
		kill -TERM "$(pgrep -P "$pid")"
		st=0
		wait "$pid" || st=$?
		exec 5>&-
		[ "$st" -eq 143 ] || { echo "$cmd: status $st (124: slept through)"; return 1; }
	done
}

@test "signals: SIGTERM while a long FILE is read stops the reading, not only at its end" {
	# A file never leaves the command waiting for input: the signal is
	# taken between chunks.  The shim makes each write to stdout sleep,
	# so reading all 2,000,000 lines would take a minute.
	[ -n "${RUNNEL_SHIM:-}" ] || skip "needs RUNNEL_SHIM (make test, make check)"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	seq 2000000 > "$T/in"
	local cmd st
	for cmd in 'printer -n' 'power 2' 'match 1' 'broadcast' "pipe 'power 2 | printer'"; do
		bash -c "exec $cmd" < "$T/in" > "$T/full"
		rm -f "$T/out"
		RUNNEL_SLOWWRITE=1 LD_PRELOAD="$RUNNEL_SHIM" \
		    timeout -k 1 15 bash -c "trap - INT; exec $cmd" < "$T/in" > "$T/out" 2> "$T/err" &
		local pid=$!
		wait_for '[ -s "$T/out" ]'
		kill -TERM "$(pgrep -P "$pid")"
		st=0
		wait "$pid" || st=$?
		[ "$st" -eq 143 ] || { echo "$cmd: status $st (124: read to the end)"; return 1; }
		[ ! -s "$T/err" ] || { echo "$cmd: stderr:"; cat "$T/err"; return 1; }
		[ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" = '\n' ]
		cmp -n "$(stat -c %s "$T/out")" "$T/out" "$T/full"
		[ "$(stat -c %s "$T/out")" -lt "$(stat -c %s "$T/full")" ]
	done
}

@test "signals: SIGTERM with stdout held by a reader that reads nothing: dies within the grace" {
	# A full pipe nobody empties: the blocked write is given up on a
	# second after the signal, also when a worker thread is the writer.
	seq 1000000 > "$T/in"
	mkfifo "$T/fifo"
	exec 6<> "$T/fifo"	# a reader that never reads
	local cmd st t0
	for cmd in 'printer -n' 'broadcast' "follow -n +1 '$T/in'" \
	    "pipe 'power 2 | printer'" \
	    "pipe --threads 'printer | printer -n'" \
	    "pipe --threads 'match 1 | power 2 --invalid=pass | printer -n'"; do
		timeout -k 1 6 bash -c "trap - INT; exec $cmd" < "$T/in" > "$T/fifo" 2> "$T/err" &
		local pid=$!
		sleep 0.2	# the pipe is full: the command waits in write(2)
		t0=$SECONDS
		kill -TERM "$(pgrep -P "$pid")"
		st=0
		wait "$pid" || st=$?
		[ "$st" -eq 143 ] || { echo "$cmd: status $st (124, 137: still blocked)"; return 1; }
		# given up on quietly: the signal says it all
		[ ! -s "$T/err" ] || { echo "$cmd: stderr:"; cat "$T/err"; return 1; }
		[ $((SECONDS - t0)) -le 4 ]
	done
	exec 6<&-
}

@test "signals: follow --state, SIGTERM with a reader that reads nothing: no line is counted unwritten" {
	[ -x "$RUNNEL_BIN/follow" ] || skip "follow not built"
	seq 1000000 > "$T/in"
	mkfifo "$T/fifo"
	exec 6<> "$T/fifo"	# a reader that never reads (until the end)
	timeout -k 1 6 follow -n +1 --state "$T/st" "$T/in" > "$T/fifo" 2> "$T/err" &
	local pid=$! st=0
	sleep 0.3	# the pipe is full: follow waits in write(2)
	kill -TERM "$(pgrep -P "$pid")"
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ ! -s "$T/err" ]
	# what did get out, then the rest from where the state says; the
	# write that was cut short may have left part of a line
	timeout 0.5 cat <&6 > "$T/got" || true
	exec 6<&-
	[ -s "$T/got" ]
	[ "$(tail -c 1 "$T/got" | od -An -c | tr -d ' ')" = '\n' ] ||
	    sed -i '$d' "$T/got"
	follow --once -n +1 --state "$T/st" "$T/in" > "$T/rest"
	# every line, in order, at least once
	[ "$(cat "$T/got" "$T/rest" | sort -nu | wc -l)" -eq 1000000 ]
	[ "$(head -1 "$T/rest")" -le "$(($(tail -1 "$T/got") + 1))" ]
}
