#!/usr/bin/env python3
"""Independent transcription of RandomStream (SplitMix64 seeding + xoshiro256++), of the
ziggurat samplers in sim/distributions.{hpp,cpp} and of exp_det (lognormal), for the golden
values in tests/sim/samplers_test.cpp. It shares only the tables (parsed from
sim/sampler_tables.hpp) with the C++ code; arithmetic is Python's IEEE doubles, exp/log
(rare ziggurat paths) from the platform libm as in C++.

Usage: python3 tests/sim/samplers_golden.py [path/to/sim/sampler_tables.hpp]
"""

import math
import os
import re
import struct
import sys

M64 = (1 << 64) - 1


def mix64(x):
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M64
    x ^= x >> 31
    return x


def stream_key(parent, child):
    return mix64((parent + 0x9E3779B97F4A7C15 * (mix64(child) + 1)) & M64)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Stream:
    def __init__(self, seed, stream_id):
        sm = stream_key(mix64(seed ^ 0x6A09E667F3BCC909), stream_id)
        self.s = []
        for _ in range(4):
            sm = (sm + 0x9E3779B97F4A7C15) & M64
            self.s.append(mix64(sm))

    def next(self):
        s = self.s
        result = (rotl((s[0] + s[3]) & M64, 23) + s[0]) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform01(self):
        return float(self.next() >> 11) * 2.0**-53

    def uniform01_open_low(self):
        return float((self.next() >> 11) + 1) * 2.0**-53


def load_tables(path):
    text = open(path).read()

    def scalar(name):
        return float.fromhex(re.search(rf"{name} = ([^;]+);", text).group(1))

    def block(name):
        body = re.search(rf"{name}\[\d+\] = \{{(.*?)\}};", text, re.S).group(1)
        return body

    t = {}
    for dist in ("Normal", "Exp"):
        t[dist + "R"] = scalar(f"k{dist}R")
        t[dist + "InvR"] = scalar(f"k{dist}InvR")
        pairs = re.findall(r"\{0x([0-9a-f]+)ULL, ([^}]+)\}", block(f"k{dist}Layers"))
        t[dist + "K"] = [int(k, 16) for k, _ in pairs]
        t[dist + "W"] = [float.fromhex(w) for _, w in pairs]
        t[dist + "F"] = [float.fromhex(v) for v in re.findall(r"(0x[0-9a-fp.+-]+)",
                                                             block(f"k{dist}F"))]
        assert len(t[dist + "K"]) == 256 and len(t[dist + "F"]) == 257
    for name in ("kExpInvLn2N", "kExpLn2HiN", "kExpLn2LoN"):
        t[name] = scalar(name)
    pairs = re.findall(r"\{(-?0x[0-9a-fp.+-]+), (-?0x[0-9a-fp.+-]+)\}", block("kExp2Table\\[128\\]"))
    t["Exp2"] = [(float.fromhex(a), float.fromhex(b)) for a, b in pairs]
    assert len(t["Exp2"]) == 128
    return t


def exp_det(x, t):
    if not (-700.0 <= x <= 708.0):
        return math.exp(x)
    z = x * t["kExpInvLn2N"]
    shift = float.fromhex("0x1.8p52")
    kd = (z + shift) - shift
    k = int(kd)
    r = (x - kd * t["kExpLn2HiN"]) - kd * t["kExpLn2LoN"]
    head, tail = t["Exp2"][k & 127]
    r2 = r * r
    c3 = float.fromhex("0x1.5555555555555p-3")
    c4 = float.fromhex("0x1.5555555555555p-5")
    c5 = float.fromhex("0x1.1111111111111p-7")
    q = (tail + r) + r2 * ((0.5 + r * c3) + r2 * (c4 + r * c5))
    scale = math.ldexp(head, k >> 7)  # exact: the result is normal
    return scale + scale * q


def standard_normal(rng, t, path=None):
    u = rng.next()
    first = True
    while True:
        i = u & 0xFF
        bits = u >> 12
        neg = (u & 0x100) != 0
        x = float(bits) * t["NormalW"][i]
        if bits < t["NormalK"][i]:
            if path is not None:
                path.append("fast" if first else "restart")
            return -x if neg else x
        if i == 0:
            while True:
                tt = -math.log(rng.uniform01_open_low()) * t["NormalInvR"]
                e2 = -math.log(rng.uniform01_open_low())
                if not (e2 + e2 <= tt * tt):
                    break
            if path is not None:
                path.append("tail")
            x = t["NormalR"] + tt
            return -x if neg else x
        f = t["NormalF"]
        y = f[i] + (f[i + 1] - f[i]) * rng.uniform01()
        if y < math.exp(-0.5 * x * x):
            if path is not None:
                path.append("wedge")
            return -x if neg else x
        u = rng.next()
        first = False


def standard_exponential(rng, t, path=None):
    u = rng.next()
    base = 0.0
    first = True
    while True:
        i = u & 0xFF
        bits = u >> 11
        x = float(bits) * t["ExpW"][i]
        if bits < t["ExpK"][i]:
            if path is not None:
                path.append("fast" if first and base == 0.0 else "restart")
            return base + x
        if i == 0:
            base += t["ExpR"]
            if path is not None:
                path.append("tail")
        else:
            f = t["ExpF"]
            if f[i] + (f[i + 1] - f[i]) * rng.uniform01() < math.exp(-x):
                if path is not None:
                    path.append("wedge")
                return base + x
        u = rng.next()
        first = False


def bits_of(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def bits_of_float(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../sim/sampler_tables.hpp")
    t = load_tables(path)

    for name, fn in (("normal", standard_normal), ("exponential", standard_exponential)):
        rng = Stream(1, 0)
        print(f"{name}: first 8 draws of RandomStream(1, 0)")
        for _ in range(8):
            print(f"  {fn(rng, t).hex()}")
        # The first wedge and tail exits of stream (1, 1), and the draw index of each.
        rng = Stream(1, 1)
        found = {}
        n = 0
        while len(found) < 2:
            p = []
            x = fn(rng, t, p)
            for kind in ("wedge", "tail"):
                if kind in p and kind not in found:
                    found[kind] = (n, x)
            n += 1
        for kind, (idx, x) in sorted(found.items()):
            print(f"  stream (1, 1): first {kind} at draw {idx}: {x.hex()} ({x!r})")
        # Checksum of 2^20 draws of stream (2, 7): h = mix64(h ^ bits) + 1, where bits are the
        # double's bits, or for |x| beyond the normal tail start the float's bits (tail values
        # come from log() and may differ in the last double bit between libm versions).
        rng = Stream(2, 7)
        h = 0
        for _ in range(1 << 20):
            x = fn(rng, t)
            if name == "normal" and abs(x) >= t["NormalR"]:
                b = bits_of_float(x)
            else:
                b = bits_of(x)
            h = (mix64(h ^ b) + 1) & M64
        print(f"  checksum of 2^20 draws of stream (2, 7): 0x{h:016x}; next u64 0x{rng.next():016x}")

    rng = Stream(1, 0)
    print("lognormal(rng, 0.5, 1.2): first 8 draws of RandomStream(1, 0)")
    for _ in range(8):
        print(f"  {exp_det(0.5 + 1.2 * standard_normal(rng, t), t).hex()}")
    print("exp_det at fixed points")
    for x in (-699.5, -20.25, -1.0, -1e-10, 0.0, 1e-300, 0.5, 1.0, 2.302585092994046, 88.7, 707.9):
        print(f"  exp_det({x!r}) = {exp_det(x, t).hex()}")


if __name__ == "__main__":
    main()
