#!/usr/bin/env python3
"""Generates sim/sampler_tables.hpp: the 256-layer ziggurat tables of the standard normal
and the standard exponential (Marsaglia & Tsang, "The Ziggurat Method for Generating
Random Variables", J. Stat. Softw. 5(8), 2000), in the 64-bit form described in
distributions.hpp, and the constants of exp_det (2^(j/128) as a head and a relative tail,
ln 2 / 128 split for exact range reduction).

Everything is computed with mpmath at 60 significant digits, then each table entry is
rounded once to the nearest double (printed as a hex-float literal, so the C++ compiler
reads back exactly that double) or, for the integer thresholds, floored exactly. The
header is therefore the same on every platform and does not depend on any libm.

Usage: python3 sim/gen_sampler_tables.py > sim/sampler_tables.hpp   (needs mpmath)

Layers (N = 256), with x_1 = r the start of the tail and x_N = 0:
  layer 0      the base strip [0, r] x [0, f(r)] plus the tail beyond r, drawn as the
               rectangle [0, x_0] x [0, f(r)] with x_0 = v / f(r);
  layer i >= 1 the rectangle [0, x_i] x [f(x_i), f(x_{i+1})];
every layer has area v. r is the root of "layer N-1 ends exactly at f(0) = 1".
"""

import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 60
N = 256


def normal_f(x):
    return mp.exp(-x * x / 2)


def normal_finv(y):
    return mp.sqrt(-2 * mp.log(y))


def normal_tail(r):
    return mp.sqrt(mp.pi / 2) * mp.erfc(r / mp.sqrt(2))


def exp_f(x):
    return mp.exp(-x)


def exp_finv(y):
    return -mp.log(y)


def exp_tail(r):
    return mp.exp(-r)


def layers(r, f, finv, tail):
    """x_0..x_N for tail start r, and the residual f(x_{N-1}) + v / x_{N-1} - 1."""
    v = r * f(r) + tail(r)
    xs = [v / f(r), r]
    for _ in range(N - 2):
        y = f(xs[-1]) + v / xs[-1]
        if y >= 1:  # r too small: the layers reach the top too early
            return None, v, mpf(1)
        xs.append(finv(y))
    residual = f(xs[-1]) + v / xs[-1] - 1
    return xs + [mpf(0)], v, residual


def solve(lo, hi, f, finv, tail):
    lo, hi = mpf(lo), mpf(hi)
    for _ in range(400):  # bisection: residual > 0 below the root, < 0 above
        mid = (lo + hi) / 2
        _, _, res = layers(mid, f, finv, tail)
        if res > 0:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2
    xs, v, res = layers(r, f, finv, tail)
    assert xs is not None and abs(res) < mpf(10) ** -40, res
    return r, v, xs


def to_double(x):
    # 60 digits -> nearest double (Python's float() of a decimal string is correctly
    # rounded; the 60-digit value is itself far closer than any rounding boundary).
    return float(mpmath.nstr(x, 50, strip_zeros=False, min_fixed=-1, max_fixed=-1))


def emit(name, r, v, xs, f, bits):
    scale = mpf(2) ** bits
    fast = sum(xs[i + 1] / xs[i] for i in range(N)) / N  # P(fast path)
    out = []
    out.append(f"// {name}: r = {mpmath.nstr(r, 25)}, v = {mpmath.nstr(v, 25)};")
    out.append(f"// a draw is accepted on the fast path with probability {mpmath.nstr(fast, 6)}.")
    out.append(f"inline constexpr double k{name}R = {to_double(r).hex()};")
    out.append(f"inline constexpr double k{name}InvR = {to_double(1 / r).hex()};")
    out.append(f"/// k = floor(2^{bits} x_(i+1) / x_i), w = x_i / 2^{bits}.")
    out.append(f"inline constexpr ZigguratLayer k{name}Layers[{N}] = {{")
    for i in range(N):
        k = int(mpmath.floor(scale * xs[i + 1] / xs[i]))
        assert 0 <= k < 2**bits
        w = to_double(xs[i]) / float(2**bits)  # exact: scaling by a power of two
        out.append(f"    {{0x{k:016x}ULL, {w.hex()}}},")
    out.append("};")
    out.append(f"/// f(x_i) for i = 0..{N} (f(x_{N}) = f(0) = 1).")
    out.append(f"inline constexpr double k{name}F[{N + 1}] = {{")
    for i in range(N + 1):
        out.append(f"    {to_double(f(xs[i])).hex()},")
    out.append("};")
    return "\n".join(out), fast


def emit_exp():
    """2^(j/128) = head * (1 + tail) (head the nearest double, tail the nearest double to
    the relative rest); ln2/128 = hi + lo with hi carrying 33 significant bits, so k * hi
    is exact for |k| < 2^20; 128/ln2."""
    out = []
    n = 128
    ln2n = mp.log(2) / n
    hi = mpmath.floor(ln2n * 2**40) / 2**40  # 0.0054... has 32 significant bits at 2^-40
    assert float(hi) == hi
    lo = to_double(ln2n - hi)
    out.append(f"inline constexpr double kExpInvLn2N = {to_double(n / mp.log(2)).hex()};  // 128 / ln 2")
    out.append(f"inline constexpr double kExpLn2HiN = {float(hi).hex()};  // ln 2 / 128, head")
    out.append(f"inline constexpr double kExpLn2LoN = {lo.hex()};  // ln 2 / 128, tail")
    out.append("/// 2^(j/128) = head * (1 + tail), j = 0..127.")
    out.append("inline constexpr double kExp2Table[128][2] = {")
    for j in range(n):
        v = mp.power(2, mpf(j) / n)
        head = to_double(v)
        tail = to_double((v - mpf(head)) / mpf(head))
        out.append(f"    {{{head.hex()}, {tail.hex()}}},")
    out.append("};")
    return "\n".join(out)


def main():
    rn, vn, xn = solve(3, 4, normal_f, normal_finv, normal_tail)
    re, ve, xe = solve(7, 8, exp_f, exp_finv, exp_tail)
    # Marsaglia & Tsang (2000) publish r = 3.6541528853610088 (normal, f unnormalised)
    # and r = 7.69711747013104972 (exponential) for 256 layers.
    assert abs(rn - mpf("3.6541528853610088")) < mpf("1e-15"), rn
    assert abs(re - mpf("7.69711747013104972")) < mpf("1e-16"), re
    normal_text, fast_n = emit("Normal", rn, vn, xn, normal_f, 52)
    exp_text, fast_e = emit("Exp", re, ve, xe, exp_f, 53)
    exp2_text = emit_exp()
    sys.stdout.write(f"""\
// GENERATED by sim/gen_sampler_tables.py (mpmath {mpmath.__version__}, 60 digits); do not edit.
// 256-layer ziggurat tables for standard_normal (f(x) = exp(-x^2/2), unnormalised) and
// standard_exponential (f(x) = exp(-x)), Marsaglia & Tsang (2000); layer 0 is the base
// strip plus the tail beyond r, layer i >= 1 the rectangle [0, x_i] x [f(x_i), f(x_i+1)].
// Then the constants of exp_det. Entries are roundings of 60-digit values: no libm.
#pragma once

#include <cstdint>

namespace dcsim::sim::detail {{

/// One layer: draws with |bits| < k are inside the curve; x = bits * w.
struct ZigguratLayer {{
  std::uint64_t k;
  double w;
}};

{normal_text}

{exp_text}

{exp2_text}

}}  // namespace dcsim::sim::detail
""")
    print(f"normal r={rn} fast={fast_n}; exp r={re} fast={fast_e}", file=sys.stderr)


if __name__ == "__main__":
    main()
