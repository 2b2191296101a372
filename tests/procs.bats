#!/usr/bin/env bats
# Processes: broadcast's commands are all waited for (normal end, SIGTERM,
# SIGINT, closed stdout), so none is left behind as an orphan or zombie
# once it exits; follow --pid ends when its pid does.  A command's script lives under the
# test's own temporary directory, so `pgrep -f "$T/..."` finds exactly
# the processes this test started, and nothing else on the machine.
load helper

setup() {
	T=$(mktemp -d)
	# A consumer that reads its stdin to the end, then exits.
	printf '#!/bin/sh\ncat > /dev/null\n' > "$T/child"
	# One that passes its input on, then exits.
	printf '#!/bin/sh\ncat\n' > "$T/relay"
	chmod +x "$T/child" "$T/relay"
	# The test's end of a fifo: input that stays open and idle.
	mkfifo "$T/in"
	exec 8<> "$T/in"
}

teardown() {
	exec 8>&-
	# Only what this test started, should a check have failed.
	pgrep -f "$T/" | xargs -r kill 2> /dev/null || true
	[ -z "${SLEEPER:-}" ] || kill "$SLEEPER" 2> /dev/null || true
	rm -rf "$T"
}

# None of broadcast's commands may outlive it: it waits for them all, so
# this holds the moment it has exited, with no grace period.
none_left() {
	[ "$(procs "$1")" -eq 0 ] && return 0
	echo "# left behind:"
	pgrep -af "$1"
	return 1
}

# How many processes run the script $1 (broadcast's own argv names it
# too, so count only after broadcast is gone, or pass its pid as $2).
procs() {
	pgrep -f "$1" | grep -vx "${2:-0}" | wc -l
}

@test "procs: broadcast -c, normal end: every command waited for" {
	run --separate-stderr bash -c 'seq 10000 | broadcast -c "$1" \
	    -c "$1" -c "head -1 > /dev/null"; echo "status $?"' sh "$T/child"
	[ "$output" = "status 0" ] && [ -z "$stderr" ]
	none_left "$T/child"
}

# sig SIGNAL STATUS: broadcast with two commands on idle input, signalled.
sig() {
	local bpid st=0

	# bash -c resets SIGINT, which a background job would ignore
	bash -c 'trap - INT; exec "$@"' sh \
	    broadcast -c "$T/child" -c "$T/child" < "$T/in" > "$T/out" \
	    2> "$T/err" &
	bpid=$!
	echo line >&8
	wait_for '[ "$(procs "$T/child" "$bpid")" -ge 2 ]' 5
	kill -"$1" "$bpid"
	wait "$bpid" || st=$?
	[ "$st" -eq "$2" ] || { echo "# status $st, want $2"; return 1; }
	[ ! -s "$T/err" ] || { cat "$T/err"; return 1; }
	none_left "$T/child"
}

@test "procs: broadcast -c, SIGTERM: dies by it, no command left" {
	sig TERM 143
}

@test "procs: broadcast -c, SIGINT: dies by it, no command left" {
	sig INT 130
}

@test "procs: pipe 'broadcast -c CMD', SIGTERM: no command left" {
	local bpid st=0

	pipe "broadcast -c '$T/child' -c '$T/child'" < "$T/in" > "$T/out" &
	bpid=$!
	echo line >&8
	wait_for '[ "$(procs "$T/child" "$bpid")" -ge 2 ]' 5
	kill -TERM "$bpid"
	wait "$bpid" || st=$?
	[ "$st" -eq 143 ]
	none_left "$T/child"
}

# Zombies of broadcast's own (state Z among its children).
zombies() {
	ps -o stat= --ppid "$1" | grep -c '^Z' || true
}

@test "procs: broadcast -c, a command that quits early is reaped at once" {
	local bpid st=0

	printf '#!/bin/sh\nread l; exit 3\n' > "$T/quit3"
	chmod +x "$T/quit3"
	broadcast -c "$T/child" -c 'head -1 > /dev/null' -c "$T/quit3" \
	    < "$T/in" > "$T/out" 2> "$T/err" 8>&- &
	bpid=$!
	printf 'a\nb\n' >&8
	wait_for '[ "$(procs "$T/quit3" "$bpid")" -eq 0 ]' 5
	printf 'c\n' >&8
	# Reported while broadcast runs on, and no zombie kept till its end.
	wait_for '[ -s "$T/err" ] && [ "$(zombies "$bpid")" -eq 0 ]' 5 || {
		ps -o pid=,stat=,args= --ppid "$bpid"; return 1; }
	kill -0 "$bpid"
	[ "$(cat "$T/err")" = "broadcast: '$T/quit3': exited with status 3" ]
	exec 8>&-
	wait "$bpid" || st=$?
	[ "$st" -eq 3 ]
	[ "$(cat "$T/err")" = "broadcast: '$T/quit3': exited with status 3" ]
	none_left "$T/child"
}

@test "procs: broadcast -c, stdout closed: status 0, no command left" {
	# The commands end at EOF, so this holds whenever broadcast notices.
	run --separate-stderr bash -o pipefail -c 'seq 200000 |
	    broadcast -c "$1" -c "$1" | head -1' sh "$T/relay"
	[ "$status" -eq 0 ] && [ "$output" = 1 ] && [ -z "$stderr" ]
	none_left "$T/relay"
}

@test "procs: follow --pid ends when the pid ends, all lines written" {
	local fpid st=0

	echo a > "$T/log"
	sleep 60 &
	SLEEPER=$!
	follow --pid "$SLEEPER" "$T/log" > "$T/out" &
	fpid=$!
	wait_for '[ "$(cat "$T/out")" = a ]' 5
	echo b >> "$T/log"
	wait_for '[ "$(cat "$T/out")" = "$(printf "a\nb")" ]' 5
	kill -0 "$fpid"
	kill "$SLEEPER"
	wait "$SLEEPER" || true
	echo c >> "$T/log"
	wait_for '! kill -0 "$fpid" 2> /dev/null' 3
	wait "$fpid" || st=$?
	[ "$st" -eq 0 ]
	# what the pid wrote before it ended is read too
	printf 'a\nb\nc\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "procs: follow --pid of a pid already gone: reads the file, exits 0" {
	sleep 0 &
	local gone=$!
	wait "$gone"
	printf 'x\ny\n' > "$T/log"
	run --separate-stderr timeout 5 follow --pid "$gone" "$T/log"
	[ "$status" -eq 0 ] && [ "$output" = $'x\ny' ] && [ -z "$stderr" ]
}

@test "procs: pipe 'follow --pid | broadcast -c' ends with the pid" {
	local ppid_ st=0

	echo a > "$T/log"
	sleep 60 &
	SLEEPER=$!
	pipe "follow --pid $SLEEPER '$T/log' | broadcast -c '$T/relay'" \
	    > "$T/out" &
	ppid_=$!
	wait_for '[ "$(cat "$T/out")" = a ]' 5
	kill "$SLEEPER"
	wait "$SLEEPER" || true
	wait_for '! kill -0 "$ppid_" 2> /dev/null' 3
	wait "$ppid_" || st=$?
	[ "$st" -eq 0 ]
	none_left "$T/relay"
}
