#!/usr/bin/env bats
# printer --every DURATION: wall-clock windows that close on time while
# no line comes (the idle wait's deadline), alone, after follow, and on
# pipe's threads; SIGUSR1 and SIGTERM in the middle of a window.  Every
# wait polls (wait_for); windows are 300 ms so the suite stays fast.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	export TZ=UTC
}

timed() { [ -z "${RUNNEL_SLOW:-}" ] || skip "timed: not under valgrind"; }

teardown() {
	exec 7>&- 2>/dev/null || true
	[ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
}

# consecutive D FILE: every line of FILE starts with window=START, START
# aligned to D ms and each D ms after the one before.
consecutive() {
	awk -v d="$1" '{
		if (!match($0, /^window=[0-9-]+T[0-9:.]+\+0000 /)) { print "bad: " $0; exit 1 }
		split(substr($0, 19, RLENGTH - 24), t, ":")
		ms = int((t[1] * 3600 + t[2] * 60 + t[3]) * 1000 + 0.5)
		if (ms % d != 0) { print "unaligned: " $0; exit 1 }
		if (NR > 1 && (ms - prev + 86400000) % 86400000 != d) { print "gap: " $0; exit 1 }
		prev = ms
	}' "$2"
}

lines() { wc -l < "$1"; }

# Has process $1 a handler for SIGUSR1 (10) yet?
catches_usr1() {
	local m
	m=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$m" ] && (( 0x$m & 0x200 ))
}

# The producer writes, pauses past a window, writes again: the windows
# between say count=0, and each burst (one write, one read) is in one
# window.  CMD... reads the FIFO $T/fifo and writes $T/out.
write_pause_write() {
	local n
	mkfifo "$T/fifo"
	"$@" < "$T/fifo" > "$T/out" &
	pid=$!
	exec 7> "$T/fifo"
	wait_for '[ "$(lines "$T/out")" -ge 1 ]' 5	# a window closed
	printf '1\n2\n' >&7
	n=$(lines "$T/out")
	# that window, then at least one whole window without a line
	wait_for '[ "$(lines "$T/out")" -ge $((n + 2)) ]' 5
	printf '5\n' >&7
	n=$(lines "$T/out")
	wait_for '[ "$(lines "$T/out")" -ge $((n + 1)) ]' 5
	exec 7>&-
	wait "$pid"
	pid=
}

@test "printer --every: an empty window writes count=0, on time" {
	timed
	write_pause_write printer -q --every 300ms --summary=count,sum,rate
	consecutive 300 "$T/out"
	# the windows with lines, in order, and empty ones between them
	[ "$(grep -v ' count=0 ' "$T/out" | sed 's/^window=[^ ]* //')" = $'count=2 sum=3 rate=6.666666666666667\ncount=1 sum=5 rate=3.3333333333333335' ]
	awk '/ count=2 /,/ count=1 /' "$T/out" | grep -q ' count=0 sum=0 rate=0$'
	grep -q '\.[1-9]00+0000 ' "$T/out"
}

@test "printer --every inside pipe: the same windows" {
	timed
	write_pause_write pipe 'printer -q --every 300ms --summary=count,sum'
	consecutive 300 "$T/out"
	[ "$(grep -v ' count=0 ' "$T/out" | sed 's/^window=[^ ]* //')" = $'count=2 sum=3\ncount=1 sum=5' ]
	awk '/ count=2 /,/ count=1 /' "$T/out" | grep -q ' count=0 sum=0$'
}

@test "printer --every on a worker thread of pipe --threads: the same windows" {
	timed
	write_pause_write pipe --threads=3 'printer | power 1 | printer -q --every 300ms --summary=count,sum'
	consecutive 300 "$T/out"
	[ "$(grep -v ' count=0 ' "$T/out" | sed 's/^window=[^ ]* //')" = $'count=2 sum=3\ncount=1 sum=5' ]
	awk '/ count=2 /,/ count=1 /' "$T/out" | grep -q ' count=0 sum=0$'
}

@test "printer --every after follow in pipe: windows close while the log is quiet" {
	timed
	: > "$T/log"
	pipe "follow -n +1 '$T/log' | printer -q --every 300ms --by 1 --json" > "$T/out" &
	pid=$!
	printf 'a\nb\na\n' >> "$T/log"
	wait_for '[ "$(lines "$T/out")" -ge 2 ]' 5
	kill "$pid"
	wait "$pid" || true
	pid=
	# with --by an empty window writes nothing: the burst's window alone
	[ "$(sed 's/^{"window":"[^"]*",//' "$T/out")" = $'"f1":"a","count":2}\n"f1":"b","count":1}' ]
}

@test "printer --every at once at end of input: the open window" {
	run --separate-stderr printer -q --every 1h --summary=count,sum < /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^window=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:00:00\+0000\ count=0\ sum=0$ ]]
	[ -z "$stderr" ]
	run printer --every 1h --by 1 <<< 'x'
	[[ "${lines[1]}" =~ ^window=.*T[0-9]{2}:00:00\+0000\ f1=x\ count=1$ ]]
	[ "${lines[0]}" = x ]
	TZ=Asia/Kolkata run printer -q --every 1h --summary=count < /dev/null
	[[ "$output" =~ ^window=.*T[0-9]{2}:30:00\+0530\ count=0$ ]]
}

@test "printer --every: SIGUSR1 writes the window so far to stderr, SIGTERM the window and dies" {
	timed
	mkfifo "$T/fifo"
	printer --every 1h --summary=count,sum < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 7> "$T/fifo"
	printf '1\n2\n' >&7
	wait_for '[ "$(lines "$T/out")" -eq 2 ]' 5
	kill -USR1 "$pid"
	wait_for '[ -s "$T/err" ]' 5
	[[ "$(cat "$T/err")" =~ ^window=.*T[0-9]{2}:00:00\+0000\ count=2\ sum=3$ ]]
	printf '4\n' >&7
	wait_for '[ "$(lines "$T/out")" -eq 3 ]' 5
	kill -TERM "$pid"
	wait "$pid" && st=0 || st=$?
	pid=
	[ "$st" -eq 143 ]
	[ "$(sed -n 4s/^window=[^\ ]*\ //p "$T/out")" = "count=3 sum=7" ]
	[ "$(lines "$T/out")" -eq 4 ]
	[ "$(lines "$T/err")" -eq 1 ]
}

# term_mid_window CMD...: CMD counts a burst, SIGTERM writes its window.
term_mid_window() {
	mkfifo "$T/fifo"
	"$@" < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 7> "$T/fifo"
	printf 'a\nb\na\n' >&7
	# a SIGUSR1 before the program catches it would kill it
	wait_for 'catches_usr1 $pid' 5
	# -q writes nothing yet: ask (SIGUSR1) until the lines are in
	wait_for 'kill -USR1 $pid; grep -q "f1=b count=1" "$T/err"' 5
	kill -TERM "$pid"
	wait "$pid" && st=0 || st=$?
	pid=
	exec 7>&-
	[ "$st" -eq 143 ]
	[ "$(sed 's/^window=[^ ]* //' "$T/out")" = $'f1=a count=2\nf1=b count=1' ]
	rm -f "$T/fifo"
}

@test "printer --every -q: SIGTERM mid-window writes what it counted, inside pipe too" {
	timed
	term_mid_window printer -q --every 1h --by 1
	term_mid_window pipe 'printer -q --every 1h --by 1'
}
