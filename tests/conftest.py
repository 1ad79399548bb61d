"""Shared fixtures: validators for the JSON Schemas in schema/ (see tests/schema/test_schemas.py)."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "schema"


class Schemas:
    """Every schema of schema/, resolvable by its $id, so that relative $refs between the files work offline."""

    def __init__(self):
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource

        self.by_name = {p.name: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}
        self.registry = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in self.by_name.values())
        self._validator_class = Draft202012Validator
        self._validators = {}

    def validator(self, name):
        if name not in self._validators:
            self._validators[name] = self._validator_class(self.by_name[name], registry=self.registry)
        return self._validators[name]

    def errors(self, name, document):
        """The schema's complaints about `document`, as readable lines."""
        return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                for error in self.validator(name).iter_errors(document)]

    def check(self, name, document):
        errors = self.errors(name, document)
        assert not errors, f"document does not follow {name}:\n" + "\n".join(errors[:20])

    @staticmethod
    def kind(document):
        """The schema of an output document or deal file, told by its fields; None when it is neither."""
        if not isinstance(document, dict):
            return None
        if "portfolio" in document and "tranches" in document:
            return "price.schema.json"
        if "trials" in document and "notional" in document:
            return "size.schema.json"
        if "trials" in document and "multiplier" in document:
            return "break_even.schema.json"
        if "path" in document and "portfolio_loss" in document and "defaults" in document:
            return "explain.schema.json"
        if "bumps" in document and "outputs" in document:
            return "sensitivities.schema.json"
        if "tranches" in document and "equity_investment" in document and "portfolio" not in document:
            return "sizing.schema.json"
        if "target_dscr" in document and "dates" in document:
            return "sculpt.schema.json"
        if "points" in document and "axes" in document:
            return "grid.schema.json"
        if "valid" in document and "problems" in document:
            return "validate.schema.json"
        if "format_version" in document and "deal" in document and isinstance(document["deal"], dict):
            return "deal.schema.json"
        return None

    def check_any(self, document):
        """Validates a document against the schema of its kind, if it is one of computedebt's documents."""
        name = self.kind(document)
        if name is not None:
            self.check(name, document)
        return document


@pytest.fixture(scope="session")
def schemas():
    pytest.importorskip("jsonschema")
    pytest.importorskip("referencing")
    return Schemas()
