"""Learning modules: Markdown files with front matter, parsed and validated without Flask."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import frontmatter
from pydantic import Field, model_validator

from units.catalogue import Catalogue, RequirementIds, Strict, Text
from units.datafile import ContentError, Problem, parse_yaml, validate

CONTENT_DIR = Path(__file__).parent / "content"
WORDS = (1200, 2800)
QUESTIONS = (4, 8)
HEADING = re.compile(r"^## +(?P<title>.+?)\s*(?:\{#(?P<id>[a-z0-9-]+)\})?\s*$")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")
REQUIRED_BLOCKS = {
    "case": "a worked example or case (`!!! case`)",
    "try": "a try-this-at-work activity (`!!! try`)",
}
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Question(Strict):
    id: Id
    type: Literal["single", "multiple", "truefalse", "text"]
    prompt: Text
    options: tuple[Text, ...] = ()
    answer: int | tuple[int, ...] | bool | None = None
    feedback: Text
    sample_answer: str | None = None

    @model_validator(mode="after")
    def _check_answer(self) -> Question:
        kind, answer, n = self.type, self.answer, len(self.options)
        if kind in ("single", "multiple") and n < 2:
            raise ValueError(f"a {kind} question needs at least two options")
        if kind == "single" and not (type(answer) is int and 0 <= answer < n):
            raise ValueError("answer must be the index (from 0) of the right option")
        if kind == "multiple" and not (
            isinstance(answer, tuple) and answer and all(0 <= a < n for a in answer)
        ):
            raise ValueError("answer must list the indexes (from 0) of the right options")
        if kind == "truefalse" and (type(answer) is not bool or n):
            raise ValueError("a true/false question has answer true or false and no options")
        if kind == "text" and (answer is not None or not self.sample_answer or n):
            raise ValueError("a text question has a sample_answer, and no answer or options")
        return self


class Outcome(Strict):
    text: Text
    covers: RequirementIds


class FrontMatter(Strict):
    title: Text
    unit: Text
    element: Text
    order: Annotated[int, Field(ge=1)]
    minutes: Annotated[int, Field(ge=5, le=600)]
    summary: Text
    outcomes: Annotated[tuple[Outcome, ...], Field(min_length=1)]
    sections: Annotated[dict[Id, RequirementIds], Field(min_length=1)]
    check: Annotated[tuple[Question, ...], Field(min_length=QUESTIONS[0], max_length=QUESTIONS[1])]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    covers: tuple[str, ...]
    body: str
    line: int


@dataclass(frozen=True)
class Module:
    id: str
    path: Path
    meta: FrontMatter
    intro: str
    sections: tuple[Section, ...]
    digest: str

    @property
    def unit(self) -> str:
        return self.meta.unit

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def covers(self) -> tuple[str, ...]:
        """Every requirement the module teaches, in first-taught order."""
        return tuple(dict.fromkeys(r for s in self.sections for r in s.covers))

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.meta.check}

    @property
    def word_count(self) -> int:
        return count_words(self.intro) + sum(count_words(s.body) for s in self.sections)


def count_words(markdown: str) -> int:
    text = re.sub(r"^!!! \w+.*$|\{#[^}]*\}|[#>*_|`-]", " ", markdown, flags=re.M)
    return len(re.findall(r"[A-Za-z0-9][\w'’]*", text))


def _split_sections(body: str, first_line: int) -> tuple[str, list[tuple[str, str | None, int, str]]]:
    """Split the body at `##` headings (outside code fences) into (title, id, line, text)."""
    intro: list[str] = []
    sections: list[tuple[str, str | None, int, list[str]]] = []
    fenced = False
    for n, line in enumerate(body.splitlines(), start=first_line):
        fenced ^= line.lstrip().startswith("```")
        match = None if fenced else HEADING.match(line)
        if match:
            sections.append((match["title"], match["id"], n, []))
        else:
            (sections[-1][3] if sections else intro).append(line)
    return "\n".join(intro).strip(), [(t, i, n, "\n".join(b).strip()) for t, i, n, b in sections]


def parse_module(path: Path) -> Module:
    """Parse one module file; raise ContentError on anything malformed in itself."""
    text = path.read_text(encoding="utf-8")
    split = frontmatter.YAMLHandler().split(text) if text.startswith("---") else None
    if not split:
        raise ContentError([Problem(path, 1, "missing front matter (--- … ---)")])
    raw_meta, body = split
    source = parse_yaml(raw_meta, path)  # raw_meta starts on the `---` line
    meta = validate(FrontMatter, source)
    body_line = text[: text.index(body)].count("\n") + 1 if body else 1
    intro, raw_sections = _split_sections(body, body_line)
    problems = []
    for title, sid, line, _ in raw_sections:
        if sid is None:
            problems.append(Problem(path, line, f"section {title!r} needs an id: ## {title} {{#some-id}}"))
        elif sid not in meta.sections:
            problems.append(Problem(path, line, f"section #{sid} is not mapped in front matter `sections`"))
    ids = [sid for _, sid, _, _ in raw_sections]
    for sid in meta.sections:
        if sid not in ids:
            problems.append(source.problem(["sections", sid], f"no `## … {{#{sid}}}` heading in the body"))
    if problems:
        raise ContentError(problems)
    sections = tuple(Section(sid, t, meta.sections[sid], b, n) for t, sid, n, b in raw_sections if sid)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Module(path.stem, path, meta, intro, sections, digest)


def check_module(module: Module, catalogue: Catalogue, siblings: dict[str, Module]) -> Iterator[Problem]:
    """Check a parsed module against the unit it teaches and the modules it links to."""
    path, meta = module.path, module.meta
    unit = catalogue.get(meta.unit)
    if unit is None:
        yield Problem(path, 2, f"unit {meta.unit!r} is not in the catalogue")
        return
    if path.parent.name != unit.code:
        yield Problem(path, 2, f"module of {unit.code} must live in a folder named {unit.code}")
    if meta.element not in {e.number for e in unit.elements}:
        yield Problem(path, 2, f"element {meta.element!r} is not an element of {unit.code}")
    known = unit.requirements_by_id
    mapped = [("outcome", o.covers) for o in meta.outcomes] + [
        (f"section #{s.id}", s.covers) for s in module.sections
    ]
    for where, covers in mapped:
        for rid in covers:
            if rid not in known:
                yield Problem(
                    path, _line_of(path, rid), f"{where}: {rid!r} is not a PC or evidence item of {unit.code}"
                )
    body = "\n".join([module.intro] + [s.body for s in module.sections])
    for block, what in REQUIRED_BLOCKS.items():
        if f"!!! {block}" not in body:
            yield Problem(path, None, f"module needs {what}")
    if "summary" not in {s.id for s in module.sections}:
        yield Problem(path, None, "module has no summary section (## Summary {#summary})")
    low, high = WORDS
    if not low <= module.word_count <= high:
        yield Problem(path, None, f"module has {module.word_count} words; write {low}–{high}")
    yield from _check_links(module, siblings)


def _check_links(module: Module, siblings: dict[str, Module]) -> Iterator[Problem]:
    for section in (None, *module.sections):
        text = section.body if section else module.intro
        for match in LINK.finditer(text):
            target = match["target"]
            if re.match(r"^(https?:|mailto:)", target):
                continue
            name, _, anchor = target.partition("#")
            other = siblings.get(name.removesuffix(".md")) if name else module
            if other is None or (name and not name.endswith(".md")):
                yield Problem(
                    module.path, _line_of(module.path, target), f"broken link {target!r}: no such module"
                )
            elif anchor and anchor not in {s.id for s in other.sections}:
                yield Problem(
                    module.path, _line_of(module.path, target), f"broken link {target!r}: no such section"
                )


def _line_of(path: Path, needle: str) -> int | None:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    return None


@dataclass(frozen=True)
class Library:
    """All modules, by unit, in teaching order."""

    by_unit: dict[str, tuple[Module, ...]]

    def modules(self, unit_code: str) -> tuple[Module, ...]:
        return self.by_unit.get(unit_code, ())

    def module(self, unit_code: str, module_id: str) -> Module | None:
        return next((m for m in self.modules(unit_code) if m.id == module_id), None)


def load_library(catalogue: Catalogue, directory: Path = CONTENT_DIR) -> Library:
    """Load every module under `directory`/<UNIT>/*.md; raise ContentError listing all problems."""
    problems: list[Problem] = []
    by_unit: dict[str, list[Module]] = {}
    for path in sorted(directory.glob("*/*.md")):
        try:
            module = parse_module(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        by_unit.setdefault(path.parent.name, []).append(module)
    for modules in by_unit.values():
        siblings = {m.id: m for m in modules}
        for module in modules:
            problems.extend(check_module(module, catalogue, siblings))
        orders = [m.meta.order for m in modules]
        for module in modules:
            if orders.count(module.meta.order) > 1:
                problems.append(
                    Problem(module.path, 2, f"order {module.meta.order} is used twice in this unit")
                )
    if problems:
        raise ContentError(problems)
    return Library({u: tuple(sorted(ms, key=lambda m: m.meta.order)) for u, ms in by_unit.items()})
