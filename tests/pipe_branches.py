#!/usr/bin/env python3
"""pipe_branches.py LOG: in-process broadcast branches keep the per-line order.

For `pipe "broadcast -c 'A' -c 'B'"` the contract fixes the interleaving:
for each input line, branch A's output for it, then branch B's; at the
end, what each branch writes when it closes (counts, summaries), A's
first.  The reference is built from the executables alone: a branch's
output for line i is what it writes on the first i lines beyond what it
wrote on the first i - 1 (its output on a prefix, less the lines it
writes at close).  Every branch text below is paired with a plain
`printer -p =` on either side and run through pipe; stdout and status
must equal the reference.  Exit 0 when all agree, else 1 with a report.
"""
import concurrent.futures
import subprocess
import sys

# (branch text, lines it writes only when it closes)
BRANCHES = [
    ('match GET', 0),
    ('match -v GET', 0),
    ('match -o "^[0-9.]+"', 0),                 # anchored at the start
    ('match -o "\\"[^\\"]*\\"$"', 0),             # anchored at the end
    ('match "[0-9]+ [0-9-]+ \\"-\\""', 0),       # unanchored
    ('match -n "HTTP/1\\.0\\"$"', 0),
    ('match -x ".*Wget.*"', 0),
    ('match -i -w "wget"', 0),
    ('match -A1 -e 404', 0),                     # trailing context
    ('match -B1 -e 500', 0),                     # leading context
    ('match -m3 POST', 0),
    ('match -c favicon', 1),
    ('match -o "[0-9]+" | match -v "^0"', 0),
    ('power 2 -f 10 --invalid=pass', 0),
    ('power 1 -f 10 -d " " --invalid=skip', 0),
    ('printer -n', 0),
    ('printer -p "> "', 0),
    ('printer --summary -f 10', 1),
    ('printer -q --summary=count,max -f 10', 1),
    ('match GET | power 2 -f 10 --invalid=pass | printer -n', 0),
    ('broadcast --round-robin', 0),
]
OTHER = ('printer -p =', 0)


def sh(text, data, shell=('sh', '-c')):
    r = subprocess.run(list(shell) + [text], input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout, r.returncode


def pieces(text, closing, outs):
    """Per line, the branch's output for it; then its output at close."""
    per, before = [], b''
    for i, (out, _) in enumerate(outs[1:], 1):
        kept = out.splitlines(keepends=True)
        stream = b''.join(kept[:len(kept) - closing])
        if not stream.startswith(before):
            sys.exit('not a prefix: %r on %d lines' % (text, i))
        per.append(stream[len(before):])
        before = stream
    out, status = outs[-1]
    kept = out.splitlines(keepends=True)
    return per, b''.join(kept[len(kept) - closing:]), status


def quote(text):
    return "'" + text + "'"


def main():
    data = open(sys.argv[1], 'rb').read()
    lines = data.splitlines(keepends=True)
    if not data.endswith(b'\n'):
        sys.exit('the input must end in a newline: a last line without '
                 'one is held to the end (tests/pipe_broadcast.bats)')
    # Each branch on every prefix of the input, a few at a time.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        # (the status of the whole input only: bash for pipefail)
        runs = {b: [pool.submit(sh, b[0], b''.join(lines[:i]))
                    for i in range(len(lines))] +
                [pool.submit(sh, b[0], data, ('bash', '-o', 'pipefail',
                                              '-c'))]
                for b in BRANCHES + [OTHER]}
        ref = {b: pieces(b[0], b[1], [r.result() for r in runs[b]])
               for b in runs}
    bad = 0
    for b in BRANCHES:
        for pair in ((b, OTHER), (OTHER, b)):
            want = b''.join(ref[pair[0]][0][i] + ref[pair[1]][0][i]
                            for i in range(len(lines)))
            want += ref[pair[0]][1] + ref[pair[1]][1]
            status = ref[pair[0]][2] or ref[pair[1]][2]
            text = 'broadcast -c %s -c %s' % (quote(pair[0][0]),
                                              quote(pair[1][0]))
            r = subprocess.run(['pipe', text], input=data,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            explain = subprocess.run(['pipe', '--explain', text],
                                     stdout=subprocess.PIPE).stdout
            if explain.count(b'in-process') != 2:
                print('not in-process: pipe %s' % quote(text))
                bad += 1
            elif r.stdout != want or r.returncode != status:
                print('differs: pipe %s: status %d, want %d'
                      % (quote(text), r.returncode, status))
                got = r.stdout.splitlines()
                exp = want.splitlines()
                for k in range(max(len(got), len(exp))):
                    g = got[k] if k < len(got) else None
                    e = exp[k] if k < len(exp) else None
                    if g != e:
                        print('  line %d: got %r, want %r' % (k + 1, g, e))
                        break
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
