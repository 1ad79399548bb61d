#!/usr/bin/env python3
"""Coefficients of the portable normal distribution function (src/core/portable_math.cpp).

For t >= 0, Phi(-t) = exp(-t^2 / 2) g(Y) / (1 + t) with Y = (t - K) / (t + K) in [-1, 1). The function
g(Y) = Phi(-t) exp(t^2 / 2) (1 + t) is smooth on the closed interval (it tends to 1 / sqrt(2 pi) as t grows), so
one polynomial in Y serves every t (docs/methodology.md section 7.1). This script interpolates g at the Chebyshev
points of degree N with mpmath at 60 digits, converts the interpolant to powers of Y, and prints them with the
interpolant's last Chebyshev coefficients (its truncation) and the relative error of Phi(-t) evaluated in double
on t in [0, 37] against mpmath.

Usage: python3 scripts/normal_cdf_coefficients.py [--degree 26] [--scale 4]   (needs mpmath: pip install mpmath)
"""

from __future__ import annotations

import argparse
import math
import random

import mpmath as mp


def g(y: mp.mpf, scale: mp.mpf) -> mp.mpf:
    if y == 1:
        return 1 / mp.sqrt(2 * mp.pi)
    t = scale * (1 + y) / (1 - y)
    return mp.erfc(t / mp.sqrt(2)) / 2 * mp.exp(t * t / 2) * (1 + t)


def chebyshev_coefficients(degree: int, scale: mp.mpf) -> list[mp.mpf]:
    points = degree + 1
    nodes = [(j + mp.mpf(1) / 2) * mp.pi / points for j in range(points)]
    values = [g(mp.cos(theta), scale) for theta in nodes]
    c = [2 * mp.fsum(v * mp.cos(k * theta) for v, theta in zip(values, nodes)) / points for k in range(points)]
    c[0] /= 2
    return c


def to_powers(c: list[mp.mpf]) -> list[mp.mpf]:
    """sum c_k T_k(Y) as sum a_i Y^i, with T_{k+1} = 2 Y T_k - T_{k-1}."""
    powers = [mp.mpf(0)] * len(c)
    previous, current = [mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]
    for k, ck in enumerate(c):
        if k == 0:
            t_k = previous
        elif k == 1:
            t_k = current
        else:
            following = [mp.mpf(0)] + [2 * a for a in current]
            for i, a in enumerate(previous):
                following[i] -= a
            previous, current = current, following
            t_k = current
        for i, a in enumerate(t_k):
            powers[i] += ck * a
    return powers


def lower_tail(t: float, coefficients: list[float], scale: float) -> float:
    """Phi(-t) as the kernel computes it, in double."""
    y = (t - scale) / (t + scale)
    value = coefficients[-1]
    for a in reversed(coefficients[:-1]):
        value = value * y + a
    h = round(t * 16) / 16
    return math.exp(-h * h / 2) * math.exp(-(t - h) * (t + h) / 2) * value / (1 + t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--degree", type=int, default=26)
    parser.add_argument("--scale", type=float, default=4.0)
    args = parser.parse_args()
    mp.mp.dps = 60
    c = chebyshev_coefficients(args.degree, mp.mpf(args.scale))
    coefficients = [float(a) for a in to_powers(c)]
    rng = random.Random(1)
    points = [rng.uniform(0.0, 37.0) for _ in range(3000)] + [rng.uniform(0.0, 3.0) for _ in range(2000)] + [0.0, 37.0]
    worst = max(abs(lower_tail(t, coefficients, args.scale) - mp.erfc(t / mp.sqrt(2)) / 2) / (mp.erfc(t / mp.sqrt(2)) / 2)
                for t in points)
    print(f"last Chebyshev coefficients {float(abs(c[-2])):.3g} {float(abs(c[-1])):.3g}; "
          f"worst relative error of Phi(-t) on [0, 37]: {float(worst):.3g}")
    print("constexpr double mills_coefficients[] = {" + ", ".join(repr(a) for a in coefficients) + "};")


if __name__ == "__main__":
    main()
