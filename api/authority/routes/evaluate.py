"""Blind evaluation for banks: a batch of blinded elements in, evaluated elements and one proof out."""

from __future__ import annotations

import binascii
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from api.authority import audit
from api.authority.deps import Bank, ClockDep, KeysDep, SessionDep, SettingsDep
from api.authority.errors import Invalid, NotFound, QuotaExceeded, TooLarge
from api.authority.models import Institution, Usage
from keys import OprfError, b64, unb64

router = APIRouter(prefix="/v1/epochs", tags=["blind evaluation"])
RETRY_AFTER_SECONDS = 3600


class EvaluateRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"elements": ["4gK0v3c1rN2bYt...base64 of 32 bytes..."]}]},
    )
    elements: Annotated[list[Annotated[str, Field(max_length=64)]], Field(min_length=1)]


@router.post("/{epoch}/evaluate", summary="Evaluate a batch of blinded elements (VOPRF, one batch proof)")
def evaluate(
    epoch: str,
    body: EvaluateRequest,
    actor: Bank,
    session: SessionDep,
    settings: SettingsDep,
    keys: KeysDep,
    clock: ClockDep,
) -> dict[str, Any]:
    if epoch not in keys.oprf:
        raise NotFound("no such epoch, or it is retired")
    count = len(body.elements)
    if count > settings.max_batch:
        raise TooLarge(f"a batch holds at most {settings.max_batch} elements")
    try:
        blinded = [unb64(element) for element in body.elements]
    except (ValueError, binascii.Error):
        raise Invalid("elements: not base64") from None
    if any(len(element) != 32 for element in blinded):
        raise Invalid("elements: each is a 32-byte ristretto255 element")
    bank, default_quota = actor.institution_id, settings.default_quota
    _check_quota(session, bank, epoch, count, default_quota, lock=False)
    # End the read's transaction: the evaluation holds no lock, so other workers (and, on SQLite,
    # every other writer) are not held up while this batch is computed.
    session.rollback()
    try:
        batch = keys.oprf[epoch].blind_evaluate(blinded)
    except OprfError as error:
        raise Invalid(f"elements: {error}") from None
    usage, quota = _check_quota(session, bank, epoch, count, default_quota, lock=True)
    usage.elements += count
    session.add(usage)
    audit.append(
        session, actor=actor.name, action="oprf.evaluate", subject=epoch, detail=str(count), now=clock()
    )
    session.commit()
    return {"epoch": epoch, "count": count, "batch": b64(batch), "used": usage.elements, "quota": quota}


def _check_quota(
    session: Session, institution_id: str, epoch: str, count: int, default_quota: int, *, lock: bool
) -> tuple[Usage, int]:
    """The bank's usage row for the epoch and its quota; 429 when ``count`` more elements would pass
    the quota. Checked before evaluating, so a bank past its quota costs no evaluation, and again
    with ``lock``, which locks the institution's row for update: two batches of one bank (even its
    first two, before a usage row exists) are counted one after the other."""
    query = select(Institution).where(Institution.id == institution_id)
    institution = session.exec(query.with_for_update() if lock else query).first()
    quota = default_quota if institution is None or institution.quota is None else institution.quota
    usage = session.exec(
        select(Usage).where(Usage.institution_id == institution_id, Usage.epoch == epoch)
    ).first() or Usage(institution_id=institution_id, epoch=epoch, elements=0)
    if usage.elements + count > quota:
        raise QuotaExceeded("the evaluation quota for this epoch is spent", RETRY_AFTER_SECONDS)
    return usage, quota
