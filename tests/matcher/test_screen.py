"""Screening end to end in plain: the bundled sample fixture and real published lists."""

import json
from importlib import resources

from matcher import Customer, ListEntry, Screener, parse_records

SCREENER = Screener()


def sample(name: str, model):  # type: ignore[no-untyped-def]
    text = resources.files("api.samples").joinpath(name).read_text(encoding="utf-8")
    records, _ = parse_records(text.splitlines(), model)
    return records


def test_every_planted_customer_is_found_and_nobody_else() -> None:
    entries = sample("entries.jsonl", ListEntry)
    customers = sample("customers.jsonl", Customer)
    index = SCREENER.index(entries, "sample-1")
    alerts = [alert for result in SCREENER.screen(customers, index) for alert in result.alerts]
    found = {(alert.customer_id, alert.entry_id) for alert in alerts}
    planted = {(f"C-{n:05d}", f"E-{n:04d}") for n in range(1, 16)}
    assert found == planted


def test_alert_has_the_fields_of_the_brief_and_no_values() -> None:
    entries = sample("entries.jsonl", ListEntry)
    index = SCREENER.index(entries, "sample-1")
    customer = Customer(id="C-x", names=["Soeharto Djojohadikoesoemo"], birth_date=["1971-02-03"])
    (alert,) = SCREENER.screen_one(customer, index).alerts
    record = alert.to_json()
    assert set(record) >= {
        "customer_id",
        "entry_id",
        "list_version",
        "score",
        "band",
        "matched_keys",
        "explanation",
    }
    assert record["list_version"] == "sample-1" and record["band"] in ("review", "strong")
    assert all(
        kind in ("pair+dob", "code+dob", "pair+year", "name+dob", "pair", "name")
        for kind in record["matched_keys"]
    )
    text = json.dumps(record).casefold()
    assert "suharto" not in text and "1971" not in text


def test_no_candidates_no_alerts() -> None:
    index = SCREENER.index([], "empty")
    result = SCREENER.screen_one(Customer(id="c", names=["Budi Santoso"], birth_date=["1984-07-15"]), index)
    assert (result.candidates, result.alerts) == (0, ())
