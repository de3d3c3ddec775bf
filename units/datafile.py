"""Read YAML data files and report problems with the file, line and field concerned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, precise enough to fix without searching."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content files do not validate; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Source:
    """A parsed YAML document with its node tree, so fields can be traced to lines."""

    path: Path
    data: Any
    node: yaml.Node | None
    first_line: int = 1

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """Return the 1-based line of the field at `loc` (or of its nearest parent)."""
        node, line = self.node, self.first_line
        for key in loc:
            if node is None:
                break
            line = node.start_mark.line + self.first_line
            node = _child(node, key)
        if node is not None:
            line = node.start_mark.line + self.first_line
        return line

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        field = ".".join(str(k) for k in loc)
        return Problem(self.path, self.line_of(loc), f"{field}: {message}" if field else message)


def _child(node: yaml.Node, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == str(key):
                return v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Source:
    """Parse YAML text; a syntax error becomes a ContentError naming the line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        raise ContentError([Problem(path, line, f"invalid YAML: {exc}")]) from exc
    return Source(path, data, node, first_line)


def read_yaml(path: Path) -> Source:
    return parse_yaml(path.read_text(encoding="utf-8"), path)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], source: Source) -> M:
    """Validate `source` against `model`, turning pydantic's errors into Problems."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise ContentError([source.problem(err["loc"], err["msg"]) for err in exc.errors()]) from exc
