#!/usr/bin/env bats
# broadcast: tee to FILEs, pee to commands (whole lines), round robin,
# key routing, balance; back-pressure, failures, statuses, closed stdout.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "broadcast without -c is tee, byte for byte" {
	printf 'a\0b\r\n\n\xff\xfe\nlast' > "$T/in"
	broadcast "$T/x" "$T/y" < "$T/in" > "$T/out"
	tee "$T/tx" < "$T/in" > "$T/tout"
	assert_same_bytes "$T/out" "$T/tout"
	assert_same_bytes "$T/x" "$T/tx"
	assert_same_bytes "$T/y" "$T/tx"
}

@test "broadcast -a appends as tee -a does" {
	printf 'old\n' > "$T/x"
	printf 'new\n' | broadcast -a "$T/x" > /dev/null
	[ "$(cat "$T/x")" = "$(printf 'old\nnew')" ]
	printf 'z\n' | broadcast "$T/x" > /dev/null
	[ "$(cat "$T/x")" = "z" ]
}

@test "broadcast on a big input matches tee" {
	seq 300000 > "$T/in"
	broadcast "$T/x" < "$T/in" > "$T/out"
	assert_same_bytes "$T/out" "$T/in"
	assert_same_bytes "$T/x" "$T/in"
}

@test "broadcast -c: stdout carries the commands' output, as pee" {
	run --separate-stderr broadcast -c 'sed s/^/x/' <<< $'1\n2'
	[ "$status" -eq 0 ]
	[ "$output" = $'x1\nx2' ]
	[ -z "$stderr" ]
}

@test "broadcast -c cat passes the input through; order kept per command" {
	seq 50000 > "$T/in"
	broadcast -c cat -c 'sed s/^/b/' < "$T/in" > "$T/out"
	grep -v '^b' "$T/out" > "$T/a"
	grep '^b' "$T/out" | sed 's/^b//' > "$T/b"
	assert_same_bytes "$T/a" "$T/in"
	assert_same_bytes "$T/b" "$T/in"
}

@test "broadcast -c keeps a final line without newline whole" {
	printf '1\n2' | broadcast -c cat > "$T/out"
	printf '1\n2' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "broadcast never tears lines of commands writing long lines at once" {
	long=$(head -c 20000 /dev/zero | tr '\0' x)
	for i in 1 2 3 4 5; do echo "$long"; done > "$T/in"
	broadcast -c 'sed p' -c 'sed p' -c 'sed p' -c 'sed p' \
		< "$T/in" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 40 ]
	[ "$(sort -u "$T/out")" = "$long" ]
}

@test "broadcast --round-robin gives exact counts in command-line order" {
	seq 10 | broadcast --round-robin "$T/a" "$T/b" > "$T/o"
	[ "$(cat "$T/o")" = "$(printf '1\n4\n7\n10')" ]
	[ "$(cat "$T/a")" = "$(printf '2\n5\n8')" ]
	[ "$(cat "$T/b")" = "$(printf '3\n6\n9')" ]
	seq 1000 | broadcast --round-robin -c 'wc -l' -c 'wc -l' \
		-c 'wc -l' -c 'wc -l' > "$T/counts"
	[ "$(sort -u "$T/counts")" = "250" ]
}

@test "broadcast --round-robin orders FILEs and commands as written" {
	seq 4 | broadcast -c 'sed s/^/c/' --round-robin "$T/f" > "$T/o"
	[ "$(cat "$T/o")" = "$(printf 'c1\nc3')" ]
	[ "$(cat "$T/f")" = "$(printf '2\n4')" ]
}

@test "broadcast --key sends equal keys to the same destination, stably" {
	for i in $(seq 200); do echo "x k$((i % 7)) $i"; done > "$T/in"
	broadcast --key 2 "$T/a" "$T/b" "$T/c" < "$T/in" > "$T/o"
	for f in "$T/o" "$T/a" "$T/b" "$T/c"; do
		awk '{print $2}' "$f" | sort -u
	done | sort | uniq -d > "$T/dups"
	[ ! -s "$T/dups" ]
	cat "$T/o" "$T/a" "$T/b" "$T/c" | sort > "$T/all"
	sort "$T/in" | cmp - "$T/all"
	cp "$T/a" "$T/a1"
	broadcast --key 2 "$T/a" "$T/b" "$T/c" < "$T/in" > /dev/null
	cmp "$T/a" "$T/a1"
	# A line without field N hashes the empty key: all go together.
	printf 'one\ntwo\nthree\n' | broadcast --key 2 "$T/p" "$T/q" > "$T/r"
	[ "$(cat "$T/p" "$T/q" "$T/r" | wc -l)" -eq 3 ]
	n=0; for f in "$T/p" "$T/q" "$T/r"; do [ -s "$f" ] && n=$((n+1)); done
	[ "$n" -eq 1 ]
}

@test "broadcast --balance loses nothing and favours the fast consumer" {
	seq 300000 | broadcast --balance -c 'sed s/^/f/' \
		-c 'sleep 1; sed s/^/s/' > "$T/o"
	[ "$(cut -c2- "$T/o" | sort -n | uniq | wc -l)" -eq 300000 ]
	fast=$(grep -c '^f' "$T/o"); slow=$(grep -c '^s' "$T/o")
	[ "$fast" -gt "$slow" ]
}

@test "broadcast: a slow consumer loses nothing" {
	seq 200000 > "$T/in"
	broadcast -c 'sleep 0.3; cat' -c 'cat > /dev/null' < "$T/in" > "$T/o"
	assert_same_bytes "$T/o" "$T/in"
}

@test "broadcast: /dev/full is reported once, the others go on, exit 2" {
	run --separate-stderr broadcast /dev/full "$T/x" <<< $'1\n2'
	[ "$status" -eq 2 ]
	[ "$output" = $'1\n2' ]
	[ "$stderr" = "broadcast: /dev/full: No space left on device" ]
	[ "$(cat "$T/x")" = $'1\n2' ]
}

@test "broadcast: a FILE that cannot be opened is reported, exit 2" {
	run --separate-stderr broadcast "$T/no/such" <<< 'a'
	[ "$status" -eq 2 ]
	[ "$output" = "a" ]
	[ "$stderr" = "broadcast: $T/no/such: No such file or directory" ]
}

@test "broadcast: a command that exits after its first line is dropped silently" {
	seq 200000 > "$T/in"
	run --separate-stderr broadcast -c 'head -1' -c 'wc -l' < "$T/in"
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf '1\n200000')" ]
	[ -z "$stderr" ]
}

@test "broadcast: exit status of the first failing command on the line" {
	run --separate-stderr broadcast -c 'cat > /dev/null; exit 3' \
		-c false -c 'wc -l' <<< $'a\nb'
	[ "$status" -eq 3 ]
	[ "$output" = "2" ]
	# Each is reported when it ends, so in the order they end.
	[ "$(sort <<< "$stderr")" = "$(printf "%s\n%s" \
		"broadcast: 'cat > /dev/null; exit 3': exited with status 3" \
		"broadcast: 'false': exited with status 1")" ]
}

@test "broadcast: a command killed by a signal counts as 2" {
	run --separate-stderr broadcast -c 'kill -9 $$' -c 'exit 5' <<< 'a'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'kill -9 \$\$': killed by signal 9"* ]]
	[[ "$stderr" == *"'exit 5': exited with status 5"* ]]
}

@test "broadcast without -c: closed stdout, the FILEs go on to the end" {
	seq 200000 > "$T/in"
	run --separate-stderr bash -c \
		'broadcast "$1" < "$2" | head -1; echo "${PIPESTATUS[0]}"' _ \
		"$T/x" "$T/in"
	[ "$output" = $'1\n0' ]
	[ -z "$stderr" ]
	assert_same_bytes "$T/x" "$T/in"
	run --separate-stderr bash -c \
		'broadcast /dev/full "$1" < "$2" | head -1; echo "${PIPESTATUS[0]}"' \
		_ "$T/x" "$T/in"
	[ "$output" = $'1\n2' ]
	assert_same_bytes "$T/x" "$T/in"
}

@test "broadcast without -c: stdout's reader gone while input idles, it sleeps and the FILEs go on" {
	# A spinning process is always runnable (R); a waiting one sleeps (S).
	# /dev/full fails: the closed stdout must not hide it (status 2).
	local full want pid hpid st i sleeping
	for full in '' /dev/full; do
		rm -f "$T/in" "$T/out" "$T/x" "$T/first"
		mkfifo "$T/in" "$T/out"
		head -1 < "$T/out" > "$T/first" &
		hpid=$!
		exec 5<> "$T/in"
		broadcast "$T/x" $full < "$T/in" > "$T/out" 2> "$T/err" 5>&- &
		pid=$!
		echo a >&5
		wait "$hpid"	# the reader of its stdout is gone
		sleeping=0
		for i in $(seq 20); do
			[ "$(awk '{ print $3 }' "/proc/$pid/stat")" != S ] ||
				sleeping=$((sleeping + 1))
			sleep 0.02
		done
		[ "$sleeping" -ge 15 ] || { echo "$full: runnable, not waiting"; return 1; }
		echo b >&5
		exec 5>&-
		st=0
		wait "$pid" || st=$?
		want=0
		[ -z "$full" ] || want=2
		[ "$st" -eq "$want" ]
		[ "$(cat "$T/x")" = "$(printf 'a\nb')" ]
		[ "$(cat "$T/first")" = a ]
	done
	[ "$(cat "$T/err")" = "broadcast: /dev/full: No space left on device" ]
}

@test "broadcast -c: closed stdout ends at once with status 0" {
	run --separate-stderr timeout 10 bash -c \
		'yes | broadcast -c cat | head -2; echo "${PIPESTATUS[1]}"'
	[ "$output" = $'y\ny\n0' ]
	[ -z "$stderr" ]
}

@test "broadcast leaves no zombies and no stray descriptors to children" {
	run broadcast -c 'ls /proc/self/fd' <<< 'a'
	[ "$output" = $'0\n1\n2\n3' ]
	seq 1000 | broadcast -c 'cat' -c 'head -1' > /dev/null &
	pid=$!
	wait "$pid"
	[ -z "$(ps -o pid= --ppid "$pid" 2>/dev/null)" ]
}

@test "broadcast: SIGTERM ends the children and re-raises" {
	mkfifo "$T/f"
	broadcast -c 'cat > '"$T/got" < "$T/f" > /dev/null &
	pid=$!
	exec 5> "$T/f"
	echo line >&5
	wait_for "[ -s '$T/got' ]"
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	exec 5>&-
	[ "$st" -eq 143 ]
	[ "$(cat "$T/got")" = "line" ]
}

@test "broadcast --help and bad options" {
	run broadcast --help
	[ "$status" -eq 0 ]
	[[ "$output" == "Usage: broadcast [OPTION]... [FILE]..."* ]]
	run --separate-stderr broadcast --key 0 <<< 'a'
	[ "$status" -eq 2 ]
	[[ "$stderr" == "broadcast: "* ]]
}

@test "broadcast -c passes a command's output on while input is idle" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	( echo first; sleep 5; echo second ) > "$BATS_TEST_TMPDIR/fifo" &
	broadcast -c cat -c 'sed -u s/^/x/' < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	wait_for '[ "$(sort "$BATS_TEST_TMPDIR/out" | tr "\n" " ")" = "first xfirst " ]' 3
	kill $pid 2>/dev/null || true
}
