"""Jinja filters and globals shared by every template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import TypeVar

from flask import Flask, current_app, has_request_context, request, url_for
from jinja2.environment import TemplateModule
from markupsafe import Markup

from courseware.render import to_html
from database import rto_zone
from markup import render_user_markdown

T = TypeVar("T")


def rendered_once(store: str, key: Hashable, render: Callable[[], T], keep: int | None = None) -> T:
    """HTML that depends on `key` alone, rendered once per app and key and then kept: most of a page's
    template work, where a page repeats content (a module's reading, a task's marking guide, a queue row).

    While templates reload (in development) it is rendered on every request, so an edited template
    shows at once. The store lives on the app, whose content is loaded once per process. With `keep`, it
    holds at most that many keys and starts afresh when full: for keys made of data, which go stale.
    """
    kept = current_app.extensions.setdefault(store, {})
    if current_app.jinja_env.auto_reload or (keep and len(kept) >= keep and key not in kept):
        kept.clear()
    if key not in kept:
        kept[key] = render()
    return kept[key]


def macros(template: str) -> TemplateModule:
    """A template's macros, to call from Python."""
    return current_app.jinja_env.get_template(template).module


@lru_cache(maxsize=4096)
def content_markdown(text: str | None, untitled: str = "Table") -> Markup:
    """Render trusted content (assessment tools, written by the RTO); cached, as content is static.

    A table with no heading before it is named `untitled` for screen readers: the part's own name
    ("Question 3"), so two parts of one page never give their tables the same name."""
    return Markup(to_html(text, untitled=untitled)) if text else Markup("")


def fixed_url_for(endpoint: str, **values: object) -> str:
    """url_for for templates, remembering the links that are the same on every request: an endpoint
    without values (the navigation) and a static file. Each page's frame builds ten of them, and
    building them cost 0.07 ms of its 0.17. Links with values, relative (".view") or external, are
    built each time, as is any link made outside a request."""
    fixed = not endpoint.startswith(".") and (
        not values or (endpoint == "static" and values.keys() == {"filename"})
    )
    if not fixed or not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, values.get("filename"))
    kept = current_app.extensions.setdefault("fixed_urls", {})
    if key not in kept:
        kept[key] = url_for(endpoint, **values)
    return kept[key]


def local_datetime(value: dt.datetime | None, fmt: str = "%-d %b %Y, %-I:%M %p") -> str:
    """Show a UTC timestamp in the RTO's time zone."""
    if value is None:
        return ""
    return value.astimezone(rto_zone()).strftime(fmt).replace("AM", "am").replace("PM", "pm")


def thousands(value: int) -> str:
    """A count as Australians write it: 19,898."""
    return f"{value:,}"


def long_date(value: dt.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def init_templates(app: Flask) -> None:
    app.jinja_env.filters.update(
        local=local_datetime,
        long_date=long_date,
        thousands=thousands,
        user_markdown=render_user_markdown,
        content=content_markdown,
    )
    app.jinja_env.globals["url_for"] = fixed_url_for
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def globals_for_templates():
        return {
            "rto_name": app.config["RTO_NAME"],
            "rto_code": app.config["RTO_CODE"],
            "now": dt.datetime.now(dt.UTC),
        }
