# Fields by name (issue 19 targets, under each table): on the same
# records as the access log, as JSON lines and logfmt,
# - combined: printer -q --summary -f bytes --format combined at most
#   1.25 x printer -f 10 and 0.5 x mawk's sum;
# - json: at most 0.05 x jq | datamash and 0.2 x mlr; its bytes a second
#   at least half the combined row's (the "throughput" line);
# - match --field status --format combined '^5' -c at most 0.5 x mawk | wc;
# - peak RSS under 16 MiB on each.
JLOG=$CORPUS_DIR/access-$SIZE.jsonl
LFLOG=$CORPUS_DIR/access-$SIZE.logfmt
[ -s "$JLOG" ] || "$top/tests/data/gen-records" json - < "$LOG" > "$JLOG"
[ -s "$LFLOG" ] || "$top/tests/data/gen-records" logfmt - < "$LOG" > "$LFLOG"
export JLOG LFLOG

BENCH_BOUNDS="printer -f 10<=1.25;mawk<=0.5;rss<=16" compare "combined: printer -q --summary -f bytes --format combined ($SIZE log)" \
	"printer -f bytes=printer -q --summary -f bytes --format combined \"\$LOG\" > /dev/null" \
	"printer -f 10=printer -q --summary -f 10 \"\$LOG\" > /dev/null" \
	"mawk=mawk '{s+=\$10} END{print s}' \"\$LOG\" > /dev/null" | tee "$CORPUS_DIR/fields-combined.txt"

peers=()
have jq && have datamash && peers+=("jq|datamash=jq -r '.bytes // empty' \"\$JLOG\" | datamash sum 1 > /dev/null")
have mlr && peers+=("mlr=mlr --ijson stats1 -a sum -f bytes \"\$JLOG\" > /dev/null")
BENCH_BOUNDS="jq|datamash<=0.05;mlr<=0.2;rss<=16" compare "json: printer -q --summary -f bytes --format json ($(wc -c < "$JLOG") bytes, the same records)" \
	"printer -f bytes=printer -q --summary -f bytes --format json \"\$JLOG\" > /dev/null" \
	"${peers[@]}" | tee "$CORPUS_DIR/fields-json.txt"
# bytes a second: the json row's over the combined row's (target >= 0.5)
awk -v lb="$(wc -c < "$LOG")" -v jb="$(wc -c < "$JLOG")" '
	# the rows: "printer -f bytes WALL CPU ..."
	$1 == "printer" && $3 == "bytes" {
		if (FILENAME ~ /combined/ && !cw) cw = $4
		if (FILENAME ~ /json/ && !jw) jw = $4
	}
	END {
		if (cw > 0 && jw > 0)
			printf "# targets: json throughput %.0f MB/s over combined %.0f MB/s: %.3f (>= 0.5)\n",
			    jb / jw / 1e6, lb / cw / 1e6, (jb / jw) / (lb / cw)
	}' "$CORPUS_DIR/fields-combined.txt" "$CORPUS_DIR/fields-json.txt"

compare "logfmt: printer -q --summary -f bytes --format logfmt ($(wc -c < "$LFLOG") bytes, the same records)" \
	"printer -f bytes=printer -q --summary -f bytes --format logfmt \"\$LFLOG\" > /dev/null" \
	"mawk=mawk '{for (i = 1; i <= NF; i++) if (\$i ~ /^bytes=/) s += substr(\$i, 7)} END{print s}' \"\$LFLOG\" > /dev/null"

# '^5' as the issue has it; '^4' too, where a log has no server error
for st in 5 4; do
	BENCH_BOUNDS="mawk|wc<=0.5;rss<=16" compare "match --field status --format combined '^$st' -c ($SIZE log)" \
		"match --field=match --field status --format combined '^$st' -c \"\$LOG\" > /dev/null" \
		"mawk|wc=mawk '\$9 ~ /^$st/' \"\$LOG\" | wc -l > /dev/null"
done
