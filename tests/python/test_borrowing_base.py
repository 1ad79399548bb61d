"""The borrowing base from Python (docs/methodology.md section 5.7): the same document as the command line, its
section and fan chart as pandas objects that add up, the explained path's headroom, the plot, and Dask's results
equal to local ones."""

import json
import os
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import computedebt as cd
import computedebt.plot

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "data" / "valid" / "blended_borrowing_base.json"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


@pytest.fixture(scope="module")
def results():
    return cd.price(cd.load_deal(BASE), paths=8192, seed=3, progress=False)


def test_the_document_is_the_command_lines(results):
    cli = subprocess.run([str(BINARY), "price", str(BASE), "--paths", "8192", "--seed", "3", "--json"],
                         check=True, capture_output=True, text=True)
    assert comparable(results.to_dict()) == comparable(json.loads(cli.stdout))


def test_the_section_adds_up(results):
    base = results.borrowing_base
    assert base["initial_headroom"] == pytest.approx(base["initial_borrowing_base"] - base["initial_balance"])
    assert base["initial_balance"] == 1.3e9
    assert base["initial_excluded"] > 0                         # the limits bind on the blended deal
    assert 0.05 < base["deficiency_probability"] < 0.6
    assert base["deficiency_probability_stderr"] > 0
    assert 0 < base["event_of_default_probability"] < base["deficiency_probability"]
    by_date = results.borrowing_base_by_date
    assert by_date["first_deficiency"].sum() == pytest.approx(base["deficiency_probability"])
    assert by_date["expected_prepayment"].sum() == pytest.approx(base["expected_prepayments"])
    # The covenant table carries the test, named and described.
    row = results.covenants.loc["borrowing_base"]
    assert (row["metric"], row["consequence"]) == ("borrowing_base", "mandatory_prepayment")
    assert row["breach_probability"] == base["deficiency_probability"]


def test_the_headroom_fan_chart_is_ordered_and_starts_near_the_initial_headroom(results):
    fan = results.fan_charts["borrowing_base_headroom"]
    assert fan.shape == (len(results.payment_dates) - 1, 5)    # no test on the final date
    tested = fan.dropna()
    assert (np.diff(tested.to_numpy(), axis=1) >= 0).all()
    # The first test's median sits below the headroom at t0: contracts run off and the GPUs depreciate faster than
    # the senior amortises.
    assert tested.iloc[0][0.5] < results.borrowing_base["initial_headroom"]
    ax = computedebt.plot.fan_chart(results, "borrowing_base_headroom")
    assert "headroom" in ax.get_title()


def test_an_explained_path_shows_its_headroom_and_prepayments(results):
    trace = cd.explain(cd.load_deal(BASE), 5, seed=3, paths=8192)
    dates = trace.dates
    headroom = dates[("borrowing_base", "headroom")]
    prepaid = dates[("borrowing_base", "mandatory_prepayment")]
    assert len(headroom) == len(results.payment_dates)
    assert (prepaid >= 0).all()
    assert (prepaid[headroom.fillna(0) >= -0.01] == 0).all()    # only a deficiency is prepaid


def test_a_deal_without_a_borrowing_base_has_none():
    results = cd.price(cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json"), paths=1024, progress=False)
    assert results.borrowing_base is None and results.borrowing_base_by_date is None
    assert "borrowing_base_headroom" not in results.fan_charts
    with pytest.raises(ValueError, match="no borrowing base"):
        computedebt.plot.fan_chart(results, "borrowing_base_headroom")


def test_bad_borrowing_bases_are_value_errors_naming_every_path():
    document = json.loads(BASE.read_text())
    base = document["deal"]["structure"]["borrowing_base"]
    base["tranches"] = ["Senior Z"]
    base["advance_rates"] = {"investment_grade": 1.5}
    base["concentration_limits"]["single_counterparty"] = -0.1
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    message = str(refused.value)
    for path in ("deal.structure.borrowing_base.tranches[0]",
                 "deal.structure.borrowing_base.advance_rates.investment_grade",
                 "deal.structure.borrowing_base.concentration_limits.single_counterparty"):
        assert path in message


def test_dask_results_equal_local_results():
    distributed = pytest.importorskip("dask.distributed")
    import computedebt.distributed
    deal = cd.load_deal(BASE)
    local = cd.price(deal, paths=3 * 1024 + 5, seed=4, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = computedebt.distributed.price(deal, 3 * 1024 + 5, client, seed=4, chunks=3)
    assert comparable(spread.to_dict()) == comparable(local.to_dict())


def test_the_documents_follow_their_schemas(results, schemas):
    schemas.check("price.schema.json", results.to_dict())
    schemas.check("explain.schema.json", cd.explain(cd.load_deal(BASE), 5, seed=3, paths=8192).to_dict())
    schemas.check("deal.schema.json", cd.load_deal(BASE).to_dict())
