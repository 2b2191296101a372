#!/usr/bin/env bats
# printer --window DURATION --time SPEC: windows by the log's own clock,
# against awk bucketing by minute; the time forms; bad times.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	GEN=$BATS_TEST_DIRNAME/data/gen-access-log
	export TZ=UTC
}

# Bucket an access log by minute with awk: "START<TAB>..." keys, START
# as printer writes it (ISO 8601, the log's offset).
minute_awk='
BEGIN {
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ")
	for (i = 1; i <= 12; i++)
		mon[m[i]] = sprintf("%02d", i)
}
{
	split(substr($4, 2), a, "[/:]")
	w = a[3] "-" mon[a[2]] "-" a[1] "T" a[4] ":" a[5] ":00" substr($5, 1, 5)
}'

@test "printer --window 1m --time 4 --by 9 against awk by minute and status" {
	"$GEN" 5000 4 > "$T/log"
	awk "$minute_awk"'{ c[w "\t" $9]++ } END { for (k in c) print k "\t" c[k] }' "$T/log" |
	    sort -t $'\t' -k1,1 -k3,3nr -k2,2 |
	    awk -F '\t' '{ printf "window=%s f9=%s count=%d\n", $1, $2, $3 }' > "$T/want"
	printer -q --window 1m --time 4 --by 9 "$T/log" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
}

@test "printer --window 1m --time 4 -f 10 against awk: every minute, count=0 too" {
	"$GEN" 5000 6 > "$T/log"
	awk "$minute_awk"'{
		if (!(w in seen)) { seen[w] = 1; order[++n] = w }
		if ($10 ~ /^[0-9]+$/) { c[w]++; s[w] += $10 }
	} END {
		for (i = 1; i <= n; i++)
			printf "window=%s count=%d sum=%d\n", order[i], c[order[i]], s[order[i]]
	}' "$T/log" > "$T/want"
	printer -q --window 1m --time 4 -f 10 --summary=count,sum "$T/log" > "$T/got"
	assert_same_bytes "$T/got" "$T/want"
	[ "$(grep -c ' count=0 ' "$T/got")" -gt 0 ]
}

@test "printer --window: empty windows between are written, older lines count in the open one" {
	printf '%s\n' '2026-03-01T10:00:05Z 1' '2026-03-01T10:00:50Z 2' \
	    '2026-03-01T09:59:00Z 4' '2026-03-01T10:03:10Z 8' \
	    '2026-03-01T10:03:59.999Z 16' > "$T/in"
	run --separate-stderr printer -q --window 1m --time 1 -f 2 --summary=count,sum "$T/in"
	[ "$status" -eq 0 ]
	[ "$output" = "window=2026-03-01T10:00:00+0000 count=3 sum=7
window=2026-03-01T10:01:00+0000 count=0 sum=0
window=2026-03-01T10:02:00+0000 count=0 sum=0
window=2026-03-01T10:03:00+0000 count=2 sum=24" ]
	[ -z "$stderr" ]
	# with --by an empty window has no groups: nothing is written
	run printer -q --window 1m --time 1 --by 2 "$T/in"
	[ "$output" = "window=2026-03-01T10:00:00+0000 f2=1 count=1
window=2026-03-01T10:00:00+0000 f2=2 count=1
window=2026-03-01T10:00:00+0000 f2=4 count=1
window=2026-03-01T10:03:00+0000 f2=16 count=1
window=2026-03-01T10:03:00+0000 f2=8 count=1" ]
}

@test "printer --window: the lines, each window's summary after its lines" {
	printf '%s\n' '100 a' '130 b' '250 c' > "$T/in"
	printf '170' >> "$T/in"
	printer --window 1m --time 1 --by 2 -n "$T/in" > "$T/out"
	printf '     1\t100 a\nwindow=1970-01-01T00:01:00+0000 f2=a count=1\n     2\t130 b\nwindow=1970-01-01T00:02:00+0000 f2=b count=1\n     3\t250 c\n     4\t170\nwindow=1970-01-01T00:04:00+0000 f2= count=1\nwindow=1970-01-01T00:04:00+0000 f2=c count=1\n' > "$T/want"
	assert_same_bytes "$T/out" "$T/want"
}

@test "printer --window reads combined, ISO 8601, syslog and epoch times" {
	printf '%s\n' \
	    '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 5' \
	    '10.0.0.1 - - [10/Oct/2000:13:56:01 -0700] "GET / HTTP/1.0" 200 5' > "$T/in"
	run printer -q --window 1m --time 4 --summary=count -f 10 "$T/in"
	[ "$output" = $'window=2000-10-10T13:55:00-0700 count=1\nwindow=2000-10-10T13:56:00-0700 count=1' ]
	# ISO 8601: zones kept, fractions, 't' or a space, no seconds
	for t in 2026-12-02T06:15:07Z 2026-12-02T06:15:07.123456Z 2026-12-02t06:15:07z \
	    '2026-12-02 06:15:07Z' 2026-12-02T06:15Z 2026-12-02T06:15:07,5+00:00; do
		run printer -q --window 1m --time 2 -f 1 --summary=count <<< "1 $t"
		[ "$output" = "window=2026-12-02T06:15:00+0000 count=1" ]
	done
	run printer -q --window 1h --time 1 -f 2 --summary=count <<< '2026-12-02T06:15:07+05:30 1'
	[ "$output" = "window=2026-12-02T05:30:00+0530 count=1" ]
	run printer -q --window 1h --time 1 -f 2 --summary=count <<< '2026-12-02T06:15:07-0230 1'
	[ "$output" = "window=2026-12-02T05:30:00-0230 count=1" ]
	run printer -q --window 1d --time 1 -f 2 --summary=count <<< '2026-12-02T06:15:07+01 1'
	[ "$output" = "window=2026-12-02T01:00:00+0100 count=1" ]
	run printer -q --window 1m --time 2 -f 3 --summary=count <<< 'x [2026-12-02T06:15:07Z] 1'
	[ "$output" = "window=2026-12-02T06:15:00+0000 count=1" ]
	# no zone: local time
	TZ=America/New_York run printer -q --window 1m --time 1 -f 2 --summary=count <<< '2026-07-02T06:15:07 1'
	[ "$output" = "window=2026-07-02T06:15:00-0400" count=1 ] ||
	    [ "$output" = "window=2026-07-02T06:15:00-0400 count=1" ]
	# syslog: this year, local time; a one-digit day is padded with a space
	y=$(date +%Y)
	TZ=Asia/Tokyo run printer -q --window 1m --time 1 -f 2 --summary=count <<< 'Mar  1 13:55:36 host x: 1'
	[ "$output" = "window=$y-03-01T13:55:00+0900 count=1" ]
	# epoch seconds with a fraction: local time
	TZ=Europe/Paris run printer -q --window 500ms --time 1 -f 2 --summary=count <<< '1764656107.75 1'
	[ "$output" = "window=2025-12-02T07:15:07.500+0100 count=1" ]
}

@test "printer --window -d: the time is the whole field" {
	printf '%s\n' '2026-12-02T06:15:07Z,1' '2026-12-02T06:15:08Z x,2' \
	    ' 2026-12-02T06:16:07Z ,3' > "$T/in"
	run --separate-stderr printer -q --window 1m --time 1 -d , -f 2 --summary=sum "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = $'window=2026-12-02T06:15:00+0000 sum=1\nwindow=2026-12-02T06:16:00+0000 sum=3' ]
	[ "$stderr" = "printer: line 2: invalid time '2026-12-02T06:15:08Z x' in field 1" ]
}

@test "printer --window names the first 10 bad times, then how many more, exit 2" {
	{
		echo '2026-01-01T00:00:00Z 1'
		for i in $(seq 2 14); do echo "bad$i $i"; done
		echo '31/Feb/2026:00:00:00 +0000 15'
		echo '2026-01-01T00:00:30Z 16'
		echo 'only'
		printf '2026-01-01T00:00:40Zx 18\n\n'
		echo '2026-13-01T00:00:00Z 20'
	} > "$T/in"
	run --separate-stderr printer -q --window 1m --time 1 -f 2 --summary=count,sum "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = "window=2026-01-01T00:00:00+0000 count=2 sum=17" ]
	[ "$stderr" = "printer: line 2: invalid time 'bad2 2' in field 1
printer: line 3: invalid time 'bad3 3' in field 1
printer: line 4: invalid time 'bad4 4' in field 1
printer: line 5: invalid time 'bad5 5' in field 1
printer: line 6: invalid time 'bad6 6' in field 1
printer: line 7: invalid time 'bad7 7' in field 1
printer: line 8: invalid time 'bad8 8' in field 1
printer: line 9: invalid time 'bad9 9' in field 1
printer: line 10: invalid time 'bad10 10' in field 1
printer: line 11: invalid time 'bad11 11' in field 1
printer: 8 more invalid times not shown" ]
	# the lines are still written without -q; a control byte is quoted
	printf '2026-01-01T00:00:00Z\n\001x\n' > "$T/in"
	run --separate-stderr printer --window 1m --time 1 --by 1 "$T/in"
	[ "$status" -eq 2 ]
	[ "$output" = $'2026-01-01T00:00:00Z\n\001x\nwindow=2026-01-01T00:00:00+0000 f1=2026-01-01T00:00:00Z count=1' ]
	[ "$stderr" = "printer: line 2: invalid time '\\x01x' in field 1" ]
}

@test "printer --window with no time read writes no window" {
	run --separate-stderr printer -q --window 1m --time 3 <<< 'a b'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "printer: line 1: invalid time '' in field 3" ]
	run printer -q --window 1m --time 3 < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "printer --window --json and rate over the window" {
	printf '%s\n' '2026-03-01T10:00:05Z 1' '2026-03-01T10:00:50Z 2' '2026-03-01T10:01:00Z 3' > "$T/in"
	run printer -q --window 10s --time 1 --json --summary=count,rate,p50 -f 2 "$T/in"
	[ "$output" = '{"window":"2026-03-01T10:00:00+0000","count":1,"rate":0.1,"p50":1}
{"window":"2026-03-01T10:00:10+0000","count":0,"rate":0,"p50":null}
{"window":"2026-03-01T10:00:20+0000","count":0,"rate":0,"p50":null}
{"window":"2026-03-01T10:00:30+0000","count":0,"rate":0,"p50":null}
{"window":"2026-03-01T10:00:40+0000","count":0,"rate":0,"p50":null}
{"window":"2026-03-01T10:00:50+0000","count":1,"rate":0.1,"p50":2}
{"window":"2026-03-01T10:01:00+0000","count":1,"rate":0.1,"p50":3}' ]
}

@test "printer --window: the same bytes in pipe" {
	"$GEN" 3000 8 > "$T/in"
	printer -q --window 5m --time 4 --by 9 --top 2 --json < "$T/in" > "$T/exe"
	pipe 'printer -q --window 5m --time 4 --by 9 --top 2 --json' < "$T/in" > "$T/pipe"
	assert_same_bytes "$T/pipe" "$T/exe"
	printer -n --window 10m --time 4 -f 10 --summary=count,mean,p90 < "$T/in" > "$T/exe"
	pipe 'printer -n --window 10m --time 4 -f 10 --summary=count,mean,p90' < "$T/in" > "$T/pipe"
	assert_same_bytes "$T/pipe" "$T/exe"
	pipe 'match GET | printer -q --window 1h --time 4 --by 9' < "$T/in" > "$T/pipe"
	match GET "$T/in" | printer -q --window 1h --time 4 --by 9 > "$T/exe"
	assert_same_bytes "$T/pipe" "$T/exe"
}

@test "printer --window, --every and --time errors name the option, exit 2" {
	for d in 0 1x -1s 0.5ms '' 1e3s; do
		run --separate-stderr printer --window "$d" --time 1
		[ "$status" -eq 2 ]
		[ "${stderr%%$'\n'*}" = "printer: invalid duration '$d' for --window" ]
	done
	run --separate-stderr printer --every=10 --time 1 --window 1s
	[ "${stderr%%$'\n'*}" = "printer: --every and --window cannot be used together" ]
	run --separate-stderr printer --window 1s
	[ "${stderr%%$'\n'*}" = "printer: --window needs --time to read the time by" ]
	run --separate-stderr printer --time 4
	[ "${stderr%%$'\n'*}" = "printer: --time needs --window" ]
	run --separate-stderr printer --window 1m --time stamp --format combined
	[ "${stderr%$'\n'*}" = "printer: no field 'stamp' in the combined format (its names: host ident user time request method path protocol status bytes referer agent)" ]
	run --separate-stderr printer --window 1m --time 4,5
	[ "${stderr%%$'\n'*}" = "printer: too many fields for --time (at most 1)" ]
	run --separate-stderr printer --every 2x
	[ "${stderr%%$'\n'*}" = "printer: invalid duration '2x' for --every" ]
}
