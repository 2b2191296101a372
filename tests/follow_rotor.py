#!/usr/bin/env python3
"""A logger that rotates twice within a millisecond (issue 17.7).

follow_rotor.py LOG ROUNDS WANT [PAUSE]

Each round writes 90 lines to LOG, then renames LOG away and creates it
again twice in a row: the generation in between lives for microseconds,
with 5 lines in it.  Then, as a logger whose descriptors are still open
does, 5 more lines go to each of the two renamed files.  The renamed
files get names of their own (LOG.1, LOG.2, ...).  At the end, 10 lines
go to the last LOG.  Every line is unique; all of them, in the order
written, go to WANT.  Exits 1 if a double rotation took 1 ms or more
(the test then proves nothing and says so).  PAUSE: seconds between
rounds, the pace of a logger (default 0: one burst).
"""
import os
import sys
import time

log, rounds, want = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0
seq = 0
gen = 0
lines = []
slow = 0


def put(fd, g, n):
    global seq
    b = []
    for _ in range(n):
        seq += 1
        b.append("gen %d line %d\n" % (g, seq))
    os.write(fd, "".join(b).encode())
    lines.extend(b)


def rotate():
    """LOG renamed away, a new LOG created: (its fd, its generation)."""
    global gen
    gen += 1
    os.rename(log, "%s.%d" % (log, gen))
    return os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644), gen + 1


cur = os.open(log, os.O_WRONLY | os.O_APPEND)
cg = 1
for r in range(rounds):
    put(cur, cg, 90)
    t0 = time.monotonic()
    mid, mg = rotate()
    put(mid, mg, 5)
    new, ng = rotate()
    if time.monotonic() - t0 >= 0.001:
        slow += 1
    put(cur, cg, 5)		# appended to the renamed files
    put(mid, mg, 5)
    os.close(cur)
    os.close(mid)
    cur, cg = new, ng
    if pause:
        time.sleep(pause)
put(cur, cg, 10)
os.close(cur)
with open(want, "w") as f:
    f.write("".join(lines))
sys.exit(1 if slow > rounds // 2 else 0)
