#!/usr/bin/env python3
"""latency.py: followers of a growing file, measured side by side.

Usage: latency.py MODE DIR LABEL=COMMAND [LABEL=COMMAND ...]

Each COMMAND is a follower (`follow -n 0`, `tail -F -n 0`) run with the
file's path appended, its stdout a pipe read here.  All followers of a
run follow the same file, DIR/log, which is deleted at the end.

  lat   append N lines (LAT_LINES, 1000) at RATE lines/s (LAT_RATE, 100),
        each "seq send-time"; record when each line arrives on each
        follower's pipe; print p50, p99 and max of arrival - send.
  thru  append lines as fast as possible for THRU_SECONDS (10) or
        THRU_BYTES (1 GiB), whichever comes first; then wait until every
        follower has caught up; print lines, bytes, sha256 equality with
        the file, and each follower's CPU time (user+sys, rusage).
  idle  nothing written for IDLE_SECONDS (10): CPU time, voluntary
        context switches (wake-ups) and peak RSS of each follower, from
        /proc before and after.
"""
import hashlib
import os
import signal
import statistics
import sys
import threading
import time


def start(cmd, path):
    r, w = os.pipe()
    pid = os.posix_spawnp("sh", ["sh", "-c", 'exec ' + cmd + ' "$0"', path],
                          os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, w, 1),
                                        (os.POSIX_SPAWN_OPEN, 0, "/dev/null",
                                         os.O_RDONLY, 0)])
    os.close(w)
    return pid, r


class Reader(threading.Thread):
    """Reads a follower's pipe: arrival time per line, or a running hash."""

    def __init__(self, fd, times):
        super().__init__(daemon=True)
        self.fd, self.times = fd, times
        self.lines = self.bytes = 0
        self.sha = hashlib.sha256()
        self.arrivals = []          # (monotonic ns, line) in lat mode

    def run(self):
        part = b""
        while True:
            b = os.read(self.fd, 1 << 20)
            if not b:
                break
            t = time.monotonic_ns()
            self.bytes += len(b)
            self.lines += b.count(b"\n")
            if self.times:
                part += b
                *done, part = part.split(b"\n")
                self.arrivals.extend((t, x) for x in done)
            else:
                self.sha.update(b)


def stop(pid):
    os.kill(pid, signal.SIGTERM)
    _, _, ru = os.wait4(pid, 0)
    return ru.ru_utime + ru.ru_stime


def proc(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / tick
    st = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            st[k] = v.split()
    return cpu, int(st["voluntary_ctxt_switches"][0]), \
        int(st["nonvoluntary_ctxt_switches"][0]), int(st["VmHWM"][0])


def ready(path, readers, limit=10):
    """Append warm-up lines until every follower has shown one."""
    end = time.monotonic() + limit
    with open(path, "ab", buffering=0) as f:
        while any(r.lines == 0 for r in readers):
            if time.monotonic() > end:
                sys.exit("latency.py: a follower never started")
            f.write(b"warm-up\n")
            time.sleep(0.1)


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


def main():
    mode, d = sys.argv[1], sys.argv[2]
    cases = [a.split("=", 1) for a in sys.argv[3:]]
    path = os.path.join(d, "log")
    open(path, "wb").close()
    procs = []
    try:
        for label, cmd in cases:
            pid, fd = start(cmd, path)
            r = Reader(fd, mode == "lat")
            r.start()
            procs.append((label, cmd, pid, r))
        readers = [p[3] for p in procs]
        if mode == "lat":
            lat(path, procs, readers)
        elif mode == "thru":
            thru(path, procs, readers)
        else:
            idle(procs, readers, path)
    finally:
        for _, _, pid, _ in procs:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.unlink(path)
    for label, cmd, _, _ in procs:
        print(f"#   {label}: {cmd} FILE")
    sys.stdout.flush()


def lat(path, procs, readers):
    n = int(os.environ.get("LAT_LINES", "1000"))
    rate = float(os.environ.get("LAT_RATE", "100"))
    ready(path, readers)
    time.sleep(0.3)
    sent = {}
    with open(path, "ab", buffering=0) as f:
        t0 = time.monotonic()
        for i in range(n):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t = time.monotonic_ns()
            sent[b"seq %d" % i] = t
            f.write(b"seq %d\n" % i)
    time.sleep(1)
    print(f"\n## append -> stdout latency, {n} lines at {rate:g}/s "
          "(ms, each line timed from its write to its arrival on the pipe)")
    print(f"{'follower':<20} {'got':>6} {'p50':>8} {'p99':>8} {'max':>8}")
    for label, _, _, r in procs:
        ms = [(t - sent[x]) / 1e6 for t, x in r.arrivals if x in sent]
        if not ms:
            print(f"{label:<20} {0:6d}")
            continue
        print(f"{label:<20} {len(ms):6d} {statistics.median(ms):8.2f} "
              f"{pct(ms, 99):8.2f} {max(ms):8.2f}")


def thru(path, procs, readers):
    secs = float(os.environ.get("THRU_SECONDS", "10"))
    cap = min(int(os.environ.get("THRU_BYTES", str(1 << 30))), 1 << 30)
    src = os.environ.get("LOG")
    block = b""
    if src:
        with open(src, "rb") as f:
            block = f.read(1 << 20)
        block = block[:block.rfind(b"\n") + 1]
    if not block:
        block = b"".join(b"line %d of the throughput test\n" % i
                         for i in range(30000))
    sha = hashlib.sha256()
    written = lines = 0
    with open(path, "ab", buffering=0) as f:
        t0 = time.monotonic()
        while time.monotonic() - t0 < secs and written < cap:
            b = block[:cap - written] if written + len(block) > cap \
                else block
            if len(b) < len(block):
                b = b[:b.rfind(b"\n") + 1]
                if not b:
                    break
            f.write(b)
            sha.update(b)
            written += len(b)
            lines += b.count(b"\n")
        took = time.monotonic() - t0
    end = time.monotonic() + 60
    while any(r.bytes < written for r in readers) and time.monotonic() < end:
        time.sleep(0.05)
    print(f"\n## throughput: {written} bytes, {lines} lines appended in "
          f"{took:.2f} s ({written / took / 1e6:.0f} MB/s), "
          "followers side by side")
    print(f"{'follower':<20} {'lines':>10} {'bytes':>12} {'same':>5} "
          f"{'cpu s':>7}")
    for label, _, pid, r in procs:
        cpu = stop(pid)
        time.sleep(0.05)
        same = r.bytes == written and r.sha.digest() == sha.digest()
        print(f"{label:<20} {r.lines:10d} {r.bytes:12d} "
              f"{'yes' if same else 'NO':>5} {cpu:7.3f}")


def idle(procs, readers, path):
    secs = float(os.environ.get("IDLE_SECONDS", "10"))
    ready(path, readers)
    time.sleep(0.5)
    before = {pid: proc(pid) for _, _, pid, _ in procs}
    time.sleep(secs)
    print(f"\n## idle: {secs:g} s with nothing written")
    print(f"{'follower':<20} {'cpu ms':>8} {'wakeups':>8} {'preempt':>8} "
          f"{'VmHWM KiB':>10}")
    for label, _, pid, _ in procs:
        a, b = before[pid], proc(pid)
        print(f"{label:<20} {(b[0] - a[0]) * 1000:8.0f} {b[1] - a[1]:8d} "
              f"{b[2] - a[2]:8d} {b[3]:10d}")


if __name__ == "__main__":
    main()
