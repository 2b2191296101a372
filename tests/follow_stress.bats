#!/usr/bin/env bats
# follow under pressure: a SIGKILL in the middle of a bulk read with
# --state, the exact bytes of a rotated file's partial last line, a
# thousand rotations (no line lost, no descriptor leaked), generations
# that live under a millisecond, --pid leaving
# nothing behind, deletion and re-creation.  Bounded inputs and waits.

load follow_helper

nfds() { ls "/proc/$1/fd" | wc -l; }

@test "follow: --state into a slow pipe, SIGKILL mid-stream: resumed output completes the file exactly" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "timed"
	seq 1 1000000 > "$T/big"		# 6.9 MB
	mkfifo "$T/p"
	# a slow reader: 4 KiB a millisecond at most, about 4 MB/s
	python3 -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
while True:
    b = os.read(fd, 4096)
    if not b:
        break
    os.write(1, b)
    time.sleep(0.001)
' "$T/p" > "$T/out1" &
	BG+=($!)
	follow --once -n +1 --state "$T/st" "$T/big" > "$T/p" 2> "$T/err" 3>&- &
	f=$!
	BG+=($f)
	wait_for '[ "$(size "$T/out1")" -ge 1000000 ]' 10
	kill -KILL "$f"
	wait "${BG[0]}"
	[ "$(size "$T/out1")" -lt "$(size "$T/big")" ]
	run --separate-stderr follow --once --state "$T/st" "$T/big"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$T/out2"
	cat "$T/out1" "$T/out2" > "$T/all"
	assert_same_bytes "$T/all" "$T/big"
}

@test "follow: --state into a file, SIGKILL after a known point while the log grows: nothing lost, nothing repeated" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "timed"
	: > "$T/log"
	# a bounded writer: 100 bursts of 1,000 lines, a pause, 100 more
	python3 -c '
import os, sys, time
n = 0
with open(sys.argv[1], "a") as f:
    for burst in range(200):
        if burst == 100:
            open(sys.argv[3], "w").close()
            end = time.monotonic() + 10
            while not os.path.exists(sys.argv[2]) and time.monotonic() < end:
                time.sleep(0.01)
        f.write("".join("line %d\n" % (n + i) for i in range(1000)))
        f.flush()
        n += 1000
        time.sleep(0.002)
' "$T/log" "$T/go" "$T/half" &
	w=$!
	BG+=($w)
	follow -n +1 --state "$T/st" "$T/log" > "$T/out1" 2> "$T/err" 3>&- &
	f=$!
	BG+=($f)
	# caught up with the first half: written, and the state says so
	wait_for '[ -e "$T/half" ] && [ "$(size "$T/out1")" -eq "$(size "$T/log")" ] && grep -q " $(size "$T/log") " "$T/st" 2>/dev/null' 10
	kill -KILL "$f"
	touch "$T/go"
	wait "$w"
	follow --once --state "$T/st" "$T/log" > "$T/out2"
	[ -s "$T/out2" ]
	cat "$T/out1" "$T/out2" > "$T/all"
	assert_same_bytes "$T/all" "$T/log"
}

@test "follow: a rotated file's partial last line is ended with a newline when --rotate-wait runs out" {
	printf 'one\npart' > "$T/log"
	bg_follow -n +1 --rotate-wait 0.5 "$T/log"
	wait_for 'has one' 2
	mv "$T/log" "$T/log.1"
	printf 'new\n' > "$T/log"
	wait_for 'grep -qx part "$T/out"' 3
	sleep 0.1
	printf 'one\nnew\npart\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	[ ! -s "$T/err" ]
	# the same rule with --once: the rest of a rotated file, then the new
	printf 'one\n' > "$T/r"
	follow --once --state "$T/st" "$T/r" > /dev/null
	printf 'two\nfrag' >> "$T/r"
	mv "$T/r" "$T/r.1"
	printf 'fresh\n' > "$T/r"
	follow --once --state "$T/st" "$T/r" > "$T/out2"
	printf 'two\nfrag\nfresh\n' > "$T/want2"
	assert_same_bytes "$T/out2" "$T/want2"
}

@test "follow: 1,000 rotations lose no line and leak no descriptor" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "timed"
	echo start > "$T/log"
	bg_follow -n +1 --rotate-wait 0 "$T/log"
	f=${BG[0]}
	wait_for 'has start' 2
	n0=$(nfds "$f")
	# rename and create, each file's line seen before the next rotation
	run timeout 60 python3 -c '
import os, sys, time
log, out = sys.argv[1], sys.argv[2]
for i in range(1, 1001):
    os.rename(log, log + ".1")
    with open(log, "w") as fh:
        fh.write("%d\n" % i)
    want = len("start\n") + sum(len("%d\n" % k) for k in range(1, i + 1))
    end = time.monotonic() + 5
    while os.stat(out).st_size < want:
        if time.monotonic() > end:
            sys.exit("line %d not seen" % i)
        time.sleep(0.0005)
' "$T/log" "$T/out"
	[ "$status" -eq 0 ]
	{ echo start; seq 1 1000; } > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	# the last rotated file is given up at once (--rotate-wait 0)
	wait_for '[ "$(nfds "$f")" -le "$n0" ]' 2
	[ "$(nfds "$f")" -eq "$n0" ]
	[ ! -s "$T/err" ]
}

@test "follow: generations that live under a millisecond: every line once, rotated or appended" {
	# the rotor renames the log away twice within a millisecond, 20
	# times, and appends 5 lines to each renamed file (tests/follow_rotor.py)
	for run in 1 2 3 4 5; do
		mkdir "$T/$run"
		echo start > "$T/$run/log"
		follow -n +1 "$T/$run/log" > "$T/$run/out" 2> "$T/$run/err" 3>&- &
		BG+=($!)
		wait_for '[ "$(cat "$T/$run/out")" = start ]' 2
		python3 "$BATS_TEST_DIRNAME/follow_rotor.py" "$T/$run/log" 20 \
		    "$T/$run/want" || skip "this machine rotated too slowly"
		{ echo start; cat "$T/$run/want"; } | sort > "$T/$run/sorted"
		[ "$(wc -l < "$T/$run/sorted")" -eq 2111 ]
		wait_for '[ "$(wc -l < "$T/$run/out")" -ge 2111 ]' 10 || true
		sort "$T/$run/out" > "$T/$run/got"
		assert_same_bytes "$T/$run/got" "$T/$run/sorted"
		# each generation's lines in the order written
		grep -v start "$T/$run/out" |
		    awk '$4 <= last[$2] { exit 1 } { last[$2] = $4 }'
		[ ! -s "$T/$run/err" ]
	done
}

@test "follow: --pid gone: it exits 0 and leaves no process behind" {
	echo a > "$T/log"
	sleep 30 &
	p=$!
	BG+=($p)
	follow --pid "$p" -n 1 "$T/log" > "$T/out" 2> "$T/err" 3>&- &
	f=$!
	BG+=($f)
	wait_for 'has a' 2
	# one thread, no children of its own
	[ "$(ls "/proc/$f/task" | wc -l)" -eq 1 ]
	[ -z "$(ps -o pid= --ppid "$f")" ]
	kill "$p"
	wait "$p" || true
	wait_for '! kill -0 "$f" 2>/dev/null || grep -q "^State:.*Z" "/proc/$f/status"' 2
	st=0
	wait "$f" || st=$?
	[ "$st" -eq 0 ]
	[ ! -e "/proc/$f" ]
	[ ! -s "$T/err" ]
}

@test "follow: deletion and re-creation is quiet: no note, the new file from its start" {
	printf 'a\n' > "$T/log"
	bg_follow -n 1 --rotate-wait 0.2 "$T/log"
	wait_for 'has a' 2
	rm "$T/log"
	sleep 0.3
	printf 'b\nc\n' > "$T/log"
	wait_for 'has "$(printf "a\nb\nc")"' 2
	printf 'a\nb\nc\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	[ ! -s "$T/err" ]
}
