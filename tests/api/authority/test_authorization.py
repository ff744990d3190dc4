"""Every endpoint x every role: allowed roles get past authorization, the others get 403, and a
request without a token gets 401."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.authority.conftest import Authority
from tests.api.authority.helpers import ENTRY

ROLES = ("authority-admin", "authority-analyst", "bank", "auditor")
ADMIN, STAFF = {"authority-admin"}, {"authority-admin", "authority-analyst"}
EVERYONE = set(ROLES)

# (method, path, json body, allowed roles)
MATRIX: list[tuple[str, str, Any, set[str]]] = [
    ("POST", "/v1/institutions", {"id": "bank-z", "name": "Bank Z", "kind": "bank"}, ADMIN),
    ("GET", "/v1/institutions", None, ADMIN),
    ("PUT", "/v1/institutions/bank-b/quota", {"quota": 10}, ADMIN),
    ("POST", "/v1/institutions/bank-b/tokens", {"role": "bank"}, ADMIN),
    ("DELETE", "/v1/tokens/0000000000000000", None, ADMIN),
    ("PUT", "/v1/me/signing-key", {"public_key": "A" * 43 + "="}, {"bank"}),
    ("POST", "/v1/entries", {"entry": {**ENTRY, "id": "E-9999"}, "reason": "test"}, STAFF),
    ("GET", "/v1/entries", None, STAFF),
    ("GET", "/v1/entries/E-0001", None, STAFF),
    ("PUT", "/v1/entries/E-0001", {"entry": ENTRY, "reason": "test"}, STAFF),
    ("DELETE", "/v1/entries/E-0001?reason=test", None, STAFF),
    ("POST", "/v1/entries/import?reason=test", "", STAFF),
    ("POST", "/v1/versions", {"reason": "test"}, ADMIN),
    ("GET", "/v1/versions", None, EVERYONE),
    ("GET", "/v1/versions/1/package", None, {"bank", "authority-admin"}),
    ("POST", "/v1/epochs/{epoch}/evaluate", {"elements": ["AAAA"]}, {"bank"}),
    ("POST", "/v1/hits", {"report": {}, "signature": "x"}, {"bank"}),
    ("GET", "/v1/hits", None, STAFF),
    ("GET", "/v1/hits/0000", None, {"authority-analyst"}),
    ("POST", "/v1/hits/0000/acknowledge", None, {"authority-analyst"}),
    ("GET", "/v1/audit", None, {"auditor", "authority-admin"}),
    ("GET", "/v1/audit/checkpoints", None, {"auditor", "authority-admin"}),
    ("POST", "/v1/audit/checkpoints", None, ADMIN),
]


def call(authority: Authority, method: str, path: str, body: Any, headers: dict[str, str]) -> int:
    path = path.replace("{epoch}", authority.keys.active_epoch)
    if isinstance(body, str):
        return authority.client.request(
            method, path, content=body, headers={**headers, "Content-Type": "text/plain"}
        ).status_code
    return authority.client.request(method, path, json=body, headers=headers).status_code


def test_every_route_of_the_app_is_in_the_matrix(authority: Authority) -> None:
    paths = authority.client.get("/openapi.json").json()["paths"]
    routes = {
        (method.upper(), path)
        for path, methods in paths.items()
        for method in methods
        if path.startswith("/v1")
    }
    listed = {(method, path.split("?")[0]) for method, path, _, _ in MATRIX}
    normalized = {
        (
            m,
            p.replace("bank-b", "{institution_id}")
            .replace("0000000000000000", "{token_id}")
            .replace("E-0001", "{entry_id}")
            .replace("/1/", "/{version}/")
            .replace("0000", "{hit_id}"),
        )
        for m, p in listed
    }
    assert routes == normalized


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_authorization(authority: Authority, method: str, path: str, body: Any, allowed: set[str]) -> None:
    assert call(authority, method, path, body, {}) == 401
    assert call(authority, method, path, body, {"Authorization": "Bearer wl_nope_nope"}) == 401
    for role in ROLES:
        status = call(authority, method, path, body, authority.headers(role))
        if role in allowed:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403, (role, status)
