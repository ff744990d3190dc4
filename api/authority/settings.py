"""One settings object, read from the environment (``WATCHLIST_*``, ``DATABASE_URL``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDERS = {"changeme", "change-me", "password", "secret", "passphrase", "watchlist"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WATCHLIST_", extra="forbid", frozen=True)

    home: Path = Field(description="authority home: key store, packages, default SQLite database")
    passphrase: SecretStr = Field(description="key-store passphrase (WATCHLIST_PASSPHRASE)")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "WATCHLIST_DATABASE_URL")
    )
    list_id: str = "watchlist"
    authority_id: str = "authority"
    max_body_bytes: int = 8 * 1024 * 1024
    max_batch: int = 4096
    default_quota: int = 100_000
    token_days: int = 365
    report_clock_skew_seconds: int = 300

    @field_validator("passphrase")
    @classmethod
    def _no_placeholder(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret.casefold() in PLACEHOLDERS or len(secret) < 12:
            raise ValueError("the passphrase is a placeholder or shorter than 12 characters")
        return value

    @property
    def keystore(self) -> Path:
        return self.home / "keystore"

    @property
    def packages(self) -> Path:
        return self.home / "packages"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'authority.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]
