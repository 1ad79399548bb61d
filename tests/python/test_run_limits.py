"""Paths, seed and threads from Python are refused exactly where `computedebt price` refuses them (issue 15):
paths in [1, 2^40], a seed in [0, 2^32 - 1], threads in [1, 1024] or None; a non-integer raises TypeError, an
integer out of range ValueError, before anything runs (docs/python_api.md, "Input rules")."""

from pathlib import Path

import numpy as np
import pytest

import computedebt as cd
import computedebt.distributed

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"


@pytest.fixture(scope="module")
def blended():
    return cd.load_deal(DEALS / "blended_2026.json")


def runners(deal):
    """Every Python entry point that takes paths, seed and threads, as a function of those settings."""
    return {
        "price": lambda **settings: cd.price(deal, progress=False, **settings),
        "size": lambda **settings: cd.size(deal, "senior", "A2", **settings),
        "break_even": lambda **settings: cd.break_even(deal, "senior", "A2", ["ai_startup"], **settings),
        # The client is never reached: the settings are refused first.
        "distributed": lambda threads=None, **settings: cd.distributed.price(deal, client=None, **settings),
    }


OUT_OF_RANGE = [
    {"paths": 2**64 - 1},  # wrapped the leaf count: 16 ms, EL 0, "18446744073709551615 paths"
    {"paths": 2**40 + 1},
    {"paths": 0},
    {"paths": -5},
    {"seed": 2**32},
    {"seed": -1},
]
NOT_INTEGERS = [{"paths": 1.5}, {"paths": 1024.0}, {"paths": "1024"}, {"paths": True}, {"seed": 1.0},
                {"seed": None}]


@pytest.mark.parametrize("runner", ["price", "size", "break_even", "distributed"])
@pytest.mark.parametrize("settings", OUT_OF_RANGE, ids=str)
def test_counts_out_of_range_raise_value_error(blended, runner, settings):
    settings = {"paths": 2048, **settings}
    name = next(iter(settings.keys() - {"paths"}), "paths")
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        runners(blended)[runner](**settings)


@pytest.mark.parametrize("runner", ["price", "size", "break_even", "distributed"])
@pytest.mark.parametrize("settings", NOT_INTEGERS, ids=str)
def test_counts_that_are_not_integers_raise_type_error(blended, runner, settings):
    settings = {"paths": 2048, **settings}
    with pytest.raises(TypeError, match=r"^(paths|seed): expected"):
        runners(blended)[runner](**settings)


@pytest.mark.parametrize("runner", ["price", "size", "break_even"])
@pytest.mark.parametrize("threads, error", [(5000, ValueError), (1025, ValueError), (0, ValueError),
                                            (-1, ValueError), (2.0, TypeError), ("4", TypeError)])
def test_threads_are_refused_as_the_command_line_refuses_them(blended, runner, threads, error):
    with pytest.raises(error, match="^threads: expected"):
        runners(blended)[runner](paths=2048, threads=threads)


def test_the_bounds_themselves_and_numpy_integers_are_accepted(blended):
    from computedebt._price import _config

    config = _config(blended, 2**40, 2**32 - 1, 1024)
    assert (config.paths, config.seed, config.threads) == (2**40, 2**32 - 1, 1024)
    config = _config(blended, np.int64(2048), np.uint32(7), np.int32(2))
    assert (config.paths, config.seed, config.threads) == (2048, 7, 2)
    assert _config(blended, 1, 0, None).threads == 0  # all cores


def test_the_engine_limits_are_the_command_lines():
    assert cd._core.max_paths == 2**40
    assert cd._core.max_threads == 1024
