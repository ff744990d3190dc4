"""Identifiers to a canonical form: E.164 phones, validated national IDs, passports, accounts, wallets.

Each identifier becomes ``(kind, scope, value)``: the scope is what the value is unique within
(a country, a bank, an e-wallet provider, a chain). Errors say what is wrong, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik
from stdnum.my import nric
from stdnum.th import pin

IDENTIFIER_TYPES = (
    "national_id", "passport", "phone", "email", "bank_account", "ewallet", "crypto_wallet", "tax_id",
)  # fmt: skip
COUNTRIES = frozenset(phonenumbers.SUPPORTED_REGIONS) | {"XK"}

_ALNUM = re.compile(r"[^0-9A-Z]")
_DIGITS = re.compile(r"[^0-9]")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s.]{2,63}")
_HEX_ADDRESS = re.compile(r"0x[0-9a-f]{40}")
_CASE_INSENSITIVE_CHAINS = frozenset({"ETH", "BSC", "POLYGON", "ARB", "OP", "AVAX", "BASE"})


class IdentifierError(ValueError):
    """An identifier that cannot be made canonical."""


@dataclass(frozen=True, slots=True)
class CanonicalId:
    kind: str
    scope: str
    value: str

    def __repr__(self) -> str:  # identifiers are personal data: never shown
        return f"CanonicalId(kind={self.kind!r}, scope={self.scope!r}, value=<hidden>)"


def _compact_validated(validate: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return validate(value)
        except StdnumError:
            raise IdentifierError("fails the national ID checks for its country") from None

    return check


_NATIONAL_ID: dict[str, Callable[[str], str]] = {
    "ID": _compact_validated(nik.validate),
    "MY": _compact_validated(nric.validate),
    "TH": _compact_validated(pin.validate),
}
_NATIONAL_ID_FORMAT = {
    "SG": re.compile(r"[STFGM]\d{7}[A-Z]"),
    "PH": re.compile(r"\d{12}"),
    "VN": re.compile(r"\d{9}|\d{12}"),
}


def national_id(value: str, country: str | None) -> str:
    if not country:
        raise IdentifierError("country is required for a national ID")
    compact = _ALNUM.sub("", value.upper())
    if country in _NATIONAL_ID:
        return _NATIONAL_ID[country](compact)
    pattern = _NATIONAL_ID_FORMAT.get(country)
    if pattern is not None and not pattern.fullmatch(compact):
        raise IdentifierError("does not have the national ID format of its country")
    if not 4 <= len(compact) <= 24:
        raise IdentifierError("national ID must have 4-24 letters or digits")
    return compact


def phone(value: str, country: str | None) -> str:
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        raise IdentifierError("not a phone number (give +country code or a country)") from None
    if not phonenumbers.is_possible_number(number):
        raise IdentifierError("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _national_number(value: str) -> str:
    if value.startswith("+"):
        try:
            return str(phonenumbers.parse(value, None).national_number)
        except phonenumbers.NumberParseException:
            raise IdentifierError("not a phone number") from None
    return _DIGITS.sub("", value).lstrip("0")


def crypto_wallet(value: str, chain: str) -> str:
    value = value.strip()
    if not value.isascii() or not value.isalnum() or not 20 <= len(value) <= 128:
        raise IdentifierError("not a wallet address (20-128 ASCII letters and digits)")
    lowered = value.casefold()
    if chain in _CASE_INSENSITIVE_CHAINS:
        if not _HEX_ADDRESS.fullmatch(lowered):
            raise IdentifierError("not a 0x-prefixed 40-digit hex address")
        return lowered
    if lowered.startswith(("bc1", "tb1", "ltc1")):  # bech32: case-insensitive, canonical lower case
        return lowered
    return value  # base58 and others are case-sensitive


def canonical_identifier(
    kind: str,
    value: str,
    *,
    country: str | None = None,
    institution: str | None = None,
    provider: str | None = None,
    chain: str | None = None,
) -> CanonicalId:
    """Canonical ``(kind, scope, value)`` of one identifier, or :class:`IdentifierError`."""
    if kind == "national_id":
        return CanonicalId(kind, country or "", national_id(value, country))
    if kind in ("passport", "tax_id"):
        compact = _ALNUM.sub("", value.upper())
        if not 5 <= len(compact) <= 20:
            raise IdentifierError(f"{kind} must have 5-20 letters or digits")
        return CanonicalId(kind, country or "", compact)
    if kind == "phone":
        return CanonicalId(kind, "", phone(value, country))
    if kind == "email":
        email = value.strip().casefold()
        if not _EMAIL.fullmatch(email):
            raise IdentifierError("not an e-mail address")
        return CanonicalId(kind, "", email)
    if kind == "bank_account":
        if not institution:
            raise IdentifierError("institution is required for a bank account")
        account = _ALNUM.sub("", value.upper())
        if not 4 <= len(account) <= 34:
            raise IdentifierError("bank account must have 4-34 letters or digits")
        return CanonicalId(kind, institution.strip().casefold(), account)
    if kind == "ewallet":
        if not provider:
            raise IdentifierError("provider is required for an e-wallet")
        handle = value.strip().casefold()
        if re.fullmatch(r"[0-9+\-\s().]+", handle):  # a phone-number wallet: its national number
            handle = _national_number(handle)
        if not 3 <= len(handle) <= 64:
            raise IdentifierError("e-wallet id must have 3-64 characters")
        return CanonicalId(kind, provider.strip().casefold(), handle)
    if kind == "crypto_wallet":
        if not chain:
            raise IdentifierError("chain is required for a crypto wallet")
        return CanonicalId(kind, chain.strip().upper(), crypto_wallet(value, chain.strip().upper()))
    raise IdentifierError(f"unknown identifier type (known: {', '.join(IDENTIFIER_TYPES)})")
