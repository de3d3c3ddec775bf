"""Assessment tools: each unit's pack of tasks, read from YAML and validated without Flask."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import Field, model_validator

from units.catalogue import Catalogue, RequirementIds, Strict, Text, Unit
from units.datafile import ContentError, Problem, Source, read_yaml, validate

PACKS_DIR = Path(__file__).parent / "packs"
KNOWLEDGE_QUESTIONS = (8, 15)
MIN_ROLEPLAYS = 2
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
# A prompt may open with a bold heading, often numbered in the author's own way ("Item 2.", "A1.",
# "Part 1:", "Written item 1:"); pages number items themselves, so that numbering is dropped.
HEADING = re.compile(r"\*\*(?P<text>[^*\n]+?)\*\*")
OWN_NUMBERING = re.compile(r"^(?:[A-Za-z]+\s+){0,2}?[A-Z]?\d+[a-z]?\s*[.:]\s+")
LONGEST_HEADING = 70  # longer than this, the bold opening is a sentence, not a heading
WORD_COUNT = re.compile(r"\d+(?:,\d{3})*(?:\s*[–-]\s*\d+(?:,\d{3})*)?")  # 150, 150–250, 600–1,000


class Document(Strict):
    id: Id
    title: Text
    body: Text


class Item(Strict):
    id: Id
    prompt: Text
    response: Literal["text", "file", "text_or_file", "recording"]
    maps: RequirementIds
    guide: Text  # the marking guide: assessors only
    words: str | None = None  # a length ("150–250") or, in the author's words, "table plus 150–300 words"
    video_only: bool = False  # a recording that must show the learner: audio alone is refused

    @model_validator(mode="after")
    def _check_video_only(self) -> Item:
        if self.video_only and self.response != "recording":
            raise ValueError("only an item with response: recording can be video_only")
        return self

    @property
    def takes_text(self) -> bool:
        return self.response in ("text", "text_or_file")

    @property
    def takes_files(self) -> bool:
        return self.response in ("file", "text_or_file", "recording")

    @property
    def heading(self) -> str | None:
        """The short heading the prompt opens with, without the author's own numbering; else None."""
        match = HEADING.match(self.prompt.lstrip())
        text = OWN_NUMBERING.sub("", match["text"].strip()).rstrip(" .:") if match else ""
        return text if 0 < len(text) <= LONGEST_HEADING else None

    @property
    def length_hint(self) -> str | None:
        """`words` as learners read it: "about 150–250 words"; free text keeps its own words, and gains
        "words" after a leading length only when it has none ("200–350 words for the email")."""
        if not self.words:
            return None
        words = self.words.strip()
        length = WORD_COUNT.match(words)
        if length and length.end() == len(words):
            return f"about {words} words"
        if length and "word" not in words.lower():
            return f"about {length.group()} words{words[length.end() :]}"
        return words


class Behaviour(Strict):
    id: Id
    behaviour: Text
    maps: RequirementIds
    look_for: Text  # assessors only


class Task(Strict):
    title: Text
    kind: Literal["questions", "project", "roleplay"]
    order: Annotated[int, Field(ge=1)]
    minutes: Annotated[int, Field(ge=5, le=2400)]
    summary: Text
    instructions: Text
    documents: tuple[Document, ...] = ()
    learner_brief: str | None = None
    actor_brief: str | None = None  # assessors only
    observation: tuple[Behaviour, ...] = ()
    items: Annotated[tuple[Item, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_kind(self) -> Task:
        roleplay = self.kind == "roleplay"
        has_parts = bool(self.learner_brief and self.actor_brief and self.observation)
        if roleplay and not has_parts:
            raise ValueError("a role-play needs learner_brief, actor_brief and an observation checklist")
        if roleplay and not any(i.response == "recording" for i in self.items):
            raise ValueError("a role-play needs an item with response: recording")
        if not roleplay and (self.actor_brief or self.observation):
            raise ValueError("only role-plays have an actor_brief or observation checklist")
        ids = [i.id for i in self.items] + [b.id for b in self.observation]
        if len(ids) != len(set(ids)):
            raise ValueError("item and behaviour ids must be unique within the task")
        return self


class PackInfo(Strict):
    unit: Text
    overview: Text
    conditions: dict[str, Text]  # assessment condition id → how this pack meets it
    adjustments: str | None = None


class Label(NamedTuple):
    """What pages call an item or behaviour: "Item 2: Review the feedback", or just "Item 2"."""

    number: str  # "Item 2", "Question 3", "Checklist behaviour 1"
    heading: str | None = None

    def __str__(self) -> str:
        return f"{self.number}: {self.heading}" if self.heading else self.number


@dataclass(frozen=True)
class TaskTool:
    """A task with its id (the file name) and where it came from."""

    id: str
    path: Path
    spec: Task

    def __getattr__(self, name: str):
        return getattr(self.spec, name)

    def evidence_points(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(item or behaviour id, requirement ids) for everything that gathers evidence."""
        for item in self.spec.items:
            yield item.id, item.maps
        for behaviour in self.spec.observation:
            yield behaviour.id, behaviour.maps

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.spec.items)

    @property
    def item_noun(self) -> str:
        """What the learner's form calls each item."""
        return "Question" if self.spec.kind == "questions" else "Item"

    @cached_property
    def labels(self) -> dict[str, Label]:
        """Item and behaviour id → what pages call it, numbered as the learner's form and the marking
        screen number them, with the item's heading. Ids are for the database, not for people."""
        labels = {
            item.id: Label(f"{self.item_noun} {n}", item.heading) for n, item in enumerate(self.spec.items, 1)
        }
        for n, behaviour in enumerate(self.spec.observation, 1):
            labels[behaviour.id] = Label(f"Checklist behaviour {n}")
        return labels

    def label(self, point_id: str) -> str:
        """What pages call an item or behaviour; the id only for one since removed from the task."""
        return str(self.labels.get(point_id, point_id))


@dataclass(frozen=True)
class Pack:
    unit: str
    info: PackInfo
    tasks: tuple[TaskTool, ...]

    def task(self, task_id: str) -> TaskTool | None:
        return next((t for t in self.tasks if t.id == task_id), None)


def _check_maps(source: Source, tool: TaskTool, unit: Unit) -> Iterator[Problem]:
    known = unit.requirements_by_id
    for field, entries in (("items", tool.spec.items), ("observation", tool.spec.observation)):
        for n, entry in enumerate(entries):
            for k, rid in enumerate(entry.maps):
                if rid not in known:
                    yield source.problem(
                        [field, n, "maps", k], f"{rid!r} is not a PC or evidence item of {unit.code}"
                    )


def _check_pack(pack: Pack, unit: Unit, info_source: Source) -> Iterator[Problem]:
    ac_ids = {c.id for c in unit.assessment_conditions}
    for missing in sorted(ac_ids - pack.info.conditions.keys()):
        yield info_source.problem(["conditions"], f"say how the pack meets assessment condition {missing}")
    for extra in sorted(pack.info.conditions.keys() - ac_ids):
        yield info_source.problem(["conditions", extra], f"{unit.code} has no assessment condition {extra}")
    questions = sum(len(t.spec.items) for t in pack.tasks if t.spec.kind == "questions")
    low, high = KNOWLEDGE_QUESTIONS
    if not low <= questions <= high:
        yield Problem(info_source.path.parent, None, f"{questions} knowledge questions; write {low}–{high}")
    roleplays = sum(t.spec.kind == "roleplay" for t in pack.tasks)
    if roleplays < MIN_ROLEPLAYS:
        yield Problem(
            info_source.path.parent, None, f"{roleplays} role-plays; write at least {MIN_ROLEPLAYS}"
        )
    orders = [t.spec.order for t in pack.tasks]
    for tool in pack.tasks:
        if orders.count(tool.spec.order) > 1:
            yield Problem(tool.path, None, f"order {tool.spec.order} is used twice in this pack")


def load_pack(directory: Path, catalogue: Catalogue) -> Pack:
    """Load one unit's pack: pack.yaml plus one YAML file per task."""
    problems: list[Problem] = []
    info_source = read_yaml(directory / "pack.yaml")
    info = validate(PackInfo, info_source)
    unit = catalogue.get(info.unit)
    if unit is None or unit.code != directory.name:
        raise ContentError(
            [info_source.problem(["unit"], f"must be the unit code {directory.name!r} of a catalogued unit")]
        )
    tasks = []
    for path in sorted(p for p in directory.glob("*.yaml") if p.name != "pack.yaml"):
        try:
            source = read_yaml(path)
            tool = TaskTool(path.stem, path, validate(Task, source))
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check_maps(source, tool, unit))
        tasks.append(tool)
    pack = Pack(unit.code, info, tuple(sorted(tasks, key=lambda t: t.spec.order)))
    problems.extend(_check_pack(pack, unit, info_source))
    if problems:
        raise ContentError(problems)
    return pack


def load_packs(catalogue: Catalogue, directory: Path = PACKS_DIR) -> dict[str, Pack]:
    """Load every unit's pack; raise ContentError listing every problem in every pack."""
    packs, problems = {}, []
    for folder in sorted(p for p in directory.glob("*") if (p / "pack.yaml").exists()):
        try:
            packs[folder.name] = load_pack(folder, catalogue)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return packs
