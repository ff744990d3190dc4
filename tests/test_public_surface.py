"""The public surface of each package is pinned: changing it is a decision, not an accident."""

import matcher


def test_matcher_surface() -> None:
    assert sorted(matcher.__all__) == sorted(
        [
            "KINDS", "STEPS", "Alert", "CanonicalId", "Candidate", "CandidateSource", "Customer",
            "DateError", "Feature", "IdentifierError", "KeyDeriver", "KeyIndex", "KeyScheme", "ListEntry",
            "Name", "NormalizedRecord", "Normalizer", "PartialDate", "RecordFileError", "RecordProblem",
            "ReferenceData", "Score", "ScreenResult", "Scorer", "Screener", "ScoringConfig",
            "canonical_identifier", "key_kind", "normalize_name", "parse_birth_dates", "parse_records",
            "phonetic_code",
        ]
    )  # fmt: skip
    for name in matcher.__all__:
        assert hasattr(matcher, name)


def test_configuration_is_frozen_and_strict() -> None:
    import pydantic
    import pytest

    scheme = matcher.KeyScheme()
    with pytest.raises(pydantic.ValidationError):
        scheme.id = "v2"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        matcher.KeyScheme(unknown_field=1)  # type: ignore[call-arg]


def test_keys_surface() -> None:
    import keys

    assert sorted(keys.__all__) == sorted(
        [
            "Blinding", "Derived", "KeyStore", "KeyStoreError", "OprfError", "OprfKey", "ProofError",
            "SealError", "SignatureError", "WrongPassphrase", "associated_data", "b64", "bloom_tag",
            "derive", "hkdf_sha256", "identifier_digest", "key_id", "oprf_input", "open_from",
            "open_sealed", "public_bytes", "read_passphrase", "report_public_bytes", "seal", "seal_to",
            "sign", "unb64", "verify", "read_secret", "write_private", "write_secret",
        ]
    )  # fmt: skip
    for name in keys.__all__:
        assert hasattr(keys, name)
