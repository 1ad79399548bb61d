"""``cd.price(importance_shift="auto")``: the shift chosen for a tranche as ``computedebt price --importance-shift
auto`` chooses it, how it was chosen, the measured variance reduction, and the refusals
(docs/methodology.md section 7.4)."""

import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


@pytest.fixture(scope="module")
def pool():
    return cd.load_deal(POOL)


@pytest.fixture(scope="module")
def blended():
    return cd.load_deal(BLENDED)


def test_the_pool_takes_the_glasserman_li_shift_of_its_most_senior_tranche(pool):
    with pytest.warns(UserWarning, match="importance_shift: the shift chosen for Super senior 30-100% estimates"):
        results = cd.price(pool, paths=20000, seed=3, progress=False, importance_shift="auto")
    sampling = results.importance_sampling
    assert sampling["method"] == "glasserman-li" and sampling["target"] == "Super senior 30-100%"
    assert sampling["pilot_paths"] == 0
    reduction = results.importance_variance_reduction
    assert list(reduction.index) == list(results.tranches.index)
    assert reduction["Super senior 30-100%"] > 50 and reduction["Equity 0-3%"] < 1
    document = results.to_dict()
    assert len(document["importance_shift"]) == 1 and document["importance_shift"][0] < -2


def test_python_and_the_cli_choose_the_same_shift_and_price_the_same(pool):
    with pytest.warns(UserWarning, match="Equity 0-3%"):
        results = cd.price(pool, paths=8192, seed=5, progress=False, importance_shift="auto",
                           importance_target="Senior 10-15%")
    cli = subprocess.run([str(BINARY), "price", str(POOL), "--paths", "8192", "--seed", "5", "--importance-shift",
                          "auto", "--importance-target", "Senior 10-15%", "--json"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert comparable(results.to_dict()) == comparable(json.loads(cli.stdout))


def test_a_waterfall_tranche_takes_a_pilot_and_no_thread_count_changes_it(blended):
    one = cd.price(blended, paths=4096, seed=2, threads=1, progress=False, importance_shift="auto",
                   importance_target="Mezzanine B")
    two = cd.price(blended, paths=4096, seed=2, threads=2, progress=False, importance_shift="auto",
                   importance_target="Mezzanine B")
    assert comparable(one.to_dict()) == comparable(two.to_dict())
    assert one.importance_sampling["method"] == "cross-entropy"
    assert one.importance_sampling["pilot_paths"] >= 8192
    assert not math.isnan(one.importance_variance_reduction["Mezzanine B"])
    assert cd.price(blended, paths=2048, progress=False).importance_sampling is None


def test_explain_replays_a_path_of_the_auto_run(blended):
    shifted = cd.price(blended, paths=2048, seed=6, progress=False, importance_shift="auto", keep_paths=True)
    trace = cd.explain(blended, 100, seed=6, paths=2048, importance_shift="auto")
    assert trace.to_dict()["weight"] == shifted.paths.weight[100]


def test_bad_targets_and_refused_combinations(pool, blended):
    with pytest.raises(ValueError, match="importance_target: the deal has no tranche named 'Senior'; its tranches are"):
        cd.price(pool, paths=1024, progress=False, importance_shift="auto", importance_target="Senior")
    with pytest.raises(ValueError, match="importance_target: names the tranche of importance_shift='auto'"):
        cd.price(pool, paths=1024, progress=False, importance_target="Senior 10-15%")
    with pytest.raises(TypeError, match="importance_target: expected a tranche name"):
        cd.price(pool, paths=1024, progress=False, importance_shift="auto", importance_target=3)
    with pytest.raises(ValueError, match="importance_shift: 'auto' chooses a shift for the Monte Carlo"):
        cd.price(pool, method="semi-analytic", importance_shift="auto")
    with pytest.raises(ValueError, match="importance_shift: 'auto' is chosen by price, explain and distributed"):
        cd.size(blended, "Senior A", "A2", paths=1024, importance_shift="auto")
    with pytest.raises(TypeError, match="importance_shift: expected a list"):
        cd.price(pool, paths=1024, progress=False, importance_shift="automatic")
