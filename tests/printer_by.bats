#!/usr/bin/env bats
# printer --by, --top, the statistics stddev, pNN and rate, and --json:
# exact bytes, and differential runs against datamash, sort | uniq -c
# and a nearest-rank percentile by sort and awk.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	GEN=$BATS_TEST_DIRNAME/data/gen-access-log
}

# same ARGS...: printer and pipe 'printer ARGS' write the same bytes and
# status on $T/in (stdin), and that is printer's.
same_in_pipe() {
	local words="" a st1 st2
	for a in "$@"; do
		words+=" '${a//\'/\'\\\'\'}'"
	done
	printer "$@" < "$T/in" > "$T/exe.out" 2> "$T/exe.err" && st1=0 || st1=$?
	pipe "printer$words" < "$T/in" > "$T/pipe.out" 2> "$T/pipe.err" &&
	    st2=0 || st2=$?
	assert_same_bytes "$T/pipe.out" "$T/exe.out"
	[ "$st1" -eq "$st2" ]
	cmp -s "$T/exe.err" "$T/pipe.err"
}

@test "printer --by counts lines a key: most first, ties by key bytes" {
	run --separate-stderr printer -q --by 1 <<< $'b\na\nc x\na\nb\nd\nc'
	[ "$status" -eq 0 ]
	[ "$output" = $'f1=a count=2\nf1=b count=2\nf1=c count=2\nf1=d count=1' ]
	[ -z "$stderr" ]
}

@test "printer --by implies --summary: the lines, then the groups" {
	run printer --by 2 <<< $'x 1\ny 2\nz 1'
	[ "$output" = $'x 1\ny 2\nz 1\nf2=1 count=2\nf2=2 count=1' ]
	printf 'a 1\nb 1' | printer --by 2 > "$T/out"
	printf 'a 1\nb 1\nf2=1 count=2\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer --by: a line without the field is the empty key" {
	run printer -q --by 2 <<< $'a 1\nb\n\nc 1\nd 2'
	[ "$output" = $'f2= count=2\nf2=1 count=2\nf2=2 count=1' ]
	run printer -q --by 2 -d , <<< $'a,1\nb\nc,,x\nd,'
	[ "$output" = $'f2= count=3\nf2=1 count=1' ]
}

@test "printer --by SPEC,SPEC: one pair a field, in SPEC order" {
	run printer -q --by 2,1 <<< $'a x\nb x\na y\na x\nb y\nb x'
	[ "$output" = $'f2=x f1=a count=2\nf2=x f1=b count=2\nf2=y f1=a count=1\nf2=y f1=b count=1' ]
	# a field's bytes are never mistaken for the next field's
	run printer -q --by 1,2 -d , <<< $'ab,c\na,bc\nab,c'
	[ "$output" = $'f1=ab f2=c count=2\nf1=a f2=bc count=1' ]
}

@test "printer --by with -f: the statistics of the field's numbers" {
	run --separate-stderr printer -q --by 1 -f 2 <<< $'a 3\nb 10\na 5\na x\nc -\nb 20\na 1'
	[ "$status" -eq 0 ]
	[ "$output" = $'f1=a count=3 sum=9 min=1 max=5 mean=3\nf1=b count=2 sum=30 min=10 max=20 mean=15' ]
	run printer -q --by 1 -f 2 --summary=sum,count <<< $'a 1.5\na 2'
	[ "$output" = "f1=a sum=3.5 count=2" ]
}

@test "printer --top N writes the first N groups" {
	printf '%s\n' a b b c c c d d d d e > "$T/in"
	run printer -q --by 1 --top 2 "$T/in"
	[ "$output" = $'f1=d count=4\nf1=c count=3' ]
	run printer -q --by 1 --top=0 "$T/in"
	[ -z "$output" ]
	run printer -q --by 1 --top 99 "$T/in"
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[4]}" = "f1=e count=1" ]
	# ties cut by key bytes, as without --top
	run printer -q --by 1 --top 3 <<< $'z\ny\nx\nw\nv'
	[ "$output" = $'f1=v count=1\nf1=w count=1\nf1=x count=1' ]
}

@test "printer stddev is the sample standard deviation, nan below 2 values" {
	run printer -q --summary=count,stddev <<< $'2\n4\n4\n4\n5\n5\n7\n9'
	[ "$output" = "count=8 stddev=2.138089935299395" ]
	run printer -q --summary=stddev <<< '5'
	[ "$output" = "stddev=nan" ]
}

@test "printer pNN is the nearest rank: least value with NN% at or below" {
	seq 100 | awk '{print (($1 * 37) % 100) + 1}' > "$T/in"
	run printer -q --summary=p0,p1,p7,p50,p57,p99,p99.5,p100 "$T/in"
	[ "$output" = "p0=1 p1=1 p7=7 p50=50 p57=57 p99=99 p99.5=100 p100=100" ]
	run printer -q --summary=p50,p25,p75,count <<< $'2.5\n-1\nnan\n7'
	[ "$output" = "p50=2.5 p25=-1 p75=7 count=4" ]
	run printer -q --summary=p50 < /dev/null
	[ "$output" = "p50=nan" ]
	run printer -q --summary=p50 <<< $'9223372036854775807\n9223372036854775806'
	[ "$output" = "p50=9223372036854775806" ]
}

@test "printer percentiles stay exact to 1,000,000 values, then ~" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	seq 1000000 > "$T/in"
	run printer -q --summary=count,p50,p100 "$T/in"
	[ "$output" = "count=1000000 p50=500000 p100=1000000" ]
	echo 1000001 >> "$T/in"
	run printer -q --summary=count,p0,p100,max "$T/in"
	[ "$output" = "count=1000001 p0=~1 p100=~1000001 max=1000001" ]
	run printer -q --summary=p50 --json "$T/in"
	[[ "$output" =~ ^\{\"p50~\":[0-9]+\}$ ]]
	# the budget is for all groups together
	awk '{print ($1 % 2 ? "odd " : "even ") $1}' "$T/in" > "$T/g"
	run printer -q --by 1 -f 2 --summary=count,p100 "$T/g"
	[ "$output" = $'f1=odd count=500001 p100=~1000001\nf1=even count=500000 p100=~1000000' ]
}

@test "printer percentiles against sort and awk, exact per group" {
	awk 'BEGIN { srand(3); for (i = 0; i < 20000; i++)
	    printf "%s %d\n", (rand() < 0.3 ? "a" : "b"), int(rand() * rand() * 100000) }' > "$T/in"
	printer -q --by 1 -f 2 --summary=count,p0,p1,p7,p50,p90,p99,p99.9,p100 "$T/in" > "$T/got"
	for g in b a; do
		awk -v g=$g '$1 == g { print $2 }' "$T/in" | sort -n | awk -v g=$g '
		function rank(num, den,  r) {
			r = int((NR * num + 100 * den - 1) / (100 * den))
			return v[r < 1 ? 1 : r]
		}
		{ v[NR] = $1 }
		END {
			printf "f1=%s count=%d p0=%s p1=%s p7=%s p50=%s p90=%s p99=%s p99.9=%s p100=%s\n",
			    g, NR, rank(0, 1), rank(1, 1), rank(7, 1), rank(50, 1),
			    rank(90, 1), rank(99, 1), rank(999, 10), rank(100, 1)
		}'
	done > "$T/want"
	assert_same_bytes "$T/got" "$T/want"
}

@test "printer percentiles past 1,000,000 values are within 1% of sort and awk" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	# skewed: most values small, a long tail; two groups
	awk 'BEGIN { srand(5); for (i = 0; i < 1200000; i++)
	    printf "%s %d\n", (i % 3 ? "x" : "y"), int(exp(rand() * 12)) }' > "$T/in"
	printer -q --by 1 -f 2 --summary=p1,p10,p50,p90,p99,p99.9 "$T/in" > "$T/got"
	for g in x y; do
		awk -v g=$g '$1 == g { print $2 }' "$T/in" | sort -n | awk '
		function rank(num, den,  r) {
			r = int((NR * num + 100 * den - 1) / (100 * den))
			return v[r < 1 ? 1 : r]
		}
		{ v[NR] = $1 }
		END {
			print rank(1, 1), rank(10, 1), rank(50, 1), rank(90, 1),
			    rank(99, 1), rank(999, 10)
		}'
	done > "$T/want"
	# every value approximate, each within 1% of the exact one
	sed 's/f1=[xy] //; s/p[0-9.]*=~//g' "$T/got" > "$T/got.v"
	[ "$(grep -c '=~' "$T/got")" -eq 2 ]
	paste -d ' ' "$T/got.v" "$T/want" | awk '{
		for (i = 1; i <= 6; i++) {
			e = $i - $(i + 6); if (e < 0) e = -e
			if (e > 0.01 * $(i + 6)) { print "off: " $0; bad = 1 }
		}
	} END { exit bad }'
}

@test "printer rate: count per second since the first line" {
	run printer -q --summary=count,rate <<< $'1\n2'
	[[ "$output" =~ ^count=2\ rate=[0-9.e+]+$ ]]
	run printer -q --by 1 --summary=rate,count < /dev/null
	[ -z "$output" ]
	run printer -q --summary=rate < /dev/null
	[ "$output" = "rate=0" ]
}

@test "printer --json: one object a summary line" {
	run printer -q --json <<< $'1\n2'
	[ "$output" = '{"count":2,"sum":3,"min":1,"max":2,"mean":1.5}' ]
	run printer -q --json < /dev/null
	[ "$output" = '{"count":0,"sum":0,"min":null,"max":null,"mean":null}' ]
	run printer -q --json --by 2 -f 1 --summary=count,p50,stddev <<< $'3 a\n4 a\n5 b'
	[ "$output" = $'{"f2":"a","count":2,"p50":3,"stddev":0.7071067811865476}\n{"f2":"b","count":1,"p50":5,"stddev":null}' ]
}

@test "printer --json keys are valid JSON strings whatever their bytes" {
	printf 'a"b 1\n\\ 2\n\001x 3\n\377\376 4\nok\t5\n\303\251 6\n\355\240\200 7\n' > "$T/in"
	printer -q --json --by 1 -f 2 --summary=count "$T/in" > "$T/out"
	printf '%s\n' '{"f1":"\u0001x","count":1}' '{"f1":"\\","count":1}' \
	    '{"f1":"a\"b","count":1}' '{"f1":"ok","count":1}' \
	    '{"f1":"é","count":1}' '{"f1":"���","count":1}' \
	    '{"f1":"��","count":1}' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	printf 'a\tb\r\x1f 1\n' | printer -q --json --by 1 -d ' ' > "$T/out"
	printf '{"f1":"a\\tb\\r\\u001f","count":1}\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer --by against sort | uniq -c | sort -rn on an access log" {
	"$GEN" 20000 3 > "$T/log"
	for f in 9 1 7; do
		awk -v f=$f '{ print $f }' "$T/log" | sort | uniq -c | sort -s -rn |
		    awk -v f=$f '{ printf "f%d=%s count=%d\n", f, $2, $1 }' > "$T/want"
		printer -q --by $f "$T/log" > "$T/got"
		assert_same_bytes "$T/got" "$T/want"
		head -10 "$T/want" > "$T/want10"
		printer -q --by $f --top 10 "$T/log" > "$T/got"
		assert_same_bytes "$T/got" "$T/want10"
	done
}

@test "printer --by against sort | uniq -c on keys of any bytes" {
	# the empty key, blanks, CR, NUL and invalid UTF-8 inside keys
	{
		printf 'x\t1\n\t2\nkey with spaces\t3\na\0b\t4\n\377\376\t5\n'
		printf 'cr\r\t6\n\t7\na\0b\t8\na\0c\t9\nno tab\n\n'
		printf '\377\376\t10\nx\t11\n\t12\n\303\251\t13\n'
	} > "$T/in"
	cut -f1 "$T/in" | sort | uniq -c | sort -s -rn |
	    sed -E 's/^ *([0-9]+) (.*)$/f1=\2 count=\1/' > "$T/want"
	printer -q --by 1 -d $'\t' "$T/in" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	[ "$(head -c 12 "$T/got")" = "f1= count=4" ]
}

@test "printer --by: 100,000 distinct keys against sort | uniq -c" {
	awk 'BEGIN { srand(9); for (j = 0; j < 100000; j++)
	    for (r = 0; r <= j % 5; r++) print rand() "\tk" (j * 7919 % 100003) }' |
	    sort | cut -f2 > "$T/in"
	sort "$T/in" | uniq -c | sort -s -rn |
	    awk '{ printf "f1=%s count=%d\n", $2, $1 }' > "$T/want"
	printer -q --by 1 "$T/in" > "$T/got"
	[ "$(wc -l < "$T/got")" -eq 100000 ]
	assert_same_bytes "$T/got" "$T/want"
	head -7 "$T/want" > "$T/want7"
	printer -q --by 1 --top 7 "$T/in" > "$T/got"
	assert_same_bytes "$T/got" "$T/want7"
}

@test "printer --by -f against datamash -s -g: count sum min max mean sstdev" {
	command -v datamash > /dev/null || skip "datamash not installed"
	"$GEN" 20000 5 | awk '$10 ~ /^[0-9]+$/' > "$T/log"
	# datamash writes 14 digits, printer the shortest exact: compare 10
	datamash -W -s -g 9 count 10 sum 10 min 10 max 10 mean 10 sstdev 10 < "$T/log" |
	    awk '{ printf "%s %s %s %s %s %.10g %.10g\n", $1, $2, $3, $4, $5, $6, $7 }' > "$T/want"
	printer -q --by 9 -f 10 --summary=count,sum,min,max,mean,stddev "$T/log" |
	    sed 's/[a-z0-9]*=//g' | sort |
	    awk '{ printf "%s %s %s %s %s %.10g %.10g\n", $1, $2, $3, $4, $5, $6, $7 }' > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	# two keys, cut-style fields, fractions (a double is written in the
	# shortest form that reads back: 1910.00 is 1.91e+03)
	awk '{ printf "%s,%s,%s.%02d\n", $9, $6, $10, NR % 100 }' "$T/log" > "$T/csv"
	datamash -t , -s -g 1,2 count 3 sum 3 min 3 max 3 mean 3 sstdev 3 < "$T/csv" |
	    awk -F , '{ printf "%s %s %s %.10g %.10g %.10g %.10g %.10g\n", $1, $2, $3, $4, $5, $6, $7, $8 }' > "$T/want"
	printer -q --by 1,2 -d , -f 3 --summary=count,sum,min,max,mean,stddev "$T/csv" |
	    sed 's/[a-z0-9]*=//g' | LC_ALL=C sort |
	    awk '{ printf "%s %s %s %.10g %.10g %.10g %.10g %.10g\n", $1, $2, $3, $4, $5, $6, $7, $8 }' > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
}

@test "printer --by, --top, --json and the new statistics: the same in pipe" {
	"$GEN" 3000 11 > "$T/in"
	same_in_pipe -q --by 9
	same_in_pipe --by 9,6 --top 3
	same_in_pipe -q --by 1 -f 10 --summary=count,sum,stddev,p50,p99.9 --top 5 --json
	same_in_pipe -n --by 9 -f 10
	same_in_pipe -q --summary=count,p50,stddev -f 10
	same_in_pipe -q --by 7,9 --top 4 --json
}

@test "printer SIGUSR1 with --by writes the groups so far to stderr" {
	mkfifo "$T/fifo"
	( printf 'a\nb\na\n'; sleep 10 ) > "$T/fifo" &
	writer=$!
	printer --by 1 < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	wait_for '[ "$(wc -l < "$T/out")" -eq 3 ]' 5
	kill -USR1 $pid
	wait_for '[ "$(wc -l < "$T/err")" -eq 2 ]' 5
	kill -TERM $pid
	wait $pid && st=0 || st=$?
	kill $writer 2>/dev/null || true
	[ "$st" -eq 143 ]
	[ "$(cat "$T/err")" = $'f1=a count=2\nf1=b count=1' ]
	[ "$(cat "$T/out")" = $'a\nb\na\nf1=a count=2\nf1=b count=1' ]
}

@test "printer --by, --top, LIST and SPEC errors name the option, exit 2" {
	run --separate-stderr printer --by status,referer --format common
	[ "$status" -eq 2 ]
	[ "$stderr" = "printer: no field 'referer' in the common format (its names: host ident user time request method path protocol status bytes)
Try 'printer --help' for more information." ]
	run --separate-stderr printer --by 0
	[ "${stderr%%$'\n'*}" = "printer: invalid field number '0' for --by" ]
	run --separate-stderr printer --by=1,,2
	[ "${stderr%$'\n'*}" = "printer: invalid field '' for --by" ]
	run --separate-stderr printer --by 9x --format combined
	[ "${stderr%$'\n'*}" = "printer: no field '9x' in the combined format (its names: host ident user time request method path protocol status bytes referer agent)" ]
	run --separate-stderr printer --by 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
	[ "${stderr%%$'\n'*}" = "printer: too many fields for --by (at most 16)" ]
	run --separate-stderr printer --top 3
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "printer: --top needs --by" ]
	run --separate-stderr printer --by 1 --top -1
	[ "${stderr%%$'\n'*}" = "printer: invalid number '-1' for --top" ]
	run --separate-stderr printer --by 1 --summary=count,sum
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "printer: --summary: 'sum' with --by needs -f, the field to take values from" ]
	for l in p101 p p1e2 p.5 p5. px p-1 count,,sum stddev2 p50,p1000000000000000; do
		run --separate-stderr printer -q --summary=$l
		[ "$status" -eq 2 ]
		[ "${stderr%%$'\n'*}" = "printer: invalid summary list '$l' for --summary" ]
	done
	run --separate-stderr pipe 'printer | printer --by x --format combined'
	[ "$status" -eq 2 ]
	[ "${stderr%$'\n'*}" = "pipe: stage 2 (printer): no field 'x' in the combined format (its names: host ident user time request method path protocol status bytes referer agent)" ]
}

@test "printer --by on bad input: no final newline, CRLF, a huge key, a directory, /dev/full, head -1" {
	printf 'a 1\r\nb 2\r\na 3' > "$T/in"
	printer -q --by 1 -f 2 --summary=count,sum "$T/in" > "$T/out"
	printf 'f1=a count=2 sum=4\nf1=b count=1 sum=2\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	# as awk splits: a CR is not a blank, it stays in the last field
	printer -q --by 2 "$T/in" > "$T/out"
	printf 'f2=2\r count=1\nf2=3 count=1\nf2=1\r count=1\n' | sort > "$T/want"
	sort "$T/out" | cmp - "$T/want"
	[ -z "$(printer -q --by 1 < /dev/null)" ]
	[ -z "${RUNNEL_SLOW:-}" ] || return 0
	{ head -c 10000000 /dev/zero | tr '\0' k; printf ' 1\n'; echo 'k 2'; } > "$T/big"
	run printer -q --by 1 -f 2 --summary=sum "$T/big"
	# a shorter key first among equal counts, as sort has it
	[ "${#output}" -eq $((10 + 1 + 3 + 10000000 + 6)) ]
	[ "${output:0:17}" = $'f1=k sum=2\nf1=kkk' ]
	[ "${output: -7}" = "k sum=1" ]
	printf 'a\nb\na\n' > "$T/in"
	run --separate-stderr printer -q --by 1 "$T/in" "$T" "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = $'f1=a count=4\nf1=b count=2' ]
	[ "$stderr" = "printer: $T: Is a directory" ]
	run --separate-stderr bash -c "printer -q --by 1 '$T/in' > /dev/full"
	[ "$status" -eq 2 ]
	[ "$stderr" = "printer: write error: No space left on device" ]
	"$GEN" 20000 2 > "$T/log"
	run bash -o pipefail -c "printer --by 1 '$T/log' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "$(head -1 "$T/log")" ]
}
