#!/usr/bin/env bats
# pipe: in-process broadcast branches keep the contract's per-line order
# for every stage kind, anchored patterns included (a -c text holding a
# $ that sh keeps as it is still runs in-process).

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	for c in pipe broadcast power match printer; do
		[ -x "$RUNNEL_BIN/$c" ] || skip "$c not built yet"
	done
}

@test "pipe branches: an end-anchored -o pattern interleaves line by line" {
	printf '1.2.3.4 x 200 17\n5.6.7.8 y 404 -\n' > "$T/log"
	run --separate-stderr pipe "broadcast -c 'match -o \"[0-9-]+\$\"' -c 'printer -p ='" < "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '17\n=1.2.3.4 x 200 17\n-\n=5.6.7.8 y 404 -')" ]
	[ -z "$stderr" ]
	run pipe --explain "broadcast -c 'match -o \"[0-9-]+\$\"' -c 'printer -p ='"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "  command 'match -o \"[0-9-]+\$\"': in-process, its output merged in order" ]
}

@test "pipe branches: a start-anchored -o pattern interleaves line by line" {
	printf '1.2.3.4 x 200 17\n5.6.7.8 y 404 -\n' > "$T/log"
	run --separate-stderr pipe "broadcast -c 'match -o \"^[0-9.]+\"' -c 'printer -p ='" < "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1.2.3.4\n=1.2.3.4 x 200 17\n5.6.7.8\n=5.6.7.8 y 404 -')" ]
	[ -z "$stderr" ]
}

@test "pipe branches: a \$ that starts an expansion still goes to sh" {
	run pipe --explain "broadcast -c 'match \"\$HOME\"' -c 'printer -p ='"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "  command 'match \"\$HOME\"': through sh -c" ]
}

@test "pipe branches: a nested broadcast's queued lines come out per line" {
	printf 'a\nb\nc\n' > "$T/log"
	run --separate-stderr pipe "broadcast -c 'broadcast --round-robin' -c 'printer -p ='" < "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\n=a\nb\n=b\nc\n=c')" ]
	[ -z "$stderr" ]
}

# Every stage kind, anchored and unanchored patterns, each branch beside
# a printer on either side, against a reference built from the
# executables run on every prefix of the input (tests/pipe_branches.py).
@test "pipe branches: every stage kind keeps the per-line order (differential)" {
	"$BATS_TEST_DIRNAME/data/gen-access-log" 24 3 > "$T/log"
	printf 'crlf 404 GET 5\r\n\n7 nul\0here GET 9 "-" "a"\n' >> "$T/log"
	run python3 "$BATS_TEST_DIRNAME/pipe_branches.py" "$T/log"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -z "$output" ]
}
