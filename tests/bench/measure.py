#!/usr/bin/env python3
"""measure.py: time shell commands side by side, several runs each.

Usage: measure.py RUNS TITLE LABEL=COMMAND [LABEL=COMMAND ...]

Runs are interleaved (command 1, 2, ..., then again) so that a noisy
machine hurts them alike.  For each command prints the median wall time,
the median CPU time (user + sys over every process of the command) and
the peak RSS, and each one's ratio to the first command (runnel's).
With BENCH_TARGETS set, also pipe's issue targets (see targets()); with
BENCH_BOUNDS="LABEL<=R ...", the first command's time over LABEL's beside
the bound R (see bounds()).
"""
import os
import statistics
import sys
import time


RUSAGE = os.environ.get("BENCH_RUSAGE")


def run_once(cmd):
    # The rusage helper forks the command from a small process and
    # reports its peak RSS and CPU time on fd 3.
    r, w = os.pipe()
    start = time.perf_counter()
    pid = os.posix_spawn(RUSAGE, [RUSAGE, cmd], os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 0, "/dev/null",
                                        os.O_RDONLY, 0),
                                       (os.POSIX_SPAWN_DUP2, w, 3)])
    os.close(w)
    report = os.read(r, 200).decode().split()
    os.close(r)
    _, status = os.waitpid(pid, 0)
    wall = time.perf_counter() - start
    rss, cpu = (int(report[0]), float(report[1])) if report else (0, 0.0)
    return wall, cpu, rss, os.waitstatus_to_exitcode(status)


def main():
    runs = int(sys.argv[1])
    title = sys.argv[2]
    cases = [a.split("=", 1) for a in sys.argv[3:]]
    results = {label: [] for label, _ in cases}
    for _ in range(runs):
        for label, cmd in cases:
            results[label].append(run_once(cmd))
    print(f"\n## {title}")
    print(f"{'command':<28} {'wall s':>8} {'cpu s':>8} {'rss MiB':>8} "
          f"{'wall/1st':>9} {'cpu/1st':>8}  status")
    base_wall = base_cpu = None
    summary = {}
    for label, _ in cases:
        r = results[label]
        wall = statistics.median(x[0] for x in r)
        cpu = statistics.median(x[1] for x in r)
        rss = max(x[2] for x in r) / 1024
        codes = sorted({x[3] for x in r})
        summary[label] = (wall, cpu, rss)
        if base_wall is None:
            base_wall, base_cpu = wall or 1e-9, cpu or 1e-9
        print(f"{label:<28} {wall:8.3f} {cpu:8.3f} {rss:8.1f} "
              f"{wall / base_wall:9.2f} {cpu / base_cpu:8.2f}  "
              f"{','.join(map(str, codes))}")
    if os.environ.get("BENCH_TARGETS"):
        targets([label for label, _ in cases], summary)
    if os.environ.get("BENCH_BOUNDS"):
        bounds(cases[0][0], os.environ["BENCH_BOUNDS"], summary)
    for label, cmd in cases:
        print(f"#   {label}: {cmd}")
    sys.stdout.flush()


def targets(labels, med):
    """pipe's issue targets, for cases laid out as pipe.sh lays them out:
    the pipe rows first, then "bash", then each stage alone.  med maps a
    label to its (median wall, median cpu, peak RSS MiB).  The bounds:
    BENCH_WALL (default 0.5) for pipe's wall over bash's, 0.5 for its
    CPU, BENCH_CPU1 (default 0.5) for the CPU on one thread."""
    if "bash" not in labels:
        return
    k = labels.index("bash")
    pipes, stages = labels[:k], labels[k + 1:]
    bash_wall = med["bash"][0] or 1e-9
    bash_cpu = med["bash"][1] or 1e-9
    wall = os.environ.get("BENCH_WALL", "0.5")
    cpu1 = os.environ.get("BENCH_CPU1", "0.5")
    print(f"# targets: wall / bash's wall (<= {wall}): " + ", ".join(
        f"{p} {med[p][0] / bash_wall:.2f}" for p in pipes))
    print(f"# targets: cpu / bash's cpu (<= 0.5; on one thread <= {cpu1}): "
          + ", ".join(f"{p} {med[p][1] / bash_cpu:.2f}" for p in pipes))
    if stages:
        slow = max(stages, key=lambda s: med[s][0])
        print(f"# wall / slowest stage alone ({slow}, {med[slow][0]:.3f} s): "
              + ", ".join(f"{p} {med[p][0] / (med[slow][0] or 1e-9):.2f}"
                          for p in pipes))
    print("# targets: peak RSS MiB (< 32): " + ", ".join(
        f"{p} {med[p][2]:.1f}" for p in pipes))


def bounds(first, spec, med):
    """Targets of the form "at most R x the time of LABEL": for each
    "LABEL<=R" of spec (separated by ';'), the first command's median
    wall and CPU time over LABEL's.  "rss<=M" bounds the first's peak
    RSS in MiB."""
    for b in spec.split(";"):
        label, bound = b.rsplit("<=", 1)
        label = label.strip()
        if label == "rss":
            print(f"# targets: {first} peak RSS {med[first][2]:.1f} MiB "
                  f"(< {bound})")
            continue
        if label not in med:
            continue
        w = med[first][0] / (med[label][0] or 1e-9)
        c = med[first][1] / (med[label][1] or 1e-9)
        print(f"# targets: {first} / {label}: wall {w:.3f}, cpu {c:.3f} "
              f"(<= {bound})")


if __name__ == "__main__":
    main()
