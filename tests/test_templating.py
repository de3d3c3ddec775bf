"""Template helpers: the links templates build, remembered where they cannot differ."""

import re

from flask import render_template_string, url_for


def _links(page: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="([^"#?]+)', page))


def test_remembered_links_follow_the_prefix_the_app_is_served_under(client):
    """The frame's links (navigation, styles, scripts) are remembered per app, so one kept from a request
    at the root must not leak into a request under a prefix, nor the other way round."""
    plain = client.get("/auth/login").get_data(as_text=True)
    prefixed = client.get("/auth/login", base_url="http://localhost/rto").get_data(as_text=True)
    again = client.get("/auth/login").get_data(as_text=True)
    assert "/static/css/app.css" in _links(plain) and "/units" in _links(plain)
    assert "/rto/static/css/app.css" in _links(prefixed) and "/rto/units" in _links(prefixed)
    assert not {link for link in _links(prefixed) if link.startswith("/") and not link.startswith("/rto/")}
    assert _links(again) == _links(plain)


def test_templates_build_the_same_links_as_url_for(app):
    template = (
        "{{ url_for('units.catalogue') }} {{ url_for('static', filename='js/app.js') }} "
        "{{ url_for('units.unit', code=code) }} {{ url_for('units.catalogue', _external=True) }} "
        "{{ url_for('static', filename='js/app.js', _external=True) }}"
    )
    with app.test_request_context("/"):
        for code in ("BSBCUS403", "BSBOPS304"):  # a link with values is built for each, never kept
            expected = " ".join(
                (
                    url_for("units.catalogue"),
                    url_for("static", filename="js/app.js"),
                    url_for("units.unit", code=code),
                    url_for("units.catalogue", _external=True),
                    url_for("static", filename="js/app.js", _external=True),
                )
            )
            assert render_template_string(template, code=code) == expected


def test_large_counts_are_written_with_thousands_separators():
    from templating import thousands

    assert (thousands(7), thousands(19898), thousands(1234567)) == ("7", "19,898", "1,234,567")
