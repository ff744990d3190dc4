"""Scores: explainable features that name fields, never values."""

from matcher import Customer, ListEntry, Screener

SCREENER = Screener()


def score(customer: dict, entry: dict):  # type: ignore[no-untyped-def]
    c = SCREENER.normalizer.record(Customer.model_validate({"id": "c", **customer}))
    e = SCREENER.normalizer.record(ListEntry.model_validate({"id": "e", "status": "convicted", **entry}))
    return SCREENER.scorer.score(c, e)


BUDI = {"names": ["Budi Santoso"], "birth_date": ["1984-07-15"], "gender": "male"}


def test_same_person_in_another_spelling_is_strong() -> None:
    result = score({"names": ["Boedi Santosa"], "birth_date": ["1984-07-15"], "gender": "male"}, BUDI)
    assert result.band == "strong"
    assert {f.field for f in result.features} == {
        "names",
        "birth_date",
        "gender",
        "nationalities",
        "identifiers",
    }


def test_birth_date_conflict_sinks_a_name_match() -> None:
    assert score({"names": ["Budi Santoso"], "birth_date": ["1950-01-01"]}, BUDI).band is None


def test_swapped_day_and_month_still_agree() -> None:
    result = score(
        {"names": ["Budi Santoso"], "birth_date": ["1984-07-12"]}, {**BUDI, "birth_date": ["1984-12-07"]}
    )
    feature = next(f for f in result.features if f.field == "birth_date")
    assert feature.weight > 0 and "swapped" in feature.detail


def test_common_names_weigh_less_than_rare_ones() -> None:
    common = score(
        {"names": ["Muhammad Ali"], "birth_date": ["1970"]},
        {"names": ["Muhammad Ali"], "birth_date": ["1970"]},
    )
    rare = score(
        {"names": ["Nantaphong Srisuk"], "birth_date": ["1970"]},
        {"names": ["Nantaphong Srisuk"], "birth_date": ["1970"]},
    )
    assert rare.total > common.total


def test_identifier_agreement_and_conflict() -> None:
    passport = {"type": "passport", "country": "ID", "value": "A1234567"}
    other = {"type": "passport", "country": "ID", "value": "B7654321"}
    agree = score({"names": ["Budi Santoso"], "identifiers": [passport]}, {**BUDI, "identifiers": [passport]})
    conflict = score({"names": ["Budi Santoso"], "identifiers": [other]}, {**BUDI, "identifiers": [passport]})
    assert agree.total > conflict.total
    assert "identifier agrees: passport" in agree.explanation()[-1]


def test_explanations_name_fields_not_values() -> None:
    result = score({"names": ["Boedi Santosa"], "birth_date": ["1984-07-15"]}, BUDI)
    text = " ".join(result.explanation()).casefold()
    for value in ("budi", "boedi", "santos", "1984", "07", "male"):
        assert value not in text.replace("female", "").replace("birth", "")
