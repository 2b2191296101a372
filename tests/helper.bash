# Shared set-up for the bats suites: the programs under test come first on
# PATH (RUNNEL_BIN, set by the Makefile; bin/ beside the tests otherwise).
bats_require_minimum_version 1.5.0

RUNNEL_BIN=${RUNNEL_BIN:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/bin}
PATH=$RUNNEL_BIN:$PATH
export LC_ALL=C

# Fixtures shipped with the tests.
FIX=$BATS_TEST_DIRNAME/fixtures

# Wait until a shell condition holds, polling every 20 ms, at most $2 s.
wait_for() {
	local cond=$1 limit=${2:-5} i=0
	while ! eval "$cond"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 50)) ] || return 1
		sleep 0.02
	done
}

# Run a command and compare its output bytes with a file's (hex dump
# on failure, so invisible bytes show).
assert_same_bytes() {
	if ! cmp -s "$1" "$2"; then
		echo "--- expected ($2)"; od -c "$2" | head -20
		echo "--- got ($1)"; od -c "$1" | head -20
		return 1
	fi
}
