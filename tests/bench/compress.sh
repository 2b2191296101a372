# Compressed logs (issue 21 targets, under each table): match -c favicon
# on the .gz at most 0.5 x zcat | match and 0.5 x rg -z, at most 1.1 x
# igzip -dc > /dev/null (the search costs almost nothing beside the
# inflate); on the .zst at most 1.1 x zstdcat, on the .xz at most
# 1.05 x xzcat; printer -q --summary -f 10 on the .gz at most 0.5 x
# zcat | mawk; peak RSS under 16 MiB each.  The corpus is compressed
# once, beside it: gzip -6, zstd -3, xz -1.
for z in "gz:gzip -6" "zst:zstd -q -3" "xz:xz -1 -T1"; do
	ext=${z%%:*} cmd=${z#*:}
	have "${cmd%% *}" || continue
	if [ ! -s "$LOG.$ext" ]; then
		echo "bench: writing $LOG.$ext ($cmd)" >&2
		$cmd -c "$LOG" > "$LOG.$ext.tmp" && mv "$LOG.$ext.tmp" "$LOG.$ext"
	fi
done
GZ='"$LOG.gz"'
peers=("zcat|match=zcat $GZ | match -c favicon > /dev/null")
have rg && peers+=("rg -z=rg --no-config -z -c favicon $GZ > /dev/null")
have igzip && peers+=("igzip -dc=igzip -dc $GZ > /dev/null")
BENCH_BOUNDS="zcat|match<=0.5;rg -z<=0.5;igzip -dc<=1.1;rss<=16" \
	compare "match -c favicon on a .gz vs zcat | match, rg -z, igzip -dc ($SIZE log, gzip -6)" \
	"match .gz=match -c favicon $GZ > /dev/null" "${peers[@]}"
if [ -s "$LOG.zst" ]; then
	BENCH_BOUNDS="zstdcat<=1.1;rss<=16" \
		compare "match -c favicon on a .zst vs zstdcat > /dev/null ($SIZE log, zstd -3)" \
		"match .zst=match -c favicon \"\$LOG.zst\" > /dev/null" \
		"zstdcat=zstdcat \"\$LOG.zst\" > /dev/null"
fi
if [ -s "$LOG.xz" ]; then
	BENCH_BOUNDS="xzcat<=1.05;rss<=16" \
		compare "match -c favicon on a .xz vs xzcat > /dev/null ($SIZE log, xz -1)" \
		"match .xz=match -c favicon \"\$LOG.xz\" > /dev/null" \
		"xzcat=xzcat \"\$LOG.xz\" > /dev/null"
fi
have mawk && BENCH_BOUNDS="zcat|mawk<=0.5;rss<=16" \
	compare "printer -q --summary -f 10 on a .gz vs zcat | mawk ($SIZE log, gzip -6)" \
	"printer .gz=printer -q --summary -f 10 $GZ > /dev/null" \
	"zcat|mawk=zcat $GZ | mawk '{s+=\$10} END {print s}' > /dev/null"
