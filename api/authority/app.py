"""The authority's FastAPI application: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.authority.db import make_engine
from api.authority.deps import LoadedKeys
from api.authority.errors import ServiceError
from api.authority.routes import admin, audit_log, entries, evaluate, health, hits, versions
from api.authority.settings import Settings, get_settings

LOG = logging.getLogger("watchlist.authority")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not they declare a length."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        received, too_large = 0, False

        async def limited() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                too_large = True  # the app sees the client go away; we answer 413 instead
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not too_large:
                await send(message)

        try:
            await self.app(scope, limited, guarded)
        except Exception:
            if not too_large:
                raise
        if too_large:
            await _too_large(send, self.limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _validation_problems(error: RequestValidationError) -> list[dict[str, Any]]:
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        problems.append({"field": location or "body", "problem": item.get("msg", "invalid")})
    return problems


def create_app(settings: Settings | None = None, *, keys: LoadedKeys | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = make_engine(settings.url)
        app.state.keys = keys or LoadedKeys.load(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="watchlist authority",
        version="0.1.0",
        summary="List entries, signed versions, blind evaluation, hit reports and the audit log.",
        lifespan=lifespan,
    )
    # On app state, not as a dependency override: an override makes FastAPI rebuild the
    # dependencies of every request.
    app.state.settings = settings
    for router in (
        health.router,
        admin.router,
        entries.router,
        versions.router,
        evaluate.router,
        hits.router,
        audit_log.router,
    ):
        app.include_router(router)

    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, error: ServiceError) -> JSONResponse:
        content: dict[str, Any] = {"detail": error.detail}
        problems = getattr(error, "problems", None)
        if problems:
            content["problems"] = problems
        return JSONResponse(content, status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"detail": "invalid request", "problems": _validation_problems(error)}, status_code=422
        )

    @app.middleware("http")
    async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        LOG.info(
            json.dumps(
                {
                    "event": "request",
                    "method": request.method,
                    "route": getattr(route, "path", "unmatched"),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
            )
        )
        return response

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
