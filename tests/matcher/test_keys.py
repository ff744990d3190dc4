"""Match keys: pinned golden outputs, the customer budget, and the asymmetry between the sides."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import KINDS, Customer, KeyScheme, ListEntry, Screener, key_kind

SCREENER = Screener()
GOLDEN = json.loads((Path(__file__).parent.parent / "golden" / "keys.json").read_text(encoding="utf-8"))


def customer_keys(**fields: object) -> list[str]:
    return SCREENER.keys.customer_keys(
        SCREENER.normalizer.record(Customer.model_validate({"id": "c", **fields}))
    )


def entry_keys(**fields: object) -> set[str]:
    record = ListEntry.model_validate({"id": "e", "status": "convicted", **fields})
    return set(SCREENER.keys.entry_keys(SCREENER.normalizer.record(record)))


@pytest.mark.parametrize("case", GOLDEN["customers"], ids=[c["customer"]["id"] for c in GOLDEN["customers"]])
def test_golden_customer_keys(case: dict) -> None:
    assert (
        SCREENER.keys.customer_keys(SCREENER.normalizer.record(Customer.model_validate(case["customer"])))
        == case["keys"]
    )


def test_golden_entry_keys() -> None:
    record = ListEntry.model_validate(GOLDEN["entry"]["entry"])
    assert sorted(SCREENER.keys.entry_keys(SCREENER.normalizer.record(record))) == GOLDEN["entry"]["keys"]


def test_every_key_has_a_known_kind_and_the_scheme_id() -> None:
    keys = customer_keys(names=["Nur Aisyah binti Ismail"], birth_date=["1990-05-21"])
    assert keys and all(key.startswith("v1/") and key_kind(key) in KINDS for key in keys)


def test_customer_keys_are_capped() -> None:
    keys = customer_keys(
        names=["Aaron Bartholomew Cornelius Desmond Ezekiel Fitzgerald"], birth_date=["1970-01-02"]
    )
    assert len(keys) == KeyScheme().max_customer_keys


def test_identifiers_always_make_keys_first() -> None:
    keys = customer_keys(
        names=["Aaron Bartholomew Cornelius Desmond Ezekiel Fitzgerald"],
        identifiers=[{"type": "passport", "country": "ID", "value": "A1234567"}],
    )
    assert keys[0] == "v1/id:passport:ID:A1234567"


def test_a_customer_meets_its_own_entry() -> None:
    fields = {"names": ["Budi Santoso"], "birth_date": ["1984-07-15"]}
    keys = customer_keys(**fields)
    assert {key for key in keys if not key_kind(key).endswith("+year")} <= entry_keys(**fields)
    assert {key for key in keys if key_kind(key).endswith("+year")} <= entry_keys(
        names=["Budi Santoso"], birth_date=["1984"]
    )


def test_entry_expands_years_and_swaps_customer_does_not() -> None:
    entry = entry_keys(names=["Budi Santoso"], birth_date=["1984", "1984-07-05"])
    assert {key for key in entry if key.endswith((":1983", ":1985"))}
    assert "v1/pair+dob:BT+SNTS:1984-05-07" in entry
    customer = customer_keys(names=["Budi Santoso"], birth_date=["1984-07-05"])
    assert not any(key.endswith((":1983", ":1985", "1984-05-07")) for key in customer)


def test_year_keys_of_a_customer_never_meet_entries_known_to_the_day() -> None:
    entry = entry_keys(names=["Budi Santoso"], birth_date=["1984-07-15"])
    assert not any(key_kind(key).endswith("+year") for key in entry)


def test_entry_joins_split_tokens_and_glues_articles() -> None:
    entry = entry_keys(names=["Ali Reza Tehrani", "Muammar al-Qadhafi"], birth_date=["1970-03-04"])
    joined = customer_keys(names=["Alireza Tehrani"], birth_date=["1970-03-04"])
    glued = customer_keys(names=["Muammar Elkaddafi"], birth_date=["1970-03-04"])
    assert set(joined) & entry and set(glued) & entry


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["budi", "santoso", "wijaya", "hassan", "nur", "ahmad", "srisuk"]),
        min_size=1,
        max_size=4,
    )
)
def test_keys_do_not_depend_on_token_order(tokens: list[str]) -> None:
    forward = customer_keys(names=[" ".join(tokens)], birth_date=["1980-02-03"])
    backward = customer_keys(names=[" ".join(reversed(tokens))], birth_date=["1980-02-03"])
    assert forward == backward
