# pipe beside the same pipeline of executables in bash (issue target:
# in-process no slower than the shell pipeline; usually faster, as no
# bytes cross pipes).  Each case needs its stage executables built.
built() {
	local c
	for c; do
		[ -x "$(command -v "$c")" ] || { echo "bench: $c not built, case left out" >&2; return 1; }
	done
}
compare "pipe vs shell: printer -n | printer -p ($SIZE log)" \
	"pipe=pipe 'printer -n \"\$LOG\" | printer -p \"x: \"' > /dev/null" \
	"bash=bash -o pipefail -c 'printer -n \"\$LOG\" | printer -p \"x: \"' > /dev/null"
if built match power; then
	compare "pipe vs shell: match | power | match -v | printer -n ($SIZE log)" \
		"pipe=pipe 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' < \"\$LOG\" > /dev/null" \
		"bash=bash -o pipefail -c 'match GET | power 2 -f 10 --invalid=pass | match -v favicon | printer -n' < \"\$LOG\" > /dev/null"
fi
if built follow match; then
	compare "pipe vs shell: follow --once | match | printer --prefix ($SIZE log)" \
		"pipe=pipe 'follow --once -n +1 \"\$LOG\" | match favicon | printer --prefix \"x: \"' > /dev/null" \
		"bash=bash -o pipefail -c 'follow --once -n +1 \"\$LOG\" | match favicon | printer --prefix \"x: \"' > /dev/null"
fi
