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
