"""Markdown to safe HTML: trusted course content, and text that users wrote (sanitised)."""

from __future__ import annotations

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


def render_user_markdown(text: str | None) -> Markup:
    """Render Markdown a user wrote; raw HTML in it is escaped, then the result sanitised."""
    if not text:
        return Markup("")
    html = markdown.markdown(text.replace("<", "&lt;"), extensions=["sane_lists", "tables"])
    clean = nh3.clean(
        html,
        tags=USER_TAGS,
        attributes=USER_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)
