"""Issue 15, determinism under faults: a Dask worker killed in the middle of a run, or a task that fails once, is
run again and the result is bit-identical to the local run.

The fault is injected by replacing the task function with one from this module (the workers import it by
reference, since pytest puts this directory on the path that spawned workers inherit); a marker file makes it
happen once, on the first task to start, whichever worker runs it."""

import functools
import os
import signal
from pathlib import Path

import pytest

import computedebt as cd
import computedebt.distributed

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]
simulate_block = computedebt.distributed._simulate_block


def fail_once(marker, how, *args):
    """Runs the task, except for the first one to start, which kills its worker or raises."""
    try:
        descriptor = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return simulate_block(*args)
    os.close(descriptor)
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError("a transient failure")


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


@pytest.mark.parametrize("how, retries", [("kill", 0), ("raise", 1)])
def test_a_task_run_again_after_a_fault_gives_the_same_bits(cluster, tmp_path, monkeypatch, how, retries):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json")
    paths = 8 * 1024 + 5
    local = cd.price(deal, paths=paths, seed=9, progress=False)
    marker = tmp_path / "failed-once"
    monkeypatch.setattr(computedebt.distributed, "_simulate_block", functools.partial(fail_once, str(marker), how))
    with distributed.Client(cluster) as client:
        spread = computedebt.distributed.price(deal, paths, client, seed=9, chunks=4, retries=retries)
        assert marker.exists(), "the fault was not injected"
        assert comparable(spread.to_dict()) == comparable(local.to_dict())
        client.wait_for_workers(2, timeout=60)  # the nanny restarts a killed worker


def test_without_retries_a_failing_task_fails_the_run(cluster, tmp_path, monkeypatch):
    deal = cd.load_deal(ROOT / "examples" / "deals" / "homogeneous_pool.json")
    monkeypatch.setattr(computedebt.distributed, "_simulate_block",
                        functools.partial(fail_once, str(tmp_path / "failed-once"), "raise"))
    with distributed.Client(cluster) as client:
        with pytest.raises(OSError, match="transient"):
            computedebt.distributed.price(deal, 4096, client, seed=9, chunks=4)
