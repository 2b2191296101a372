# printer beside cat -n, moreutils ts and datamash (issue targets:
# -n no slower than cat -n; -t 20x faster than ts; -q --summary at least
# as fast as datamash sum 1; RSS under 16 MiB).
compare "printer -n vs cat -n ($SIZE log)" \
	"printer -n=printer -n \"\$LOG\" > /dev/null" \
	"cat -n=cat -n \"\$LOG\" > /dev/null"
if have ts; then
	# ts is slow: time it on a 50 MB slice, both sides alike.
	head -c 50000000 "$LOG" | sed '$d' > "$CORPUS_DIR/slice.log"
	compare "printer -t vs ts (50 MB slice)" \
		"printer -t=printer -t < \"\$CORPUS_DIR/slice.log\" > /dev/null" \
		"ts=ts '%Y-%m-%d %H:%M:%.S' < \"\$CORPUS_DIR/slice.log\" > /dev/null"
fi
if have datamash; then
	compare "printer -q --summary vs datamash sum 1 (10 M numbers)" \
		"printer -q --summary sum=printer -q --summary=sum \"\$NUMS\" > /dev/null" \
		"datamash sum 1=datamash sum 1 < \"\$NUMS\" > /dev/null"
fi
# printer's summaries by group (issue 20 targets, under each table):
# -q --by 9 at most 0.5 x mawk's count by status and 0.1 x datamash's;
# --by 1 --top 10 at most 0.2 x awk | sort | uniq -c | sort -rn | head;
# --by 9 -f 10 count,p50,p99 at most 0.2 x datamash perc over the lines
# whose bytes are a number (datamash stops at '-'), peak RSS < 64 MiB.
peers=("mawk=mawk '{c[\$9]++} END{for (k in c) print k, c[k]}' \"\$LOG\" > /dev/null")
have datamash && peers+=("datamash=datamash -W -s -g 9 count 9 < \"\$LOG\" > /dev/null")
BENCH_BOUNDS="mawk<=0.5;datamash<=0.1" compare "printer -q --by 9 vs mawk and datamash, count by status ($SIZE log)" \
	"printer --by 9=printer -q --by 9 \"\$LOG\" > /dev/null" "${peers[@]}"
BENCH_BOUNDS="awk|sort|uniq<=0.2" compare "printer -q --by 1 --top 10 vs awk | sort | uniq -c | sort -rn | head ($SIZE log)" \
	"printer --by 1 --top 10=printer -q --by 1 --top 10 \"\$LOG\" > /dev/null" \
	"awk|sort|uniq=awk '{print \$1}' \"\$LOG\" | sort | uniq -c | sort -rn 2> /dev/null | head > /dev/null"
if have datamash; then
	NUMLOG=$CORPUS_DIR/num-$SIZE.log
	[ -s "$NUMLOG" ] || mawk '$10 ~ /^[0-9]+$/' "$LOG" > "$NUMLOG"
	export NUMLOG
	BENCH_BOUNDS="datamash<=0.2;rss<=64" compare "printer --by 9 -f 10 count,p50,p99 vs datamash perc ($(wc -l < "$NUMLOG") numeric lines)" \
		"printer p50,p99=printer -q --by 9 --summary=count,p50,p99 -f 10 \"\$NUMLOG\" > /dev/null" \
		"datamash=datamash -W -s -g 9 count 10 perc:50 10 perc:99 10 < \"\$NUMLOG\" > /dev/null"
fi
# An idle --every 1s: one wake-up a window (issue 20: 0% CPU between).
if have strace; then
	echo
	echo "## printer -q --every 1s on an idle stream, 10 s under strace -c"
	sleep 11 | timeout -s INT 10 strace -c -o "$CORPUS_DIR/every.strace" \
	    printer -q --every 1s > /dev/null 2>&1
	awk '$NF ~ /^(ppoll|write|rt_sigprocmask|total)$/ { print "#   " $NF ": " $4 " calls" }' "$CORPUS_DIR/every.strace"
fi
