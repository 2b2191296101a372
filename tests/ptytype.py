#!/usr/bin/env python3
"""ptytype KEYS COMMAND...: run an interactive COMMAND (a shell) on a
pseudo-terminal, wait for its prompt ("READY> "), type KEYS, and print
what the terminal shows after the prompt once it has been quiet for half
a second (10 s at most), or, with PTY_UNTIL set, once that text has
appeared and a tenth of a second passed: what Tab completion wrote.
Escape sequences, bells and CRs are removed.  The shell is killed at
the end."""

import os
import pty
import re
import select
import signal
import sys
import time

PROMPT = b"READY> "


def read_until(fd, done, limit):
    """Read from fd until done(buf) or limit seconds; return buf."""
    buf = b""
    end = time.time() + limit
    while time.time() < end and not done(buf):
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 4096)
            except OSError:
                break
    return buf


def main():
    keys, cmd = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "dumb"
        os.execvp(cmd[0], cmd)
    if PROMPT not in read_until(fd, lambda b: PROMPT in b, 20):
        sys.exit("ptytype: no prompt from %s" % cmd[0])
    os.write(fd, keys.encode())
    until = os.environ.get("PTY_UNTIL", "").encode()
    quiet = 0.1 if until else 0.5
    out, last = b"", time.time()
    end = time.time() + 10
    while time.time() < end and (until not in out
                                 or time.time() - last < quiet):
        more = read_until(fd, lambda b: b != b"", 0.1)
        if more:
            out, last = out + more, time.time()
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|[\x07\r]", "",
                  text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
