"""Write the bundled synthetic samples ``api/samples/{entries,customers}.jsonl``.

Every person here is invented. The list mixes naming traditions of the region; the customers are
random people from the same pools plus planted matches: listed people written in another spelling
or script (old Indonesian spelling, Malay abbreviations, Thai, Chinese, Arabic script, Vietnamese
without diacritics, "SURNAME, Given" order).

Usage: python scripts/make_samples.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "api" / "samples"

GIVEN = [
    "Budi", "Agus", "Dewi", "Sri", "Wahyu", "Rizky", "Putri", "Ahmad", "Siti", "Nur", "Aisyah", "Farhan",
    "Somchai", "Suda", "Anong", "Kittisak", "Thi Lan", "Van Minh", "Thu Trang", "Quoc Bao", "Maria",
    "Jose", "Cristina", "Ramon", "Wei", "Li Na", "Jun Hao", "Mei Ling", "Kumar", "Priya", "Hafiz", "Aminah",
]  # fmt: skip
FAMILY = [
    "Santoso", "Wijaya", "Kusuma", "Hidayat", "Saputra", "Lestari", "Rahman", "Hassan", "Ismail", "Yusof",
    "Srisuk", "Wongsakul", "Chaiyaphum", "Nguyen", "Tran", "Pham", "Le", "Reyes", "Santos", "Dela Cruz",
    "Garcia", "Tan", "Lim", "Wong", "Chen", "Subramaniam", "Pillai", "Abdullah", "Osman", "Ibrahim",
]  # fmt: skip

# (listed names, birth date, gender, nationality, customer's rendering of the same person)
PLANTED = [
    (["Budi Santoso", "Boedi Santosa"], "1984-07-15", "male", "ID", "SOEDJONO, Boedi Santoso"),
    (["Soeharto Djojohadikoesoemo"], "1971-02-03", "male", "ID", "Suharto Joyohadikusumo"),
    (["Muhammad Rizal bin Abdullah"], "1979-11-30", "male", "MY", "Mohd Rizal Abdullah"),
    (["Nur Aisyah binti Ismail"], "1990-05-21", "female", "MY", "Noor Aishah Ismail"),
    (["Somchai Jaidee", "สมชาย ใจดี"], "1975-09-09", "male", "TH", "สมชาย ใจดี"),
    (["Nantaphong Srisuk"], "1982-12-01", "male", "TH", "นันทพงษ์ ศรีสุข"),
    (["Nguyễn Văn Minh"], "1968-03-14", "male", "VN", "Nguyen Van Minh"),
    (["Trần Thị Thu Trang"], "1993-08-08", "female", "VN", "TRAN, Thi Thu Trang"),
    (["Zhang Wei", "张伟"], "1980-01-25", "male", "CN", "張偉"),
    (["Maria Cristina Dela Cruz Reyes"], "1987-06-17", "female", "PH", "Ma. Cristina Reyes"),
    (["Abdul Rahman Hassan"], "1965-04-04", "male", "ID", "عبد الرحمن حسن"),
    (["Haji Ahmad Fauzi"], "1972-10-10", "male", "ID", "Achmad Fauzi"),
    (["Tjahja Kusuma"], "1969-07-07", "male", "ID", "Cahya Kusuma"),
    (["Datuk Seri Yusof Osman"], "1958-02-28", "male", "MY", "Jusuf Othman"),
    (["Lim Mei Ling"], "1991-11-11", "female", "SG", "LIM, Mei Ling"),
]

STATUSES = ("suspect", "convicted")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1950, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def main() -> None:
    rng = random.Random(20261203)
    entries = []
    customers = []
    for number, (names, born, gender, country, rendering) in enumerate(PLANTED, start=1):
        status = STATUSES[number % 2]
        entry = {
            "id": f"E-{number:04d}",
            "names": names,
            "birth_date": born,
            "gender": gender,
            "nationalities": [country],
            "status": status,
            "case_reference": f"SAMPLE-CSE-2026-{number:04d}",
        }
        if status == "suspect":
            entry["review_by"] = "2027-12-31"
        entries.append(entry)
        customers.append(
            {"id": f"C-{number:05d}", "names": [rendering], "birth_date": born, "gender": gender}
        )
    for number in range(len(PLANTED) + 1, 61):
        entries.append(
            {
                "id": f"E-{number:04d}",
                "names": [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"],
                "birth_date": _date(rng),
                "status": "convicted",
                "case_reference": f"SAMPLE-CSE-2026-{number:04d}",
            }
        )
    for number in range(len(PLANTED) + 1, 301):
        customers.append(
            {
                "id": f"C-{number:05d}",
                "names": [f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"],
                "birth_date": _date(rng),
            }
        )
    rng.shuffle(customers)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (("entries.jsonl", entries), ("customers.jsonl", customers)):
        with (OUT / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(entries)} entries, {len(customers)} customers -> {OUT}")
    demo(entries)


def demo(planted_entries: list[dict[str, object]]) -> None:
    """The demo's data: 300 entries, two banks of 2,000 customers, and what version 2 changes."""
    rng = random.Random(20261204)
    entries = list(planted_entries)
    for number in range(len(entries) + 1, 301):
        entries.append(
            {
                "id": f"E-{number:04d}",
                "names": [f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"],
                "birth_date": _date(rng),
                "status": "convicted",
                "case_reference": f"DEMO-CSE-2026-{number:04d}",
            }
        )
    banks: dict[str, list[dict[str, object]]] = {"a": [], "b": []}
    for number, (_, born, gender, _, rendering) in enumerate(PLANTED, start=1):
        bank = "a" if number <= 8 else "b"
        banks[bank].append({"id": f"{bank.upper()}-{number:05d}", "names": [rendering], "birth_date": born,
                            "gender": gender})  # fmt: skip
    for bank, rows in banks.items():
        for number in range(len(rows) + 1, 2001):
            rows.append(
                {
                    "id": f"{bank.upper()}-{number + 100:05d}",
                    "names": [f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"],
                    "birth_date": _date(rng),
                }
            )
        rng.shuffle(rows)
    newly = banks["a"][100]
    given, family = str(newly["names"][0]).rsplit(" ", 1)  # type: ignore[index]
    version2 = [
        {
            "id": "E-0401",
            "names": [f"{family.upper()}, {given}"],
            "birth_date": newly["birth_date"],
            "status": "suspect",
            "case_reference": "DEMO-CSE-2026-0401",
            "review_by": "2027-12-31",
        }
    ]
    files = {"demo_entries.jsonl": entries, "demo_bank_a.jsonl": banks["a"], "demo_bank_b.jsonl": banks["b"],
             "demo_entries_v2.jsonl": version2}  # fmt: skip
    for name, rows in files.items():
        with (OUT / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"demo: {len(entries)} entries, 2 x 2,000 customers, newly listed {newly['id']} -> {OUT}")


if __name__ == "__main__":
    main()
