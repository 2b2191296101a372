# follow beside cat and tail (issue #4 targets: `follow --once -n +1` as
# fast as cat on the whole log; -n 10 from the end costs nothing whatever
# the size; a line appended reaches stdout within 50 ms, as with tail -F;
# --state costs little in bulk; an idle follower costs nothing).
compare "follow --once -n +1 vs cat ($SIZE log)" \
	"follow --once -n +1=follow --once -n +1 \"\$LOG\" > /dev/null" \
	"cat=cat \"\$LOG\" > /dev/null"
compare "follow --once -n +1 vs cat, into a pipe ($SIZE log)" \
	"follow --once -n +1 | cat=follow --once -n +1 \"\$LOG\" | cat > /dev/null" \
	"cat | cat=cat \"\$LOG\" | cat > /dev/null"
fdir=$(mktemp -d)
compare "follow --once -n +1 --state, into a file and a pipe ($SIZE log)" \
	"--state > file=rm -f $fdir/st; follow --once -n +1 --state $fdir/st \"\$LOG\" > $fdir/out" \
	"no state > file=follow --once -n +1 \"\$LOG\" > $fdir/out" \
	"--state | cat=rm -f $fdir/st; follow --once -n +1 --state $fdir/st \"\$LOG\" | cat > /dev/null" \
	"no state | cat=follow --once -n +1 \"\$LOG\" | cat > /dev/null"
rm -f "$fdir/st" "$fdir/out"
compare "follow --once (last 10 lines) vs tail -n 10 ($SIZE log)" \
	"follow --once=follow --once \"\$LOG\" > /dev/null" \
	"tail -n 10=tail -n 10 \"\$LOG\" > /dev/null"
# The live cases: both followers of one file in the same run
# (tests/bench/latency.py; its file is deleted after each run).
lat=$here/latency.py
python3 "$lat" lat "$fdir" "follow -n 0=follow -n 0" "tail -F -n 0=tail -F -n 0"
# throughput: at most 10 s or 1 GiB (BENCH_SIZE when smaller)
THRU_BYTES=$(bytes "$SIZE") python3 "$lat" thru "$fdir" \
	"follow -n 0=follow -n 0" "tail -F -n 0=tail -F -n 0"
python3 "$lat" idle "$fdir" "follow -n 0=follow -n 0" "tail -F -n 0=tail -F -n 0"
# idle syscalls, counted by strace over 10 s of nothing written
if have strace; then
	echo
	echo "## idle syscalls over 10 s (strace -c -f)"
	: > "$fdir/log"
	st=$(mktemp)
	for f in "follow -n 0" "tail -F -n 0"; do
		$f "$fdir/log" > /dev/null &
		p=$!
		sleep 0.5
		# its report is written outside the watched directory
		timeout -s INT 10 strace -c -f -p "$p" -o "$st" 2> /dev/null
		kill "$p"; wait "$p" 2> /dev/null
		# no table at all: not one syscall completed in the window
		echo "$f: $(awk '/total/ { n = $4 } END { print n + 0 " syscalls" }' "$st")"
		grep -E '^ +[0-9]' "$st" | awk '{ printf "    %s %s\n", $4, $NF }'
	done
	rm -f "$st"
fi
rm -rf "$fdir"
