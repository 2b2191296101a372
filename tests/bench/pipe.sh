# pipe beside the same pipeline of executables in bash, and beside each of
# its stages run alone on the same input.  Issue targets: with no flag,
# pipe's wall time and its CPU time (all threads) at most 0.5 x the
# shell pipeline's (all its processes); on one thread (--threads=1),
# CPU at most 0.5 x; for match favicon | match -o, wall at most 0.6 x
# with no flag and CPU at most 1.0 x on one thread; peak RSS under 32
# MiB.  By default pipe splits the stages that work line by line over
# the processors when stage 1 reads a file (a worker each, batches in
# turn: more wall-clock speed for a little more CPU time); follow's
# input stays on one thread unless --threads is given.  Each case needs
# its stage executables built.  pipe expands nothing, so the shell puts
# $LOG into pipe's text before pipe reads it.
built() {
	local c
	for c; do
		[ -x "$(command -v "$c")" ] || { echo "bench: $c not built, case left out" >&2; return 1; }
	done
}
compare "pipe vs shell: printer -n | printer -p ($SIZE log)" \
	"pipe=pipe \"printer -n '\$LOG' | printer -p 'x: '\" > /dev/null" \
	"bash=bash -o pipefail -c 'printer -n \"\$LOG\" | printer -p \"x: \"' > /dev/null"
if built match power; then
	BENCH_TARGETS=1 compare "pipe vs shell and single stages: match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n ($SIZE log)" \
		"pipe=pipe 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' < \"\$LOG\" > /dev/null" \
		"pipe one thread=pipe --threads=1 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' < \"\$LOG\" > /dev/null" \
		"bash=bash -o pipefail -c 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' < \"\$LOG\" > /dev/null" \
		"match GET=match GET < \"\$LOG\" > /dev/null" \
		"power alone=power 2 -f 10 --invalid=pass < \"\$LOG\" > /dev/null" \
		"match -v alone=match -v favicon < \"\$LOG\" > /dev/null" \
		"printer -n alone=printer -n < \"\$LOG\" > /dev/null"
	BENCH_TARGETS=1 BENCH_WALL=0.6 BENCH_CPU1=1.0 compare "pipe vs shell: match favicon FILE | match -o '[^ ]+\$' ($SIZE log)" \
		"pipe=pipe \"match favicon '\$LOG' | match -o '[^ ]+\\\$'\" > /dev/null" \
		"pipe one thread=pipe --threads=1 \"match favicon '\$LOG' | match -o '[^ ]+\\\$'\" > /dev/null" \
		"bash=bash -o pipefail -c 'match favicon \"\$LOG\" | match -o \"[^ ]+\\\$\"' > /dev/null"
fi
if built follow match; then
	BENCH_TARGETS=1 compare "pipe vs shell and single stages: follow --once | match | printer --prefix ($SIZE log)" \
		"pipe=pipe \"follow --once -n +1 '\$LOG' | match favicon | printer --prefix 'x: '\" > /dev/null" \
		"pipe --threads=pipe --threads \"follow --once -n +1 '\$LOG' | match favicon | printer --prefix 'x: '\" > /dev/null" \
		"bash=bash -o pipefail -c 'follow --once -n +1 \"\$LOG\" | match favicon | printer --prefix \"x: \"' > /dev/null" \
		"follow alone=follow --once -n +1 \"\$LOG\" > /dev/null" \
		"match alone=match favicon < \"\$LOG\" > /dev/null" \
		"printer alone=printer --prefix 'x: ' < \"\$LOG\" > /dev/null"
fi
if built broadcast power; then
	compare "pipe vs shell: broadcast to two filters into one printer ($SIZE log)" \
		"pipe=pipe 'broadcast -c \"match favicon\" -c \"match -c GET\" | printer -n' < \"\$LOG\" > /dev/null" \
		"bash=bash -o pipefail -c 'broadcast -c \"match favicon\" -c \"match -c GET\" | printer -n' < \"\$LOG\" > /dev/null"
fi
