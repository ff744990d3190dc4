"""docs/api holds the services' OpenAPI schemas; regenerate with scripts/export_openapi.py."""

import json

from scripts.export_openapi import DOCS, schemas


def test_committed_api_reference_is_current() -> None:
    for name, schema in schemas().items():
        committed = json.loads((DOCS / name).read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(schema)), f"{name} is stale: run scripts/export_openapi.py"
