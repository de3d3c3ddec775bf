"""Render modules to HTML once per content version: a module page does no Markdown work per request."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from .modules import Module

EXTENSIONS = ["tables", "attr_list", "admonition", "sane_lists", "smarty", "def_list"]
MODULE_LINK = re.compile(r"^(?P<module>[a-z0-9-]+)\.md(?:#(?P<anchor>[a-z0-9-]+))?$")


class _ModuleLinks(Treeprocessor):
    """Turn `other-module.md#section` links into page URLs; mark external links as such; let wide
    tables scroll sideways on a phone, in a region a keyboard can reach."""

    def __init__(self, md: markdown.Markdown, link_base: str):
        super().__init__(md)
        self.link_base = link_base

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if match := MODULE_LINK.match(href):
                anchor = f"#{match['anchor']}" if match["anchor"] else ""
                link.set("href", f"{self.link_base}{match['module']}{anchor}")
            elif href.startswith(("http://", "https://")):
                link.set("rel", "noopener")
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    wrapper = ET.Element(
                        "div",
                        {"class": "table-wrap", "tabindex": "0", "role": "region", "aria-label": "Table"},
                    )
                    parent.remove(child)
                    wrapper.append(child)
                    parent.insert(index, wrapper)


class ModuleLinks(Extension):
    def __init__(self, link_base: str):
        super().__init__()
        self.link_base = link_base

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_ModuleLinks(md, self.link_base), "module_links", 5)


def to_html(text: str, link_base: str = "", id_prefix: str = "") -> str:
    """Render trusted course Markdown (written by the RTO, reviewed like code).

    Headings get ids prefixed with `id_prefix`, so sections rendered apart never share an id.
    """
    toc = {"toc": {"slugify": lambda value, sep: f"{id_prefix}{slugify(value, sep)}"}}
    return markdown.markdown(
        text,
        extensions=[*EXTENSIONS, "toc", ModuleLinks(link_base)],
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
        questions = module.meta.check
        _rendered[key] = RenderedModule(
            intro=to_html(module.intro, link_base),
            sections={s.id: to_html(s.body, link_base, f"{s.id}-") for s in module.sections},
            prompts={q.id: to_html(q.prompt, link_base) for q in questions},
            feedback={q.id: to_html(q.feedback, link_base) for q in questions},
            samples={q.id: to_html(q.sample_answer, link_base) for q in questions if q.sample_answer},
        )
    return _rendered[key]
