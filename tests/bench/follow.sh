# follow beside cat and tail (issue targets: `follow --once -n +1` as fast
# as cat on the whole log; -n 10 from the end costs nothing whatever the
# size; a line appended reaches stdout within 50 ms, as with tail -F).
compare "follow --once -n +1 vs cat ($SIZE log)" \
	"follow --once -n +1=follow --once -n +1 \"\$LOG\" > /dev/null" \
	"cat=cat \"\$LOG\" > /dev/null"
compare "follow --once (last 10 lines) vs tail -n 10 ($SIZE log)" \
	"follow --once=follow --once \"\$LOG\" > /dev/null" \
	"tail -n 10=tail -n 10 \"\$LOG\" > /dev/null"
# Latency: append one line 200 times, measure until it is on the output.
latency() {
	local dir f i t0 t1 total=0 n=200
	dir=$(mktemp -d)
	f=$dir/log
	: > "$f"
	"$@" "$f" > "$dir/out" 2> /dev/null &
	local p=$!
	sleep 0.3
	for i in $(seq 1 $n); do
		t0=$(date +%s%N)
		echo "line $i" >> "$f"
		while [ "$(wc -l < "$dir/out")" -lt "$i" ]; do :; done
		t1=$(date +%s%N)
		total=$((total + t1 - t0))
	done
	kill "$p"; wait "$p" 2> /dev/null
	rm -rf "$dir"
	echo "  $*: mean latency $((total / n / 1000)) us over $n appends"
}
echo "## append-to-output latency (mean over 200 appends)"
latency follow -n 0
latency tail -F -n 0
