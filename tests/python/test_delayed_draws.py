"""Deliveries and delayed draws from Python (docs/methodology.md section 5.8): the same document as the command line,
the draws, deliveries and commitment fees as pandas objects that add up, an explained path's draws, the schemas,
Dask's results equal to local ones, and bad terms refused with ValueError."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
DRAWN = ROOT / "tests" / "data" / "valid" / "blended_delayed_draw.json"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))


def comparable(document):
    return {key: value for key, value in document.items() if key not in ("elapsed_seconds", "threads")}


def tight():
    """The deal with advance rates tight enough that some paths refuse a draw."""
    document = json.loads(DRAWN.read_text())
    document["deal"]["structure"]["borrowing_base"]["advance_rates"] = {
        "investment_grade": 0.45, "sub_investment_grade": 0.3, "guaranteed": 0.4, "gpu": 0.15}
    document["deal"]["structure"]["tranches"][0]["delayed_draw"]["refused_draw"] = "cancel_delivery"
    return cd.Deal.from_dict(document)


@pytest.fixture(scope="module")
def results():
    return cd.price(tight(), paths=8192, seed=3, progress=False)


def test_the_document_is_the_command_lines():
    local = cd.price(cd.load_deal(DRAWN), paths=4096, seed=3, progress=False)
    cli = subprocess.run([str(BINARY), "price", str(DRAWN), "--paths", "4096", "--seed", "3", "--json"],
                         check=True, capture_output=True, text=True)
    assert comparable(local.to_dict()) == comparable(json.loads(cli.stdout))


def test_draws_deliveries_and_fees_add_up(results):
    facility = results.tranches.loc["DDTL"]
    assert facility["commitment"] == 2.0e9
    planned = 0.8 * 4000 * 65000 + 0.75 * 3000 * 65000
    assert 0 < facility["expected_drawn"] < planned
    assert 0 < facility["refusal_probability"] < 0.5
    assert facility["expected_commitment_fees"] > 0
    draws = results.draws
    assert draws["DDTL"].sum() == pytest.approx(facility["expected_drawn"])
    assert (draws["DDTL"] > 0).sum() == 2                       # on the two funding dates only
    deliveries = results.deliveries
    assert list(deliveries.index) == ["B200-2026-06", "B200-2026-12"]
    # Under cancel_delivery every refused draw cancels its delivery, and only those or an event of default do.
    assert deliveries["cancel_probability"].max() >= facility["refusal_probability"] / 2
    assert list(deliveries["funding_date"]) == ["2026-07-01", "2027-01-01"]


def test_the_documents_follow_their_schemas(results, schemas):
    schemas.check("price.schema.json", results.to_dict())
    schemas.check("deal.schema.json", cd.load_deal(DRAWN).to_dict())
    schemas.check("explain.schema.json", cd.explain(tight(), 7, seed=3, paths=8192).to_dict())


def test_a_deal_without_deliveries_has_none():
    results = cd.price(cd.load_deal(ROOT / "examples" / "deals" / "blended_2026.json"), paths=1024, progress=False)
    assert results.deliveries.empty and results.draws.empty
    assert "commitment" not in results.tranches.columns


def test_bad_terms_are_value_errors_naming_every_path():
    document = json.loads(DRAWN.read_text())
    terms = document["deal"]["structure"]["tranches"][0]["delayed_draw"]
    terms["draws"][1]["cohort"] = "B200-2027-06"
    terms["commitment"] = 1.3e9
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    for path in ("deal.structure.tranches[0].delayed_draw.draws[1].cohort",
                 "deal.structure.tranches[0].delayed_draw.commitment"):
        assert path in str(refused.value)


def test_a_delayed_draw_tranche_is_sculpted_around_its_draws_which_keep_their_amortisation():
    document, sculpted = cd.sculpt(cd.load_deal(DRAWN), "DDTL", 1.3)
    tranche = sculpted.to_dict()["deal"]["structure"]["tranches"][0]
    assert tranche["amortization"]["type"] == "schedule"
    assert tranche["delayed_draw"]["draw_amortization"] == {"type": "level", "term_months": 60}
    # The draws' debt service counts before the closing notional's: from the quarter after the first draw on, the
    # other debt service is positive.
    first_draw = [row["date"] for row in document["dates"]].index("2026-07-01")
    assert document["dates"][first_draw]["senior_debt_service"] == 0
    assert document["dates"][first_draw + 1]["senior_debt_service"] > 0
    assert cd.price(sculpted, paths=1024, progress=False).tranches.loc["DDTL", "expected_loss"] >= 0


def test_a_scheduled_delayed_draw_tranche_needs_the_draws_own_amortisation():
    document = json.loads(DRAWN.read_text())
    document["deal"]["structure"]["tranches"][0]["amortization"] = {"type": "schedule", "balances": [0.9, 0.5, 0.0]}
    with pytest.raises(ValueError, match="draw_amortization"):
        cd.Deal.from_dict(document)


def test_dask_results_equal_local_results():
    distributed = pytest.importorskip("dask.distributed")
    import computedebt.distributed
    deal = tight()
    local = cd.price(deal, paths=3 * 1024 + 5, seed=4, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = computedebt.distributed.price(deal, 3 * 1024 + 5, client, seed=4, chunks=3)
    assert comparable(spread.to_dict()) == comparable(local.to_dict())


def test_late_deliveries_are_reported_per_delivery_and_bad_delays_refused():
    document = json.loads(DRAWN.read_text())
    document["assumptions"]["delivery_delay"] = {"delay": {"months": [0, 3], "probabilities": [0.7, 0.3]}}
    result = cd.price(cd.Deal.from_dict(document), paths=4096, seed=3, progress=False)
    deliveries = result.deliveries
    assert list(deliveries.index) == ["B200-2026-06", "B200-2026-12"]
    for _, row in deliveries.iterrows():
        assert abs(row["late_probability"] - 0.3) < 4 * row["late_probability_stderr"]
        assert abs(row["expected_delay_months"] - 0.9) < 4 * row["expected_delay_months_stderr"]
    document["assumptions"]["delivery_delay"] = {"delay": {"months": [0, 3], "probabilities": [0.7, 0.2]},
                                                 "cohorts": {"H100": {"months": [1], "probabilities": [1.0]}}}
    with pytest.raises(ValueError) as refused:
        cd.Deal.from_dict(document)
    for path in ("assumptions.delivery_delay.delay.probabilities", "assumptions.delivery_delay.cohorts.H100"):
        assert path in str(refused.value)


def test_a_facility_with_only_dated_draws_prices_and_explains_them():
    document = json.loads(DRAWN.read_text())
    deal = document["deal"]
    deal["fleet"] = [cohort for cohort in deal["fleet"] if "id" not in cohort]
    deal["contracts"] = [contract for contract in deal["contracts"] if "cohort" not in contract]
    deal["structure"]["tranches"][0]["delayed_draw"]["draws"] = [
        {"date": "2026-06-15", "amount": 100e6}, {"date": "2027-03-01", "amount": 50e6}]
    drawn = cd.Deal.from_dict(document)
    result = cd.price(drawn, paths=2048, seed=5, progress=False)
    facility = result.tranches.loc["DDTL"]
    assert 0 < facility["expected_drawn"] <= 150e6
    assert list(result.deliveries.index) == []
    assert result.draws["DDTL"].loc["2026-07-01"] > 0 and result.draws["DDTL"].loc["2027-04-01"] > 0
    path = cd.explain(drawn, path=0, paths=2048, seed=5)
    dates = path.dates
    made = dates[("drawn", "DDTL")]
    # What a dated draw lends, the equity receives on the same date.
    assert (dates[("equity", "draw_proceeds")] == made).all()
    assert made.sum() in (0.0, 50e6, 100e6, 150e6)
