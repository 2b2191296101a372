#!/usr/bin/env bats
# power: x^EXPONENT per line or per field, exact int64 integers, shortest
# round-trip doubles, --scale/--offset, --invalid modes, files, errors.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "power 2 squares integers and floats, one number a line" {
	run --separate-stderr power 2 <<< $'3\n-4\n2.5\n0\n1e3'
	[ "$status" -eq 0 ]
	[ "$output" = $'9\n16\n6.25\n0\n1e+06' ]
	[ -z "$stderr" ]
}

@test "power is exact up to the int64 boundary, a double past it" {
	run power 2 <<< $'3037000499\n3037000500\n-3037000499'
	[ "$output" = $'9223372030926249001\n9.22337203700025e+18\n9223372030926249001' ]
	run power 63 <<< $'2\n-2'
	[ "$output" = $'9.223372036854776e+18\n-9223372036854775808' ]
	run power 1 <<< $'9223372036854775807\n-9223372036854775808\n9223372036854775808'
	[ "$output" = $'9223372036854775807\n-9223372036854775808\n9.223372036854776e+18' ]
	run power 3 <<< '2097151'
	[ "$output" = "9223358842721533951" ]
	run power 3 <<< '2097152'
	[ "$output" = "9.223372036854776e+18" ]
}

@test "power writes an integer of every length whole, at each power of ten" {
	# power counts an integer's digits before it writes them: 10^k - 1
	# and 10^k on both sides of every count from 1 to 19 digits.
	local k in=0 v
	for k in $(seq 1 18); do
		v=$(printf '1%0*d' "$k" 0)
		in+=$'\n'"$((v - 1))"$'\n'"$v"$'\n-'"$v"
	done
	run --separate-stderr power 1 <<< "$in"
	[ "$status" -eq 0 ]
	[ "$output" = "$in" ]
	[ -z "$stderr" ]
}

@test "power: negative bases with odd and even exponents" {
	run power 3 <<< $'-2\n-1'
	[ "$output" = $'-8\n-1' ]
	run power 4 <<< $'-2\n-1'
	[ "$output" = $'16\n1' ]
	run power -3 <<< '-2'
	[ "$output" = "-0.125" ]
	run power 2.0 <<< '-3'
	[ "$output" = "9" ]
}

@test "power: 0^0 is 1, 0^-1 is inf, x^0 is 1" {
	run power 0 <<< $'0\n5\n-7\n2.5'
	[ "$output" = $'1\n1\n1\n1' ]
	run power -1 <<< $'0\n-0.0\n4'
	[ "$output" = $'inf\n-inf\n0.25' ]
}

@test "power -1 and -0.5: a negative EXPONENT is taken as it is written" {
	run power -1 <<< '8'
	[ "$output" = "0.125" ]
	run power -f 2 -0.5 <<< 'a 4'
	[ "$output" = "a 0.5" ]
	run power --scale 2 -1 <<< '8'
	[ "$output" = "0.25" ]
	run power -- -1 <<< '2'
	[ "$output" = "0.5" ]
	run power 0.5 <<< $'16\n2'
	[ "$output" = $'4\n1.4142135623730951' ]
}

@test "power: a negative base with a fractional exponent gives nan and a warning" {
	run --separate-stderr power 0.5 <<< $'4\n-4\n9'
	[ "$status" -eq 0 ]
	[ "$output" = $'2\nnan\n3' ]
	[ "$stderr" = "power: (standard input):2: negative base with fractional exponent gives nan" ]
	run --separate-stderr power 0.5 <<< $'nan\n-inf\ninf'
	[ "$output" = $'nan\ninf\ninf' ]
	[ -z "$stderr" ]
	run --separate-stderr power nan <<< $'-2\n1'
	[ "$output" = $'nan\n1' ]
	[ -z "$stderr" ]
	run --separate-stderr power inf <<< $'-2\n0.5'
	[ "$output" = $'inf\n0' ]
	[ -z "$stderr" ]
}

@test "power: huge and tiny magnitudes, inf and nan" {
	run power 2 <<< $'1e200\n1e-200\n1e154\n-1e300\ninf\n-inf\nnan\nNaN\n-Infinity'
	[ "$output" = $'inf\n0\n1e+308\ninf\ninf\ninf\nnan\nnan\ninf' ]
	run power -1 <<< $'1e-310\n3'
	[ "$output" = $'inf\n0.3333333333333333' ]
	run power 1 <<< $'99999999999999999999\n0.1\n1000.0\n5e-324'
	[ "$output" = $'1e+20\n0.1\n1e+03\n5e-324' ]
}

@test "power: blanks and CR around a number are allowed" {
	printf ' 3 \n\t-2\t\n5\r\n' | power 2 > "$T/out"
	printf '9\n4\n25\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power --offset and --scale: A*x^E + B, exact while it fits" {
	run power 2 --offset 1 <<< $'3\n-2'
	[ "$output" = $'10\n5' ]
	run power 2 --scale -2 --offset=0.5 <<< '3'
	[ "$output" = "-17.5" ]
	run power 1 --scale 2 <<< '4611686018427387904'
	[ "$output" = "9.223372036854776e+18" ]
	run power 1 --offset 1 <<< '9223372036854775807'
	[ "$output" = "9.223372036854776e+18" ]
	run power 1 --offset -1 <<< '9223372036854775807'
	[ "$output" = "9223372036854775806" ]
	run power 2 --scale 1e3 <<< '2'
	[ "$output" = "4e+03" ]
}

@test "power -f N changes only field N, every other byte stays" {
	printf 'a  b\t 7  c  \r\n  x 12 5\n' > "$T/in"
	power -f 3 2 "$T/in" > "$T/out"
	printf 'a  b\t 49  c  \r\n  x 12 25\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
	power -f 2 2 --invalid=pass "$T/in" > "$T/out"
	printf 'a  b\t 7  c  \r\n  x 144 5\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power -f on the last field of a CRLF line keeps the CR" {
	printf 'x 3\r\ny 4\r\n' | power -f 2 2 > "$T/out"
	printf 'x 9\r\ny 16\r\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power -d CHAR splits as cut does; blanks inside the field stay" {
	printf 'a,, 5 ,x\n,,2\n' | power -d , -f 3 3 > "$T/out"
	printf 'a,, 125 ,x\n,,8\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power -f: a line with too few fields is invalid" {
	run --separate-stderr power -f 3 2 <<< $'a b 2\na b\nc d 3'
	[ "$status" -eq 2 ]
	[ "$output" = $'a b 4\nc d 9' ]
	[ "$stderr" = "power: (standard input):2: no field 3 in 'a b'" ]
}

@test "power on an access log's bytes column: pass keeps the '-' lines" {
	printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 12 "-"\n5.6.7.8 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 304 - "-"\n' > "$T/in"
	power 2 -f 10 --invalid=pass "$T/in" > "$T/out"
	printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 144 "-"\n5.6.7.8 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 304 - "-"\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power --invalid=warn (default) names file and line, skips, exits 2" {
	printf '2\nabc\n\n3\n' > "$T/in"
	run --separate-stderr power 2 "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = $'4\n9' ]
	[ "$stderr" = "power: $T/in:2: invalid number 'abc'
power: $T/in:3: invalid number ''" ]
	run --separate-stderr power --invalid=warn 2 <<< $'1\n0x10\n1,5\n1_000'
	[ "$status" -eq 2 ]
	[ "$output" = "1" ]
	[ "$stderr" = "power: (standard input):2: invalid number '0x10'
power: (standard input):3: invalid number '1,5'
power: (standard input):4: invalid number '1_000'" ]
}

@test "power warn quotes control bytes and cuts the text at 40 bytes" {
	printf 'a\001b\n%s\n' "$(printf 'x%.0s' $(seq 50))" > "$T/in"
	run --separate-stderr power 2 "$T/in"
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: $T/in:1: invalid number 'a\\x01b'
power: $T/in:2: invalid number 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'" ]
}

# The first 10 warnings named, then one line with how many more.
warnings() {
	local i
	for ((i = $1; i <= $2; i++)); do
		echo "power: $3:$i: invalid number '${i}x'"
	done
}

@test "power --invalid=warn names the first 10 bad lines, then counts the rest" {
	seq 1 7303 | sed 's/$/x/' > "$T/in"
	run --separate-stderr power 2 "$T/in"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "$(warnings 1 10 "$T/in")
power: 7293 more warnings not shown" ]
	# exactly 10: no count; 11: one more
	run --separate-stderr power 2 < <(seq 1 10 | sed 's/$/x/')
	[ "$status" -eq 2 ]
	[ "$stderr" = "$(warnings 1 10 '(standard input)')" ]
	run --separate-stderr power 2 < <(seq 1 11 | sed 's/$/x/')
	[ "$stderr" = "$(warnings 1 10 '(standard input)')
power: 1 more warnings not shown" ]
}

@test "power: the warnings' limit counts over all FILEs, nan warnings too" {
	seq 1 6 | sed 's/$/x/' > "$T/a"
	printf -- '-4\n-9\n' > "$T/b"
	seq 7 12 | sed 's/$/x/' > "$T/c"
	run --separate-stderr power 0.5 "$T/a" "$T/b" "$T/c"
	[ "$status" -eq 2 ]
	[ "$output" = $'nan\nnan' ]
	[ "$stderr" = "$(warnings 1 6 "$T/a")
power: $T/b:1: negative base with fractional exponent gives nan
power: $T/b:2: negative base with fractional exponent gives nan
power: $T/c:1: invalid number '7x'
power: $T/c:2: invalid number '8x'
power: 4 more warnings not shown" ]
}

@test "pipe: power's warnings limited word for word as the executable" {
	seq 1 30 | sed 's/$/x/' > "$T/in"
	run --separate-stderr pipe "power 2 $T/in | printer"
	[ "$status" -eq 2 ]
	[ "$stderr" = "$(warnings 1 10 "$T/in")
power: 20 more warnings not shown" ]
}

@test "power --invalid=skip drops bad lines silently, exit 0" {
	run --separate-stderr power --invalid=skip 2 <<< $'2\nx\n3'
	[ "$status" -eq 0 ]
	[ "$output" = $'4\n9' ]
	[ -z "$stderr" ]
}

@test "power --invalid=pass writes bad lines unchanged, with a newline" {
	printf '2\n-\nx y\n3' | power --invalid=pass 2 > "$T/out"
	printf '4\n-\nx y\n9\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power --invalid=fail stops at the first bad line, exit 2" {
	run --separate-stderr power --invalid=fail 2 <<< $'2\nx\n3\ny'
	[ "$status" -eq 2 ]
	[ "$output" = "4" ]
	[ "$stderr" = "power: (standard input):2: invalid number 'x'" ]
}

@test "power --invalid=fail writes everything before the bad line, even a lot" {
	{ seq 100000; echo bad; seq 5; } > "$T/in"
	run --separate-stderr power --invalid=fail 1 "$T/in"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 100000 ]
	[ "${lines[99999]}" = "100000" ]
	[ "$stderr" = "power: $T/in:100001: invalid number 'bad'" ]
}

@test "power: several FILEs, a missing one reported, the rest processed" {
	printf '1\n2' > "$T/a"; printf 'x\n3\n' > "$T/b"
	run --separate-stderr power 2 "$T/a" "$T/missing" - "$T/b" <<< '4'
	[ "$status" -eq 2 ]
	[ "$output" = $'1\n4\n16\n9' ]
	[ "$stderr" = "power: $T/missing: No such file or directory
power: $T/b:1: invalid number 'x'" ]
}

@test "power: each FILE's last line ends at its file, and gets a newline" {
	printf '2' > "$T/a"; printf '3' > "$T/b"
	power 2 "$T/a" "$T/b" > "$T/out"
	printf '4\n9\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "power on empty input writes nothing" {
	run --separate-stderr power 2 < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "power: option and operand errors, exact messages, exit 2 before input" {
	run --separate-stderr power
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: missing exponent
Try 'power --help' for more information." ]
	run --separate-stderr power 2x /nonexistent
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: invalid exponent '2x'
Try 'power --help' for more information." ]
	run --separate-stderr power 0x10
	[ "$stderr" = "power: invalid exponent '0x10'
Try 'power --help' for more information." ]
	run --separate-stderr power --invalid=maybe 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: invalid mode 'maybe' for --invalid
power: valid modes are warn, skip, pass, fail
Try 'power --help' for more information." ]
	run --separate-stderr power --scale=two 2
	[ "$stderr" = "power: invalid number 'two' for --scale
Try 'power --help' for more information." ]
	run --separate-stderr power --offset 1,5 2
	[ "${stderr%%$'\n'*}" = "power: invalid number '1,5' for --offset" ]
	run --separate-stderr power -f 0 2
	[ "${stderr%%$'\n'*}" = "power: invalid field number '0' for -f" ]
	run --separate-stderr power -d ab -f 1 2
	[ "${stderr%%$'\n'*}" = "power: invalid single-byte delimiter 'ab' for -d" ]
	run --separate-stderr power --bogus 2
	[ "$stderr" = "power: unrecognized option '--bogus'
Try 'power --help' for more information." ]
	run --separate-stderr power 2 -x
	[ "$stderr" = "power: invalid option -- 'x'
Try 'power --help' for more information." ]
	run --separate-stderr power 2 --scale
	[ "$stderr" = "power: option '--scale' requires an argument
Try 'power --help' for more information." ]
	[ -z "$output" ]
}

@test "power --help and --version" {
	run --separate-stderr power --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: power [OPTION]... EXPONENT [FILE]..." ]]
	run power --version
	[ "$status" -eq 0 ]
	[ "$output" = "power (runnel) 0.1.0" ]
}

@test "power: the locale never changes the number syntax or format" {
	printf '2.5\n1,5\n1e3\n0.1\n' > "$T/in"
	power --invalid=pass 2 "$T/in" > "$T/c"
	LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 power --invalid=pass 2 "$T/in" > "$T/de"
	assert_same_bytes "$T/de" "$T/c"
	printf '6.25\n1,5\n1e+06\n0.010000000000000002\n' > "$T/want"
	assert_same_bytes "$T/c" "$T/want"
}

@test "power | head -1 returns at once with status 0" {
	seq 1000000 > "$T/in"
	run --separate-stderr bash -o pipefail -c "power 2 '$T/in' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
	[ -z "$stderr" ]
}

@test "power agrees with python3 on 100,000 random numbers" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "too slow under valgrind"
	if ! command -v python3 > /dev/null; then
		skip "python3 not installed: differential check left out"
	fi
	py=$BATS_TEST_DIRNAME/power_diff.py
	python3 "$py" gen 100000 20261124 > "$T/nums"
	for e in 2 3 -1 0.5 0 7; do
		python3 "$py" expect "$e" < "$T/nums" > "$T/want"
		power -- "$e" "$T/nums" > "$T/out" 2> /dev/null
		assert_same_bytes "$T/out" "$T/want"
	done
	python3 "$py" expect 2 3 -7 < "$T/nums" > "$T/want"
	power 2 --scale 3 --offset -7 "$T/nums" > "$T/out"
	assert_same_bytes "$T/out" "$T/want"
}
