#!/usr/bin/env bats
# follow while files change: growth, rotation, truncation, deletion,
# late files, globs, --pid, --state, closed stdout, rotations that come
# faster than --rotate-wait.  Background followers
# are waited on with bounded waits and killed in teardown.

load follow_helper

@test "follow: appended lines arrive; a partial line waits for its newline" {
	seq 3 > "$T/log"
	bg_follow -n 1 "$T/log"
	wait_for 'has 3' 2
	echo 4 >> "$T/log"
	wait_for 'has "$(printf "3\n4")"' 1
	printf 'par' >> "$T/log"
	sleep 0.2
	has "$(printf '3\n4')"
	echo tial >> "$T/log"
	wait_for 'has "$(printf "3\n4\npartial")"' 1
}

@test "follow: rotation by rename and create, old file read on" {
	echo one > "$T/log"
	bg_follow -n 1 --rotate-wait 2 "$T/log"
	wait_for 'has one' 2
	mv "$T/log" "$T/log.1"
	echo new1 > "$T/log"
	wait_for 'grep -qx new1 "$T/out"' 2
	echo old2 >> "$T/log.1"
	wait_for 'grep -qx old2 "$T/out"' 2
	echo new2 >> "$T/log"
	wait_for 'grep -qx new2 "$T/out"' 2
	[ "$(sort "$T/out" | tr '\n' ' ')" = "new1 new2 old2 one " ]
	[ ! -s "$T/err" ]
}

@test "follow: two rotations within --rotate-wait: both renamed files read on" {
	echo one > "$T/log"
	bg_follow -n 1 --rotate-wait 30 "$T/log"
	wait_for 'has one' 2
	mv "$T/log" "$T/log.1"
	echo two > "$T/log"
	wait_for 'has "$(printf "one\ntwo")"' 2
	mv "$T/log" "$T/log.2"
	echo three > "$T/log"
	wait_for 'has "$(printf "one\ntwo\nthree")"' 2
	# the writer still holds both renamed files: the first one too
	echo one-late >> "$T/log.1"
	wait_for 'has "$(printf "one\ntwo\nthree\none-late")"' 2
	echo two-late >> "$T/log.2"
	wait_for 'has "$(printf "one\ntwo\nthree\none-late\ntwo-late")"' 2
	[ ! -s "$T/err" ]
}

@test "follow: copytruncate is noted and reading resumes at the start" {
	seq 5 > "$T/log"
	bg_follow -n 1 "$T/log"
	wait_for 'has 5' 2
	: > "$T/log"
	echo fresh >> "$T/log"
	wait_for 'has "$(printf "5\nfresh")"' 2
	[ "$(cat "$T/err")" = "follow: $T/log: file truncated" ]
}

@test "follow: truncate and refill past the offset is a truncation" {
	printf 'aaaa\n' > "$T/log"
	bg_follow -n 1 "$T/log"
	wait_for 'has aaaa' 2
	printf 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n' > "$T/log.new"
	cp "$T/log.new" "$T/log"
	wait_for 'has "$(printf "aaaa\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")"' 2
	[ "$(cat "$T/err")" = "follow: $T/log: file truncated" ]
}

@test "follow: deletion and re-creation" {
	echo a > "$T/log"
	bg_follow -n 1 "$T/log"
	wait_for 'has a' 2
	rm "$T/log"
	sleep 0.1
	echo b > "$T/log"
	wait_for 'has "$(printf "a\nb")"' 2
}

@test "follow: a FILE that does not exist yet is noted once, then read" {
	bg_follow "$T/late"
	wait_for '[ -s "$T/err" ]' 2
	echo hello > "$T/late"
	wait_for 'has hello' 2
	[ "$(cat "$T/err")" = "follow: $T/late: No such file or directory" ]
}

@test "follow: several files switch headers as lines come" {
	echo a1 > "$T/a"
	echo b1 > "$T/b"
	bg_follow -n 1 "$T/a" "$T/b"
	wait_for 'grep -qx b1 "$T/out"' 2
	echo a2 >> "$T/a"
	wait_for 'grep -qx a2 "$T/out"' 2
	printf '==> %s <==\na1\n\n==> %s <==\nb1\n\n==> %s <==\na2\n' \
	    "$T/a" "$T/b" "$T/a" > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "follow: a glob follows files that appear later, from their start" {
	echo old > "$T/x1.log"
	bg_follow --prefix -n 1 "$T/*.log"
	wait_for 'grep -q old "$T/out"' 2
	printf 'n1\nn2\n' > "$T/x2.log"
	wait_for 'grep -q n2 "$T/out"' 2
	printf '%s:old\n%s:n1\n%s:n2\n' "$T/x1.log" "$T/x2.log" "$T/x2.log" \
	    > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "follow: --pid exits once the process is gone and its lines read" {
	: > "$T/log"
	(for i in 1 2 3; do echo "$i" >> "$T/log"; sleep 0.05; done; printf end >> "$T/log") &
	w=$!
	run timeout 5 follow -n 0 --pid "$w" "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2\n3\nend')" ] || [ "$output" = "$(printf '2\n3\nend')" ] || [ "$output" = "$(printf '3\nend')" ]
}

@test "follow: --until --timeout does not miss a line written at startup" {
	: > "$T/log"
	( sleep 0.5; echo 'listening on 80' >> "$T/log" ) &
	run timeout 5 follow -n 0 "$T/log" --until listening --timeout 3
	[ "$status" -eq 0 ]
	[ "$output" = "listening on 80" ]
}

@test "follow: --until on a later line, --timeout 124 otherwise" {
	: > "$T/log"
	( sleep 0.5; echo nope >> "$T/log"; echo ready >> "$T/log"; echo after >> "$T/log" ) &
	run timeout 5 follow -n 0 "$T/log" --until ready --timeout 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'nope\nready')" ]
	run timeout 5 follow -n 0 "$T/log" --until never --timeout 0.3
	[ "$status" -eq 124 ]
}

@test "follow: a closed stdout ends it quietly within 1 s" {
	: > "$T/log"
	SECONDS=0
	run --separate-stderr bash -c "set -o pipefail; timeout 5 follow '$T/log' | true"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$SECONDS" -le 2 ]
	echo x > "$T/log"
	run bash -c "set -o pipefail; (sleep 0.3; echo y >> '$T/log') & timeout 5 follow '$T/log' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = x ]
}

@test "follow: polling mode (no inotify) still follows" {
	echo a > "$T/log"
	RUNNEL_FOLLOW_POLL=1 bg_follow -s 0.05 -n 1 "$T/log"
	wait_for 'has a' 2
	echo b >> "$T/log"
	wait_for 'has "$(printf "a\nb")"' 2
	mv "$T/log" "$T/log.1"
	echo c > "$T/log"
	wait_for 'has "$(printf "a\nb\nc")"' 2
}

@test "follow: --descriptor stays with the renamed file" {
	echo a > "$T/log"
	bg_follow --descriptor -n 1 "$T/log"
	wait_for 'has a' 2
	mv "$T/log" "$T/log.1"
	echo new > "$T/log"
	echo b >> "$T/log.1"
	wait_for 'has "$(printf "a\nb")"' 2
	sleep 0.2
	has "$(printf 'a\nb')"
}

@test "follow: --state resumes exactly, also across a rotation" {
	seq 5 > "$T/log"
	run follow --once --state "$T/st" "$T/log"
	[ "$output" = "$(seq 5)" ]
	[ "$(stat -c %a "$T/st")" = 600 ]
	seq 6 7 >> "$T/log"
	run follow --once --state "$T/st" "$T/log"
	[ "$output" = "$(seq 6 7)" ]
	echo 8 >> "$T/log"
	mv "$T/log" "$T/log.1"
	echo 9 > "$T/log"
	run follow --once --state "$T/st" -n 0 "$T/log"
	[ "$output" = "$(seq 8 9)" ]
	run follow --once --state "$T/st" "$T/log"
	[ -z "$output" ]
}

@test "follow: --state kept current while following (SIGKILL loses nothing)" {
	seq 3 > "$T/log"
	bg_follow --state "$T/st" "$T/log"
	wait_for 'has "$(seq 3)"' 2
	echo 4 >> "$T/log"
	wait_for 'grep -q " 8 " "$T/st" 2>/dev/null' 2
	kill -KILL "${BG[0]}"
	echo 5 >> "$T/log"
	run follow --once --state "$T/st" "$T/log"
	[ "$output" = 5 ]
}

@test "follow: SIGTERM ends it promptly by that signal" {
	echo a > "$T/log"
	follow "$T/log" > "$T/out" 3>&- &
	p=$!
	BG+=($p)
	wait_for 'has a' 2
	kill -TERM "$p"
	st=0
	wait "$p" || st=$?
	[ "$st" -eq 143 ]
}

@test "follow: --state remembers a rotated file still being read" {
	seq 3 > "$T/log"
	bg_follow --state "$T/st" --rotate-wait 30 "$T/log"
	wait_for 'has "$(seq 3)"' 2
	mv "$T/log" "$T/log.1"
	echo new >> "$T/log"
	wait_for 'grep -q "^R " "$T/st" 2>/dev/null && grep -q "^F .* 4 " "$T/st"' 2
	kill -TERM "${BG[0]}"
	wait "${BG[0]}" || true
	echo old-late >> "$T/log.1"
	echo new2 >> "$T/log"
	run follow --once --state "$T/st" "$T/log"
	[ "$output" = "$(printf 'old-late\nnew2')" ]
}

@test "follow: --state after --until counts only the lines written" {
	seq 10 > "$T/log"
	run follow --once --state "$T/st" --until '^4$' -n +1 "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 4)" ]
	run follow --once --state "$T/st" "$T/log"
	[ "$output" = "$(seq 5 10)" ]
}
