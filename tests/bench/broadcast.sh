# broadcast beside tee, pee and cat (issue targets: tee to two FILEs and
# pee-like fan-out at least as fast as the peers; round robin within 1.5x
# of one pipe, `cat | cat`, in flat memory (see the rss column);
# --balance gives a slow consumer little and ends about when the fast
# one alone would).
compare "broadcast to 2 FILEs vs tee ($SIZE log)" \
	"broadcast=broadcast \"\$CORPUS_DIR/bc-out-1\" \"\$CORPUS_DIR/bc-out-2\" < \"\$LOG\" > /dev/null" \
	"tee=tee \"\$CORPUS_DIR/bc-out-1\" \"\$CORPUS_DIR/bc-out-2\" < \"\$LOG\" > /dev/null"
rm -f "$CORPUS_DIR"/bc-out-*
if have pee; then
	compare "broadcast -c x2 vs pee ($SIZE log)" \
		"broadcast -c=broadcast -c 'cat >/dev/null' -c 'cat >/dev/null' < \"\$LOG\"" \
		"pee=pee 'cat >/dev/null' 'cat >/dev/null' < \"\$LOG\""
fi
compare "broadcast --round-robin/--key/--balance over 4 wc -l vs one pipe ($SIZE log)" \
	"broadcast --round-robin=broadcast --round-robin -c 'wc -l' -c 'wc -l' -c 'wc -l' -c 'wc -l' < \"\$LOG\" > /dev/null" \
	"broadcast --key 1=broadcast --key 1 -c 'wc -l' -c 'wc -l' -c 'wc -l' -c 'wc -l' < \"\$LOG\" > /dev/null" \
	"broadcast --balance=broadcast --balance -c 'wc -l' -c 'wc -l' -c 'wc -l' -c 'wc -l' < \"\$LOG\" > /dev/null" \
	"cat | cat=cat \"\$LOG\" | cat > /dev/null" \
	"cat=cat \"\$LOG\" > /dev/null"

# --balance with a fast and a slow consumer (a shell loop that sleeps
# 1 ms a line) on the first 200000 lines: who got how many, and the wall
# time beside the fast consumer alone.
head -n 200000 "$LOG" > "$CORPUS_DIR/bc-200k.log"
echo
echo "## broadcast --balance: lines per consumer, fast and slow ($(wc -l < "$CORPUS_DIR/bc-200k.log") lines)"
broadcast --balance -c 'wc -l | sed s/^/fast:/' \
	-c 'n=0; while read -r l; do sleep 0.001; n=$((n+1)); done; echo slow:$n' \
	< "$CORPUS_DIR/bc-200k.log" | sort | tr '\n' ' '
echo
compare "broadcast --balance fast + slow consumer vs the fast one alone (first 200000 lines)" \
	"broadcast --balance=broadcast --balance -c 'cat >/dev/null' -c 'while read -r l; do sleep 0.001; done' < \"\$CORPUS_DIR/bc-200k.log\"" \
	"broadcast -c fast only=broadcast -c 'cat >/dev/null' < \"\$CORPUS_DIR/bc-200k.log\"" \
	"cat alone=cat > /dev/null < \"\$CORPUS_DIR/bc-200k.log\""
rm -f "$CORPUS_DIR/bc-200k.log"
