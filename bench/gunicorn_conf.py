"""gunicorn settings for the benchmarks: `app:create_app()` as the README runs it, plus one thing.

The master loads the course content (units, modules, assessment tools: seconds of YAML parsing) before
it forks the workers, so each worker starts with it in memory instead of parsing it on its first request.
"""

from __future__ import annotations


def when_ready(server) -> None:
    from content import default_content

    default_content()
