# Shared by the follow suites that run followers in the background:
# each is recorded in BG, killed and waited for in teardown.
load helper

setup() {
	T=$BATS_TEST_TMPDIR
	BG=()
}

teardown() {
	local p
	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${BG[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}

# follow ARGS... in the background, output to $T/out, messages to $T/err
bg_follow() {
	follow "$@" > "$T/out" 2> "$T/err" 3>&- &
	BG+=($!)
}

has() { [ "$(cat "$T/out")" = "$1" ]; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
