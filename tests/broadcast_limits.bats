#!/usr/bin/env bats
# broadcast at its limits: closed stdout with stubborn commands, many
# commands (descriptors, ulimit -n), chunked distribution kept exact.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	# A marker that names this test's processes for pgrep -f.
	MARK=bcl-$$-$BATS_TEST_NUMBER
}

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Timed and heavy cases skip themselves under valgrind (RUNNEL_SLOW).
timed() { [ -z "${RUNNEL_SLOW:-}" ] || skip "timed or heavy: not under valgrind"; }

@test "broadcast -c yes | head -1: at once, y, status 0" {
	timed
	t0=$(ms)
	run --separate-stderr timeout 10 bash -c \
		'broadcast -c yes < /dev/null | head -1; echo "${PIPESTATUS[0]}"'
	t1=$(ms)
	[ "$output" = $'y\n0' ]
	[ -z "$stderr" ]
	[ $((t1 - t0)) -lt 1000 ]
}

# hurried SIGNALS: broadcast's stdout closes while a command ignores
# SIGNALS (and EOF): broadcast still ends at once, with status 0, and
# the command is gone soon after.
hurried() {
	timed
	t0=$(ms)
	run --separate-stderr timeout -s KILL 10 bash -c \
		'broadcast -c yes -c "trap \"\" $2; while :; do sleep 0.1; done # $1" \
			< /dev/null | head -1; echo "${PIPESTATUS[0]}"' _ "$MARK" "$1"
	t1=$(ms)
	[ "$output" = $'y\n0' ]
	[ -z "$stderr" ]
	[ $((t1 - t0)) -lt 1500 ]
	wait_for "! pgrep -f '$MARK' > /dev/null" 2
}

@test "broadcast: closed stdout, a command ignoring EOF and SIGPIPE is ended" {
	hurried PIPE
}

@test "broadcast: closed stdout, a command ignoring SIGTERM too is killed" {
	hurried "PIPE TERM"
}

@test "broadcast: no command nor its children outlive it after a closed stdout" {
	timed
	# A sleep length unique to this run names the processes to look for.
	z=30.$$$BATS_TEST_NUMBER
	t0=$(ms)
	timeout 10 bash -c 'broadcast -c yes -c "sleep $1" \
		-c "sleep $1 | cat; echo x" < /dev/null | head -1 > /dev/null' _ "$z"
	t1=$(ms)
	[ $((t1 - t0)) -lt 1500 ]
	wait_for "! pgrep -f 'sleep $z' > /dev/null" 2
}

@test "broadcast: 200 commands, each with only stdin, stdout, stderr" {
	timed
	args=()
	for i in $(seq 200); do
		args+=(-c 'cat > /dev/null; ls /proc/self/fd | wc -l')
	done
	seq 1000 | broadcast "${args[@]}" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 200 ]
	# ls's own directory descriptor is the fourth.
	[ "$(sort -u "$T/out")" = "4" ]
}

@test "broadcast: 200 commands, broadcast's own descriptors stay bounded" {
	timed
	args=()
	for i in $(seq 200); do
		args+=(-c 'ls /proc/$PPID/fd | wc -l; cat > /dev/null')
	done
	seq 1000 | broadcast "${args[@]}" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 200 ]
	# Two pipe ends per command, stdin/stdout/stderr and a few spare.
	[ "$(sort -n "$T/out" | tail -1)" -le 410 ]
	seq 1000 | broadcast --round-robin "${args[@]}" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 200 ]
}

@test "broadcast: more commands than ulimit -n allows: one message, exit 2" {
	args=()
	for i in $(seq 200); do args+=(-c cat); done
	run --separate-stderr bash -c \
		'ulimit -n 64; seq 3 | broadcast "$@"' _ "${args[@]}"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "broadcast: 200 commands need about 416 open files; the limit is 64 (ulimit -n)" ]
}

@test "broadcast: a low soft ulimit -n is raised to what the commands need" {
	args=()
	for i in $(seq 200); do args+=(-c 'wc -l'); done
	hard=$(ulimit -H -n)
	[ "$hard" = unlimited ] || [ "$hard" -ge 416 ] || skip "hard limit $hard"
	run --separate-stderr bash -c \
		'ulimit -S -n 64; seq 3 | broadcast "$@"' _ "${args[@]}"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(sort -u <<< "$output")" = "3" ]
	[ "$(wc -l <<< "$output")" -eq 200 ]
}

@test "broadcast --round-robin in chunks keeps the exact assignment" {
	seq 300000 > "$T/in"
	broadcast --round-robin -c 'sed s/^/a:/' "$T/f" -c 'sed s/^/c:/' \
		< "$T/in" > "$T/out"
	awk 'NR % 3 == 1' "$T/in" > "$T/wa"
	awk 'NR % 3 == 2' "$T/in" > "$T/wf"
	awk 'NR % 3 == 0' "$T/in" > "$T/wc"
	grep '^a:' "$T/out" | cut -d: -f2 > "$T/ga"
	grep '^c:' "$T/out" | cut -d: -f2 > "$T/gc"
	assert_same_bytes "$T/ga" "$T/wa"
	assert_same_bytes "$T/f" "$T/wf"
	assert_same_bytes "$T/gc" "$T/wc"
}

@test "broadcast --round-robin: a final line without newline stays whole" {
	printf '1\n2\n3' | broadcast --round-robin -c cat -c 'cat > '"$T/b" \
		> "$T/a"
	printf '1\n3' > "$T/wa"
	assert_same_bytes "$T/a" "$T/wa"
	[ "$(cat "$T/b")" = "2" ]
}

@test "broadcast --key on a big input: every key at one command, nothing lost" {
	awk 'BEGIN { for (i = 0; i < 200000; i++) print "k" (i % 97), i }' \
		> "$T/in"
	broadcast --key 1 -c 'sed s/^/a:/' -c 'sed s/^/b:/' -c 'sed s/^/c:/' \
		< "$T/in" > "$T/out"
	[ "$(cut -d: -f2- "$T/out" | sort | cmp - <(sort "$T/in") && echo ok)" = ok ]
	[ -z "$(awk -F'[: ]' '{print $1, $2}' "$T/out" | sort -u |
		awk '{print $2}' | uniq -d)" ]
}

@test "broadcast --balance on a big input loses nothing" {
	seq 500000 > "$T/in"
	broadcast --balance -c 'sed s/^/a:/' -c 'sed s/^/b:/' \
		< "$T/in" > "$T/out"
	[ "$(cut -d: -f2 "$T/out" | sort -n | cmp - "$T/in" && echo ok)" = ok ]
}

@test "broadcast --balance: a consumer slow to read is handed few lines" {
	timed
	awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%070d\n", i }' \
		> "$T/in"
	t0=$(ms)
	broadcast --balance -c 'wc -l | sed s/^/fast:/' \
		-c 'n=0; while read -r l; do sleep 0.001; n=$((n+1)); done; echo slow:$n' \
		< "$T/in" > "$T/out"
	t1=$(ms)
	fast=$(sed -n 's/^fast://p' "$T/out")
	slow=$(sed -n 's/^slow://p' "$T/out")
	[ $((fast + slow)) -eq 100000 ]
	[ "$slow" -lt 1000 ]
	[ $((t1 - t0)) -lt 3000 ]
}

@test "broadcast --round-robin: queued lines go out while input is idle" {
	mkfifo "$T/fifo"
	( printf '1\n2\n3\n'; sleep 5 ) > "$T/fifo" &
	writer=$!
	broadcast --round-robin -c 'sed -u s/^/a/' -c 'sed -u s/^/b/' \
		< "$T/fifo" > "$T/out" &
	pid=$!
	wait_for '[ "$(sort "$T/out" | tr "\n" " ")" = "a1 a3 b2 " ]' 3
	kill "$pid" "$writer" 2>/dev/null || true
}

@test "broadcast --balance: commands that leave without reading all end it" {
	run --separate-stderr timeout 10 bash -c 'seq 100000 |
		broadcast --balance -c "read -r x; echo \$x" -c "read -r x; echo \$x; exit 3"'
	[ "$status" -eq 3 ]
	[ "$(sort -n <<< "$output")" = $'1\n2' ]
	[ "$stderr" = "broadcast: 'read -r x; echo \$x; exit 3': exited with status 3" ]
}

@test "broadcast -c: stdout closing while all is quiet ends it at once" {
	timed
	mkfifo "$T/fifo"
	exec 5<> "$T/fifo"
	t0=$(ms)
	run --separate-stderr timeout 10 bash -c \
		'broadcast -c cat <&5 | head -c 0; echo "${PIPESTATUS[0]}"'
	run2=$(timeout 10 bash -c \
		'broadcast -c "sleep 30.$$" < /dev/null | head -c 0; echo "${PIPESTATUS[0]}"')
	t1=$(ms)
	exec 5>&-
	[ "$output" = "0" ]
	[ -z "$stderr" ]
	[ "$run2" = "0" ]
	[ $((t1 - t0)) -lt 2000 ]
}
