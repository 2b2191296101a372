# broadcast beside tee, pee and cat (issue targets: tee to two FILEs and
# pee-like fan-out at least as fast as the peers; distribution bounded by
# the consumers, not by broadcast).
compare "broadcast to 2 FILEs vs tee ($SIZE log)" \
	"broadcast=broadcast \"\$CORPUS_DIR/bc-out-1\" \"\$CORPUS_DIR/bc-out-2\" < \"\$LOG\" > /dev/null" \
	"tee=tee \"\$CORPUS_DIR/bc-out-1\" \"\$CORPUS_DIR/bc-out-2\" < \"\$LOG\" > /dev/null"
rm -f "$CORPUS_DIR"/bc-out-*
if have pee; then
	compare "broadcast -c x2 vs pee ($SIZE log)" \
		"broadcast -c=broadcast -c 'cat >/dev/null' -c 'cat >/dev/null' < \"\$LOG\"" \
		"pee=pee 'cat >/dev/null' 'cat >/dev/null' < \"\$LOG\""
fi
compare "broadcast --round-robin over 4 wc -l vs cat ($SIZE log)" \
	"broadcast --round-robin=broadcast --round-robin -c 'wc -l' -c 'wc -l' -c 'wc -l' -c 'wc -l' < \"\$LOG\" > /dev/null" \
	"cat=cat \"\$LOG\" > /dev/null"
compare "broadcast --balance fast vs slow consumer ($SIZE log)" \
	"broadcast --balance=broadcast --balance -c 'wc -l' -c 'while read -r l; do :; done; echo done' < \"\$LOG\" > /dev/null"
