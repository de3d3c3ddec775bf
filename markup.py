"""Markdown to safe HTML: trusted course content, and text that users wrote (sanitised)."""

from __future__ import annotations

import threading
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

# What a learner's or assessor's Markdown may produce; everything else is stripped.
USER_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
USER_ATTRIBUTES = {"a": {"href", "title"}}


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: building one costs more than most conversions, and one
    instance must not convert on two threads at once."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=["sane_lists", "tables"])
    return _local.converter


# A marking screen shows the same answers on every view, and the HTML depends on the text alone.
@lru_cache(maxsize=1024)
def render_user_markdown(text: str | None) -> Markup:
    """Render Markdown a user wrote; raw HTML in it is escaped, then the result sanitised."""
    if not text:
        return Markup("")
    html = _converter().reset().convert(text.replace("<", "&lt;"))
    clean = nh3.clean(
        html,
        tags=USER_TAGS,
        attributes=USER_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)
