"""The bank node service (``watchlist bank serve``): onboarding screening, the alert queue, sync status.

It runs inside the bank, next to its onboarding systems, and calls the authority only for blind
evaluation, package downloads and hit reports. Callers present the node's own token
(``WATCHLIST_BANK_NODE_TOKEN``), compared in constant time.
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api.bank.node import BankError, BankNode
from matcher import Customer


class ScreenRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"customer": {"id": "CIF-00012345", "names": ["Budi Santoso"], "birth_date": "1984-07-15"}}
            ]
        },
    )
    customer: Customer


def create_bank_app(node: BankNode, token: str) -> FastAPI:
    if len(token) < 24:
        raise ValueError("the bank node token must have at least 24 characters")
    app = FastAPI(title="watchlist bank node", version="0.1.0")
    lock = threading.Lock()  # one SQLite connection: requests take turns

    def caller(authorization: Annotated[str | None, Header()] = None) -> None:
        presented = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(presented.encode(), token.encode()):
            raise HTTPException(
                401, "a valid bank-node token is required", headers={"WWW-Authenticate": "Bearer"}
            )

    guarded = [Depends(caller)]

    @app.exception_handler(BankError)
    async def bank_error(_request: Request, error: BankError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=409)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(
        "/v1/screen",
        summary="Screen one customer (onboarding): decision and explanation",
        dependencies=guarded,
    )
    def screen(body: ScreenRequest) -> dict[str, Any]:
        with lock:
            alerts, summary = node.screen([body.customer])
        decision = "alert" if alerts else "clear"
        return {"customer_id": body.customer.id, "decision": decision, "alerts": alerts,
                "evaluations": summary.evaluations}  # fmt: skip

    @app.get("/v1/alerts", summary="The review queue", dependencies=guarded)
    def alerts(status: str | None = None) -> list[dict[str, Any]]:
        with lock:
            return node.alerts(status)

    @app.post(
        "/v1/alerts/{alert_id}/{action}", summary="Confirm, dismiss or report an alert", dependencies=guarded
    )
    def act(alert_id: str, action: str) -> dict[str, Any]:
        if action not in ("confirm", "dismiss", "report"):
            raise HTTPException(404, "no such action")
        with lock:
            result: dict[str, Any] = getattr(node, action)(alert_id)
        return result

    @app.get("/v1/sync", summary="Installed package per subscription", dependencies=guarded)
    def sync_status() -> dict[str, Any]:
        with lock:
            status = {}
            for sub in node.subscriptions():
                package = node.package(sub.name)
                status[sub.name] = {"installed_version": package.version if package else None, "url": sub.url}
            return status

    @app.post("/v1/sync", summary="Sync every subscription now", dependencies=guarded)
    def sync_now() -> dict[str, str]:
        with lock:
            return node.sync()

    return app
