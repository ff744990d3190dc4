from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlmodel import Session

from api.authority.errors import ServiceError

router = APIRouter(tags=["operations"])


class NotReady(ServiceError):
    status = 503


@router.get("/health", summary="The process is up")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="The database answers and the keys are loaded")
def ready(request: Request) -> dict[str, str]:
    try:
        with Session(request.app.state.engine) as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception:
        raise NotReady("database unavailable") from None
    if getattr(request.app.state, "keys", None) is None:
        raise NotReady("keys not loaded")
    return {"status": "ready"}
