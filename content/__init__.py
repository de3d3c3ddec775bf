"""All content together: load units, modules and assessment tools, check them, map coverage."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assessments.tools import PACKS_DIR, Pack, load_packs
from courseware.modules import CONTENT_DIR, Library, load_library
from units.catalogue import DATA_DIR, Catalogue, load_catalogue
from units.datafile import ContentError, Problem


@dataclass(frozen=True)
class Content:
    catalogue: Catalogue
    library: Library
    packs: dict[str, Pack]


def load_content(
    units_dir: Path | None = None, modules_dir: Path | None = None, packs_dir: Path | None = None
) -> Content:
    """Load everything; raise ContentError with the problems of all three kinds of content."""
    units_dir, modules_dir, packs_dir = (
        units_dir or DATA_DIR,
        modules_dir or CONTENT_DIR,
        packs_dir or PACKS_DIR,
    )
    catalogue = load_catalogue(units_dir)
    problems: list[Problem] = []
    library, packs = Library({}), {}
    try:
        library = load_library(catalogue, modules_dir)
    except ContentError as exc:
        problems.extend(exc.problems)
    try:
        packs = load_packs(catalogue, packs_dir)
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return Content(catalogue, library, packs)


@cache
def default_catalogue() -> Catalogue:
    """The shipped units, loaded once per process."""
    return load_catalogue(DATA_DIR)


@cache
def default_content() -> Content:
    """All the shipped content, loaded once per process."""
    return load_content()


def coverage(content: Content) -> dict:
    """For every unit and requirement: its text, the sections teaching it, the items assessing it."""
    units: dict[str, dict] = {}
    for code, unit in content.catalogue.items():
        rows = {r.id: {"text": r.text, "courseware": [], "assessments": []} for r in unit.requirements}
        for module in content.library.modules(code):
            for section in module.sections:
                for rid in section.covers:
                    rows[rid]["courseware"].append(f"{module.id}#{section.id}")
        pack = content.packs.get(code)
        for task in pack.tasks if pack else ():
            for point, maps in task.evidence_points():
                for rid in maps:
                    rows[rid]["assessments"].append(f"{task.id}#{point}")
        units[code] = rows
    return {"units": units}


def gaps(content: Content) -> list[str]:
    """Requirements left uncovered: PCs nobody teaches, and items nothing assesses."""
    found = []
    for code, rows in coverage(content)["units"].items():
        kinds = content.catalogue[code].requirements_by_id
        for rid, row in rows.items():
            if kinds[rid].kind == "PC" and not row["courseware"]:
                found.append(f"{code} {kinds[rid].label}: no courseware section teaches it")
            if not row["assessments"]:
                found.append(f"{code} {kinds[rid].label}: no assessment item gathers evidence for it")
    return found


def check() -> list[str]:
    """Every problem with the shipped content, as readable lines (empty when all is well)."""
    try:
        content = load_content()
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return gaps(content)
