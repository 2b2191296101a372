# match beside ripgrep and grep -P (issue targets: -c and printing a
# literal no slower than rg; the regexes at most 1.5x rg and at least 2x
# faster than grep -P; -v and an everything pattern at most 1.2x rg).
# Output goes through cat: grep stops at the first match into /dev/null.
head -c 100000000 "$LOG" | sed '$d' > "$CORPUS_DIR/match-slice.log"
S='"$CORPUS_DIR/match-slice.log"'
bench_match() {	# TITLE, then the arguments shared by all three tools
	local title=$1 args=$2
	if have rg; then
		compare "match $title vs rg, grep -P (100 MB slice)" \
			"match=match $args $S | cat > /dev/null" \
			"rg=rg --no-config -a $args $S | cat > /dev/null" \
			"grep -P=grep -a -P $args $S | cat > /dev/null"
	else
		compare "match $title vs grep -P (100 MB slice)" \
			"match=match $args $S | cat > /dev/null" \
			"grep -P=grep -a -P $args $S | cat > /dev/null"
	fi
}
bench_match "-c favicon" "-c favicon"
bench_match "favicon" "favicon"
bench_match "pdf regex" "'GET /[a-z]+/[^ ]*\\.pdf HTTP/1\\.[01]\" 200'"
bench_match "404 regex" "'\\s404\\s\\d+\$'"
bench_match "-i alternation" "-i 'mozilla|python'"
bench_match "-v favicon" "-v favicon"
bench_match "every line" "'^'"
