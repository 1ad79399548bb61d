"""Dask: a run spread over two worker processes equals the local run bit for bit."""

import pytest

import computedebt as cd
import computedebt.distributed

from pathlib import Path

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.mark.parametrize("name, paths, chunks", [("blended_2026.json", 9 * 1024 + 17, 3),
                                                 ("homogeneous_pool.json", 20000, None)])
def test_dask_results_equal_local_results(client, name, paths, chunks):
    deal = cd.load_deal(ROOT / "examples" / "deals" / name)
    local = cd.price(deal, paths=paths, seed=4, progress=False)
    spread = computedebt.distributed.price(deal, paths, client, seed=4, chunks=chunks)
    assert comparable(spread.to_dict()) == comparable(local.to_dict())
    assert spread.to_dict()["threads"] == 2


def test_dask_contributions_equal_local_contributions(client):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json")
    local = cd.price(deal, paths=5 * 1024, seed=2, progress=False, contributions=True)
    spread = computedebt.distributed.price(deal, 5 * 1024, client, seed=2, chunks=3, contributions=True)
    assert comparable(spread.to_dict()) == comparable(local.to_dict())
    assert spread.to_dict()["options"]["contributions"] is True


def test_dask_auto_shift_is_chosen_once_on_the_client(client):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json")
    # The senior's shift estimates the mezzanine less precisely than plain Monte Carlo, and both runs say so.
    with pytest.warns(UserWarning, match="the shift chosen for Senior A"):
        local = cd.price(deal, paths=5 * 1024, seed=3, progress=False, importance_shift="auto")
    with pytest.warns(UserWarning, match="the shift chosen for Senior A"):
        spread = computedebt.distributed.price(deal, 5 * 1024, client, seed=3, chunks=3, importance_shift="auto")
    assert comparable(spread.to_dict()) == comparable(local.to_dict())
    assert spread.importance_sampling["method"] == "cross-entropy"


def test_scenario_grid_on_dask_equals_the_local_grid(client):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json")
    axes = {"assumptions.sectors.ai_startup.pd_multiplier": [1, 2], "assumptions.operations.power_price_per_mwh": [70]}
    local = cd.scenario_grid(deal, axes, paths=2048, seed=3)
    farmed = cd.scenario_grid(deal, axes, paths=2048, seed=3, client=client)
    assert farmed.identical(local)


def test_dask_control_variates_equal_local_control_variates(client):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json")
    local = cd.price(deal, paths=5 * 1024, seed=6, progress=False, control_variates=True)
    spread = computedebt.distributed.price(deal, 5 * 1024, client, seed=6, chunks=3, control_variates=True)
    assert comparable(spread.to_dict()) == comparable(local.to_dict())
    assert "control_variate" in spread.to_dict()["tranches"][0]
