"""Control variates from Python and the command line (docs/methodology.md section 7.7): the controlled estimates
with their variance reduction in the tranche frame, the exact means, the same numbers as the CLI, the schema, and
clear errors."""

import json
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
DEALS = ROOT / "examples" / "deals"
CLI = ROOT / "build" / "bin" / "computedebt"


@pytest.fixture(scope="module")
def pool():
    return cd.load_deal(DEALS / "homogeneous_pool.json")


@pytest.fixture(scope="module")
def controlled(pool):
    return cd.price(pool, paths=20000, seed=8, progress=False, control_variates=True)


def test_the_frame_has_plain_and_controlled_estimates_and_agrees_with_the_exact_engine(pool, controlled, schemas):
    frame = controlled.tranches
    assert {"expected_loss_uncontrolled", "expected_loss_uncontrolled_stderr", "variance_reduction"} <= set(frame)
    assert (frame["variance_reduction"] > 1).all()
    assert (frame["expected_loss_stderr"] < frame["expected_loss_uncontrolled_stderr"]).all()
    exact = cd.price(pool, method="semi-analytic").tranches["expected_loss"]
    assert ((frame["expected_loss"] - exact).abs() <= 4 * frame["expected_loss_stderr"]).all()
    means = controlled.control_variates
    assert means["portfolio_loss_mean"] == pytest.approx(0.03, abs=1e-12)
    assert means["tranche_loss_means"] == pytest.approx(list(exact), abs=1e-10)
    assert "portfolio_loss" not in means["controls"]["Mezzanine 3-7%"]  # the six tranches tile the pool
    assert len(means["controls"]["Mezzanine 3-7%"]) == 5
    document = controlled.to_dict()
    assert document["options"]["control_variates"] is True
    schemas.check("price.schema.json", document)


def test_nothing_else_changes_and_the_command_line_agrees(pool, controlled):
    plain = cd.price(pool, paths=20000, seed=8, progress=False)
    assert plain.control_variates is None and "variance_reduction" not in plain.tranches
    assert list(plain.tranches["expected_loss"]) == list(controlled.tranches["expected_loss_uncontrolled"])
    assert plain.to_dict()["portfolio"] == controlled.to_dict()["portfolio"]
    out = subprocess.run([str(CLI), "price", str(DEALS / "homogeneous_pool.json"), "--paths", "20000", "--seed", "8",
                          "--control-variates", "--json"], capture_output=True, text=True, check=True)
    document = json.loads(out.stdout)
    assert document["tranches"] == controlled.to_dict()["tranches"]
    assert document["control_variates"] == controlled.to_dict()["control_variates"]


def test_the_table_shows_what_the_controls_gained():
    out = subprocess.run([str(CLI), "price", str(DEALS / "blended_2026.json"), "--paths", "4096",
                          "--control-variates"], capture_output=True, text=True, check=True)
    assert "Control variates   exact portfolio loss mean" in out.stdout
    assert "var. red." in out.stdout and "portfolio_loss" in out.stdout
    assert " nan" not in out.stdout and "nan%" not in out.stdout


def test_the_semi_analytic_method_has_no_variance_to_reduce(pool):
    with pytest.raises(ValueError, match="control_variates"):
        cd.price(pool, method="semi-analytic", control_variates=True)
    out = subprocess.run([str(CLI), "price", str(DEALS / "homogeneous_pool.json"), "--method", "semi-analytic",
                          "--control-variates"], capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.startswith("control_variates:")


def test_guarantees_on_four_factor_directions_have_an_exact_mean():
    # Each guaranteed contract needs only its own pair of names, so four factor directions are no obstacle.
    document = json.loads((DEALS / "blended_2026.json").read_text())
    assumptions = document["assumptions"]
    names = ["f1", "f2", "f3", "f4"]
    assumptions["factors"] = {"names": names,
                              "correlation": [[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)]}
    for name, entry in zip(names, assumptions["sectors"].values()):
        entry["factor_loadings"] = {name: 0.5}
    # The start-ups' guarantor on a fourth direction, sharing some of the start-ups' factor.
    assumptions["credit"].setdefault("hyperscaler_b", {"hazard_rate": 0.002})["factor_loadings"] = {"f4": 0.4,
                                                                                                   "f2": 0.3}
    for entry in assumptions["gpu_market"].values():
        entry.pop("factor_loadings", None)
    results = cd.price(cd.Deal.from_dict(document), paths=50000, seed=4, progress=False, control_variates=True)
    portfolio = results.to_dict()["portfolio"]
    exact = results.control_variates["portfolio_loss_mean"]
    assert abs(portfolio["expected_loss"] - exact) <= 4 * portfolio["expected_loss_stderr"]
