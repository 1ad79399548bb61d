"""A vectorised NumPy peer for benchmarks/compare_peers: the standard homogeneous pool.

The model is examples/deals/homogeneous_pool.json written as a quant would in a notebook: 125 equal names,
default probability p = 5% by 5 years, a one-factor Gaussian copula with rho = 0.3, recovery R = 0.4. Per
path, one factor normal Z and 125 idiosyncratic normals eps; name i defaults by the horizon when its latent
variable X_i = sqrt(rho) Z + sqrt(1 - rho) eps_i falls below Phi^{-1}(p). The portfolio loss is
L = (1 - R) (#defaults) / 125 and tranche [A, D] loses min(max(L - A, 0), D - A) / (D - A).

Paths run in chunks to bound memory, in a single process (NumPy's own threads only).

    >>> from numpy_peer import price
    >>> el, se, seconds = price(200_000, seed=1)
"""

from __future__ import annotations

import math
import time

import numpy as np

NAMES = 125
DEFAULT_PROBABILITY = 0.05
RHO = 0.3
RECOVERY = 0.4
TRANCHES = ((0.00, 0.03), (0.03, 0.07), (0.07, 0.10), (0.10, 0.15), (0.15, 0.30), (0.30, 1.00))
CHUNK = 20_000


def default_threshold(p: float = DEFAULT_PROBABILITY) -> float:
    """Phi^{-1}(p): SciPy's if installed, else the standard library's."""
    try:
        from scipy.stats import norm  # type: ignore[import-not-found]

        return float(norm.ppf(p))
    except ImportError:
        from statistics import NormalDist

        return NormalDist().inv_cdf(p)


def price(paths: int, seed: int = 1, chunk: int = CHUNK) -> tuple[list[float], list[float], float]:
    """Tranche expected losses (fractions of tranche size), their standard errors, and the seconds taken."""
    if paths < 2:
        raise ValueError("paths must be at least 2")
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    threshold = default_threshold()
    loading, idiosyncratic = math.sqrt(RHO), math.sqrt(1.0 - RHO)
    attach = np.array([a for a, _ in TRANCHES])
    width = np.array([d - a for a, d in TRANCHES])

    total = np.zeros(len(TRANCHES))
    total_sq = np.zeros(len(TRANCHES))
    done = 0
    while done < paths:
        m = min(chunk, paths - done)
        z = rng.standard_normal((m, 1))
        eps = rng.standard_normal((m, NAMES))
        x = loading * z + idiosyncratic * eps
        defaults = np.count_nonzero(x < threshold, axis=1)
        loss = (1.0 - RECOVERY) * defaults / NAMES
        tranche_loss = np.clip(loss[:, None] - attach, 0.0, width) / width
        total += tranche_loss.sum(axis=0)
        total_sq += np.square(tranche_loss).sum(axis=0)
        done += m

    mean = total / paths
    variance = np.maximum(total_sq / paths - mean * mean, 0.0) * paths / (paths - 1)
    stderr = np.sqrt(variance / paths)
    seconds = time.perf_counter() - start
    return mean.tolist(), stderr.tolist(), seconds


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    el, se, seconds = price(args.paths, args.seed)
    print(json.dumps({"paths": args.paths, "seconds": seconds, "tranche_el": el, "tranche_se": se}))
