#!/usr/bin/env python3
"""Differential oracle for power: `power_diff.py gen N SEED` writes N random
number lines; `power_diff.py expect EXPONENT [SCALE OFFSET] < numbers`
writes what power must write for them, emulating its rules: exact int64
integers, else C's pow() (through libm) on doubles, formatted with the
least %.*g precision that reads back as the same double."""
import ctypes
import ctypes.util
import random
import re
import sys

libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
libm.pow.restype = ctypes.c_double
libm.pow.argtypes = [ctypes.c_double, ctypes.c_double]

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
INT_RE = re.compile(r"^[+-]?[0-9]+$")


def parse(text):
    t = text.strip(" \t\r\v\f")
    if INT_RE.match(t):
        v = int(t)
        if I64_MIN <= v <= I64_MAX:
            return v
    return float(t)


def fmt(v):
    if isinstance(v, int):
        return str(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    for p in range(1, 18):
        s = "%.*g" % (p, v)
        if float(s) == v:
            return s
    return "%.17g" % v


def fits(v):
    return I64_MIN <= v <= I64_MAX


def power(x, e):
    if isinstance(x, int) and isinstance(e, int) and e >= 0:
        # |x| >= 2 and e > 64 cannot fit; skip the huge exact power.
        if abs(x) < 2 or e <= 64:
            r = x ** e
            if fits(r):
                return r
    return libm.pow(float(x), float(e))


def mul(a, b):
    if isinstance(a, int) and isinstance(b, int) and fits(a * b):
        return a * b
    return float(a) * float(b)


def add(a, b):
    if isinstance(a, int) and isinstance(b, int) and fits(a + b):
        return a + b
    return float(a) + float(b)


def gen(n, seed):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        k = rnd.randrange(8)
        if k == 0:
            s = str(rnd.randint(-10**6, 10**6))
        elif k == 1:
            s = str(3037000499 + rnd.randint(-3, 3) * rnd.choice((1, -1)))
            if rnd.random() < 0.5:
                s = "-" + s
        elif k == 2:
            s = str(rnd.randint(I64_MIN, I64_MAX))
        elif k == 3:
            s = str(rnd.randint(-10**25, 10**25))
        elif k == 4:
            s = repr(rnd.uniform(-1e6, 1e6))
        elif k == 5:
            s = "%.*e" % (rnd.randrange(0, 17),
                          rnd.uniform(-10, 10) * 10.0 ** rnd.randint(-320, 308))
        elif k == 6:
            s = "%.*f" % (rnd.randrange(0, 6), rnd.uniform(-1000, 1000))
        else:
            s = str(rnd.randint(-2097152, 2097152))
        if rnd.random() < 0.1:
            s = rnd.choice((" ", "\t", "  ")) + s + rnd.choice(("", " ", "\r"))
        out.append(s)
    sys.stdout.write("\n".join(out) + "\n")


def expect(e, scale, offset):
    w = sys.stdout.write
    for line in sys.stdin:
        y = power(parse(line.rstrip("\n")), e)
        if scale is not None:
            y = add(mul(scale, y), offset)
        w(fmt(y) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    else:
        e = parse(sys.argv[2])
        if len(sys.argv) > 3:
            expect(e, parse(sys.argv[3]), parse(sys.argv[4]))
        else:
            expect(e, None, None)
