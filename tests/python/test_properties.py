"""Hypothesis: random valid deals load, price and round-trip; random mutations of valid deals are refused with
ValueError or load, and never crash the process."""

import copy
import json
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import computedebt as cd

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [ROOT / "tests" / "data" / "valid" / "every_field.json", ROOT / "examples" / "deals" / "blended_2026.json",
         ROOT / "examples" / "deals" / "homogeneous_pool.json"]
RATINGS = ["AAA", "AA", "A+", "A", "BBB", "BB+", "BB", "B", "B-", "CCC/C"]


@st.composite
def waterfall_deals(draw):
    """Small waterfall deals: a few names, one or two GPU types, contracts of one to five years, one or two
    tranches maturing after the contracts."""
    names = draw(st.integers(1, 6))
    counterparties = [{"id": f"n{i}", "sector": draw(st.sampled_from(["tech", "startup", None])),
                       "rating": draw(st.sampled_from(RATINGS))} for i in range(names)]
    for counterparty in counterparties:  # no sector: idiosyncratic only
        if counterparty["sector"] is None:
            del counterparty["sector"]
    types = draw(st.integers(1, 2))
    gpu_types = [{"id": f"g{t}", "purchase_price": draw(st.floats(5_000, 60_000)),
                  "power_kw": draw(st.floats(0.0, 1.5))} for t in range(types)]
    contracts = []
    for j in range(draw(st.integers(1, 6))):
        start_year = draw(st.integers(2025, 2027))
        contract = {"id": f"c{j}", "counterparty": f"n{draw(st.integers(0, names - 1))}",
                    "gpu_type": f"g{draw(st.integers(0, types - 1))}", "gpu_count": draw(st.integers(1, 500)),
                    "price_per_gpu_hour": draw(st.floats(0.0, 5.0)),
                    "start_date": f"{start_year}-0{draw(st.integers(1, 9))}-15",
                    "end_date": f"{start_year + draw(st.integers(1, 4))}-06-01",
                    "annual_escalator": draw(st.floats(0.0, 0.05)),
                    "power_pass_through": draw(st.booleans())}
        if names > 1 and draw(st.booleans()):
            guarantor = (int(contract["counterparty"][1:]) + 1) % names
            contract["guarantee"] = {"guarantor": f"n{guarantor}"}
        contracts.append(contract)
    tranches = [{"name": "Senior", "notional": draw(st.floats(1e5, 1e7)), "coupon": draw(st.floats(0.0, 0.15)),
                 "amortization": draw(st.sampled_from([{"type": "bullet"}, {"type": "level", "term_months": 24}])),
                 "legal_maturity": "2031-01-01"}]
    if draw(st.booleans()):
        tranches.append({"name": "Junior", "notional": draw(st.floats(1e5, 1e7)), "coupon": 0.12,
                         "amortization": {"type": "bullet"}, "legal_maturity": "2031-07-01"})
    structure = {"type": "waterfall", "payment_frequency_months": draw(st.sampled_from([1, 3, 6])),
                 "tranches": tranches, "equity": {"investment": draw(st.floats(1e5, 1e7))}}
    if draw(st.booleans()):
        structure["triggers"] = {"dscr_cash_sweep": draw(st.floats(0.5, 2.0)),
                                 "ltv_cash_sweep": draw(st.floats(0.3, 1.5))}
    if draw(st.booleans()):
        structure["reserve_account"] = {"target_months_of_interest": 3, "initial_balance": 10_000}
    gpu_market = {g["id"]: {"residual_value": {"annual_decline": draw(st.floats(0.0, 0.6))},
                            "rent": {"initial_per_gpu_hour": draw(st.floats(0.1, 5.0)), "annual_decline": 0.1},
                            "volatility": draw(st.floats(0.0, 0.6)),
                            "factor_loadings": {"ai": draw(st.floats(-0.9, 0.9))},
                            "obsolescence": {"jump_intensity": draw(st.floats(0.0, 0.5)),
                                             "jump_size": draw(st.floats(0.0, 0.5))}} for g in gpu_types}
    return {"format_version": 1,
            "deal": {"name": "random", "valuation_date": "2026-01-01", "counterparties": counterparties,
                     "gpu_types": gpu_types, "contracts": contracts, "structure": structure},
            "assumptions": {"discount_curve": {"type": "flat", "rate": draw(st.floats(0.0, 0.08))},
                            "factors": {"names": ["ai"], "correlation": [[1.0]]},
                            "sectors": {"startup": {"factor_loadings": {"ai": draw(st.floats(0.0, 0.9))},
                                                    "recovery_rate": draw(st.floats(0.0, 1.0))},
                                        "tech": {"factor_loadings": {"ai": draw(st.floats(0.0, 0.9))}}},
                            "gpu_market": gpu_market}}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(waterfall_deals())
def test_random_valid_deals_load_price_and_round_trip(document):
    deal = cd.Deal.from_dict(document)
    assert cd.Deal.from_dict(deal.to_dict()) == deal
    results = cd.price(deal, paths=1024, seed=1, progress=False, threads=1)
    for _, tranche in results.tranches.iterrows():
        assert 0.0 <= tranche["expected_loss"] <= 1.0 + 1e-12
        assert 0.0 <= tranche["default_probability"] <= 1.0
    equity = results.equity
    assert equity["money_multiple"] >= 0.0
    assert -1.0 <= equity["irr_mean"]
    assert math.isfinite(results.portfolio["expected_loss"])


def _paths(node, prefix=()):
    """Every path into a JSON document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


DOCUMENTS = [json.loads(path.read_text()) for path in SEEDS]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                 st.text(max_size=8), st.lists(st.integers(-3, 3), max_size=3), st.just({}),
                 st.sampled_from([-1, 0, 1e308, -0.0, 0.5, "2026-02-30", "n0", "AAA"]))


@st.composite
def mutations(draw):
    document = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JUNK)
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_deals_are_refused_with_value_error_or_load(document):
    try:
        deal = cd.Deal.from_dict(document)
    except ValueError as error:
        assert error.problems, "a refusal lists its problems"
        assert all(isinstance(path, str) and message for path, message in error.problems)
        return
    # A mutation that is still a valid deal must price (or refuse a curve) without crashing.
    try:
        cd.validate(deal)
        cd.price(deal, paths=256, progress=False, threads=1)
    except ValueError:
        pass
