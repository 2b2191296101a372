#!/usr/bin/env bats
# pipe against bash -o pipefail over chains drawn from a pool of stage
# texts (a fixed seed, so the same chains every run): stdout bytes,
# status and stderr equal: pipe as it runs by default (a file as input:
# the runs of stages that allow it split over the processors), on one
# thread (--threads=1) and with --threads=3 (three workers).

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	# a log with the odd lines: CRLF, a NUL, a blank, no final newline
	"$BATS_TEST_DIRNAME/data/gen-access-log" 15000 7 > "$T/in"
	printf 'GET /crlf 200 12\r\n\n1 2 3 4 5 6 7 8 9 -3\nbad\0 GET 200\n42' >> "$T/in"
}

# Every stage here either writes no message or writes one whose text
# does not depend on threads.  No broadcast -c: the shell interleaves
# its commands' output as they run.
POOL=(
	'match GET' 'match -v favicon' 'match -i post' 'match -o "[0-9]+"'
	'match -c 200' 'match -e GET -e HEAD' 'match -F .' 'match "^1"'
	'match -w 200' 'match -n 404' 'match -x 42'
	'power 2 -f 10 --invalid=pass' 'power 2 --invalid=skip'
	'power 3 -f 9 --invalid=pass' 'power 0.5 -f 10 --invalid=pass'
	'power 2 -f 10 --invalid=skip --offset 1' 'power 2 -f 10'
	'printer -n' 'printer -p "x: "' 'printer --summary'
	'printer -f 10 --summary=sum,count' 'broadcast'
)

# chains N SEED: N pipelines of 1 to 4 stages, one a line
chains() {
	local n=$1 i k len text
	RANDOM=$2
	for ((i = 0; i < n; i++)); do
		len=$((RANDOM % 4 + 1))
		text=
		for ((k = 0; k < len; k++)); do
			text+="${text:+ | }${POOL[RANDOM % ${#POOL[@]}]}"
		done
		echo "$text"
	done
}

# one TEXT: pipe, pipe --threads=1, pipe --threads=3 and bash agree on
# TEXT over $T/in
one() {
	local ps pt pb p1
	set +e
	bash -o pipefail -c "$1" < "$T/in" > "$T/bash.out" 2> "$T/bash.err"
	pb=$?
	pipe "$1" < "$T/in" > "$T/pipe.out" 2> "$T/pipe.err"
	ps=$?
	pipe --threads=3 "$1" < "$T/in" > "$T/thr.out" 2> "$T/thr.err"
	pt=$?
	pipe --threads=1 "$1" < "$T/in" > "$T/one.out" 2> "$T/one.err"
	p1=$?
	set -e
	if ! cmp -s "$T/pipe.out" "$T/bash.out" || [ "$ps" -ne "$pb" ] ||
	    ! cmp -s "$T/one.out" "$T/bash.out" || [ "$p1" -ne "$pb" ] ||
	    ! cmp -s "$T/one.err" "$T/bash.err" ||
	    ! cmp -s "$T/thr.out" "$T/bash.out" || [ "$pt" -ne "$pb" ] ||
	    ! diff -q <(sort "$T/bash.err") <(sort "$T/pipe.err") >/dev/null ||
	    ! diff -q <(sort "$T/bash.err") <(sort "$T/thr.err") >/dev/null; then
		echo "# differs: $1 (status bash $pb, pipe $ps, --threads=3 $pt, --threads=1 $p1)"
		diff "$T/bash.out" "$T/pipe.out" | head -5
		diff "$T/bash.err" "$T/pipe.err" | head -5
		return 1
	fi
}

# some N SEED: N chains, each checked; all are tried, failures listed
some() {
	local text bad=0
	[ -x "$RUNNEL_BIN/pipe" ] || skip "pipe not built"
	while IFS= read -r text; do
		one "$text" || bad=$((bad + 1))
	done < <(chains "$1" "$2")
	[ "$bad" -eq 0 ]
}

@test "pipe random chains (seed 1): equal to bash, with and without threads" {
	some 20 1
}

@test "pipe random chains (seed 2): equal to bash, with and without threads" {
	some 20 2
}

@test "pipe random chains (seed 3): equal to bash, with and without threads" {
	some 20 3
}

@test "pipe random chains: the pool's stages each differ from cat, so a dropped stage shows" {
	local s
	[ -x "$RUNNEL_BIN/pipe" ] || skip "pipe not built"
	for s in "${POOL[@]}"; do
		[ "$s" = broadcast ] && continue
		pipe "$s" < "$T/in" > "$T/out" 2>/dev/null || true
		if cmp -s "$T/out" "$T/in"; then
			echo "# $s passes its input unchanged"
			return 1
		fi
	done
}
