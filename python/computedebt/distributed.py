"""Pricing over a Dask cluster, bit-identical to a local run with the same seed and paths.

Paths form leaves of 1,024; a task simulates an aligned power-of-two run of leaves and returns its partial
statistics as bytes; the partials merge along the engine's fixed tree, so the result does not depend on the
number of workers or on which worker ran what::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")       # or Client(LocalCluster(...))
    results = computedebt.distributed.price(deal, 10_000_000, client)
"""

from __future__ import annotations

import json
import time
from typing import Optional, Sequence

from . import _core
from ._deal import Deal
from ._price import _config
from ._results import Results


def _simulate_block(deal_json: str, paths: int, seed: int, shift, antithetic: bool, quasi_random: bool,
                    first_leaf: int, last_leaf: int, loss_tail: Optional[tuple] = None,
                    control_variates: bool = False) -> bytes:
    deal = Deal.from_json(deal_json)
    config = _config(deal, paths, seed, None, False, shift, antithetic, quasi_random,
                     contributions=loss_tail is not None, control_variates=control_variates)
    if loss_tail is not None:
        config.loss_tail = _core.LossTail(*loss_tail)
    return _core.simulate_blocks(deal._file, config, first_leaf, last_leaf)


def price(deal: Deal, paths: int, client, seed: int = 1, chunks: Optional[int] = None,
          importance_shift: Optional[Sequence[float]] = None, antithetic: bool = False,
          quasi_random: bool = False, contributions: bool = False, retries: int = 0,
          control_variates: bool = False, importance_target: Optional[str] = None) -> Results:
    """Prices ``deal`` on the workers of a ``dask.distributed`` ``client``.

    ``chunks`` is the number of tasks (default: four per worker thread); each task covers an equal, aligned
    power-of-two run of leaves. Results are bit-identical to ``computedebt.price`` with the same ``seed``,
    ``paths`` and variance reduction; ``threads`` in the document counts the cluster's worker threads. ``paths``
    and ``seed`` are checked as :func:`computedebt.price` checks them (``TypeError`` for a non-integer,
    ``ValueError`` out of range). With ``contributions`` the cluster runs two rounds over the same paths, as
    :func:`computedebt.price` runs two passes: the first finds the VaR, the second allocates around it.
    ``control_variates`` is :func:`computedebt.price`'s: the workers collect the controls' co-moments and the
    client applies the exact means.

    A task whose worker dies (killed, out of memory) is rescheduled on another worker by Dask itself, up to
    ``distributed.scheduler.allowed-failures`` times; ``retries`` is how many times a task that raises is run
    again. Either way the retried task recomputes the same leaves from the same seed, so the result is unchanged.

    ``importance_shift="auto"`` (with ``importance_target``) is chosen once, here on the client, as
    :func:`computedebt.price` chooses it; every task then takes that shift, so the result is still the local run's.
    """
    start = time.perf_counter()
    # Checked before any count is taken from them: paths in [1, 2^40] and the seed as `price` checks them.
    config = _config(deal, paths, seed, None, False, importance_shift, antithetic, quasi_random,
                     contributions=contributions, control_variates=control_variates,
                     importance_target=importance_target, allow_auto=True)
    paths, seed = config.paths, config.seed
    shift = list(config.importance_shift) or None
    leaves = _core.leaf_count(paths)
    workers = sum(client.nthreads().values()) or 1
    wanted = chunks or 4 * workers
    block = 1
    while block * wanted < leaves:
        block *= 2
    text = deal.to_json()

    def run_round(loss_tail=None):
        futures = [client.submit(_simulate_block, text, paths, seed, shift, antithetic, quasi_random,
                                 first, min(first + block, leaves), loss_tail, control_variates, pure=False,
                                 retries=retries)
                   for first in range(0, leaves, block)]
        return client.gather(futures)

    partials = run_round()
    if contributions:
        config.loss_tail = _core.loss_tail(config, partials)
        partials = run_round(config.loss_tail.as_tuple())
    document = json.loads(_core.finish_blocks(deal._file, config, partials, **deal._sources()))
    document["threads"] = workers
    document["elapsed_seconds"] = time.perf_counter() - start
    gpu_types = [g["id"] for g in deal.to_dict()["deal"].get("gpu_types", [])]
    results = Results(document, None, gpu_types)
    results._warn()
    return results
