"""How every benchmark reports: a two-column table on standard output, the same figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def report(results: dict[str, Any], path: Path) -> None:
    for name, value in results.items():
        if not isinstance(value, dict | list):
            print(f"{name:<38}{value:>14}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
