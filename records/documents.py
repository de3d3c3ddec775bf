"""The Statement of Attainment and the Record of Results, as HTML from templates and then as PDF/A."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from flask import current_app, render_template

from .pdf import render_pdf

DEFAULT_IMAGES = {
    "logo": "rto-logo.svg",
    "nrt_logo": "nrt-logo-placeholder.svg",
    "signature": "signature-placeholder.svg",
}


@dataclass(frozen=True)
class Settings:
    """What an RTO configures about its documents (see README: RTO_*, SIGNATORY_*, *_LOGO)."""

    rto_name: str
    rto_code: str
    signatory_name: str
    signatory_title: str
    public_url: str
    timezone: str
    logo: str
    nrt_logo: str
    signature: str
    image_folders: tuple[Path, ...]

    def verify_url(self, number: str) -> str:
        return f"{self.public_url.rstrip('/')}/verify/{number}"

    def local_date(self, moment: dt.datetime) -> str:
        return moment.astimezone(ZoneInfo(self.timezone)).strftime("%-d %B %Y")


def settings() -> Settings:
    config = current_app.config
    images, folders = {}, []
    for key, setting in (("logo", "RTO_LOGO"), ("nrt_logo", "NRT_LOGO"), ("signature", "SIGNATURE_IMAGE")):
        configured = config.get(setting)
        if configured:
            path = Path(configured).resolve()
            images[key] = path.as_uri()
            folders.append(path.parent)
        else:
            images[key] = DEFAULT_IMAGES[key]
    return Settings(
        config["RTO_NAME"],
        config["RTO_CODE"],
        config["SIGNATORY_NAME"],
        config["SIGNATORY_TITLE"],
        config["PUBLIC_URL"],
        config["TIMEZONE"],
        image_folders=tuple(folders),
        **images,
    )


def statement_html(certificate, config: Settings) -> str:
    """The Statement of Attainment as HTML, with a QR code (made here, no network) of its verification URL."""
    url = config.verify_url(certificate.number)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#0b3a53")
    return render_template(
        "records/statement.html",
        certificate=certificate,
        settings=config,
        verify_url=url,
        qr=qr,
        issued_on=config.local_date(certificate.issued_at),
    )


def statement_pdf(certificate, config: Settings) -> bytes:
    """The Statement of Attainment for a certificate row (its units attached), as PDF/A."""
    return render_pdf(statement_html(certificate, config), certificate.number, config.image_folders)


@dataclass(frozen=True)
class ResultRow:
    code: str
    title: str
    result: str
    start: str
    end: str


def record_of_results_pdf(learner_name: str, rows: list[ResultRow], config: Settings) -> bytes:
    issued_on = config.local_date(dt.datetime.now(dt.UTC))
    html = render_template(
        "records/record_of_results.html",
        learner_name=learner_name,
        rows=rows,
        settings=config,
        issued_on=issued_on,
    )
    return render_pdf(html, f"RoR {learner_name}", config.image_folders)
