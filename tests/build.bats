#!/usr/bin/env bats
# The build's promises: install/uninstall with the GNU variables, prefixed
# names, and a man page for every program.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
}

@test "make install honours DESTDIR, prefix and PROGRAM_PREFIX; uninstall removes" {
	make -s -C "$TOP" install DESTDIR="$T/d" prefix=/opt/rn PROGRAM_PREFIX=rn- >/dev/null
	for c in "$TOP"/cmd/*.c; do
		n=$(basename "$c" .c)
		[ -x "$T/d/opt/rn/bin/rn-$n" ]
		[ -f "$T/d/opt/rn/share/man/man1/rn-$n.1" ]
	done
	run "$T/d/opt/rn/bin/rn-printer" --version
	[ "$output" = "printer (runnel) 0.1.0" ]
	make -s -C "$TOP" uninstall DESTDIR="$T/d" prefix=/opt/rn PROGRAM_PREFIX=rn-
	[ -z "$(find "$T/d" -type f)" ]
}

@test "make install accepts PREFIX, bindir and mandir" {
	make -s -C "$TOP" install DESTDIR="$T/d" PREFIX=/usr >/dev/null
	[ -x "$T/d/usr/bin/printer" ]
	[ -f "$T/d/usr/share/man/man1/printer.1" ]
	make -s -C "$TOP" install DESTDIR="$T/e" bindir=/b mandir=/m >/dev/null
	[ -x "$T/e/b/printer" ]
	[ -f "$T/e/m/man1/printer.1" ]
}

@test "every program has a man page that man can format" {
	for c in "$TOP"/cmd/*.c; do
		n=$(basename "$c" .c)
		[ -f "$TOP/man/$n.1" ]
		if command -v man >/dev/null; then
			run -0 bash -c "MANWIDTH=80 man -l '$TOP/man/$n.1' 2>&1 >/dev/null"
			[ -z "$output" ]
		fi
	done
}

@test "every program answers --help on stdout and --version, exit 0" {
	for c in "$TOP"/cmd/*.c; do
		n=$(basename "$c" .c)
		run -0 "$n" --help
		[[ "${lines[0]}" == "Usage: $n "* ]]
		run -0 "$n" --version
		[ "$output" = "$n (runnel) 0.1.0" ]
	done
}

@test "make demo runs on the generated log" {
	run make -s -C "$TOP" demo
	[ "$status" -eq 0 ]
	[[ "$output" == *"count="* ]]
}
