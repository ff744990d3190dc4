"""The whole story over real HTTP (uvicorn on loopback): one authority, two banks (``watchlist demo``)."""

from pathlib import Path

from api.demo import run_demo


def test_end_to_end_over_http(tmp_path: Path) -> None:
    lines: list[str] = []
    report = run_demo(tmp_path, say=lines.append)
    # an onboarding hit
    assert report.onboarding_alert is not None and report.onboarding_alert["entry_id"] == "E-0001"
    assert report.first_alerts["bank-a"] > 0 and report.first_alerts["bank-b"] > 0
    # a rescreen after a new version finds the newly listed customer, with no evaluation at all
    assert report.newly_listed_found and report.rescreen_evaluations == 0
    # a withdrawn entry closes its alert
    assert report.withdrawn_closed == 1
    # a tampered package is refused and the previous one stays in use
    assert "refused version 3" in report.tamper_outcome and "digest check failed" in report.tamper_outcome
    assert report.installed_after_tamper == 2
    # only the confirmed hit reaches the authority; the dismissed one appears nowhere there
    assert [hit["entry_id"] for hit in report.authority_hits] == ["E-0001"]
    assert report.authority_audit_actions.count("hit.receive") == 1
    hit_lines = [line for line in report.authority_audit_text.splitlines() if line.startswith("hit.")]
    assert all(report.dismissed_entry_id not in line for line in hit_lines)
    # the authority's log verifies and shows per-bank evaluation counts, nothing more about customers
    assert report.audit_events_verified == len(report.authority_audit_actions)
    assert set(report.evaluations_by_bank) == {"bank-a", "bank-b"}
    assert "Budi" not in report.authority_audit_text and "A-00001" not in report.authority_audit_text
    assert any("audit log verified offline" in line for line in lines)
