#!/usr/bin/env bats
# Flat memory: every command present in $RUNNEL_BIN streams an input four
# times its address-space limit (256 MiB, generated on the fly, never
# stored) under `ulimit -v 65536` (64 MiB) and gets it right.  The default
# keeps the file near 30 s with all six commands on a small machine;
# RUNNEL_LIMITS_SIZE=1G runs the full-size check (head -c syntax).
# RUNNEL_SLOW=1 skips it all (valgrind).
load helper

SIZE=${RUNNEL_LIMITS_SIZE:-256M}

setup() {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	# Sanitizer builds reserve terabytes of address space up front.
	if ! (ulimit -v 65536 && printer < /dev/null) 2>/dev/null; then
		skip "runs only on an uninstrumented build (ulimit -v 65536 refused)"
	fi
	bytes=$(head -c "$SIZE" /dev/zero | wc -c)
	lines=$((bytes / 6))	# of "12345\n": SIZE bytes, give or take 6
}

# limited NAME CMD...: yes 12345 | head -n LINES | CMD | wc -l under the limit
limited() {
	local name=$1
	shift
	[ -x "$RUNNEL_BIN/$name" ] || skip "$name not built"
	run --separate-stderr bash -o pipefail -c \
		'(yes 12345 || :) | head -n "$0" | (ulimit -v 65536 && exec "$@") | wc -l' "$lines" "$@"
	if [ "$status" -ne 0 ] || [ "$output" != "$lines" ] || [ -n "$stderr" ]; then
		echo "# $*: status $status, $output lines (want $lines), stderr '$stderr'"
		return 1
	fi
}

@test "limits: printer -n streams more than its 64 MiB address space" {
	limited printer printer -n
}

@test "limits: power 2 streams more than its 64 MiB address space" {
	limited power power 2
}

@test "limits: match streams more than its 64 MiB address space" {
	limited match match 123
}

@test "limits: broadcast streams more than its 64 MiB address space" {
	limited broadcast broadcast
}

@test "limits: follow --once of stdin streams more than its 64 MiB address space" {
	limited follow follow --once -n +1
}

@test "limits: pipe streams more than its 64 MiB address space" {
	limited pipe pipe 'power 1 | printer'
}
