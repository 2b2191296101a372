#!/usr/bin/env bats
# Compressed FILEs (contract: "Compressed files"): gzip, zstd, xz and
# bzip2, known by their magic bytes, read as zcat, zstdcat, xzcat and
# bzcat write them, in every command and in pipe; damage reported after
# the lines before it, the other FILEs still read.

load helper

# tool to decompress to stdout, by compressor
declare -gA CAT=([gzip]=zcat [zstd]=zstdcat [xz]=xzcat [bzip2]=bzcat)
FORMATS="gzip zstd xz bzip2"

setup_file() {
	local F=$BATS_FILE_TMPDIR t
	"$BATS_TEST_DIRNAME/data/gen-access-log" 3000 > "$F/log"
	for t in gzip zstd xz bzip2; do
		$t -c "$F/log" > "$F/log.$t"
	done
}

setup() {
	F=$BATS_FILE_TMPDIR
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

@test "a gzip, zstd, xz or bzip2 FILE reads as zcat, zstdcat, xzcat, bzcat write it" {
	for t in $FORMATS; do
		${CAT[$t]} "$F/log.$t" > want
		run --separate-stderr printer "$F/log.$t"
		[ "$status" -eq 0 ] && [ -z "$stderr" ]
		printer "$F/log.$t" > got
		assert_same_bytes got want
		run -0 match -c favicon "$F/log.$t"
		[ "$output" = "$(grep -c favicon want)" ]
	done
}

@test "crafted text round-trips: NUL bytes, CRLF, no final newline" {
	printf 'a\0b\r\n\0\n\r\nlast' > crafted
	for t in $FORMATS; do
		$t -c crafted > c.$t
		printer c.$t > got
		assert_same_bytes got crafted
		${CAT[$t]} c.$t > want
		assert_same_bytes got want
		run -0 match -c '' c.$t
		[ "$output" = 4 ]
	done
}

@test "a 20 MB line round-trips through every format" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "heavy"
	{ printf 'first\n'; head -c 20000000 /dev/zero | tr '\0' x; printf '\nend\n'; } > long
	for t in $FORMATS; do
		$t -c long > long.$t
		printer long.$t > got
		assert_same_bytes got long
		run -0 match -c '^x+$' long.$t
		[ "$output" = 1 ]
	done
}

@test "the magic decides, not the name: a .gz named .log, a plain file named .gz" {
	cp "$F/log.gzip" rotated.log
	printf 'plain text\n' > notreally.gz
	run --separate-stderr match -c GET rotated.log notreally.gz
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = "rotated.log:$(zcat "$F/log.gzip" | grep -c GET)
notreally.gz:0" ]
	run -0 printer notreally.gz
	[ "$output" = "plain text" ]
}

@test "a file too short for any magic, or empty, is plain" {
	printf '\037' > one
	printf 'BZh' > three
	: > empty
	run -0 printer one
	[ "$output" = $'\037' ]
	run -0 printer three
	[ "$output" = BZh ]
	run -1 match -c x empty
	[ "$output" = 0 ]
}

@test "gzip: members in a row, an empty member and zero padding read as zcat reads them" {
	printf 'one\ntwo\n' | gzip > m1
	: | gzip > m0
	printf 'three\nno newline' | gzip > m2
	{ cat m1 m0 m2 m1; head -c 100 /dev/zero; } > members.gz
	zcat members.gz > want
	run --separate-stderr printer members.gz
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	printer members.gz > got
	assert_same_bytes got want
	# a member's last partial line joins the next member's first line
	run -0 match -n 'no newlineone' members.gz
	[ "$output" = "4:no newlineone" ]
}

@test "zstd frames, xz streams and bzip2 streams in a row" {
	printf 'a\nb' > p1
	printf 'c\n' > p2
	for t in zstd xz bzip2; do
		{ $t -c p1; $t -c p2; } > two.$t
		run -0 printer two.$t
		[ "$output" = $'a\nbc' ]
		${CAT[$t]} two.$t > want
		printer two.$t > got
		assert_same_bytes got want
	done
}

@test "gzip trailing garbage: the text comes out, then a warning as gzip's, exit 2" {
	{ printf 'a\nb\n' | gzip; printf 'garbage'; } > g.gz
	zcat g.gz > want 2>/dev/null || true
	run --separate-stderr printer g.gz
	[ "$status" -eq 2 ]
	[ "$output" = $'a\nb' ]
	[ "$stderr" = "printer: g.gz: trailing garbage after gzip data ignored" ]
	printer g.gz > got 2>/dev/null || true
	assert_same_bytes got want
	{ printf 'a\n' | gzip; printf '\0\0\0x'; } > zg.gz
	run --separate-stderr match -c a zg.gz
	[ "$status" -eq 2 ] && [ "$output" = 1 ]
	[ "$stderr" = "match: zg.gz: trailing garbage after gzip data ignored" ]
}

@test "bzip2 trailing garbage is reported the same way" {
	{ printf 'a\n' | bzip2; printf 'junk'; } > g.bz2
	run --separate-stderr printer g.bz2
	[ "$status" -eq 2 ] && [ "$output" = a ]
	[ "$stderr" = "printer: g.bz2: trailing garbage after bzip2 data ignored" ]
}

# Cut each format's file in the middle: what the tool writes before its
# error is what we pass on, then one message, exit 2.
@test "truncated files: the text before the cut as the tool writes it, then the message" {
	for t in gzip xz; do
		s=$(stat -c %s "$F/log.$t")
		head -c $((s / 2)) "$F/log.$t" > cut.$t
		${CAT[$t]} cut.$t > want 2>/dev/null && false
		[ -s want ]
		run --separate-stderr printer cut.$t
		[ "$status" -eq 2 ]
		[ "$stderr" = "printer: cut.$t: unexpected end of $t data" ]
		printer cut.$t > got 2>/dev/null || true
		assert_same_bytes got want
	done
}

@test "truncated zstd and bzip2: whole frames and streams before the cut come out" {
	printf 'whole\nfirst' > p1
	for t in zstd bzip2; do
		$t -c "$F/log" > l.$t
		{ $t -c p1; head -c $(($(stat -c %s l.$t) / 2)) l.$t; } > cut.$t
		run --separate-stderr printer cut.$t
		[ "$status" -eq 2 ]
		[ "$stderr" = "printer: cut.$t: unexpected end of $t data" ]
		printer cut.$t > got 2>/dev/null || true
		# at least the first frame, and only a prefix of the text
		cat p1 "$F/log" | head -c "$(stat -c %s got)" > want
		assert_same_bytes got want
		[ "$(stat -c %s got)" -ge 11 ]
	done
	${CAT[zstd]} cut.zstd > want 2>/dev/null && false
	printer cut.zstd > got 2>/dev/null || true
	assert_same_bytes got want
}

@test "corrupt files: what the tool writes before its error, then the message" {
	for t in $FORMATS; do
		s=$(stat -c %s "$F/log.$t")
		cp "$F/log.$t" bad.$t
		printf '\125\252\125' | dd of=bad.$t bs=1 seek=$((s / 2)) conv=notrunc 2>/dev/null
		${CAT[$t]} bad.$t > want 2>/dev/null && false
		run --separate-stderr printer bad.$t
		[ "$status" -eq 2 ]
		[[ "$stderr" == "printer: bad.$t: corrupt $t data"* ]]
		printer bad.$t > got 2>/dev/null || true
		if [ $t = bzip2 ]; then
			# bzcat drops its last buffer at the error; libbz2 hands
			# out the damaged block before its CRC says so
			head -c "$(stat -c %s want)" got > got.head
			assert_same_bytes got.head want
		else
			assert_same_bytes got want
		fi
	done
	run --separate-stderr printer bad.gzip
	[ "$stderr" = "printer: bad.gzip: corrupt gzip data (crc error)" ]
}

@test "gzip's CRC and length errors are told apart, as gzip tells them" {
	printf 'a\nb\n' | gzip > ok.gz
	s=$(stat -c %s ok.gz)
	cp ok.gz crc.gz
	printf '\377' | dd of=crc.gz bs=1 seek=$((s - 6)) conv=notrunc 2>/dev/null
	cp ok.gz len.gz
	printf '\377' | dd of=len.gz bs=1 seek=$((s - 2)) conv=notrunc 2>/dev/null
	run --separate-stderr printer crc.gz len.gz
	[ "$status" -eq 2 ]
	[ "$output" = $'a\nb\na\nb' ]
	[ "$stderr" = "printer: crc.gz: corrupt gzip data (crc error)
printer: len.gz: corrupt gzip data (length error)" ]
}

@test "a damaged FILE does not stop the ones after it" {
	head -c 20 "$F/log.gzip" > cut.gz
	run --separate-stderr match -c GET cut.gz "$F/log.zstd" missing "$F/log.xz"
	[ "$status" -eq 2 ]
	n=$(grep -c GET "$F/log")
	[ "$output" = "cut.gz:0
$F/log.zstd:$n
$F/log.xz:$n" ]
	[ "$stderr" = "match: cut.gz: unexpected end of gzip data
match: missing: No such file or directory" ]
	# -s quiets it as it quiets an unreadable FILE
	run --separate-stderr match -s -c GET cut.gz
	[ "$status" -eq 2 ] && [ -z "$stderr" ] && [ "$output" = 0 ]
}

@test "match -n -b count the decompressed text, as zcat | grep -n -b" {
	want=$(zcat "$F/log.gzip" | grep -a -P -n -b 'favicon|robots')
	for t in $FORMATS; do
		run -0 match -n -b 'favicon|robots' "$F/log.$t"
		[ "$output" = "$want" ]
	done
}

@test "standard input is read as it is unless --decompress" {
	run -0 match -c . < "$F/log.gzip"
	[ "$output" = "$(grep -a -c . "$F/log.gzip")" ]
	printer < "$F/log.xz" > got
	assert_same_bytes got "$F/log.xz"
	n=$(grep -c GET "$F/log")
	for t in $FORMATS; do
		run -0 match --decompress -c GET < "$F/log.$t"
		[ "$output" = "$n" ]
		run -0 match --decompress -c GET - < "$F/log.$t"
		[ "$output" = "$n" ]
	done
	# plain text on stdin with --decompress is plain text
	run -0 printer --decompress <<< 'just text'
	[ "$output" = "just text" ]
	# and through a pipe, bytes arriving a few at a time
	run -0 bash -c "{ head -c 3 '$F/log.zstd'; sleep 0.2; tail -c +4 '$F/log.zstd'; } | match --decompress -c GET"
	[ "$output" = "$n" ]
}

@test "--no-decompress reads the bytes as they are; the last option given wins" {
	run -0 match --no-decompress -c . "$F/log.gzip"
	[ "$output" = "$(grep -a -c . "$F/log.gzip")" ]
	printer --no-decompress "$F/log.bzip2" > got
	assert_same_bytes got "$F/log.bzip2"
	run -0 match --no-decompress --decompress -c GET "$F/log.bzip2"
	[ "$output" = "$(grep -c GET "$F/log")" ]
	run -1 match --decompress --no-decompress -c GET < "$F/log.gzip"
	[ "$output" = 0 ]
}

@test "power and printer --summary read compressed FILEs" {
	printf '2\n3\n' | gzip > n.gz
	printf '4\n' | xz > m.xz
	run --separate-stderr power 2 n.gz m.xz
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = $'4\n9\n16' ]
	run -0 printer -q --summary=count,sum -f 10 "$F/log.zstd"
	[ "$output" = "$(printer -q --summary=count,sum -f 10 "$F/log")" ]
}

@test "broadcast's standard input with --decompress" {
	run -0 broadcast --decompress < "$F/log.zstd"
	[ "$output" = "$(cat "$F/log")" ]
}

@test "pipe: stage 1 reads compressed FILEs and, with --decompress, stdin" {
	want=$(zcat "$F/log.gzip" | match favicon | printer -n)
	run -0 pipe "match favicon '$F/log.gzip' | printer -n"
	[ "$output" = "$want" ]
	run -0 pipe "match favicon '$F/log.xz' | printer -n"
	[ "$output" = "$want" ]
	run -0 pipe 'match --decompress favicon | printer -n' < "$F/log.bzip2"
	[ "$output" = "$want" ]
	run -0 pipe --threads=2 "match -c favicon '$F/log.zstd'"
	[ "$output" = "$(grep -c favicon "$F/log")" ]
}

@test "pipe: damage in stage 1's FILE is reported once, exit 2, the lines before it go on" {
	{ printf 'GET a\n' | gzip; printf 'junk'; } > g.gz
	run --separate-stderr pipe 'match GET g.gz | printer -n'
	[ "$status" -eq 2 ]
	[ "$output" = "     1	GET a" ]
	[ "$stderr" = "match: g.gz: trailing garbage after gzip data ignored" ]
}

@test "pipe refuses --decompress where no input bytes are read" {
	run --separate-stderr pipe 'match x | printer --decompress'
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 2 (printer): --decompress not allowed: only stage 1 reads input bytes" ]
	run --separate-stderr pipe 'match x | power --no-decompress 2'
	[ "$status" -eq 2 ]
	[ "$stderr" = "pipe: stage 2 (power): --no-decompress not allowed: only stage 1 reads input bytes" ]
	run --separate-stderr pipe --decompress 'match x'
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "pipe: unrecognized option '--decompress'" ]
}

@test "every stage's --help lists --decompress and --no-decompress; pipe's does not" {
	for c in match power printer follow broadcast; do
		run -0 "$c" --help
		[[ "$output" == *"      --decompress     read standard input decompressed too"* ]]
		[[ "$output" == *"      --no-decompress  read compressed FILEs as they are"* ]]
	done
	run -0 pipe --help
	[[ "$output" != *decompress* ]]
}

@test "a zip bomb is only a long input: memory stays flat" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "heavy"
	! ldd "$(command -v match)" | grep -q 'lib[at]san' ||
		skip "a sanitizer's shadow memory is no measure"
	head -c 200000000 /dev/zero | tr '\0' '\n' | gzip -1 > bomb.gz
	[ "$(stat -c %s bomb.gz)" -lt 1000000 ]
	run -0 /usr/bin/time -f '%M' match -c '^$' bomb.gz
	[ "${lines[0]}" = 200000000 ]
	[ "${lines[1]}" -lt 16384 ]
}

@test "a regular file is inflated ahead on a thread; the inline path gives the same bytes and messages" {
	s=$(stat -c %s "$F/log.gzip")
	head -c $((s / 2)) "$F/log.gzip" > cut.gz
	for t in $FORMATS; do
		printer "$F/log.$t" cut.gz > ahead 2> ahead.err || true
		RUNNEL_DECOMP_INLINE=1 printer "$F/log.$t" cut.gz > inline 2> inline.err || true
		assert_same_bytes ahead inline
		assert_same_bytes ahead.err inline.err
		[ "$(cat ahead.err)" = "printer: cut.gz: unexpected end of gzip data" ]
	done
}

@test "text of many worker blocks: lines across their edges, a line longer than one, FILEs joined as cat joins them" {
	[ -z "${RUNNEL_SLOW:-}" ] || skip "heavy"
	{ cat "$F/log" "$F/log" "$F/log"; head -c 1500000 /dev/zero | tr '\0' y
	  printf '\n'; cat "$F/log" "$F/log" "$F/log"; printf 'no newline'; } > big
	for t in $FORMATS; do
		$t -c big > big.$t
		cat big big > want
		printer big.$t big.$t > got
		assert_same_bytes got want
		RUNNEL_DECOMP_INLINE=1 printer big.$t big.$t > got
		assert_same_bytes got want
		grep -n -b -a '' big > want
		match -n -b '' big.$t > got
		assert_same_bytes got want
		pipe "match -n -b '' big.$t | printer" > got
		assert_same_bytes got want
	done
}

@test "match -m 1 and -q stop early in a large compressed FILE, and the next FILEs are read" {
	for t in $FORMATS; do
		run -0 match -m 1 -c GET "$F/log.$t" "$F/log.$t"
		[ "$output" = "$F/log.$t:1
$F/log.$t:1" ]
		run -0 match -q GET "$F/log.$t"
		[ -z "$output" ]
	done
}

# follow: a compressed FILE is read once, whole, in its place, and never
# followed.
rotated() {
	printf 'now1\nnow2\n' > access.log
	printf 'one1\none2\n' > access.log.1
	printf 'two1\ntwo2' | gzip > access.log.2.gz
	printf 'three1\n' | xz > access.log.3.xz
	printf 'four1\n' | zstd -q > access.log.4.zst
	printf 'five1\n' | bzip2 > access.log.5.bz2
}

@test "follow --once over rotated files: each compressed one whole, in the pattern's order" {
	rotated
	run --separate-stderr follow --once -n 1 'access.log*'
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = "==> access.log <==
now2

==> access.log.1 <==
one2

==> access.log.2.gz <==
two1
two2
==> access.log.3.xz <==
three1

==> access.log.4.zst <==
four1

==> access.log.5.bz2 <==
five1" ]
	run -0 follow --once -q access.log.2.gz access.log.3.xz
	[ "$output" = $'two1\ntwo2three1' ]
}

@test "follow --no-decompress reads the compressed bytes as tail does" {
	cp "$F/log.gzip" l.gz
	follow --once --no-decompress l.gz > got
	tail -n 10 l.gz > want
	assert_same_bytes got want
}

@test "follow --state records a compressed file as read: a restart reads it no more" {
	rotated
	run -0 follow --once --state=st 'access.log.[23]*'
	[ "$output" = "==> access.log.2.gz <==
two1
two2
==> access.log.3.xz <==
three1" ]
	grep -q "^F [0-9]* [0-9]* $(stat -c %s access.log.2.gz) 1f8b[0-9a-f]* access.log.2.gz\$" st
	grep -q "^F [0-9]* [0-9]* $(stat -c %s access.log.3.xz) fd377a[0-9a-f]* access.log.3.xz\$" st
	run -0 follow --once --state=st 'access.log.[23]*'
	[ "$output" = "==> access.log.2.gz <==

==> access.log.3.xz <==" ]
}

@test "follow of compressed FILEs only ends once they are read: nothing can grow" {
	rotated
	run --separate-stderr timeout 10 follow access.log.3.xz access.log.4.zst
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = "==> access.log.3.xz <==
three1

==> access.log.4.zst <==
four1" ]
}

@test "follow: a compressed file that appears while following is noted, not read" {
	# (its last line ended: other files' lines come after it)
	rotated
	follow -q 'access.log*' > out 2> err &
	pid=$!
	wait_for 'grep -q five1 out'
	# created before the line: seen by the time the line is out
	printf 'six1\n' | gzip > access.log.6.gz
	printf 'now3\n' >> access.log
	wait_for 'grep -q now3 out'
	kill $pid; wait $pid || true
	[ "$(cat out)" = "now1
now2
one1
one2
two1
two2
three1
four1
five1
now3" ]
	[ ! -s err ]
}

@test "follow: standard input decompressed only with --decompress, pipe or file" {
	printf 'a\nb\n' | gzip > s.gz
	run -0 timeout 5 follow --decompress < s.gz
	[ "$output" = $'a\nb' ]
	run -0 timeout 5 bash -c 'cat s.gz | follow --decompress'
	[ "$output" = $'a\nb' ]
	follow --once < s.gz > raw
	assert_same_bytes raw s.gz
	run -0 timeout 5 bash -c 'printf "plain\n" | follow --decompress'
	[ "$output" = plain ]
}

@test "follow: a damaged compressed FILE gives its lines, the message, exit 2; the others still come" {
	rotated
	head -c 20 "$F/log.gzip" > cut.gz
	run --separate-stderr follow --once -q cut.gz access.log.3.xz
	[ "$status" -eq 2 ]
	[ "$output" = three1 ]
	[ "$stderr" = "follow: cut.gz: unexpected end of gzip data" ]
}
