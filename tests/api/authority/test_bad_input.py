"""Bad input: each case answers a clear 4xx and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import func, select

from api.authority.models import AuditEvent, Entry, Hit, Token
from keys import KeyStore
from tests.api.authority.conftest import Authority
from tests.api.authority.helpers import ENTRY, signed_report


def snapshot(authority: Authority) -> tuple[int, int, int]:
    with authority.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.exec(select(func.count()).select_from(table)).one())
            for table in (AuditEvent, Entry, Hit)
        )


def post_entry(
    authority: Authority, content: bytes, content_type: str = "application/json"
) -> tuple[int, str]:
    response = authority.client.post(
        "/v1/entries",
        content=content,
        headers={**authority.headers("authority-analyst"), "Content-Type": content_type},
    )
    return response.status_code, response.text


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"{not json", 422, "JSON"),
        (json.dumps({"entry": {**ENTRY, "names": "Budi"}, "reason": "test"}).encode(), 422, "entry.names"),
        (
            json.dumps({"entry": {**ENTRY, "birth_date": "1984-02-30"}, "reason": "test"}).encode(),
            422,
            "no such day",
        ),
        (
            json.dumps(
                {"entry": {**ENTRY, "status": "suspect", "review_by": None}, "reason": "test"}
            ).encode(),
            422,
            "review_by is mandatory",
        ),
        (json.dumps({"entry": ENTRY}).encode(), 422, "reason"),
        (b'{"entry": {"id": "E-1", "names": ["\xff\xfe"]}, "reason": "x"}', 400, "parsing the body"),
        (
            json.dumps({"entry": {**ENTRY, "names": ["B" * 300_000]}, "reason": "test"}).encode(),
            413,
            "larger than",
        ),
    ],
    ids=[
        "malformed",
        "wrong-type",
        "impossible-date",
        "suspect-without-review",
        "missing-reason",
        "invalid-utf8",
        "oversized",
    ],
)
def test_bad_entries_are_refused_and_change_nothing(
    authority: Authority, content: bytes, status: int, message: str
) -> None:
    before = snapshot(authority)
    code, text = post_entry(authority, content)
    assert code == status and message in text
    assert "Budi" not in text and "1984" not in text
    assert snapshot(authority) == before


def test_chunked_oversized_body_is_refused(authority: Authority) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(64):
            yield b"x" * 8192

    response = authority.client.post(
        "/v1/entries", content=chunks(), headers=authority.headers("authority-analyst")
    )
    assert response.status_code == 413


def test_invalid_group_elements(authority: Authority) -> None:
    before = snapshot(authority)
    epoch = authority.keys.active_epoch
    for elements in (["not base64!"], ["AAAA"], ["/" * 42 + "8="]):
        response = authority.client.post(
            f"/v1/epochs/{epoch}/evaluate", json={"elements": elements}, headers=authority.headers("bank")
        )
        assert response.status_code == 422, (elements, response.text)
    assert snapshot(authority) == before


def test_expired_and_revoked_tokens(authority: Authority) -> None:
    headers = authority.headers("bank")
    authority.clock.now += dt.timedelta(days=31)
    assert authority.client.get("/v1/versions", headers=headers).status_code == 401
    authority.clock.now -= dt.timedelta(days=31)
    assert authority.client.get("/v1/versions", headers=headers).status_code == 200
    token_id = authority.tokens["bank"].split("_")[1]
    assert (
        authority.client.delete(
            f"/v1/tokens/{token_id}", headers=authority.headers("authority-admin")
        ).status_code
        == 204
    )
    response = authority.client.get("/v1/versions", headers=headers)
    assert response.status_code == 401 and "revoked" in response.text
    with authority.session() as session:
        assert session.get(Token, token_id).revoked_at is not None  # type: ignore[union-attr]


def _publish(authority: Authority) -> None:
    staff = authority.headers("authority-analyst")
    authority.client.post("/v1/entries", json={"entry": ENTRY, "reason": "test"}, headers=staff)
    authority.client.post(
        "/v1/versions", json={"reason": "test"}, headers=authority.headers("authority-admin")
    )


def test_replayed_forged_and_stale_reports(authority: Authority) -> None:
    _publish(authority)
    key = str(KeyStore(authority.home / "keystore").listing()["report"]["public_key"])
    body = signed_report(authority.bank_key, key, now=authority.clock.now)
    bank = authority.headers("bank")
    assert authority.client.post("/v1/hits", json=body, headers=bank).status_code == 201
    before = snapshot(authority)
    replay = authority.client.post("/v1/hits", json=body, headers=bank)
    assert replay.status_code == 409 and "replayed" in replay.text
    forged = json.loads(json.dumps(body))
    forged["report"]["score"] = 99.0
    assert authority.client.post("/v1/hits", json=forged, headers=bank).status_code == 422
    stale = signed_report(authority.bank_key, key, now=authority.clock.now - dt.timedelta(hours=1))
    assert "timestamp" in authority.client.post("/v1/hits", json=stale, headers=bank).text
    unknown = signed_report(authority.bank_key, key, now=authority.clock.now, list_version="polri-cse@7")
    assert "list_version" in authority.client.post("/v1/hits", json=unknown, headers=bank).text
    assert snapshot(authority) == before
