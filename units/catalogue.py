"""The units of competency: typed, validated, loaded from one YAML file per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .datafile import ContentError, Problem, read_yaml, validate

DATA_DIR = Path(__file__).parent / "data"

KINDS = {
    "PC": "Performance criterion",
    "PE": "Performance evidence",
    "KE": "Knowledge evidence",
    "CA": "Critical aspect of evidence",
    "AC": "Assessment condition",
}

Text = Annotated[str, Field(min_length=1)]


def _quoted(value: object) -> object:
    if isinstance(value, int | float):
        raise ValueError(f'write requirement ids as quoted strings, e.g. "{value}"')
    return value


RequirementId = Annotated[str, BeforeValidator(_quoted), Field(min_length=1)]
RequirementIds = Annotated[tuple[RequirementId, ...], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Criterion(Strict):
    id: Annotated[RequirementId, Field(pattern=r"^\d+\.\d+$")]
    text: Text
    verified: bool | None = None
    note: str | None = None


class Element(Strict):
    number: Annotated[str, Field(pattern=r"^\d+$")]
    title: Text
    verified: bool | None = None
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]


class EvidenceItem(Strict):
    id: Annotated[str, Field(pattern=r"^(PE|KE|CA|AC)\d+$")]
    text: Text
    verified: bool | None = None


class Supersession(Strict):
    relation: Literal["supersedes", "superseded_by"]
    code: Text
    title: Text
    equivalent: bool
    date: dt.date
    note: str | None = None


class Provenance(Strict):
    source: Text
    verified: bool
    note: Text


@dataclass(frozen=True)
class Requirement:
    """Anything an assessment must gather evidence for: a PC, PE, KE item or critical aspect."""

    id: str
    kind: str
    text: str
    verified: bool
    element: str | None = None

    @property
    def label(self) -> str:
        return f"PC {self.id}" if self.kind == "PC" else self.id


class Unit(Strict):
    code: Annotated[str, Field(pattern=r"^[A-Z]{3,}[0-9]{3,}[A-Z]?$")]
    title: Text
    release: Text
    release_date: dt.date
    status: Literal["current", "superseded", "deleted"]
    status_note: str = ""
    training_package: Text
    format: Literal["assessment-requirements", "evidence-guide"]
    field_of_education: Annotated[str, Field(pattern=r"^\d{6}$")]
    nominal_hours: Annotated[int, Field(gt=0, lt=10000)]
    descriptor: str | None = None
    application: Text
    supersession: tuple[Supersession, ...] = ()
    provenance: Provenance
    elements: Annotated[tuple[Element, ...], Field(min_length=1)]
    performance_evidence: tuple[EvidenceItem, ...] = ()
    knowledge_evidence: tuple[EvidenceItem, ...] = ()
    critical_aspects: tuple[EvidenceItem, ...] = ()
    assessment_conditions: tuple[EvidenceItem, ...] = ()

    @model_validator(mode="after")
    def _check_numbering(self) -> Unit:
        for element in self.elements:
            for pc in element.criteria:
                if not pc.id.startswith(element.number + "."):
                    raise ValueError(f"PC {pc.id} is not numbered under element {element.number}")
        for field, prefix in (
            ("performance_evidence", "PE"),
            ("knowledge_evidence", "KE"),
            ("critical_aspects", "CA"),
            ("assessment_conditions", "AC"),
        ):
            for item in getattr(self, field):
                if not item.id.startswith(prefix):
                    raise ValueError(f"{field} item {item.id} must be numbered {prefix}1, {prefix}2…")
        ids = [r.id for r in self.requirements] + [c.id for c in self.assessment_conditions]
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"duplicate ids: {', '.join(duplicates)}")
        if self.format == "evidence-guide" and not self.critical_aspects:
            raise ValueError("an evidence-guide unit needs critical_aspects")
        if self.format == "assessment-requirements" and not (
            self.performance_evidence and self.knowledge_evidence
        ):
            raise ValueError("an assessment-requirements unit needs performance and knowledge evidence")
        return self

    def is_verified(self, item: Criterion | Element | EvidenceItem) -> bool:
        return self.provenance.verified if item.verified is None else item.verified

    @cached_property
    def requirements(self) -> tuple[Requirement, ...]:
        """Every item assessment must cover, in official order: PCs, then PE, KE, CA."""
        pcs = [
            Requirement(pc.id, "PC", pc.text, self.is_verified(pc), element.number)
            for element in self.elements
            for pc in element.criteria
        ]
        evidence = [
            Requirement(item.id, item.id[:2], item.text, self.is_verified(item))
            for item in (*self.performance_evidence, *self.knowledge_evidence, *self.critical_aspects)
        ]
        return (*pcs, *evidence)

    @cached_property
    def requirements_by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}

    @property
    def criteria(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.kind == "PC")

    @property
    def is_fully_verified(self) -> bool:
        return all(r.verified for r in self.requirements) and self.provenance.verified

    @property
    def superseded_by(self) -> tuple[Supersession, ...]:
        return tuple(s for s in self.supersession if s.relation == "superseded_by")


class Catalogue(Mapping[str, Unit]):
    """The loaded units, by code, in code order."""

    def __init__(self, units: list[Unit]):
        self._units = {u.code: u for u in sorted(units, key=lambda u: u.code)}

    def __getitem__(self, code: str) -> Unit:
        return self._units[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)


def load_unit(path: Path) -> Unit:
    source = read_yaml(path)
    unit = validate(Unit, source)
    if unit.code != path.stem:
        raise ContentError([source.problem(["code"], f"must match the file name {path.stem!r}")])
    return unit


def load_catalogue(directory: Path = DATA_DIR) -> Catalogue:
    """Load and validate every unit file; raise ContentError listing all problems."""
    units, problems = [], []
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        problems.append(Problem(directory, None, "no unit definition files (*.yaml)"))
    for path in paths:
        try:
            units.append(load_unit(path))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return Catalogue(units)
