#!/usr/bin/env bats
# printer: cat without options; prefix, cat -n numbers, timestamps,
# summaries; files, signals, closed output.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "printer without options is cat, byte for byte" {
	printf 'a\0b\r\n\n\xff\xfe\nlast' > "$T/in"
	printer < "$T/in" > "$T/out"
	assert_same_bytes "$T/out" "$T/in"
}

@test "printer reads FILE operands as one stream, like cat" {
	printf '1\n2' > "$T/a"; printf '3\n4\n' > "$T/b"
	run printer "$T/a" - "$T/b" <<< "s"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2s\n3\n4')" ]
}

@test "printer on empty input writes nothing" {
	run printer < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "printer -n is byte-identical to cat -n" {
	printf 'a\n\nb\r\nno newline' > "$T/in"
	printer -n "$T/in" > "$T/out"
	cat -n "$T/in" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer -n past 999999 lines widens as cat -n does" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	seq 1000005 > "$T/in"
	printer --number "$T/in" | tail -7 > "$T/out"
	cat -n "$T/in" | tail -7 > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer -p puts the exact bytes before every line" {
	run printer -p 'x: ' <<< $'a\nb'
	[ "$output" = $'x: a\nx: b' ]
	run printer --prefix='' <<< 'a'
	[ "$output" = "a" ]
}

@test "printer decorations keep a last line without newline as it is" {
	printf 'a\nb' | printer -n -p '> ' > "$T/out"
	printf '     1\t> a\n     2\t> b' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer -t writes the default timestamp, then a space" {
	run printer -t <<< 'hello'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\ hello$ ]]
}

@test "printer -T FORMAT sets the format and implies -t" {
	run printer -T '%Y|' <<< 'x'
	[ "$output" = "$(date +%Y)| x" ]
}

@test "printer -T supports %.s %.T and %% as moreutils ts" {
	run printer -T '%.s %.T %%' <<< 'x'
	[[ "$output" =~ ^[0-9]{10}\.[0-9]{6}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\ %\ x$ ]]
	s=${output%%.*}
	now=$(date +%s)
	[ $((now - s)) -le 5 ]
}

@test "printer decorations combine as timestamp, number, prefix, line" {
	run printer -p P -n -T T <<< 'line'
	[ "$output" = "$(printf 'T      1\tPline')" ]
}

@test "printer --summary adds count, sum, min, max, mean after the lines" {
	run printer --summary <<< $'3\n1\n2'
	[ "$status" -eq 0 ]
	[ "$output" = $'3\n1\n2\ncount=3 sum=6 min=1 max=3 mean=2' ]
}

@test "printer --summary leaves non-numeric lines out, prints them" {
	run printer --summary <<< $'5\nfoo\n\n 7 \n-\n2.5'
	[ "$output" = $'5\nfoo\n\n 7 \n-\n2.5\ncount=3 sum=14.5 min=2.5 max=7 mean=4.833333333333333' ]
}

@test "printer --summary: long numbers between blanks count, a blank inside does not" {
	# Lines of 16 bytes and more are turned down at once when a blank
	# sits inside them; numbers that long, blanks around, still count.
	# (Integers: a fraction here would round in long double, which
	# valgrind does not have.)
	run printer --summary -q <<< $'  12345678901234567  \n1234567890123456 7\n\t1000000000000000\r\n12345678901234 x\n7'
	[ "$status" -eq 0 ]
	[ "$output" = "count=3 sum=13345678901234574 min=7 max=12345678901234567 mean=4448559633744858" ]
}

@test "printer --summary=LIST picks and orders the fields" {
	run printer -q --summary=max,count,max <<< $'4\n9'
	[ "$output" = "max=9 count=2 max=9" ]
}

@test "printer --summary on no numbers" {
	run printer -q < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "count=0 sum=0 min=nan max=nan mean=nan" ]
}

@test "printer -q writes the summary alone" {
	run printer -q <<< $'1\n2'
	[ "$output" = "count=2 sum=3 min=1 max=2 mean=1.5" ]
}

@test "printer --summary -f N sums field N, awk-style" {
	run printer -q -f 2 <<< $'a 10 x\n  b\t20\nc\nd - y'
	[ "$output" = "count=2 sum=30 min=10 max=20 mean=15" ]
}

@test "printer --summary -f N -d CHAR splits as cut" {
	run printer -q -f 3 -d , <<< $'a,,5\nb,1,6\nc'
	[ "$output" = "count=2 sum=11 min=5 max=6 mean=5.5" ]
}

@test "printer --summary stays exact in int64 and falls back to a double" {
	run printer -q --summary=sum <<< $'9223372036854775806\n1'
	[ "$output" = "sum=9223372036854775807" ]
	run printer -q --summary=sum <<< $'9223372036854775807\n1'
	[ "$output" = "sum=9.223372036854776e+18" ]
}

@test "printer --summary of decimals is compensated" {
	seq 1 1000 | sed 's/$/.1/' > "$T/in"
	run printer -q --summary=sum,mean "$T/in"
	[ "$output" = "sum=5.006e+05 mean=500.6" ]
}

@test "printer --summary starts its own line after a partial last line" {
	run printer --summary=count < <(printf '1\n2')
	[ "$output" = $'1\n2\ncount=2' ]
}

@test "printer --summary with CRLF lines counts them" {
	run printer -q --summary=sum < <(printf '1\r\n2\r\n')
	[ "$output" = "sum=3" ]
}

@test "printer passes NUL bytes and invalid UTF-8 through decorations" {
	printf 'a\0b\n\xff\n' | printer -p '[' > "$T/out"
	printf '[a\0b\n[\xff\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer handles a 50 MB line" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	head -c 50000000 /dev/zero | tr '\0' 'x' > "$T/big"
	echo >> "$T/big"
	printer -n "$T/big" > "$T/out"
	cat -n "$T/big" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer reports an unreadable FILE, prints the others, exits 2" {
	echo one > "$T/a"; echo two > "$T/b"
	run --separate-stderr printer "$T/a" "$T/missing" "$T" "$T/b"
	[ "$status" -eq 2 ]
	[ "$output" = $'one\ntwo' ]
	[ "$stderr" = "printer: $T/missing: No such file or directory
printer: $T: Is a directory" ]
}

@test "printer reports a FILE it may not read" {
	[ "$(id -u)" -ne 0 ] || skip "root reads every file"
	echo x > "$T/locked"; chmod 000 "$T/locked"
	run --separate-stderr printer "$T/locked"
	[ "$status" -eq 2 ]
	[ "$stderr" = "printer: $T/locked: Permission denied" ]
}

@test "printer to /dev/full: write error, exit 2" {
	run --separate-stderr bash -c 'seq 3 | printer > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "printer: write error: No space left on device" ]
}

@test "printer big | head -1 returns at once with status 0" {
	seq 3000000 > "$T/big"
	run bash -o pipefail -c "timeout 5 printer -n '$T/big' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '     1\t1')" ]
}

@test "printer on a closed stdout stays quiet" {
	run --separate-stderr bash -c 'seq 100000 | printer -n | true'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "printer shows each line as it arrives, without --line-buffered" {
	mkfifo "$T/fifo"
	( echo first; sleep 3; echo second ) > "$T/fifo" &
	printer -p '> ' < "$T/fifo" > "$T/out" &
	pid=$!
	wait_for '[ "$(cat "$T/out")" = "> first" ]' 2
	kill $pid 2>/dev/null || true
}

@test "printer SIGTERM writes the summary and dies by SIGTERM" {
	mkfifo "$T/fifo"
	( printf '1\n2\n'; sleep 10 ) > "$T/fifo" &
	writer=$!
	printer --summary < "$T/fifo" > "$T/out" &
	pid=$!
	wait_for '[ "$(cat "$T/out")" = $'"'"'1\n2'"'"' ]' 5
	kill -TERM $pid
	wait $pid && st=0 || st=$?
	kill $writer 2>/dev/null || true
	[ "$st" -eq 143 ]
	[ "$(cat "$T/out")" = $'1\n2\ncount=2 sum=3 min=1 max=2 mean=1.5' ]
}

@test "printer SIGINT also writes the summary and dies by SIGINT" {
	mkfifo "$T/fifo"
	( printf '5\n'; sleep 10 ) > "$T/fifo" &
	writer=$!
	# A background job ignores SIGINT unless it resets it: use a subshell.
	bash -c 'trap - INT; exec printer -q' < "$T/fifo" > "$T/out" &
	pid=$!
	sleep 0.3
	kill -INT $pid
	wait $pid && st=0 || st=$?
	kill $writer 2>/dev/null || true
	[ "$st" -eq 130 ]
	[ "$(cat "$T/out")" = "count=1 sum=5 min=5 max=5 mean=5" ]
}

@test "printer SIGUSR1 writes the summary so far to stderr and goes on" {
	mkfifo "$T/fifo"
	( printf '1\n2\n'; sleep 1; printf '3\n' ) > "$T/fifo" &
	printer -p '> ' < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	wait_for '[ "$(cat "$T/out")" = $'"'"'> 1\n> 2'"'"' ]' 5
	kill -USR1 $pid
	wait $pid
	[ "$(cat "$T/err")" = "count=2 sum=3 min=1 max=2 mean=1.5" ]
	[ "$(cat "$T/out")" = $'> 1\n> 2\n> 3' ]
}

@test "printer SIGUSR1 reports in the middle of a long FILE, not at its end" {
	# The shim makes each write to stdout sleep: the whole file would
	# take a minute, so a report at its end would come too late.
	[ -n "${RUNNEL_SHIM:-}" ] || skip "needs RUNNEL_SHIM (make test, make check)"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	seq 2000000 > "$T/in"
	RUNNEL_SLOWWRITE=1 LD_PRELOAD="$RUNNEL_SHIM" \
	    printer < "$T/in" > "$T/out" 2> "$T/err" &
	pid=$!
	wait_for '[ -s "$T/out" ]'
	kill -USR1 $pid
	wait_for '[ -s "$T/err" ]' 5
	kill -TERM $pid
	wait $pid && st=0 || st=$?
	[ "$st" -eq 143 ]
	# count=N sum=... for the lines read so far, fewer than all
	local n
	n=$(sed -n '1s/^count=\([0-9]*\) sum=.*/\1/p' "$T/err")
	[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 2000000 ]
	[ "$(sed -n '$=' "$T/err")" -eq 1 ]
}

@test "printer option errors name the option, exit 2" {
	run --separate-stderr printer --bogus
	[ "$status" -eq 2 ]
	[ "$stderr" = "printer: unrecognized option '--bogus'
Try 'printer --help' for more information." ]
	run --separate-stderr printer -f 0
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "printer: invalid field number '0' for -f" ]
	run --separate-stderr printer --field=x --format=common
	[ "${stderr%%$'\n'*}" = "printer: no field 'x' in the common format (its names: host ident user time request method path protocol status bytes)" ]
	run --separate-stderr printer --field=
	[ "${stderr%%$'\n'*}" = "printer: invalid field '' for --field" ]
	run --separate-stderr printer --summary=count,avg
	[ "${stderr%%$'\n'*}" = "printer: invalid summary list 'count,avg' for --summary" ]
	run --separate-stderr printer -d ab -f 1
	[ "${stderr%%$'\n'*}" = "printer: invalid single-byte delimiter 'ab' for -d" ]
	run --separate-stderr printer -p
	[ "${stderr%%$'\n'*}" = "printer: option requires an argument -- 'p'" ]
	run --separate-stderr printer --prefix
	[ "${stderr%%$'\n'*}" = "printer: option '--prefix' requires an argument" ]
	run --separate-stderr printer --number=3
	[ "${stderr%%$'\n'*}" = "printer: option '--number' doesn't allow an argument" ]
}

@test "printer --help and --version" {
	run printer --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: printer [OPTION]... [FILE]..." ]
	run printer --version
	[ "$status" -eq 0 ]
	[ "$output" = "printer (runnel) 0.1.0" ]
}

@test "printer -- ends the options" {
	echo data > "$T/-n"
	cd "$T"
	run printer -- -n
	[ "$output" = "data" ]
}

# A FILE whose second read stalls 3 s (the LD_PRELOAD shim): a regular
# file never looks idle, so only --line-buffered writes before the stall.
slow_file() {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "timed case"
	SHIM=${RUNNEL_SHIM:-$BATS_TEST_DIRNAME/../build/readfail.so}
	[ -f "$SHIM" ] || skip "no $SHIM: run through make"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	printf 'a\nb\n' > "$T/READSLOW"
}

@test "printer --line-buffered writes each line at once" {
	slow_file
	LD_PRELOAD=$SHIM printer --line-buffered -n "$T/READSLOW" > "$T/out" &
	pid=$!
	wait_for '[ "$(wc -l < "$T/out")" -eq 2 ]' 2
	kill -0 "$pid"	# still in the stalled read
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf '     1\ta\n     2\tb')" ]
}

@test "printer without --line-buffered holds its block while input never idles" {
	slow_file
	LD_PRELOAD=$SHIM printer -n "$T/READSLOW" > "$T/out" &
	pid=$!
	sleep 1
	[ ! -s "$T/out" ]
	wait "$pid"
	[ "$(cat "$T/out")" = "$(printf '     1\ta\n     2\tb')" ]
}
