"""Mapping: every requirement has assessment items; gaps are shown, reported and refused by the checks."""

import html
import io
import json
import re
import shutil

from pypdf import PdfReader

from assessments.tools import PACKS_DIR
from content import coverage, default_content, gaps, load_content


def test_coverage_json_fills_the_assessment_lists(runner):
    result = runner.invoke(args=["content", "coverage", "--json"])
    assert result.exit_code == 0, result.output
    mapped = json.loads(result.stdout)
    for code, rows in mapped["units"].items():
        for rid, row in rows.items():
            assert row["assessments"], (code, rid)
            assert all("#" in ref for ref in row["assessments"])
    assert "knowledge-questions#q1-service-models" in mapped["units"]["BSBCUS403"]["KE2"]["assessments"]


def broken_packs(tmp_path):
    """A copy of the packs in which PC 3.2 of BSBCUS403 loses every item that gathered evidence for it."""
    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    for path in (folder / "BSBCUS403").glob("*.yaml"):
        text = path.read_text()
        path.write_text(text.replace('"3.2", ', "").replace(', "3.2"', "").replace('["3.2"]', '["3.1"]'))
    return folder


def test_a_requirement_without_evidence_is_a_gap(tmp_path):
    content = load_content(packs_dir=broken_packs(tmp_path))
    assert "BSBCUS403 PC 3.2: no assessment item gathers evidence for it" in gaps(content)
    assert coverage(content)["units"]["BSBCUS403"]["3.2"]["assessments"] == []


def test_content_check_fails_on_the_gap(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("content.PACKS_DIR", broken_packs(tmp_path))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1 and "PC 3.2: no assessment item" in result.output


def test_mapping_page_shows_each_requirement_against_the_tasks(client, cohort, assessor):
    client.login("assessor@example.com")
    page = client.get("/teach/units/BSBCUS401B/assessment-map").get_data(as_text=True)
    for rid in ("PC 1.1", "PC 3.4", "CA1", "CA4"):
        assert rid in page
    assert "Every requirement is covered" in page and "gap-row" not in page
    assert "access to an actual workplace or simulated environment" in page  # conditions and how they are met


def test_mapping_cells_name_items_and_behaviours_never_their_ids(client, cohort, assessor):
    client.login("assessor@example.com")
    shown = {}
    for code, pack in default_content().packs.items():
        page = client.get(f"/teach/units/{code}/assessment-map").get_data(as_text=True)
        cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", page, re.S) if c]
        shown[code] = {re.sub(r"</?strong>", "", label) for cell in cells for label in cell.split("<br>")}
        labels = {task.label(point) for task in pack.tasks for point, _ in task.evidence_points()}
        assert shown[code] == labels  # every item and behaviour gathers evidence somewhere, by its label
    assert {"Item 2: Review and analyse the feedback", "Checklist behaviour 1"} <= shown["BSBCUS403"]
    assert "Question 1: Principles of customer service" in shown["BSBCUS401B"]


def test_mapping_page_shows_gaps_in_red(client, cohort, assessor, tmp_path, monkeypatch):
    broken = load_content(packs_dir=broken_packs(tmp_path))
    monkeypatch.setattr("assessments.mapping_views.default_content", lambda: broken)
    client.login("assessor@example.com")
    page = client.get("/teach/units/BSBCUS403/assessment-map").get_data(as_text=True)
    assert 'class="gap-row"' in page and "Gap: no item gathers evidence" in page


def test_mapping_pdf_for_auditors(client, cohort, assessor):
    client.login("assessor@example.com")
    response = client.get("/teach/units/BSBOPS304/assessment-map.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "BSBOPS304" in text and "assessment mapping" in text and "KE5" in text


def test_learners_never_see_the_mapping(client, cohort):
    client.login("learner@example.com")
    assert client.get("/teach/units/BSBOPS304/assessment-map").status_code == 403
    assert client.get("/teach/units/BSBOPS304/assessment-map.pdf").status_code == 403
