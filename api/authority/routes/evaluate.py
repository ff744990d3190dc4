"""Blind evaluation for banks: a batch of blinded elements in, evaluated elements and one proof out."""

from __future__ import annotations

import binascii
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import select

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
    institution = session.get(Institution, actor.institution_id)
    quota = settings.default_quota if institution is None or institution.quota is None else institution.quota
    usage = session.exec(
        select(Usage)
        .where(Usage.institution_id == actor.institution_id, Usage.epoch == epoch)
        .with_for_update()
    ).first() or Usage(institution_id=actor.institution_id, epoch=epoch, elements=0)
    if usage.elements + count > quota:
        raise QuotaExceeded("the evaluation quota for this epoch is spent", RETRY_AFTER_SECONDS)
    try:
        batch = keys.oprf[epoch].blind_evaluate(blinded)
    except OprfError as error:
        raise Invalid(f"elements: {error}") from None
    usage.elements += count
    session.add(usage)
    audit.append(
        session, actor=actor.name, action="oprf.evaluate", subject=epoch, detail=str(count), now=clock()
    )
    session.commit()
    return {"epoch": epoch, "count": count, "batch": b64(batch), "used": usage.elements, "quota": quota}
