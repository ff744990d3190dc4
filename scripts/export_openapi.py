"""Write the services' OpenAPI schemas to docs/api/ (the API reference; a test keeps them current).

Usage: python scripts/export_openapi.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.authority.app import create_app
from api.authority.settings import Settings
from api.bank.service import create_bank_app

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api"


def schemas() -> dict[str, dict[str, Any]]:
    authority = create_app(Settings(home=Path("/nonexistent"), passphrase="x" * 24), keys=object())  # type: ignore[arg-type]
    bank = create_bank_app(object(), "x" * 24)  # type: ignore[arg-type]
    return {"authority.openapi.json": authority.openapi(), "bank.openapi.json": bank.openapi()}


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas().items():
        (DOCS / name).write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(schema['paths'])} paths -> {DOCS / name}")


if __name__ == "__main__":
    main()
