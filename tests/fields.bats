#!/usr/bin/env bats
# Fields by name: --format=combined|common|json|logfmt, --parse=REGEX and
# the detection from the first line, in power, printer, broadcast and
# match; exact bytes, status and stderr.  Differential tests against
# jq, awk and perl are in fields_diff.bats.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	GEN=$BATS_TEST_DIRNAME/data
}

# --- power -f NAME -------------------------------------------------------

@test "power -f NAME rewrites a JSON value in place, every other byte kept" {
	run --separate-stderr power -f b 2 <<< $'{"a":"x y",  "b" : 12 ,"c":[1]}\n{"b":"3"}\n{"b":"\\u0034"}'
	[ "$status" -eq 0 ]
	[ "$output" = $'{"a":"x y",  "b" : 144 ,"c":[1]}\n{"b":"9"}\n{"b":"16"}' ]
	[ -z "$stderr" ]
}

@test "power -f a.b descends into nested objects; the last repeated key wins" {
	run --separate-stderr power --format json -f a.b 3 <<< $'{"a":{"b":2},"b":5}\n{"a":{"b":1},"a":{"b":-2}}'
	[ "$status" -eq 0 ]
	[ "$output" = $'{"a":{"b":8},"b":5}\n{"a":{"b":1},"a":{"b":-8}}' ]
}

@test "power -f NAME: a line without the field, or not JSON, is an invalid line" {
	run --separate-stderr power --format json -f n 2 <<< $'{"n":3}\n{"m":3}\nnot json\n{"n":null}\n{"n":4}'
	[ "$status" -eq 2 ]
	[ "$output" = $'{"n":9}\n{"n":16}' ]
	[ "$stderr" = "power: (standard input):2: no field 'n' in '{\"m\":3}'
power: (standard input):3: no field 'n' in 'not json'
power: (standard input):4: invalid number 'null'" ]
	run --separate-stderr power --format json -f n --invalid=pass 2 <<< $'{"m":3}\nnot json\n{"n":2}'
	[ "$status" -eq 0 ]
	[ "$output" = $'{"m":3}\nnot json\n{"n":4}' ]
}

@test "power -f bytes --format combined: quoted fields with blanks and \\\" do not move it" {
	printf '%s\n' '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a b\"c HTTP/1.0" 200 10 "-" "Mozilla (x; y)"' \
	    'h - - [t] "GET / HTTP/1.1" 304 -' > "$T/log"
	run --separate-stderr power --format combined -f bytes --invalid=pass 2 "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a b\"c HTTP/1.0" 200 100 "-" "Mozilla (x; y)"
h - - [t] "GET / HTTP/1.1" 304 -' ]
	# the 10th awk word is the status here, the request holding a blank
	run --separate-stderr power -f 10 --invalid=skip 2 "$T/log"
	[ "$output" = '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a b\"c HTTP/1.0" 40000 10 "-" "Mozilla (x; y)"' ]
}

@test "power -f NAME on logfmt and --parse" {
	run --separate-stderr power -f ms 2 <<< 'level=info ms=12 msg="a b"'
	[ "$output" = 'level=info ms=144 msg="a b"' ]
	run --separate-stderr power --parse 'took (?<ms>\d+)ms(?: (?<n>\d+))?' -f n --invalid=pass 2 <<< $'took 3ms 4\ntook 5ms'
	[ "$status" -eq 0 ]
	[ "$output" = $'took 3ms 16\ntook 5ms' ]
}

@test "power: a number N is the Nth awk word with or without --format" {
	run --separate-stderr power --format json -f 2 2 <<< '{"a": 3 }'
	[ "$status" -eq 0 ]
	[ "$output" = '{"a": 9 }' ]
}

@test "power: the errors of --format, --parse and unknown names" {
	run --separate-stderr power --format xml -f a 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: invalid format 'xml' for --format
power: valid formats for --format are combined, common, json, logfmt
Try 'power --help' for more information." ]
	run --separate-stderr power --format common -f agent 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: no field 'agent' in the common format (its names: host ident user time request method path protocol status bytes)
Try 'power --help' for more information." ]
	run --separate-stderr power --parse '(?<a>x)' -f b 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "power: no group named 'b' in --parse '(?<a>x)'
Try 'power --help' for more information." ]
	run --separate-stderr power --parse 'x(' -f b 2
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "power: invalid pattern 'x(': missing closing parenthesis at offset 2" ]
	run --separate-stderr power --parse 'x' -f b 2
	[ "${stderr%%$'\n'*}" = "power: --parse 'x' has no named group (?<NAME>...)" ]
	run --separate-stderr power --format json --parse '(?<a>x)' -f a 2
	[ "${stderr%%$'\n'*}" = "power: --format and --parse cannot be used together" ]
	run --separate-stderr power -f '' 2
	[ "${stderr%%$'\n'*}" = "power: invalid field '' for -f" ]
}

@test "power -f NAME inside pipe equals the executable" {
	"$GEN/gen-records" json 300 > "$T/j"
	power -f bytes --invalid=pass 2 "$T/j" > "$T/want"
	run --separate-stderr pipe "power -f bytes --invalid=pass 2 $T/j"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	grep -q '"bytes":' "$T/want"
}

# --- printer -f, --by, --time NAME -----------------------------------------

@test "printer -f bytes: the same summary from combined, JSON lines and logfmt" {
	"$GEN/gen-access-log" 2000 > "$T/log"
	"$GEN/gen-records" json 2000 > "$T/json"
	"$GEN/gen-records" logfmt 2000 > "$T/logfmt"
	want=$(awk '$10 != "-" {n++; s += $10} END {print "count=" n " sum=" s}' "$T/log")
	for f in log json logfmt; do
		run --separate-stderr printer -q --summary=count,sum -f bytes "$T/$f"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
		[ -z "$stderr" ]
	done
	run --separate-stderr printer -q --summary=count,sum -f bytes --format combined "$T/log"
	[ "$output" = "$want" ]
	run --separate-stderr printer -q --summary=count,sum -f 10 "$T/log"
	[ "$output" = "$want" ]
}

@test "printer --by NAME,NAME: the same groups in every format, NAME=VALUE" {
	"$GEN/gen-access-log" 3000 7 > "$T/log"
	"$GEN/gen-records" json 3000 7 > "$T/json"
	"$GEN/gen-records" logfmt 3000 7 > "$T/logfmt"
	printer -q --by 9,6 "$T/log" | sed 's/f9=/status=/; s/f6="/method=/' > "$T/want"
	for f in log json logfmt; do
		printer -q --by status,method "$T/$f" > "$T/got"
		assert_same_bytes "$T/got" "$T/want"
	done
	head -3 "$T/want" | grep -q '^status=200 method=GET count='
}

@test "printer --by NAME: a line without the field is the empty key; text unescaped" {
	run --separate-stderr printer -q --by k --format json <<< $'{"k":"a\\"b"}\n{"j":1}\nnot json\n{"k":"a\\u0022b"}'
	[ "$status" -eq 0 ]
	[ "$output" = $'k= count=2\nk=a"b count=2' ]
	run --separate-stderr printer -q --by k --json --format json <<< $'{"k":"a\\"b"}\n{"k":true}'
	[ "$output" = $'{"k":"a\\"b","count":1}\n{"k":"true","count":1}' ]
}

@test "printer -f NAME: lines without a number are printed and left out" {
	run --separate-stderr printer --summary=count,sum -f n <<< $'n=1 a\nn=x\nm=2\nn=2.5'
	[ "$status" -eq 0 ]
	[ "$output" = $'n=1 a\nn=x\nm=2\nn=2.5\ncount=2 sum=3.5' ]
	[ -z "$stderr" ]
}

@test "printer --time NAME: windows by a named time, in JSON and combined" {
	"$GEN/gen-access-log" 500 > "$T/log"
	"$GEN/gen-records" json 500 > "$T/json"
	printer -q --window 1h --time 4 "$T/log" > "$T/want"
	run --separate-stderr printer -q --window 1h --time time "$T/json"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	run --separate-stderr printer -q --window 1h --time time --format combined "$T/log"
	printf '%s\n' "$output" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	run --separate-stderr printer -q --summary=count --window 1h --time t <<< $'{"t":"2026-12-02T06:15:00Z"}\n{"t":"x"}\n{"t":"2026-12-02T06:59:59Z"}\n{}'
	[ "$status" -eq 2 ]
	[ "$output" = "window=2026-12-02T06:00:00+0000 count=0" ]
	[ "$stderr" = "printer: line 2: invalid time 'x' in field 't'
printer: line 4: invalid time '' in field 't'" ]
}

# --- broadcast --key NAME ----------------------------------------------------

@test "broadcast --key NAME: the same destinations as --key N, in every format" {
	"$GEN/gen-access-log" 600 3 > "$T/log"
	"$GEN/gen-records" json 600 3 > "$T/json"
	"$GEN/gen-records" logfmt 600 3 > "$T/logfmt"
	broadcast --key 9 "$T/n1" "$T/n2" < "$T/log" > "$T/n0"
	broadcast --key status --format combined "$T/c1" "$T/c2" < "$T/log" > "$T/c0"
	broadcast --key status "$T/j1" "$T/j2" < "$T/json" > "$T/j0"
	broadcast --key status "$T/l1" "$T/l2" < "$T/logfmt" > "$T/l0"
	for i in 0 1 2; do
		cmp "$T/n$i" "$T/c$i"
		[ "$(awk '{print $9}' "$T/n$i" | sort -u)" = "$(jq -r .status "$T/j$i" | sort -u)" ]
		[ "$(awk '{print $9}' "$T/n$i" | sort -u)" = "$(sed 's/.*status=\([0-9]*\).*/\1/' "$T/l$i" | sort -u)" ]
	done
	[ "$(cat "$T"/j? | wc -l)" -eq 600 ]
}

@test "broadcast --key NAME: equal texts meet however escaped; no field is the empty key" {
	printf '%s\n' '{"k":"ab"}' '{"k":"a\u0062"}' '{"k":"\u0061b"}' > "$T/in"
	for i in 1 2 3 4 5 6; do printf '{"k":"v%d"}\n' "$i"; done >> "$T/in"
	broadcast --key k "$T/a" "$T/b" "$T/c" < "$T/in" > "$T/o"
	n=0
	for f in "$T/o" "$T/a" "$T/b" "$T/c"; do
		if grep -q '"ab"' "$f"; then
			grep -q 'a\\u0062' "$f"
			grep -q 'u0061b' "$f"
			n=$((n + 1))
		fi
	done
	[ "$n" -eq 1 ]
	printf 'x\nnot json\n{"j":1}\n' | broadcast --key k --format json "$T/p" "$T/q" > "$T/r"
	n=0; for f in "$T/p" "$T/q" "$T/r"; do [ -s "$f" ] && n=$((n + 1)); done
	[ "$n" -eq 1 ]
	[ "$(cat "$T/p" "$T/q" "$T/r" | wc -l)" -eq 3 ]
}

@test "broadcast --key: errors of names and formats, and inside pipe" {
	run --separate-stderr broadcast --key agent --format common
	[ "$status" -eq 2 ]
	[ "$stderr" = "broadcast: no field 'agent' in the common format (its names: host ident user time request method path protocol status bytes)
Try 'broadcast --help' for more information." ]
	run --separate-stderr broadcast --key 0
	[ "${stderr%%$'\n'*}" = "broadcast: invalid field number '0' for --key" ]
	run --separate-stderr pipe "broadcast --key k --parse '(?<j>x)'"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "pipe: stage 1 (broadcast): no group named 'k' in --parse '(?<j>x)'" ]
}

# --- pipe ----------------------------------------------------------------------

@test "pipe --explain names the format of each stage's field names" {
	run --separate-stderr pipe --explain "printer -q --by status | power 2 -f ms --format json | broadcast --key k --parse '(?<k>\\w+)' | printer --by 2"
	[ "$status" -eq 0 ]
	[ "$output" = "input: standard input
stage 1 (printer): -q --by status (fields by name: format=auto, json, logfmt or combined by the first line that one reads)
stage 2 (power): exponent=2 scale=1 offset=0 field=ms invalid=warn (fields by name: format=json)
stage 3 (broadcast): --key k --parse '(?<k>\\w+)' (fields by name: the named groups of --parse '(?<k>\\w+)')
stage 4 (printer): --by 2
output: standard output, block-buffered (line-buffered on a terminal)" ]
	[ -z "$stderr" ]
}

@test "pipe with fields by name equals the shell pipeline, threads or not" {
	"$GEN/gen-records" json 4000 5 > "$T/j"
	power 2 -f bytes --invalid=pass "$T/j" | printer -q --by status,method -f bytes --summary=count,sum > "$T/want"
	for th in 1 2 3; do
		run --separate-stderr pipe --threads=$th "power 2 -f bytes --invalid=pass $T/j | printer -q --by status,method -f bytes --summary=count,sum"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" > "$T/got"
		assert_same_bytes "$T/got" "$T/want"
	done
	[ "$(wc -l < "$T/want")" -ge 10 ]
}

# --- match --field ---------------------------------------------------------------

@test "match --field status --format combined '^5' -c equals mawk's count" {
	"$GEN/gen-access-log" 3000 4 > "$T/log"
	run --separate-stderr match --field status --format combined '^5' -c "$T/log"
	[ "$status" -eq 0 ]
	[ "$output" = "$(mawk '$9 ~ /^5/' "$T/log" | wc -l)" ]
	[ "$output" -gt 0 ]
	# the same lines, in the same order, as awk selects them
	match --field status '^5' "$T/log" > "$T/got"
	mawk '$9 ~ /^5/' "$T/log" > "$T/want"
	assert_same_bytes "$T/got" "$T/want"
	match --field 9 '^5' "$T/log" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	# and in JSON lines and logfmt the same records
	"$GEN/gen-records" json 3000 4 | match --field status '^5' -c > "$T/n"
	[ "$(cat "$T/n")" = "$output" ]
	"$GEN/gen-records" logfmt 3000 4 | match --field status '^5' -c > "$T/n"
	[ "$(cat "$T/n")" = "$output" ]
}

@test "match --field: the pattern meets the field only; -v takes the lines without it" {
	printf '%s\n' '{"a":"x","b":"y"}' '{"a":"y","b":"x"}' '{"b":"x"}' 'x' '{"a":"xx"}' > "$T/in"
	run --separate-stderr match --field a x "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = $'{"a":"x","b":"y"}\n{"a":"xx"}' ]
	run --separate-stderr match --field a -v x "$T/in"
	[ "$output" = $'{"a":"y","b":"x"}\n{"b":"x"}\nx' ]
	run --separate-stderr match --field a -x x "$T/in"
	[ "$output" = '{"a":"x","b":"y"}' ]
	run --separate-stderr match --field a -c -v '' "$T/in"
	[ "$output" = "2" ]
	run --separate-stderr match --field a z "$T/in"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
}

@test "match --field -o and --color show the match inside the field, -b its offset" {
	line='1.1.1.1 - - [t] "GET /500 HTTP/1.1" 500 500 "-" "a500"'
	run --separate-stderr match --field status -o -b '5\d+' <<< "$line"
	[ "$status" -eq 0 ]
	[ "$output" = "36:500" ]
	run --separate-stderr match --field agent --color=always 500 <<< "$line"
	[ "$output" = $'1.1.1.1 - - [t] "GET /500 HTTP/1.1" 500 500 "-" "a\e[01;31m\e[K500\e[m\e[K"' ]
	run --separate-stderr match --field agent --color=always '' <<< "$line"
	[ "$output" = "$line" ]
	# an escaped JSON string: the text is matched; -o writes the text,
	# --color colours the whole field
	run --separate-stderr match --field m -o 'a"b' <<< '{"m":"xa\"by"}'
	[ "$output" = 'a"b' ]
	run --separate-stderr match --field m --color=always 'a"b' <<< '{"m":"xa\"by"}'
	[ "$output" = $'{"m":"\e[01;31m\e[Kxa\\"by\e[m\e[K"}' ]
}

@test "match --field: -n, -c, context and -m keep their meaning on whole lines" {
	printf 'level=info n=1\nlevel=error n=2\nlevel=info n=3\nlevel=info n=4\nlevel=error n=5\n' > "$T/in"
	run --separate-stderr match --field level -n -C1 error "$T/in"
	[ "$output" = $'1-level=info n=1\n2:level=error n=2\n3-level=info n=3\n4-level=info n=4\n5:level=error n=5' ]
	run --separate-stderr match --field level -m1 -c error "$T/in"
	[ "$output" = "1" ]
	run --separate-stderr match --field n -H --label=in '^[24]$' < "$T/in"
	[ "$output" = $'in:level=error n=2\nin:level=info n=4' ]
	run --separate-stderr pipe "match --field level error $T/in | power 3 -f n"
	[ "$output" = $'level=error n=8\nlevel=error n=125' ]
}

@test "match --field: errors name the option" {
	run --separate-stderr match --field referer --format common x
	[ "$status" -eq 2 ]
	[ "$stderr" = "match: no field 'referer' in the common format (its names: host ident user time request method path protocol status bytes)
Try 'match --help' for more information." ]
	run --separate-stderr match --field 0 x
	[ "${stderr%%$'\n'*}" = "match: invalid field number '0' for --field" ]
	run --separate-stderr match --format=yaml --field a x
	[ "${stderr%%$'\n'*}" = "match: invalid format 'yaml' for --format" ]
}

@test "pipe: a stage that detects its format is not split; a mixed log reads as in the shell" {
	# json first, then combined lines far past a split's batch: a copy
	# starting in them would detect combined and square their bytes.
	{
		echo '{"bytes":3}'
		awk 'BEGIN { for (i = 0; i < 300000; i++)
			print "h - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 7 \"-\" \"x\"" }'
	} > "$T/mixed"
	power 2 -f bytes --invalid=pass "$T/mixed" > "$T/want"
	run --separate-stderr pipe --threads=2 "power 2 -f bytes --invalid=pass $T/mixed"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(cat "$T/want")" ]
	[ "$(head -1 "$T/want")" = '{"bytes":9}' ]
	[ "$(sed -n 2p "$T/want" | cut -d' ' -f10)" = 7 ]
	run pipe --explain "power 2 -f bytes --invalid=pass $T/mixed"
	[[ "$output" != *"split"* ]]
	run pipe --explain "power 2 -f bytes --format json --invalid=pass $T/mixed"
	[[ "$output" == *"split"* ]]
}
