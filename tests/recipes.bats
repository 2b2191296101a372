#!/usr/bin/env bats
# The recipes of README.md and runnel(7), each run here as far as it can
# run on one machine: where a recipe follows for ever (follow -n 0,
# printer --every) the test reads the file once (follow --once -n +1) and
# takes the summary at the end of input; every other word is the recipe's.

load helper

setup_file() {
	log=$BATS_FILE_TMPDIR/access.log
	"$BATS_TEST_DIRNAME/data/gen-access-log" 2000 7 > "$log"
	printf '%s\n' \
	  '10.0.0.9 - - [01/Feb/2008:00:00:08 -0600] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.27"' \
	  '10.0.0.9 - - [01/Feb/2008:00:00:18 -0600] "GET /healthz HTTP/1.1" 503 2 "-" "kube-probe/1.27"' \
	  >> "$log"
}

setup() {
	T=$BATS_TEST_TMPDIR
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	LOG=$BATS_FILE_TMPDIR/access.log
	cd "$T" || return 1
	cp "$LOG" access.log
}

# The 5xx lines of access.log by awk, the reference for the counts.
fives() {
	awk '$9 ~ /^5[0-9][0-9]$/' access.log
}

@test "composition: the shell pipeline and pipe write the same bytes" {
	follow --once -n +1 access.log | match '" 5\d\d ' | printer -n > sh.out
	pipe 'follow --once -n +1 access.log | match "\" 5\d\d " | printer -n' > pipe.out
	[ -s sh.out ]
	assert_same_bytes pipe.out sh.out
	[ "$(wc -l < sh.out)" -eq "$(fives | wc -l)" ]
}

@test "questions: the commonest statuses, as sort | uniq -c | sort -rn" {
	run -0 printer -q --by 9 --top 3 access.log
	want=$(awk '{print $9}' access.log | sort | uniq -c | sort -k1,1nr -k2,2 |
		head -3 | awk '{print "f9=" $2 " count=" $1}')
	[ "$output" = "$want" ]
}

@test "questions: percentiles by status and a status count per minute run" {
	run -0 --separate-stderr printer -q --by 9 -f 10 --summary=count,p50,p99 access.log
	[ "$stderr" = "" ]
	[[ "${lines[0]}" =~ ^f9=200\ count=[0-9]+\ p50=[0-9]+\ p99=[0-9]+$ ]]
	run -0 printer -q --window 1m --time 4 --by 9 access.log
	[[ "${lines[0]}" == "window=2008-02-01T00:00:00-0600 f9="* ]]
}

@test "Makefile wait: follow --until exits 0 once the server says it listens, 124 if not" {
	: > server.log
	( sleep 0.3; echo 'starting'; echo 'listening on :8080' ) >> server.log &
	run -0 follow -n 0 server.log --until 'listening on' --timeout 30
	[ "$output" = $'starting\nlistening on :8080' ]
	wait
	: > quiet.log
	run -124 follow -n 0 quiet.log --until 'listening on' --timeout 0.3
	[ "$output" = "" ]
}

# The unit's ExecStart as a shell command line, with PATH's runnel, the
# test's state directory and log; $1 is added after "follow".
unit_command() {
	sed -n 's/^ExecStart=//p' "$TOP/contrib/runnel-ship.service" |
		sed -e 's|^/usr/bin/pipe |pipe |' -e "s|%S/runnel-ship|$T/state|" \
		    -e "s|/var/log/nginx/access.log|$T/access.log|" \
		    -e "s|\"follow |\"follow $1 |"
}

@test "systemd: contrib/runnel-ship.service passes systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	# The unit as installed: /usr/bin/pipe is this tree's, man: pages are ours.
	sed "s|^ExecStart=/usr/bin/pipe |ExecStart=$RUNNEL_BIN/pipe |" \
		"$TOP/contrib/runnel-ship.service" > runnel-ship.service
	mkdir -p man/man1 man/man7
	cp "$TOP"/man/*.1 man/man1/ && cp "$TOP"/man/runnel.7 man/man7/
	run --separate-stderr env MANPATH="$T/man" systemd-analyze verify "$T/runnel-ship.service"
	if [[ "$stderr" == *"Failed to"*"bus"* || "$stderr" == *"System has not been booted"* ]]; then
		skip "systemd-analyze cannot run here: $stderr"
	fi
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[ "$output$stderr" = "" ]
	# and it does see a broken unit
	sed 's/^Type=exec/Type=bogus/' runnel-ship.service > bad.service
	run --separate-stderr env MANPATH="$T/man" systemd-analyze verify "$T/bad.service"
	[[ "$stderr" == *"Failed to parse service type"* ]]
}

@test "systemd: the unit's pipeline ships each line once across restarts" {
	mkdir state
	eval "$(unit_command --once)" > run1.out
	grep -v ' /healthz ' access.log > want1
	assert_same_bytes run1.out want1
	[ "$(stat -c %a state/access.state)" = 600 ]
	# a restart: nothing new, nothing again (match selected nothing: 1);
	# then only the new lines
	st=0
	eval "$(unit_command --once)" > run2.out || st=$?
	[ "$st" -eq 1 ]
	[ ! -s run2.out ]
	printf '%s\n' 'n1 - - [01/Feb/2008:01:00:00 -0600] "GET / HTTP/1.1" 200 5 "-" "x"' \
		'n2 - - [01/Feb/2008:01:00:01 -0600] "GET /healthz HTTP/1.1" 200 2 "-" "x"' >> access.log
	eval "$(unit_command --once)" > run3.out
	[ "$(cat run3.out)" = 'n1 - - [01/Feb/2008:01:00:00 -0600] "GET / HTTP/1.1" 200 5 "-" "x"' ]
}

@test "parallel: -S : follows the log and one pipe counts the 5xx by host" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	# parallel builds a host's command for $SHELL: without one (env -i,
	# some CI runners) it runs nothing there and still exits 0
	export SHELL=${SHELL:-/bin/sh}
	run -0 --separate-stderr bash -o pipefail -c \
	  'parallel --tag --line-buffer --nonall -S : \
	      follow --once -n +1 "$PWD/access.log" |
	    pipe '\''match "\" 5\d\d " | printer -q --by 1'\'
	[ "$output" = "f1=: count=$(fives | wc -l)" ]
}

@test "parallel: two hosts over (a stand-in for) ssh, tagged and counted apart" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	# parallel builds a host's command for $SHELL: without one (env -i,
	# some CI runners) it runs nothing there and still exits 0
	export SHELL=${SHELL:-/bin/sh}
	# ssh HOST -- COMMAND...: runs COMMAND here, as sshd would on HOST
	printf '%s\n' '#!/bin/sh' 'shift' '[ "$1" = -- ] && shift' 'exec sh -c "$*"' > ssh
	chmod +x ssh
	run -0 --separate-stderr bash -o pipefail -c \
	  'parallel --ssh "$PWD/ssh" --tag --line-buffer --nonall -S web1,web2 \
	      follow --once -n +1 "$PWD/access.log" |
	    pipe '\''match "\" 5\d\d " | printer -q --by 1'\'
	n=$(fives | wc -l)
	[ "$output" = "f1=web1 count=$n"$'\n'"f1=web2 count=$n" ]
}

@test "broadcast --key: per-key workers see disjoint keys that add up exactly" {
	run -0 bash -o pipefail -c "follow --once -n +1 access.log |
	    broadcast --key 1 -c 'printer -q --by 1' -c 'printer -q --by 1' | sort"
	[ "$output" = "$(printer -q --by 1 access.log | sort)" ]
	# each worker got some keys, and no key went to both
	follow --once -n +1 access.log |
		broadcast --key 1 -c 'printer -q --by 1 > w1' -c 'printer -q --by 1 > w2'
	[ -s w1 ] && [ -s w2 ]
	[ -z "$(comm -12 <(cut -d' ' -f1 w1 | sort) <(cut -d' ' -f1 w2 | sort))" ]
}

@test "shipper: follow --state | match -v hands each line over once" {
	follow -n +1 --state=ship.state --once access.log | match -v ' /healthz ' > 1.out
	[ "$(wc -l < 1.out)" -eq 2000 ]
	echo 'x - - [01/Feb/2008:02:00:00 -0600] "GET /a HTTP/1.1" 200 1 "-" "y"' >> access.log
	run -0 bash -o pipefail -c "follow -n +1 --state=ship.state --once access.log | match -v ' /healthz '"
	[ "$output" = 'x - - [01/Feb/2008:02:00:00 -0600] "GET /a HTTP/1.1" 200 1 "-" "y"' ]
}

@test "shipper: the fluent-bit and Vector configurations read stdin" {
	grep -q '^    Name          stdin$' "$TOP/contrib/fluent-bit.conf"
	grep -q '^type = "stdin"$' "$TOP/contrib/vector.toml"
	checked=0
	if command -v fluent-bit >/dev/null; then
		run -0 fluent-bit --dry-run -c "$TOP/contrib/fluent-bit.conf"
		checked=1
	fi
	if command -v vector >/dev/null; then
		run -0 vector validate --no-environment "$TOP/contrib/vector.toml"
		checked=1
	fi
	[ "$checked" -eq 1 ] || skip "neither fluent-bit nor vector is installed (not in Debian 12)"
}
