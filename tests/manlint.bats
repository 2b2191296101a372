#!/usr/bin/env bats
# Every man page is clean for `mandoc -Tlint` (style messages included),
# and runnel(7), the overview, names every program.

load helper

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
}

@test "mandoc -Tlint reports nothing on any man page" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	pages=("$TOP"/man/*.[1-9])
	[ "${#pages[@]}" -ge 7 ]
	run --separate-stderr mandoc -Tlint "${pages[@]}"
	[ "$output$stderr" = "" ]
	[ "$status" -eq 0 ]
}

@test "runnel(7) refers to every program's page" {
	for c in "$TOP"/cmd/*.c; do
		n=$(basename "$c" .c)
		grep -qx "\.BR $n (1)," "$TOP/man/runnel.7"
	done
}

@test "man formats runnel(7) without a complaint" {
	command -v man >/dev/null || skip "man is not installed"
	run -0 --separate-stderr env MANWIDTH=80 man -l "$TOP/man/runnel.7"
	[ "$stderr" = "" ]
	[[ "${lines[0]}" == "RUNNEL(7)"*"RUNNEL(7)" ]]
	[[ "$output" == *"SHARED RULES"*"FIELDS AND FORMATS"*"RECIPES"* ]]
}
