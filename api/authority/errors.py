"""Domain errors, mapped to HTTP in one place (``app.py``). Messages never carry personal data."""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    status = 400
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unauthorized(ServiceError):
    status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    """Missing, or not yours: both answer 404."""

    status = 404


class Conflict(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


class Invalid(ServiceError):
    status = 422

    def __init__(self, detail: str, problems: list[dict[str, object]] | None = None) -> None:
        super().__init__(detail)
        self.problems = problems or []


class QuotaExceeded(ServiceError):
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}  # type: ignore[misc]
