"""The miss breakdown of ``bench/misses.py``: each cause is told apart, and the table adds up."""

from bench import misses, quality
from bench.datasets import ListedPerson, listed_persons
from matcher import Screener


def _shapes(names: tuple[str, ...]) -> dict[str, str]:
    screener = Screener()
    person = ListedPerson("p", names, ("1970",), None)
    _, index = quality._index_with_names(screener, [person])
    return {
        case.name: misses.shape(screener, case)
        for case in quality.holdout_cases(screener, [person], index, True)
    }


def test_each_cause_is_told_apart() -> None:
    assert _shapes(("Rayhanah", "Rayhanah Ansari"))["Rayhanah"] == "one_token"
    assert _shapes(("Qablan Ahmad", "Qabalan Ahmad"))["Qablan Ahmad"] == "same_codes"
    assert _shapes(("Elvis Keljmendi", "Elvis Kelmendi"))["Elvis Keljmendi"] == "spelling"
    assert _shapes(("Hossein Abbasi", "Hossein Alavi"))["Hossein Abbasi"] == "other_word"


def test_the_breakdown_adds_up_to_the_holdout_recall() -> None:
    screener = Screener()
    persons = [p for p in listed_persons() if p.id.startswith("un_sc:")]
    _, index = quality._index_with_names(screener, persons)
    findable = quality.holdout(screener, persons, index, True, quality.Baseline())["findable"]
    result = misses.breakdown(screener, persons)
    assert (result["findable"], result["found"]) == (findable.customers, findable.found)
    rows = result["breakdown"]
    assert isinstance(rows, list)
    assert sum(row["no_candidate"] + row["under_threshold"] for row in rows) == result["misses"] > 0
    assert sum(row["findable"] for row in rows) == result["findable"]
