"""`flask content check` and `flask content coverage`: the content's health, for authors and CI."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from content import check, coverage, gaps, load_content
from units.datafile import ContentError

content_cli = AppGroup("content", help="Check content and map it to the units' requirements.")


@content_cli.command("check")
def check_command() -> None:
    """Validate units, modules and assessment tools; exit 1 listing every problem."""
    problems = check()
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("All content is valid and every requirement is covered.")


@content_cli.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="Print the coverage map as JSON.")
def coverage_command(as_json: bool) -> None:
    """Show, for every requirement, the sections teaching it and the items assessing it."""
    try:
        content = load_content()
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    mapped = coverage(content)
    if as_json:
        click.echo(json.dumps(mapped, indent=2))
    else:
        for code, rows in mapped["units"].items():
            click.echo(code)
            for rid, row in rows.items():
                taught, assessed = len(row["courseware"]), len(row["assessments"])
                click.echo(f"  {rid:<5} taught in {taught:>2} section(s), assessed by {assessed:>2} item(s)")
    missing = gaps(content)
    for line in missing:
        click.echo(line, err=True)
    sys.exit(1 if missing else 0)
