#!/usr/bin/env bats
# Fields by name against the peer tools: JSON lines against jq, combined
# and common logs against a perl reading of them, logfmt and --parse
# against hand-written cases; malformed input neither crashes nor loses
# a line.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	GEN=$BATS_TEST_DIRNAME/data
}

# JSON lines with every kind of escape (\n \t \" \\ \/ \u00e9, surrogate
# pairs, control bytes), nested objects, literals, repeated keys.
gen_json() {
	python3 - "$@" <<'PY'
import json, random, sys
random.seed(int(sys.argv[1]))
pool = ['plain', 'tab\there', 'quote"in', 'back\\slash', 'slash/',
        'caf\u00e9', 'emoji\U0001F600', 'nl\nx', 'ctl\u0001', 'sp ace', '',
        'u\u2028', 'nul?\u007f']
for i in range(int(sys.argv[2])):
    s = random.choice(pool) + str(i)
    enc = json.dumps(s, ensure_ascii=random.random() < 0.5)
    if random.random() < 0.3:
        enc = enc.replace('/', '\\/')
    t = random.choice(['true', 'false', 'null', '1.5', '{"x":1}', '[1,"a"]', '-0'])
    line = '{"i":%d, "s":%s,"a":{"b":%s,"c":[1,{"b":2}]} ,"t":%s}' % (
        i, enc, json.dumps("n%d\u00e9" % i, ensure_ascii=i % 2 == 0), t)
    if i % 7 == 0:
        line = line[:-1] + ',"s":"last%d"}' % i
    if i % 11 == 0:
        line = line.replace('"a":{', '"a":{"b":"first",')
    print(line)
PY
}

@test "json: the text of a string, nested a.b and literals equal jq's" {
	gen_json 3 400 > "$T/j"
	for k in s a.b t; do
		printer -q --by i,$k --json "$T/j" | jq -c '[.i, .["'"$k"'"]]' | LC_ALL=C sort > "$T/got"
		jq -c '[(.i|tostring), (.'"$k"'|if type == "string" then . else tojson end)]' "$T/j" | LC_ALL=C sort > "$T/want"
		assert_same_bytes "$T/got" "$T/want"
	done
	[ "$(wc -l < "$T/want")" -eq 400 ]
	# the repeated key: jq's last
	printer -q --by i,s --json "$T/j" | grep -q '"i":"7","s":"last7"'
}

@test "json: numbers as written, where jq writes its own form" {
	run --separate-stderr printer -q --by n <<< $'{"n":1e3}\n{"n":-0.5}\n{"n":1E+2}\n{"n":0}\n{"n":12345678901234567}'
	[ "$status" -eq 0 ]
	[ "$output" = $'n=-0.5 count=1\nn=0 count=1\nn=12345678901234567 count=1\nn=1E+2 count=1\nn=1e3 count=1' ]
	run --separate-stderr printer -q --summary=count,sum -f n <<< $'{"n":1e3}\n{"n":-0.5}\n{"n":"7"}\n{"n":true}'
	[ "$output" = "count=3 sum=1006.5" ]
	[ "$(printf '{"n":1e3}\n{"n":-0.5}\n{"n":"7"}\n' | jq -r '.n | tonumber' | datamash sum 1)" = "1006.5" ]
}

@test "json: a line that is not JSON has no fields and is not lost" {
	printf '%s\n' '{"n":1}' 'not json' '{"n":2' '{"n":4,}' '["n",5]' '' '{"n":6}' > "$T/broken"
	# jq is laxer than jansson here: a lone surrogate, \u0000, an integer
	# past 64 bits, a second value after the object
	printf '%s\n' '{"n":"\ud800"}' '{"n":"a\u0000b"}' '{"n":123456789012345678901}' '{"n":3} {' > "$T/lax"
	cat "$T/broken" "$T/lax" > "$T/in"
	run --separate-stderr printer -q --by n "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = $'n= count=9\nn=1 count=1\nn=6 count=1' ]
	# jq agrees on which of the broken lines are JSON objects
	[ "$(jq -cR 'try (fromjson | objects) catch empty' "$T/broken")" = $'{"n":1}\n{"n":6}' ]
	run --separate-stderr printer "$T/in"
	[ "$output" = "$(cat "$T/in")" ]
	run --separate-stderr power 1 -f n --invalid=pass "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$T/in")" ]
}

@test "json: a 10 MB line" {
	{
		printf '{"big":"'
		head -c 10000000 /dev/zero | tr '\0' 'x'
		printf '\\u00e9","n":5,"big2":['
		head -c 2000000 /dev/zero | tr '\0' '1' | sed 's/1/1,/g'
		printf '1]}\n{"n":7}\n'
	} > "$T/big"
	run --separate-stderr printer -q --summary=count,sum -f n "$T/big"
	[ "$status" -eq 0 ]
	[ "$output" = "count=2 sum=12" ]
	[ "$(jq -r .n "$T/big" | datamash sum 1)" = "12" ]
	run --separate-stderr power 2 -f n "$T/big"
	[ "$status" -eq 0 ]
	[ "${output: -13}" = $',1]}\n{"n":49}' ]
	[[ "$output" == *'xx\u00e9","n":25,"big2":[1,1,'* ]]
}

# Access-log lines with quoted fields holding blanks, \" and \\; the
# line number in the user field makes every key distinct.
gen_clf() {
	awk -v n="$1" 'BEGIN {
		split("Mozilla/5.0 (X11; Linux)|say \\\"hi\\\" now|back\\\\|-||a  b", ua, "|")
		split("GET /a HTTP/1.1|POST /x?q=\\\"y\\\" HTTP/1.0|-|GET  /two  HTTP/2", rq, "|")
		for (i = 1; i <= n; i++) {
			printf "10.0.0.%d - u%d [02/Dec/2026:06:%02d:00 +0000] \"%s\" %d %s", i % 250, i,
			    i % 60, rq[i % 4 + 1], 200 + i % 5 * 100, i % 9 ? i * 7 : "-"
			if (i % 3) printf " \"http://r/%d\" \"%s\"", i, ua[i % 6 + 1]
			printf "\n"
		}
	}'
}

# The same fields by perl: a regex of the log and \" \\ unescaped.
perl_clf() {
	perl -ne '
		chomp;
		next unless /^(\S+)[ \t]+(\S+)[ \t]+(\S+)[ \t]+\[([^\]]*)\][ \t]+"((?:[^"\\]|\\.)*)"[ \t]+(\S+)[ \t]+(\S+)(?:[ \t]+"((?:[^"\\]|\\.)*)"[ \t]+"((?:[^"\\]|\\.)*)")?/;
		my %f = (host => $1, user => $3, time => $4, request => $5,
		    status => $6, bytes => $7, referer => $8, agent => $9);
		for (values %f) { s/\\(["\\])/$1/g if defined }
		my @w = grep { length } split /[ \t]+/, $f{request};
		@f{qw(method path protocol)} = @w[0 .. 2];
		print join(" ", map { "$_=" . ($f{$_} // "") } ("user", split / /, $ENV{K})), " count=1\n";
	'
}

@test "combined and common: every name equals perl's reading, quotes and \\\" included" {
	gen_clf 300 > "$T/log"
	for k in host time request method path protocol status bytes referer agent; do
		printer -q --by user,$k --format combined "$T/log" | LC_ALL=C sort > "$T/got"
		K=$k perl_clf < "$T/log" | LC_ALL=C sort > "$T/want"
		assert_same_bytes "$T/got" "$T/want"
	done
	grep -q 'agent=say "hi" now' "$T/got"
	grep -q 'agent=back\\ count' "$T/got"
	# common: the same for its names, no referer or agent
	printer -q --by user,request --format common "$T/log" | LC_ALL=C sort > "$T/got"
	K=request perl_clf < "$T/log" | LC_ALL=C sort > "$T/want"
	assert_same_bytes "$T/got" "$T/want"
	# and bytes against awk, where no quoted field holds a blank
	"$GEN/gen-access-log" 2000 9 > "$T/plain"
	[ "$(printer -q --summary=sum -f bytes --format combined "$T/plain")" = "sum=$(awk '{s += $10} END {print s}' "$T/plain")" ]
}

@test "logfmt: quoted values, bare keys, key=, repeated keys" {
	printf '%s\n' 'a=1 b="x y" c= d e="q\"r\\s" a=2' 'b=plain' 'bad="open' 'x=1 "y"=2' > "$T/in"
	for k in a b c d e; do
		run --separate-stderr printer -q --by $k --format logfmt "$T/in"
		echo "$k: $output" >> "$T/got"
	done
	[ "$(cat "$T/got")" = 'a: a= count=3
a=2 count=1
b: b= count=2
b=plain count=1
b=x y count=1
c: c= count=4
d: d= count=4
e: e= count=3
e=q"r\s count=1' ]
	run --separate-stderr printer -q --by d --format logfmt <<< 'x=1 y=2'
	[ "$output" = "d= count=1" ]
	# detection: a line of bare words is not logfmt; the first with a pair is
	run --separate-stderr printer -q --by k <<< $'hello world\nk=v\nk=w'
	[ "$output" = $'k= count=1\nk=v count=1\nk=w count=1' ]
}

@test "--parse: named groups, optional ones missing, empty ones there" {
	printf '%s\n' 'GET /a took 12ms' 'GET /b took 3ms cached' 'noise' 'PUT / took ms' > "$T/in"
	run --separate-stderr printer -q --by m,c --parse '^(?<m>\S+) \S+ took (?<ms>\d*)ms(?: (?<c>\w+))?' "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = $'m= c= count=1\nm=GET c= count=1\nm=GET c=cached count=1\nm=PUT c= count=1' ]
	run --separate-stderr printer -q --summary=count,sum -f ms --parse 'took (?<ms>\d*)ms' "$T/in"
	[ "$output" = "count=2 sum=15" ]
	run --separate-stderr printer -q --by n --parse '(?J)(?<n>a+)|(?<n>b+)' <<< $'aa\nbbb\nc'
	[ "$output" = $'n= count=1\nn=aa count=1\nn=bbb count=1' ]
}

@test "malformed lines in every format: no crash, no line lost" {
	python3 - > "$T/junk" <<'PY'
import random
random.seed(5)
alpha = b'{}[]":,\\ =tfnu0123456789.eE-+abc\t\xc3\xa9\xff\x00'
for i in range(3000):
    n = random.randrange(0, 60)
    print(bytes(random.choice(alpha) for _ in range(n)).decode('latin1'))
PY
	"$GEN/gen-access-log" 50 >> "$T/junk"
	"$GEN/gen-records" json 50 >> "$T/junk"
	"$GEN/gen-records" logfmt 50 >> "$T/junk"
	n=$(wc -l < "$T/junk")
	for f in combined common json logfmt; do
		printer --by status -f bytes --format $f "$T/junk" > "$T/out" 2> "$T/err"
		head -n "$n" "$T/out" | cmp - "$T/junk"
		[ ! -s "$T/err" ]
		power 1 -f status --format $f --invalid=pass "$T/junk" > "$T/out" 2> "$T/err"
		[ "$(wc -l < "$T/out")" -eq "$n" ]
		[ ! -s "$T/err" ]
	done
}
