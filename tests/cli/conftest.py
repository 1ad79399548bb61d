"""Every JSON document that a CLI test parses with `json.loads` is also validated against its schema in schema/
(price, size, break-even, validate --json, deal files), so that every output document of the tests follows it."""

import json as _json
import types

import pytest


@pytest.fixture(autouse=True)
def _validate_parsed_documents(request, monkeypatch, schemas):
    module = request.module
    if getattr(module, "json", None) is not _json:
        return

    def loads(text, *args, **kwargs):
        return schemas.check_any(_json.loads(text, *args, **kwargs))

    checking_json = types.SimpleNamespace(**{name: getattr(_json, name) for name in dir(_json) if not name.startswith("__")})
    checking_json.loads = loads
    monkeypatch.setattr(module, "json", checking_json)
