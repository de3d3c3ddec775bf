"""HTML to archival PDF (PDF/A-3b) with WeasyPrint, fetching nothing from the network."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

ASSETS = Path(__file__).parent / "assets"
PDF_VARIANT = "pdf/a-3b"


class LocalOnlyFetcher(URLFetcher):
    """Fetch data: URIs and files under the allowed folders; anything else stops the render."""

    def __init__(self, folders: Iterable[Path]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.folders = [Path(f).resolve() for f in folders]

    def fetch(self, url: str, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(folder) for folder in self.folders):
                raise FatalURLFetchingError(f"refused to read {path}: not an allowed folder")
        elif not url.startswith("data:"):
            raise FatalURLFetchingError(f"refused to fetch {url}: documents never use the network")
        return super().fetch(url, headers)


def render_pdf(html: str, title: str, extra_folders: Iterable[Path] = ()) -> bytes:
    """Render `html` (resolving relative URLs against the assets folder) to PDF/A-3b bytes."""
    fetcher = LocalOnlyFetcher([ASSETS, *extra_folders])
    document = HTML(string=html, base_url=str(ASSETS) + "/", url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=title.encode()[:32] or None)
