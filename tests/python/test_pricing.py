"""Pricing from Python: the command line's document, pandas views, per-path arrays, threads and Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


@pytest.fixture(scope="module")
def blended():
    return cd.load_deal(DEALS / "blended_2026.json")


@pytest.fixture(scope="module")
def pool():
    return cd.load_deal(DEALS / "homogeneous_pool.json")


@pytest.mark.parametrize("name", ["blended_2026.json", "homogeneous_pool.json"])
def test_the_document_equals_the_command_lines(name):
    results = cd.price(cd.load_deal(DEALS / name), paths=5000, seed=3, progress=False)
    cli = subprocess.run([str(BINARY), "price", str(DEALS / name), "--paths", "5000", "--seed", "3", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert comparable(results.to_dict()) == comparable(json.loads(cli.stdout))
    assert comparable(json.loads(results.to_json())) == comparable(results.to_dict())


def test_results_do_not_depend_on_threads(blended):
    one = cd.price(blended, paths=4000, seed=9, threads=1, progress=False)
    two = cd.price(blended, paths=4000, seed=9, threads=2, progress=False)
    assert comparable(one.to_dict()) == comparable(two.to_dict())


def test_pandas_views(blended, pool):
    results = cd.price(blended, paths=4096, progress=False)
    tranches = results.tranches
    assert list(tranches.index) == ["Senior A", "Mezzanine B"]
    assert {"expected_loss", "expected_loss_stderr", "wal_years", "implied_rating"} <= set(tranches.columns)
    assert results.portfolio["expected_loss"] == results["portfolio"]["expected_loss"]
    assert results.equity["irr_p05"] <= results.equity["irr_p95"]
    covenants = ["DSCR cash trap", "DSCR default", "LTV cash sweep"]
    assert list(results.events.index) == covenants + ["event_of_default"]
    assert list(results.covenants.index) == covenants
    assert (results.covenants["breach_probability"] == results.events["probability"][covenants]).all()
    assert {"metric", "consequence", "expected_months_in_breach_stderr", "expected_cures_used"} <= set(
        results.covenants.columns)
    first = results.covenant_first_breach
    assert list(first.columns) == covenants and first.index.equals(results.payment_dates)
    accounts = results.accounts
    assert list(accounts) == ["Debt service reserve", "Cash trap"]
    reserve, trap = accounts["Debt service reserve"], accounts["Cash trap"]
    assert reserve.index.equals(results.payment_dates) and list(reserve.columns[:2]) == ["mean", 0.05]
    assert reserve[0.05].isna().all() and (reserve["mean"].iloc[:-1] > 0).all()   # a reserve keeps its mean only
    assert (trap[0.05] <= trap[0.95]).all() and (trap["mean"] >= 0).all()
    assert len(results.fan_charts["dscr"]) == len(results.payment_dates)
    assert results.first_occurrence.sum().round(12).equals(results.events["probability"].round(12))
    flows = results.expected_flows
    assert flows[("Senior A", "principal")].sum() <= tranches.loc["Senior A", "notional"] * (1 + 1e-9)
    assert abs(results.default_count_distribution.sum() - 1.0) < 1e-9
    loss = cd.price(pool, paths=4096, progress=False)
    assert loss.equity is None and loss.fan_charts is None and loss.covenants is None and loss.accounts is None
    assert "attachment" in loss.tranches.columns


def test_kept_paths_agree_with_the_summary(blended):
    results = cd.price(blended, paths=3000, keep_paths=True, progress=False)
    paths = results.paths
    assert paths.portfolio_loss.shape == (3000,)
    assert paths.tranche_loss.shape == (3000, 2)
    assert paths.gpu_multiplier.shape[:2] == (3000, 2)
    assert not paths.portfolio_loss.flags.owndata  # handed over by the engine, not copied
    assert np.isclose(paths.portfolio_loss.mean(), results.portfolio["expected_loss"], rtol=1e-12, atol=1e-15)
    assert np.isclose(paths.equity_irr.mean(), results.equity["irr_mean"], rtol=1e-12)
    assert np.isclose(paths.tranche_loss[:, 1].mean(), results.tranches["expected_loss"].iloc[1], rtol=1e-9,
                      atol=1e-15)
    assert np.isclose((paths.event_of_default > 0).mean(), results.events.loc["event_of_default", "probability"])
    assert np.all(paths.gpu_multiplier[:, :, 0] == paths.gpu_multiplier[0, :, 0])
    assert list(paths.frame().columns[2:4]) == ["loss[Senior A]", "loss[Mezzanine B]"]


def test_bad_settings_raise_value_error(blended):
    with pytest.raises(ValueError):
        cd.price(blended, paths=0, progress=False)
    with pytest.raises(ValueError):
        cd.price(blended, paths=100, seed=-1, progress=False)


def test_the_progress_bar_runs_and_the_gil_is_released(blended):
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    thread = threading.Thread(target=count)
    thread.start()
    cd.price(blended, paths=100_000, progress=True)
    stop.set()
    thread.join()
    assert len(ticks) > 5  # another Python thread ran while the engine did


def test_ctrl_c_stops_a_run_quickly(blended):
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        cd.price(blended, paths=50_000_000, progress=False)
    assert time.perf_counter() - start < 3.0
    # The engine is still usable afterwards.
    assert cd.price(blended, paths=1024, progress=False).to_dict()["paths"] == 1024


def test_structuring_from_python(blended):
    sized = cd.size(blended, "Senior A", "A2", paths=2048)
    assert sized["tranche"] == "Senior A" and sized["notional"] > 0
    with pytest.raises(ValueError) as caught:
        cd.size(blended, "Senior Z", "A2", paths=1024)
    assert "Senior Z" in str(caught.value)
    even = cd.break_even(blended, "Senior A", "A2", ["ai_startup"], paths=1024)
    assert even["multiplier"] > 0


def test_collapsed_importance_weights_raise_a_user_warning(blended, pool):
    factors = len(blended.to_dict()["assumptions"]["factors"]["names"])
    with pytest.warns(UserWarning, match="importance_shift: the likelihood-ratio weights have collapsed"):
        results = cd.price(blended, paths=4000, progress=False, importance_shift=[-10.0] * factors)
    assert results.effective_sample_size < 40
    assert [w["path"] for w in results.sampling_warnings] == ["importance_shift"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sound = cd.price(pool, paths=4000, progress=False, importance_shift=[-1.5])
    assert 40 < sound.effective_sample_size < 4000 and sound.sampling_warnings == []
    assert abs(sound.mean_weight - 1) < 5 * sound.mean_weight_stderr


def test_an_exception_from_the_final_progress_report_propagates(pool):
    # A run this short gets only the final report (done == total): its exception, KeyboardInterrupt included,
    # must not be dropped.
    from computedebt import _core

    config = _core.SimulationConfig()
    config.paths = 1024
    reports = []

    def progress(done, total):
        reports.append((done, total))
        if done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _core.simulate(pool._file, config, progress)
    assert reports[-1] == (1024, 1024)


@pytest.mark.parametrize("search", ["size", "break_even"])
def test_ctrl_c_stops_a_structuring_search_within_a_second(blended, search):
    sent = []

    def interrupt():
        sent.append(time.perf_counter())
        signal.raise_signal(signal.SIGINT)

    timer = threading.Timer(0.5, interrupt)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            if search == "size":
                cd.size(blended, "Senior A", "A2", paths=5_000_000)
            else:
                cd.break_even(blended, "Senior A", "A2", ["ai_startup"], paths=5_000_000)
        stopped = time.perf_counter()
    finally:
        timer.cancel()
    assert sent and stopped - sent[0] < 1.0
    # The engine is still usable afterwards.
    assert cd.size(blended, "Senior A", "A2", paths=1024)["notional"] > 0


def test_the_progress_bar_is_drawn_only_where_a_person_watches(monkeypatch):
    import io
    import sys

    from computedebt._price import _watched

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not _watched()  # a pipe or a file: no bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert _watched()
