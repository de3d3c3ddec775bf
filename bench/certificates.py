"""Statement of Attainment rendering: overhead over bare WeasyPrint, and a batch on 1 vs 2 processes.

(a) One certificate through records.documents (template, QR code, local-only fetcher, PDF/A-3b) against
    WeasyPrint rendering the same HTML string with its defaults, in the same warm process, interleaved;
    the overhead ratio is platform median / bare median (target <= 1.3).
(b) A batch of 200 certificates through records.documents.statement_pdf in a pool of one worker process,
    then two; the speed-up is time(1) / time(2) (target >= 1.7 on 2 vCPU). Worker start-up and the first
    render of each worker are left out: a long-lived worker pays them once.

    python -m bench.certificates [--quick] [--json results.json]
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import common

OVERHEAD_TARGET, SPEEDUP_TARGET = 1.3, 1.7
UNITS = (
    ("BSBOPS304", "Deliver and monitor a service to customers"),
    ("BSBCUS403", "Implement customer service standards"),
)


@dataclass(frozen=True)
class Plan:
    single_runs: int
    batch: int


FULL = Plan(single_runs=20, batch=200)
QUICK = Plan(single_runs=1, batch=2)


@dataclass(frozen=True)
class Results:
    platform_seconds: float
    bare_seconds: float
    pdf_bytes: int
    batch: int
    one_worker_seconds: float
    two_workers_seconds: float
    batch_pdfs_ok: int

    @property
    def overhead(self) -> float:
        return self.platform_seconds / self.bare_seconds if self.bare_seconds else 0.0

    @property
    def speedup(self) -> float:
        return self.one_worker_seconds / self.two_workers_seconds if self.two_workers_seconds else 0.0


def application():
    """The app, for its templates and settings only: certificates here are never stored."""
    from app import create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    return create_app({"DATABASE_URL": f"sqlite:///{folder / 'unused.db'}", "SECRET_KEY": "bench"})


def certificate(n: int):
    """A certificate row as `issue` builds it, not added to any session."""
    from records.models import Certificate, CertificateUnit
    from records.numbers import certificate_number

    learner = f"Learner Number{n} Example"
    units = [CertificateUnit(unit_code=c, unit_title=t, outcome_code="20") for c, t in UNITS]
    issued = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    number = certificate_number("0000", 2026, n)
    return Certificate(number=number, version=1, learner_name=learner, issued_at=issued, units=units)


# ---------------------------------------------------------------- (a) one certificate


def platform_render(config) -> bytes:
    from records import documents

    return documents.statement_pdf(certificate(1), config)


def bare_render(html: str) -> bytes:
    """WeasyPrint with its defaults: no PDF/A, default fetcher; the same base URL for the same images."""
    from weasyprint import HTML

    from records.pdf import ASSETS

    return HTML(string=html, base_url=str(ASSETS) + "/").write_pdf()


def timed(function, *args) -> tuple[float, bytes]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def single(runs: int) -> tuple[float, float, int]:
    """Median seconds of the platform's render and of the bare render (interleaved), and the PDF size."""
    from records import documents

    with application().app_context():
        config = documents.settings()
        html = documents.statement_html(certificate(1), config)
        platform_render(config), bare_render(html)  # warm both paths: imports, fonts, caches
        platform, bare, size = [], [], 0
        for _ in range(runs):
            seconds, pdf = timed(platform_render, config)
            platform.append(seconds)
            size = len(pdf)
            bare.append(timed(bare_render, html)[0])
    return common.median(platform), common.median(bare), size


# ---------------------------------------------------------------- (b) a batch in worker processes

_worker: dict = {}


def _start_worker(ready: multiprocessing.synchronize.Barrier) -> None:
    """Each worker builds the app once and renders once (warm), then waits until every worker is warm."""
    from records import documents

    context = application().app_context()
    context.push()
    _worker.update(context=context, config=documents.settings())
    _render(0)
    ready.wait(timeout=300)


def _render(n: int) -> bool:
    from records import documents

    pdf = documents.statement_pdf(certificate(n), _worker["config"])
    return pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]


def batch(count: int, workers: int) -> tuple[float, int]:
    """Seconds to render `count` certificates on `workers` warm processes, and how many PDFs were sound."""
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited from a fork
    ready = spawn.Barrier(workers + 1)
    with spawn.Pool(workers, initializer=_start_worker, initargs=(ready,)) as pool:
        ready.wait(timeout=300)
        start = time.perf_counter()
        sound = pool.map(_render, range(1, count + 1), chunksize=1)
        seconds = time.perf_counter() - start
    return seconds, sum(sound)


def run(plan: Plan) -> Results:
    platform, bare, size = single(plan.single_runs)
    one, sound_one = batch(plan.batch, 1)
    two, sound_two = batch(plan.batch, 2)
    return Results(platform, bare, size, plan.batch, one, two, min(sound_one, sound_two))


def report(results: Results) -> None:
    rows = [
        (
            "one SoA: platform / bare WeasyPrint",
            f"{results.platform_seconds * 1000:.0f} ms / {results.bare_seconds * 1000:.0f} ms",
            f"{results.overhead:.2f}x",
            f"<= {OVERHEAD_TARGET}x",
            common.verdict(results.overhead <= OVERHEAD_TARGET),
        ),
        (
            f"{results.batch} SoAs: 1 worker / 2 workers",
            f"{results.one_worker_seconds:.1f} s / {results.two_workers_seconds:.1f} s",
            f"{results.speedup:.2f}x",
            f">= {SPEEDUP_TARGET}x",
            common.verdict(results.speedup >= SPEEDUP_TARGET),
        ),
    ]
    print(common.table(("measure", "times", "ratio", "target", "met"), rows))
    rate = results.batch / results.two_workers_seconds if results.two_workers_seconds else 0
    print(
        f"PDF size {results.pdf_bytes} bytes; {results.batch_pdfs_ok}/{results.batch} batch PDFs sound; ",
        end="",
    )
    print(f"{rate:.1f} SoAs/s on 2 workers")


def main(argv: list[str] | None = None) -> None:
    args = common.arguments(__doc__.split("\n", 1)[0]).parse_args(argv)
    results = run(QUICK if args.quick else FULL)
    report(results)
    common.write_json(args.json, asdict(results) | {"overhead": results.overhead, "speedup": results.speedup})


if __name__ == "__main__":
    main()
