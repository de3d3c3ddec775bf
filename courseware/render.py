"""Render modules to HTML once per content version: a module page does no Markdown work per request."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import render_inner_html, slugify, strip_tags
from markdown.treeprocessors import Treeprocessor

from .modules import Module

EXTENSIONS = ["tables", "attr_list", "admonition", "sane_lists", "smarty", "def_list"]
MODULE_LINK = re.compile(r"^(?P<module>[a-z0-9-]+)\.md(?:#(?P<anchor>[a-z0-9-]+))?$")
HEADING_TAG = re.compile(r"h[1-6]")


class TableNames:
    """Names for the scrolling boxes around a page's tables: the heading before each, numbered when a
    heading has several, so no two regions on the page share a name (screen readers list them)."""

    def __init__(self) -> None:
        self.used: Counter[str] = Counter()

    def name(self, heading: str) -> str:
        self.used[heading] += 1
        count = self.used[heading]
        return heading if count == 1 else f"{heading} (table {count})"


class _ModuleLinks(Treeprocessor):
    """Turn `other-module.md#section` links into page URLs; mark external links as such; let wide
    tables scroll sideways on a phone, in a region a keyboard can reach, named for screen readers."""

    def __init__(self, md: markdown.Markdown, link_base: str, names: TableNames, untitled: str):
        super().__init__(md)
        self.link_base, self.names, self.untitled = link_base, names, untitled

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if match := MODULE_LINK.match(href):
                anchor = f"#{match['anchor']}" if match["anchor"] else ""
                link.set("href", f"{self.link_base}{match['module']}{anchor}")
            elif href.startswith(("http://", "https://")):
                link.set("rel", "noopener")
        parents = {child: parent for parent in root.iter() for child in parent}
        heading = self.untitled
        for element in list(root.iter()):  # document order: each table follows the headings before it
            if HEADING_TAG.fullmatch(element.tag):
                heading = html.unescape(strip_tags(render_inner_html(element, self.md))) or heading
            elif element.tag == "table":
                self._wrap(element, parents[element], self.names.name(heading))

    @staticmethod
    def _wrap(table: ET.Element, parent: ET.Element, name: str) -> None:
        # An empty corner cell is no header of anything: an ordinary cell, not a nameless header.
        for cell in table.iter("th"):
            if not "".join(cell.itertext()).strip():
                cell.tag = "td"
        wrapper = ET.Element(
            "div", {"class": "table-wrap", "tabindex": "0", "role": "region", "aria-label": name}
        )
        index = list(parent).index(table)
        parent.remove(table)
        wrapper.append(table)
        parent.insert(index, wrapper)


class ModuleLinks(Extension):
    def __init__(self, link_base: str, names: TableNames, untitled: str):
        super().__init__()
        self.link_base, self.names, self.untitled = link_base, names, untitled

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        processor = _ModuleLinks(md, self.link_base, self.names, self.untitled)
        md.treeprocessors.register(processor, "module_links", 5)


def to_html(
    text: str,
    link_base: str = "",
    id_prefix: str = "",
    names: TableNames | None = None,
    untitled: str = "Table",
) -> str:
    """Render trusted course Markdown (written by the RTO, reviewed like code).

    Headings get ids prefixed with `id_prefix`, so sections rendered apart never share an id. A table
    is named after the heading before it, or `untitled` (e.g. its section's title) when none is; parts
    of one page share `names`, so their tables' names are unique on the page.
    """
    toc = {"toc": {"slugify": lambda value, sep: f"{id_prefix}{slugify(value, sep)}"}}
    return markdown.markdown(
        text,
        extensions=[*EXTENSIONS, "toc", ModuleLinks(link_base, names or TableNames(), untitled)],
        extension_configs=toc,
        output_format="html",
    )


@dataclass(frozen=True)
class RenderedModule:
    intro: str
    sections: dict[str, str]  # section id → HTML of its body
    prompts: dict[str, str]  # question id → HTML of its prompt
    feedback: dict[str, str]  # question id → HTML of its feedback
    samples: dict[str, str]  # question id → HTML of its sample answer (text questions)


_rendered: dict[tuple[str, str], RenderedModule] = {}


def render_module(module: Module, link_base: str) -> RenderedModule:
    """The module's HTML, rendered on first use of each content version (keyed by its hash)."""
    key = (module.digest, link_base)
    if key not in _rendered:
        questions, names = module.meta.check, TableNames()  # one page: its tables' names are unique

        def part(text: str, untitled: str, id_prefix: str = "") -> str:
            return to_html(text, link_base, id_prefix, names, untitled)

        _rendered[key] = RenderedModule(
            intro=part(module.intro, module.title),
            sections={s.id: part(s.body, s.title, f"{s.id}-") for s in module.sections},
            prompts={q.id: part(q.prompt, "Question") for q in questions},
            feedback={q.id: part(q.feedback, "Feedback") for q in questions},
            samples={q.id: part(q.sample_answer, "Sample answer") for q in questions if q.sample_answer},
        )
    return _rendered[key]
