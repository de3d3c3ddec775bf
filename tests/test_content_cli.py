"""`flask content check` and `flask content coverage` report problems readably and exit non-zero."""

import shutil

from units.catalogue import DATA_DIR


def test_content_check_passes_on_the_shipped_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "All content is valid" in result.output


def test_content_check_fails_on_a_broken_unit_file(runner, tmp_path, monkeypatch):
    folder = tmp_path / "units"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "BSBCUS401B.yaml"
    path.write_text(path.read_text().replace("release_date: 2011-11-28", "release_date: someday"))
    monkeypatch.setattr("content.DATA_DIR", folder)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "BSBCUS401B.yaml:" in result.output and "release_date" in result.output
