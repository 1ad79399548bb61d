"""Risk contributions from Python: a labelled DataFrame that adds up, the same numbers as the command line, nothing
else changed, and a bar chart."""

import json
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import computedebt as cd  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
CLI = ROOT / "build" / "bin" / "computedebt"


@pytest.fixture(scope="module")
def blended():
    return cd.price(cd.load_deal(DEALS / "blended_2026.json"), paths=4096, seed=3, progress=False,
                    contributions=True)


def comparable(document):
    return {k: v for k, v in document.items() if k not in ("elapsed_seconds", "threads", "options", "contributions")}


def test_the_frame_holds_every_holder_and_adds_up(blended):
    frame = blended.contributions
    document = blended.to_dict()
    kinds = frame.index.get_level_values("kind")
    assert (kinds == "counterparty").sum() == len(document["contributions"]["counterparties"]) == 44
    assert set(frame.loc["sector"].index) == {"hyperscaler", "ai_startup", "enterprise"}
    totals = document["contributions"]["totals"]
    for kind in ("counterparty", "sector"):
        rows = frame.loc[kind]
        assert rows["expected_loss"].sum() == pytest.approx(document["portfolio"]["expected_loss"], rel=1e-12)
        assert rows["var_99"].sum() == pytest.approx(totals["var_99"], rel=1e-12)
        assert rows["es_99"].sum() == pytest.approx(totals["es_99"], rel=1e-12)
    for tranche in document["tranches"]:
        column = frame[f"{tranche['name']} expected_loss"]
        allocated = column.loc["counterparty"].sum() + column.loc["gpu_market"].sum()
        assert allocated == pytest.approx(tranche["expected_loss"], rel=1e-12, abs=1e-15)
    assert np.isnan(frame.loc[("gpu_market", "gpu_market"), "expected_loss"])
    assert (frame.filter(like="_stderr").loc[["counterparty", "sector"]].fillna(0) >= 0).all().all()


def test_nothing_else_changes_and_the_cli_agrees(blended, tmp_path):
    deal = cd.load_deal(DEALS / "blended_2026.json")
    plain = cd.price(deal, paths=4096, seed=3, progress=False)
    assert plain.contributions is None
    assert comparable(plain.to_dict()) == comparable(blended.to_dict())
    out = subprocess.run([str(CLI), "price", str(DEALS / "blended_2026.json"), "--paths", "4096", "--seed", "3",
                          "--contributions", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["contributions"] == blended.to_dict()["contributions"]


def test_the_bar_chart_names_what_it_shows(blended):
    ax = cd.plot.contributions(blended)
    assert len(ax.patches) == 10
    assert "expected loss" in ax.get_title() and "% of exposure" in ax.get_xlabel()
    ax = cd.plot.contributions(blended, measure="Mezzanine B expected_loss", kind="sector")
    assert len(ax.patches) == 3 and "% of the tranche" in ax.get_xlabel()
    with pytest.raises(ValueError, match="measure"):
        cd.plot.contributions(blended, measure="var_99_stderr")
    with pytest.raises(ValueError, match="contributions=True"):
        cd.plot.contributions(cd.price(cd.load_deal(DEALS / "homogeneous_pool.json"), paths=100, progress=False))
