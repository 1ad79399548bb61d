"""The JSON Schemas of schema/: valid Draft 2020-12; every valid deal, assumptions and scenario file of the repository
passes; the invalid corpus files that are wrong in structure fail; the CLI's and the Python package's output
documents validate. The schemas check structure and simple ranges; cross-field rules stay the loader's."""

import copy
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schema"
INVALID = ROOT / "tests" / "data" / "invalid"
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"
POOL = ROOT / "examples" / "deals" / "homogeneous_pool.json"
EXAMPLE_DEALS = sorted((ROOT / "examples" / "deals").glob("*.json"))
SCHEMA_NAMES = ["common.schema.json", "deal.schema.json", "assumptions.schema.json", "scenario.schema.json",
                "price.schema.json", "size.schema.json", "break_even.schema.json", "validate.schema.json",
                "explain.schema.json", "sensitivities.schema.json", "grid.schema.json", "grid_file.schema.json",
                "sculpt.schema.json", "sizing.schema.json", "sizing_request.schema.json"]

# The invalid corpus, classified by hand from each file's problem (expected.json pins the loader's paths).
# Wrong in structure: not JSON (syntax, NaN, Infinity, empty), a wrong type, an unknown field, a missing field, a
# value off an enumeration or pattern. The schemas must refuse every one.
STRUCTURAL = {
    # not JSON at all, or not strict JSON (NaN and Infinity literals)
    "assumptions_file_not_json.json", "empty_file.json", "infinity_literal.json", "nan_literal.json",
    "not_json_plain_text.json", "scenario_not_json.json", "truncated_after_member.json", "truncated_json.json",
    "whitespace_only.json",
    # wrong type
    "comment_in_a_map_not_a_string.json", "comment_not_a_string.json", "coupon_string_nan.json",
    "deal_name_null.json", "format_version_string.json", "gpu_count_fractional.json", "scenario_not_an_object.json",
    "top_level_array.json", "top_level_string.json", "wrong_type_price_as_string.json",
    # unknown field
    "deeply_nested_junk.json", "misspelt_valuation_date.json", "several_problems_fleet_and_contract_typo.json",
    "several_problems_in_deal.json", "unknown_field_in_contract.json", "unknown_top_level_field.json",
    # missing field (or an empty list where one is required, or fields that go together given alone)
    "contracts_empty.json", "equity_missing.json", "scenario_unknown_counterparty_and_gpu_type.json",
    "horizon_years_without_default_probability.json", "loss_contract_without_exposure.json",
    "missing_assumptions.json", "missing_deal.json", "scenario_nulls_discount_curve.json",
    "student_t_without_degrees_of_freedom.json", "two_curve_sources.json",
    "waterfall_contract_missing_gpu_count.json", "hedge_without_payment_frequency.json",
    "capacity_lease_terms.json", "facility_terms.json", "site_generation_terms.json",
    # off an enumeration or a pattern
    "cds_bad_tenor_key.json", "date_malformed_slashes.json", "format_version_2.json", "guarantee_expiry_invalid.json",
    "payment_frequency_4.json", "several_problems_loss_tranches.json", "unknown_amortization_type.json",
    "unknown_discount_curve_type.json", "unknown_rating.json", "unknown_rating_in_credit.json",
    "unknown_structure_type.json", "margin_grid_unknown_rating.json", "delayed_draw_unknown_refusal_rule.json",
}
# Well-formed, but a number outside its simple range (ranges.hpp): the schemas refuse these too.
OUT_OF_RANGE = {
    "assumptions_file_invalid.json", "assumptions_replaced_not_validated.json", "default_probability_one.json",
    "fleet_count_negative.json", "gpu_count_1e30.json", "gpu_count_negative.json", "gpu_count_zero.json",
    "guarantee_cap_negative.json", "huge_number_1e400.json", "jump_size_one.json", "loss_notional_negative.json",
    "price_negative.json", "purchase_price_negative.json", "recovery_rate_1_5.json",
    "scenario_sets_recovery_rate_2.json", "sector_key_with_space.json", "several_problems_across_parts.json",
    "student_t_degrees_of_freedom_tiny.json", "tranche_notional_zero.json",
    "borrowing_base_unknown_tranche_and_out_of_range.json", "delayed_draw_schedule_draws_and_delay_out_of_range.json",
}
# Every other corpus file breaks a rule that combines fields or needs arithmetic (dangling or duplicate ids,
# dates out of order or on 30 February, fleet capacity, correlation matrices, loadings' variance, the payment
# grid, duplicate JSON keys, curve sources for every counterparty): the loader's job, and the schemas accept them.


class NotJson(ValueError):
    pass


def _reject_constant(name):
    raise NotJson(f"{name} is not JSON")


def strict_load(path):
    """Parses a file as strict JSON (no NaN or Infinity), as the loader does."""
    text = Path(path).read_text()
    if not text.strip():
        raise NotJson("empty")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise NotJson(str(error)) from error


def merge_patch(target, patch):
    """RFC 7396."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def loader_path(parts):
    """A jsonschema path in the loader's notation: `deal.contracts[3].end_date`, `sectors["ai startup"]`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part and all(c.isalnum() or c in "_-" for c in part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


def related(a, b):
    """Whether one path is the other or inside it."""
    shorter, longer = sorted((a, b), key=len)
    return longer.startswith(shorter) and (len(longer) == len(shorter) or shorter == "" or longer[len(shorter)] in ".[")


def kind_of_input(document):
    if isinstance(document, dict) and "format_version" in document:
        return "deal.schema.json"
    if isinstance(document, dict) and "discount_curve" in document and "factors" in document:
        return "assumptions.schema.json"
    return "scenario.schema.json"


# ---------------------------------------------------------------- the schemas themselves

@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_schema_is_valid_draft_2020_12(name, schemas):
    from jsonschema import Draft202012Validator
    schema = schemas.by_name[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)
    assert schema.get("description")


def test_schema_directory_holds_exactly_the_known_schemas(schemas):
    assert sorted(schemas.by_name) == sorted(SCHEMA_NAMES)


def _properties(node, where):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.properties.{key}", value
        for key, value in node.items():
            if key not in ("if", "not"):  # conditions, not definitions
                yield from _properties(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name, schemas):
    missing = [where for where, value in _properties(schemas.by_name[name], name)
               if isinstance(value, dict) and "description" not in value
               and not (set(value) <= {"minItems", "items", "maxItems", "required"})]  # constraints added by if/then
    assert not missing, missing


def test_no_schema_refers_outside_the_directory(schemas):
    for name, schema in schemas.by_name.items():
        text = json.dumps(schema)
        assert "../" not in text, name
        refs = [part.split('"')[0] for part in text.split('"$ref": "')[1:]]
        for target in refs:
            file = target.split("#")[0]
            assert file == "" or file in schemas.by_name, (name, target)


# ---------------------------------------------------------------- valid inputs pass

VALID_INPUTS = sorted([*EXAMPLE_DEALS, *(ROOT / "examples" / "scenarios").glob("*.json"),
                       *(ROOT / "tests" / "data" / "valid").glob("*.json"),
                       INVALID / "parts" / "assumptions_valid.json", INVALID / "parts" / "scenario_stress_ok.json",
                       # well-formed patches whose merged result breaks a cross-field rule
                       INVALID / "parts" / "scenario_remove_b200_market.json",
                       INVALID / "parts" / "scenario_null_discount_curve.json"])


@pytest.mark.parametrize("path", VALID_INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_inputs_pass_their_schema(path, schemas):
    document = strict_load(path)
    schemas.check(kind_of_input(document), document)


def test_a_valid_deal_with_a_scenario_applied_passes(schemas):
    deal = strict_load(BLENDED)
    patch = strict_load(ROOT / "examples" / "scenarios" / "ai_winter.json")
    deal["assumptions"] = merge_patch(deal["assumptions"], patch)
    schemas.check("deal.schema.json", deal)


def test_a_scenario_patching_rate_indices_and_delivery_delays_passes_and_loads(schemas):
    # The scenario schema accepts every assumption the loader lets a scenario patch, rate indices and delays included.
    path = ROOT / "tests" / "data" / "valid" / "rates_and_delays_scenario.json"
    patch = strict_load(path)
    schemas.check("scenario.schema.json", patch)
    deal = strict_load(ROOT / "examples" / "deals" / "ddtl_2026.json")
    deal["assumptions"] = merge_patch(deal["assumptions"], patch)
    schemas.check("deal.schema.json", deal)
    import computedebt as cd
    loaded = cd.load_deal(ROOT / "examples" / "deals" / "ddtl_2026.json", scenarios=[path]).to_dict()["assumptions"]
    assert loaded["rate_indices"]["SOFR"]["hull_white"]["volatility"] == 0.015
    assert loaded["rate_indices"]["SOFR"]["ois_swaps"]["5Y"] == 0.045
    assert loaded["delivery_delay"]["delay"]["months"] == [0, 3, 6]


def test_deal_and_assumptions_defs_validate_the_parts_alone(schemas):
    deal = strict_load(BLENDED)
    schemas.check("assumptions.schema.json", deal["assumptions"])
    from jsonschema import Draft202012Validator
    part = Draft202012Validator({"$ref": schemas.by_name["deal.schema.json"]["$id"] + "#/$defs/deal"},
                                registry=schemas.registry)
    assert not list(part.iter_errors(deal["deal"]))


@pytest.mark.parametrize("name", ["scenario_array.json", "scenario_recovery_rate_2.json"])
def test_malformed_scenario_parts_fail(name, schemas):
    assert schemas.errors("scenario.schema.json", strict_load(INVALID / "parts" / name))


def test_malformed_assumptions_part_fails(schemas):
    assert schemas.errors("assumptions.schema.json", strict_load(INVALID / "parts" / "assumptions_negative_volatility.json"))


# ---------------------------------------------------------------- the invalid corpus

EXPECTED = json.loads((INVALID / "expected.json").read_text())


def test_every_corpus_file_is_classified():
    corpus = {p.name for p in INVALID.glob("*.json")} - {"expected.json"}
    assert corpus == set(EXPECTED)
    assert not STRUCTURAL & OUT_OF_RANGE
    assert (STRUCTURAL | OUT_OF_RANGE) <= corpus


def schema_errors_for_corpus_file(name, schemas):
    """The schema's errors for a corpus entry, loaded as the loader loads it (with its assumptions and scenarios),
    as (path, message) pairs in the loader's notation; ("", "not JSON") when a file is not strict JSON."""
    entry = EXPECTED[name]
    try:
        document = strict_load(INVALID / name)
        assumptions = strict_load(INVALID / entry["assumptions"]) if "assumptions" in entry else None
        patches = [strict_load(INVALID / scenario) for scenario in entry.get("scenarios", [])]
    except NotJson as error:
        return [("", f"not JSON: {error}")]
    errors = []
    for patch in patches:
        errors += [("", f"scenario: {e.message}") for e in schemas.validator("scenario.schema.json").iter_errors(patch)]
    if isinstance(document, dict):
        if assumptions is not None:
            document["assumptions"] = assumptions
        for patch in patches:
            if isinstance(patch, dict) and "assumptions" in document:
                document["assumptions"] = merge_patch(document["assumptions"], patch)
    errors += [(loader_path(e.absolute_path), e.message)
               for e in schemas.validator("deal.schema.json").iter_errors(document)]
    return errors


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_fails_the_schema_exactly_when_classified_so(name, schemas):
    errors = schema_errors_for_corpus_file(name, schemas)
    if name in STRUCTURAL or name in OUT_OF_RANGE:
        assert errors, f"{name} passes the schema, but it is wrong in structure or range"
        # The schema points where the loader does (or at an object that holds it).
        pinned = EXPECTED[name]["paths"]
        assert any(related(path, p) for path, _ in errors for p in pinned), (errors, pinned)
    else:
        assert not errors, f"{name}: a cross-field problem, which the schema leaves to the loader: {errors}"


# ---------------------------------------------------------------- output documents

def run_cli(*args):
    if not BINARY.exists():
        pytest.skip(f"{BINARY} is not built")
    result = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("deal", EXAMPLE_DEALS, ids=lambda p: p.name)
def test_price_documents_validate(deal, schemas):
    document = run_cli("price", deal, "--paths", 1000, "--json")
    schemas.check("price.schema.json", document)
    assert ("equity" in document) == (strict_load(deal)["deal"]["structure"]["type"] == "waterfall")


@pytest.mark.parametrize("options", [["--antithetic", "--importance-shift", -0.5], ["--quasi-random"]],
                         ids=["antithetic-importance", "quasi-random"])
def test_price_documents_with_variance_reduction_validate(options, schemas, tmp_path):
    output = tmp_path / "results.json"
    document = run_cli("price", POOL, "--paths", 2048, "--json", "--output", output, *options)
    schemas.check("price.schema.json", document)
    schemas.check("price.schema.json", json.loads(output.read_text()))


def test_a_loss_tranche_document_with_waterfall_fields_fails(schemas):
    document = run_cli("price", POOL, "--paths", 500, "--json")
    document["payment_dates"] = []
    assert schemas.errors("price.schema.json", document)
    document = run_cli("price", BLENDED, "--paths", 500, "--json")
    del document["fan_charts"]
    assert schemas.errors("price.schema.json", document)


def test_size_and_break_even_documents_validate(schemas):
    size = run_cli("size", BLENDED, "--tranche", "Mezzanine B", "--target-rating", "Aa2", "--paths", 1024)
    schemas.check("size.schema.json", size)
    assert schemas.errors("break_even.schema.json", size)
    break_even = run_cli("break-even", BLENDED, "--tranche", "Senior A", "--target-rating", "A2",
                         "--sector", "ai_startup", "--paths", 1024)
    schemas.check("break_even.schema.json", break_even)
    assert schemas.errors("size.schema.json", break_even)


def test_a_sculpt_document_and_the_deal_it_writes_validate(schemas, tmp_path):
    deal = tmp_path / "sculpted.json"
    sculpt = run_cli("sculpt", BLENDED, "--tranche", "Senior A", "--dscr", 1.35, "--write-deal", deal)
    schemas.check("sculpt.schema.json", sculpt)
    schemas.check("deal.schema.json", json.loads(deal.read_text()))
    del sculpt["dates"][0]["dscr"]
    assert schemas.errors("sculpt.schema.json", sculpt)


def test_a_sizing_request_and_its_document_validate(schemas, tmp_path):
    request = {"tranches": [{"tranche": "Senior A", "dscr": 1.35, "target_rating": "A2", "max_ltv": 0.7},
                            {"tranche": "Mezzanine B", "target_rating": "Ba2"}]}
    schemas.check("sizing_request.schema.json", request)
    for example in (ROOT / "examples" / "requests").glob("*.json"):
        schemas.check("sizing_request.schema.json", strict_load(example))
    assert schemas.errors("sizing_request.schema.json", {"tranches": [{"tranche": "Senior A"}]})
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    deal = tmp_path / "sized.json"
    sizing = run_cli("size", BLENDED, "--request", path, "--paths", 1024, "--write-deal", deal)
    schemas.check("sizing.schema.json", sizing)
    schemas.check("deal.schema.json", json.loads(deal.read_text()))
    assert schemas.errors("size.schema.json", sizing)
    single = run_cli("size", BLENDED, "--tranche", "Senior A", "--max-ltv", 0.5, "--paths", 1024)
    schemas.check("sizing.schema.json", single)


def test_sensitivities_and_grid_documents_validate(schemas, tmp_path):
    sensitivities = run_cli("sensitivities", BLENDED, "--paths", 1024)
    schemas.check("sensitivities.schema.json", sensitivities)
    assert schemas.errors("grid.schema.json", sensitivities)
    grid_file = {"axes": {"assumptions.sectors.ai_startup.pd_multiplier": [1, 2]}}
    schemas.check("grid_file.schema.json", grid_file)
    assert schemas.errors("grid_file.schema.json", {"axes": {"sectors.ai_startup.pd_multiplier": [1]}})
    assert schemas.errors("grid_file.schema.json", {"axes": {"assumptions.copula.x": []}})
    path = tmp_path / "grid.json"
    path.write_text(json.dumps(grid_file))
    grid = run_cli("grid", BLENDED, path, "--paths", 1024)
    schemas.check("grid.schema.json", grid)
    assert schemas.errors("sensitivities.schema.json", grid)


def test_validate_documents(schemas):
    run = {"computedebt_version": "0.1.0", "format_version": 1, "deal": "Blended GPU offtake portfolio 2026",
           "paths": None, "seed": None, "options": {}, "warnings": []}
    valid = {"valid": True, "problems": [], **run}
    schemas.check("validate.schema.json", valid)
    refused = {"valid": False, "problems": [{"path": "deal.contracts[3].end_date", "message": "expected a date after"
                                                                                              " start_date"}], **run}
    schemas.check("validate.schema.json", refused)
    assert schemas.errors("validate.schema.json", {"valid": False, "problems": [], **run})
    assert schemas.errors("validate.schema.json", {"valid": True, "problems": [{"path": "", "message": "x"}], **run})
    assert schemas.errors("validate.schema.json", {"valid": True, "problems": []})  # provenance is required
    result = subprocess.run([str(BINARY), "validate", BLENDED, "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    schemas.check("validate.schema.json", json.loads(result.stdout))


def test_future_run_fields_are_accepted_and_checked(schemas):
    document = run_cli("price", POOL, "--paths", 500, "--json")
    document.update({"computedebt_version": "0.1.0", "format_version": 1, "options": {"paths": 500},
                     "warnings": [{"path": "deal.fleet", "message": "no fleet given"}]})
    schemas.check("price.schema.json", document)
    document["warnings"] = [{"path": "deal.fleet"}]
    assert schemas.errors("price.schema.json", document)
    document["warnings"] = []
    document["unknown"] = 1
    assert schemas.errors("price.schema.json", document)


def test_python_documents_validate(schemas):
    computedebt = pytest.importorskip("computedebt")
    for path in EXAMPLE_DEALS:
        deal = computedebt.load_deal(path)
        schemas.check("deal.schema.json", deal.to_dict())  # the saved form, every default written
        schemas.check("price.schema.json", computedebt.price(deal, paths=1000).to_dict())
    blended = computedebt.load_deal(BLENDED)
    schemas.check("size.schema.json", computedebt.size(blended, "Mezzanine B", "Aa2", paths=1024))
    schemas.check("break_even.schema.json",
                  computedebt.break_even(blended, "Senior A", "A2", ["ai_startup"], paths=1024))
