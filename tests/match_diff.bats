#!/usr/bin/env bats
# match against GNU grep -a -P (grep -a -F for -F): identical stdout,
# stderr (program name aside) and exit status over a generated log, for a
# table of patterns x option sets.

load helper

setup_file() {
	D=$BATS_FILE_TMPDIR
	"$BATS_TEST_DIRNAME/data/gen-access-log" 2000 7 > "$D/log"
	"$BATS_TEST_DIRNAME/data/gen-access-log" 300 3 > "$D/log2"
	printf 'x\0y favicon\r\nabc\n\xff\xfe favicon\n\nlast favicon' >> "$D/log2"
}

# compare OPTIONS... -- FILES...: runs both, reports the first difference
compare_grep() {
	local g=$1; shift
	local -a opts=() files=()
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift; files=("$@")
	local D=$BATS_FILE_TMPDIR
	(cd "$D" && grep -a $g "${opts[@]}" "${files[@]}" > "$D/g.out" \
	    2> "$D/g.err"; echo $? > "$D/g.rc")
	[ "$g" = -F ] && opts=(-F "${opts[@]}")
	(cd "$D" && match "${opts[@]}" "${files[@]}" > "$D/m.out" \
	    2> "$D/m.err"; echo $? > "$D/m.rc")
	sed -i 's/^grep:/match:/' "$D/g.err"
	if ! cmp -s "$D/g.out" "$D/m.out" || ! cmp -s "$D/g.rc" "$D/m.rc" ||
	    ! cmp -s "$D/g.err" "$D/m.err"; then
		echo "differs: match ${opts[*]} ${files[*]}"
		diff "$D/g.out" "$D/m.out" | head -5
		echo "rc grep=$(cat "$D/g.rc") match=$(cat "$D/m.rc")"
		return 1
	fi
}

PATS=('favicon' 'GET /[a-z]+/[^ ]*\.pdf HTTP/1\.[01]" 200' '\s404\s\d+$'
    'mozilla|python' '^' '' '\d+$' 'x*' '[^a]' '\s' '(?<=GET )/ply'
    '\bcurl\b' '\z' 'html\s*$' '^$')
OPTS=('' '-v' '-c' '-i' '-w' '-x' '-n' '-b' '-o' '-c -v' '-n -A2'
    '-n -B3' '-m3 -A2' '-v -m4 -B1' '-l' '-L' '-q' '-o -b'
    '--color=always -n -H' '-v --color=always' '-o -i --color=always'
    '-A0' '-b -v -n' '-m2 -C2 -n' '-B2 -o' '-h')

run_table() {
	local n=0 p o
	for p in "${PATS[@]}"; do
		for o in "${OPTS[@]}"; do
			# shellcheck disable=SC2086
			compare_grep -P $o -e "$p" -- "$@" || n=$((n + 1))
		done
	done
	[ "$n" -eq 0 ]
}

@test "match equals grep -a -P on one file, C locale" {
	run_table log
}

@test "match equals grep -a -P on two files, one with NUL, CR, bad UTF-8" {
	PATS=('favicon' '\s404\s\d+$' 'mozilla|python' '' '\d+$' '[^a]'
	    '^$')
	run_table log log2
}

@test "match equals grep -a -P with a missing FILE between two" {
	PATS=('favicon' '\d+$' '^$')
	run_table log2 nofile log
}

@test "match equals grep -a -P in C.UTF-8 on invalid UTF-8" {
	export LC_ALL=C.UTF-8
	PATS=('favicon' '.' '\w+$' '^.{3}' 'FAVICON')
	OPTS=('' '-o' '-i' '-v -c' '-n --color=always' '-o -b')
	run_table log2
}

@test "match -F equals grep -a -F, several strings leftmost-longest" {
	local n=0 o
	for o in '' '-o' '-c' '-i -o' '-w' '-x' '-v -c' '-o -b -n'; do
		# shellcheck disable=SC2086
		compare_grep -F $o -e GET -e 'GET /f' -e 'a.b' -e '"' -e 'ply' \
		    -- log log2 || n=$((n + 1))
		# shellcheck disable=SC2086
		compare_grep -F $o -e 'favicon.ico' -- log || n=$((n + 1))
	done
	[ "$n" -eq 0 ]
}

@test "match equals grep -a -P and -F on digit literals at every offset" {
	# Digit literals have no rare byte, so match looks for two of their
	# bytes 16 places at a time: lines of every length up to 40 put the
	# literal at every offset of a block and across blocks and ends.
	local D=$BATS_FILE_TMPDIR n=0 p
	python3 -c '
import random
r = random.Random(7)
for i in range(3000):
    print("".join(r.choice("0144 ") for _ in range(r.randrange(41))))
' > "$D/digits"
	for p in 404 4044 14 '0 4' 44 41404 '4 4 4' '404\s'; do
		compare_grep -P -c -e "$p" -- digits || n=$((n + 1))
		compare_grep -P -o -b -e "$p" -- digits || n=$((n + 1))
	done
	for p in 404 4044 '0 4' 44; do
		compare_grep -F -n -e "$p" -- digits || n=$((n + 1))
	done
	[ "$n" -eq 0 ]
}

@test "match equals grep -a -P where '{' opens no quantifier (a literal)" {
	# The required-literal scan once read "d{|..." as bounds up to the
	# end and lost the '|': found by fuzz_match.
	PATS=('Qd{|\d+$' 'favicon{|404' 'GET{ab|POST' 'x{2,}|200' 'a{1,3}cd|\s404\s'
	    'T{,2}P' '{|mozilla')
	OPTS=('' '-c' '-v -c' '-o' '-n')
	run_table log
}

@test "match equals grep -a -P and -F on a literal in runs of lines of every length" {
	# A pattern that is its literal is searched 64 bytes at a time with
	# masks for the line ends and the literal's places: runs of hit
	# lines (dense and sparse stretches), lines from 0 to 300 bytes so
	# that lines and literals cross blocks, a literal split by a '\n',
	# and batches over 128 KiB; then the same with no final newline.
	local D=$BATS_FILE_TMPDIR n=0 p o
	python3 -c '
import random
r = random.Random(11)
lits = ["GET", "favicon", "x", "ab", "abcdefghijkl"]
out = []
for i in range(12000):
    dense = (i // 500) % 2 == 0
    line = "".join(r.choice("abcx GETfavicon") for _ in range(r.choice([0, 1, 5, 30, 63, 64, 65, 84, 127, 300])))
    if r.random() < (0.9 if dense else 0.05):
        k = r.randrange(len(line) + 1)
        line = line[:k] + r.choice(lits) + line[k:]
    if r.random() < 0.01:
        line += "GE\nT favico\nn abcdefghijk\nl"
    out.append(line)
out += ["x GET favicon ab abcdefghijkl x"] * 2
print("\n".join(out))
' > "$D/runs"
	head -c -1 "$D/runs" > "$D/runs-nonl"
	for p in GET favicon x ab abcdefghijkl; do
		for o in '' -v -c '-v -c' -n '-m 7'; do
			# shellcheck disable=SC2086
			compare_grep -P $o -e "$p" -- runs || n=$((n + 1))
			# shellcheck disable=SC2086
			compare_grep -F $o -e "$p" -- runs-nonl || n=$((n + 1))
		done
	done
	[ "$n" -eq 0 ]
}

@test "match -f FILE whose pattern holds a NUL equals grep -a -P (-F: grep -a -F)" {
	local n=0 o
	D=$BATS_FILE_TMPDIR
	printf 'a\0b\n' > "$D/pnul"
	printf 'a\0b\nzz\n\0\n' > "$D/pnul2"
	printf 'xa\0by\nzz\nab\nq\n\0\n' > "$D/nul.in"
	for o in '' -c -v -o -n '-o -b' -x -w -i; do
		# shellcheck disable=SC2086
		compare_grep -P $o -f pnul -- nul.in log2 || n=$((n + 1))
	done
	for o in '' -c -v -o -i -x -w; do
		# shellcheck disable=SC2086
		compare_grep -F $o -f pnul2 -- nul.in log2 || n=$((n + 1))
		# shellcheck disable=SC2086
		compare_grep -F $o -f pnul -- nul.in || n=$((n + 1))
	done
	[ "$n" -eq 0 ]
}
