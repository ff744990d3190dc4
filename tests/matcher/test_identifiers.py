import pytest

from matcher import IdentifierError, canonical_identifier


@pytest.mark.parametrize(
    ("kind", "value", "options", "expected"),
    [
        ("phone", "+62 812-3456-7890", {}, "+6281234567890"),
        ("phone", "0812-3456-7890", {"country": "ID"}, "+6281234567890"),
        ("phone", "012-345 6789", {"country": "MY"}, "+60123456789"),
        ("national_id", "3174 0515 0784 0001", {"country": "ID"}, "3174051507840001"),
        ("national_id", "770305-02-1234", {"country": "MY"}, "770305021234"),
        ("national_id", "S1234567D", {"country": "SG"}, "S1234567D"),
        ("passport", "a 1234567", {"country": "ID"}, "A1234567"),
        ("email", " Budi@Example.COM ", {}, "budi@example.com"),
        ("bank_account", "123-456-7890", {"institution": "BCA"}, "1234567890"),
        ("ewallet", "081234567890", {"provider": "DANA"}, "81234567890"),
        ("ewallet", "+62 812 3456 7890", {"provider": "DANA"}, "81234567890"),
        ("crypto_wallet", "0xAbCdEf0123456789abcdef0123456789ABCDEF01", {"chain": "eth"},
         "0xabcdef0123456789abcdef0123456789abcdef01"),
        ("crypto_wallet", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", {"chain": "BTC"},
         "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("crypto_wallet", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", {"chain": "BTC"},
         "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
    ],
)  # fmt: skip
def test_canonical_forms(kind: str, value: str, options: dict, expected: str) -> None:
    assert canonical_identifier(kind, value, **options).value == expected


@pytest.mark.parametrize(
    ("kind", "value", "options", "message"),
    [
        ("national_id", "3174051507840001", {}, "country is required"),
        ("national_id", "3174051513840001", {"country": "ID"}, "national ID checks"),
        ("national_id", "770335-02-1234", {"country": "MY"}, "national ID checks"),
        ("national_id", "1234567890123", {"country": "TH"}, "national ID checks"),
        ("national_id", "X1234567D", {"country": "SG"}, "format"),
        ("phone", "not a number", {}, "not a phone number"),
        ("email", "budi.example.com", {}, "e-mail"),
        ("bank_account", "1234567890", {}, "institution is required"),
        ("crypto_wallet", "0x123", {"chain": "ETH"}, "wallet address"),
        ("fingerprint", "abc", {}, "unknown identifier type"),
    ],
)
def test_bad_identifiers_say_why_not_what(kind: str, value: str, options: dict, message: str) -> None:
    with pytest.raises(IdentifierError, match=message) as raised:
        canonical_identifier(kind, value, **options)
    assert value not in str(raised.value)


def test_repr_hides_the_value() -> None:
    identifier = canonical_identifier("passport", "A1234567", country="ID")
    assert "A1234567" not in repr(identifier)
