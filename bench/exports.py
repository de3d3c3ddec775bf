"""Exports of 100,000 enrolments: the platform's CSV and AVETMISS against streamed SQLAlchemy Core baselines.

The database holds the demo plus 33,325 bulk learners in three units each (100,002 enrolments, a fifth
with an outcome). Each export then runs in a fresh process, so that its peak memory (getrusage
ru_maxrss) is its own:

    csv       records.exports.csv_chunks, written to a file as `flask export csv` does, against the
              same rows from one streamed Core query written by csv.writer
    nat       the NAT00120 file alone, as `flask export avetmiss --only NAT00120` writes it (every
              activity checked, not the clients, units and location it refers to), against one Core
              query formatted by f-strings
    avetmiss  the whole submission, all ten NAT files, as `flask export avetmiss` writes them, against
              the same ten files from two Core queries formatted by f-strings: the same work, so the
              ratio is what checking every record costs

Both sides of a pair must write byte-identical files. Targets: time <= 1.5x the baseline's, and peak
memory <= 100 MB above the baseline's.

    python -m bench.exports [--quick] [--backend auto|sqlite|postgresql|both] [--json results.json]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import resource
import shutil
import subprocess
import time
from collections.abc import Collection
from contextlib import ExitStack, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import common

TIME_TARGET, MEMORY_TARGET_MB = 1.5, 100.0
EXPORTS_COMPARED = ("csv", "nat", "avetmiss")
MODES = tuple(f"{export}-{side}" for export in EXPORTS_COMPARED for side in ("platform", "baseline"))
DEMO_ENROLMENTS = 27  # the demo's own 9 learners x 3 units
STREAM_BATCH = 2000


@dataclass(frozen=True)
class Plan:
    enrolments: int
    repeats: int

    @property
    def learners(self) -> int:
        return -(-(self.enrolments - DEMO_ENROLMENTS) // 3)


FULL = Plan(enrolments=100_000, repeats=3)
QUICK = Plan(enrolments=300, repeats=1)


@dataclass(frozen=True)
class Run:
    """One export in its own process."""

    mode: str
    seconds: float
    lines: int
    sha256: str
    start_mb: float  # resident memory once the app was built, before the export began
    peak_mb: float


@dataclass(frozen=True)
class Comparison:
    backend: str
    export: str
    rows: int
    platform_seconds: float
    baseline_seconds: float
    platform_peak_mb: float
    baseline_peak_mb: float
    identical: bool

    @property
    def ratio(self) -> float:
        return self.platform_seconds / self.baseline_seconds if self.baseline_seconds else 0.0

    @property
    def extra_mb(self) -> float:
        return self.platform_peak_mb - self.baseline_peak_mb

    @property
    def met(self) -> bool:
        return self.identical and self.ratio <= TIME_TARGET and self.extra_mb <= MEMORY_TARGET_MB


# ---------------------------------------------------------------- the four exports (run in a child)


def collection_year() -> int:
    return dt.date.today().year


def csv_platform(path: Path) -> None:
    from records import exports

    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in exports.csv_chunks(exports.Filters()):
            handle.write(chunk)


def _latest_outcome():
    """Each enrolment's latest outcome row (the newest decision stands), as a Core subquery."""
    from sqlalchemy import func, select

    from assessments.models import Outcome

    outcomes = Outcome.__table__
    return (
        select(outcomes.c.enrolment_id, func.max(outcomes.c.id).label("outcome_id"))
        .group_by(outcomes.c.enrolment_id)
        .subquery()
    )


def _csv_query():
    from sqlalchemy import select

    from accounts.models import Enrolment, LearnerProfile, User
    from assessments.models import Outcome
    from records.models import VALID, Certificate, CertificateUnit

    e, u, p, o = Enrolment.__table__, User.__table__, LearnerProfile.__table__, Outcome.__table__
    c, cu, assessor, latest = (
        Certificate.__table__,
        CertificateUnit.__table__,
        u.alias("assessor"),
        _latest_outcome(),
    )
    certified = (
        select(cu.c.enrolment_id, c.c.number)
        .join(c, c.c.id == cu.c.certificate_id)
        .where(c.c.status == VALID)
        .subquery()
    )
    joined = (
        e.join(u, u.c.id == e.c.learner_id)
        .join(p, p.c.user_id == u.c.id)
        .outerjoin(latest, latest.c.enrolment_id == e.c.id)
        .outerjoin(o, o.c.id == latest.c.outcome_id)
        .outerjoin(assessor, assessor.c.id == o.c.decided_by_id)
        .outerjoin(certified, certified.c.enrolment_id == e.c.id)
    )
    columns = (u.c.given_names, u.c.family_name, p.c.client_id, e.c.unit_code, o.c.code, e.c.start_date)
    columns += (o.c.end_date, assessor.c.given_names, assessor.c.family_name, certified.c.number)
    return select(*columns).select_from(joined).order_by(e.c.id)


def csv_baseline(path: Path) -> None:
    import csv

    from assessments.rules import OUTCOMES
    from content import default_catalogue
    from database import db
    from records.exports import HEADER

    titles = {code: unit.title for code, unit in default_catalogue().items()}
    with path.open("w", encoding="utf-8", newline="") as handle, db.engine.connect() as connection:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        result = connection.execution_options(yield_per=STREAM_BATCH).execute(_csv_query())
        for given, family, client, unit, code, start, end, a_given, a_family, number in result:
            code = code or "70"
            writer.writerow(
                (
                    f"{given} {family}".strip(),
                    client,
                    unit,
                    titles.get(unit, ""),
                    code,
                    OUTCOMES.get(code, "Unknown outcome"),
                    f"{start:%Y-%m-%d}",
                    f"{end:%Y-%m-%d}" if end else "",
                    f"{a_given or ''} {a_family or ''}".strip(),
                    number or "",
                )
            )


def nat_platform(folder: Path) -> None:
    """The platform's NAT00120 export: each of the year's activities checked and formatted, then saved to
    `folder`; refused unless clean."""
    _export(folder, ("NAT00120",))


def _nat_query(year: int):
    from sqlalchemy import or_, select

    from accounts.models import Enrolment, LearnerProfile
    from assessments.models import Outcome

    e, p, o, latest = Enrolment.__table__, LearnerProfile.__table__, Outcome.__table__, _latest_outcome()
    joined = (
        e.join(p, p.c.user_id == e.c.learner_id)
        .outerjoin(latest, latest.c.enrolment_id == e.c.id)
        .outerjoin(o, o.c.id == latest.c.outcome_id)
    )
    columns = (p.c.client_id, e.c.unit_code, e.c.start_date, e.c.delivery_mode, e.c.predominant_delivery_mode)
    columns += (e.c.funding_source, e.c.study_reason, o.c.code, o.c.end_date)
    return (
        select(*columns)
        .select_from(joined)
        .where(e.c.start_date <= dt.date(year, 12, 31))
        .where(or_(o.c.end_date.is_(None), o.c.end_date >= dt.date(year, 1, 1)))
        .order_by(e.c.learner_id, e.c.unit_code)
    )


def nat_baseline(folder: Path) -> None:
    """NAT00120 records as fixed-width f-strings (158 characters, positions as in the layout)."""
    from flask import current_app

    with (
        (folder / "NAT00120.txt").open("w", encoding="ascii", newline="") as handle,
        current_app.extensions["sqlalchemy"].engine.connect() as connection,
    ):
        _write_activities(handle, connection, collection_year())


def _write_activities(handle, connection, year: int) -> set[str]:
    """The year's NAT00120 records, one f-string each, from one streamed Core query; the units reported."""
    from flask import current_app

    from records.avetmiss import codes

    year_end = dt.date(year, 12, 31)
    config = current_app.config
    head = f"{config['RTO_CODE']:<10}{config.get('DELIVERY_LOCATION_ID') or 'ONLINE':<10}"
    gap, optional = " " * 10, " " * 58  # positions 100-157 hold optional fields, left blank
    units = set()
    result = connection.execution_options(yield_per=STREAM_BATCH).execute(_nat_query(year))
    for client, unit, start, mode, predominant, funding, reason, code, end in result:
        decided = code is not None and end is not None and end <= year_end
        if not decided:
            code, end = "70", max(start + dt.timedelta(days=365), dt.date(year + 1, 1, 31))
        if code in codes.RPL_OR_CREDIT_TRANSFER:
            mode, predominant = codes.NOT_APPLICABLE_DELIVERY, codes.NOT_APPLICABLE_PREDOMINANT
        units.add(unit)
        handle.write(
            f"{head}{client:<10}{unit:<12}{gap}{start:%d%m%Y}{end:%d%m%Y}{mode:<3}{code:0>2}{funding:0>2}"
            f"{codes.SUBJECT_ONLY}{gap}{gap}{reason:<2}N{optional}{predominant:<1}\r\n"
        )
    return units


NAT_FILES = tuple(f"NAT00{number}" for number in ("010", "020", "030", "060", "080", "085", "090", "100"))
NAT_FILES += ("NAT00120", "NAT00130")


def avetmiss_platform(folder: Path) -> None:
    """The platform's whole AVETMISS export as `flask export avetmiss` makes it: every record of the year
    checked and formatted once and the ten NAT files spooled, then saved to `folder`; refused unless clean."""
    from records.avetmiss import LAYOUTS

    _export(folder, LAYOUTS)


def _export(folder: Path, files: Collection[str]) -> None:
    """The NAT `files` of this year as the platform exports them, saved to `folder`; refused unless clean."""
    from flask import current_app

    from records import avetmiss, reporting

    submission = reporting.submission(collection_year(), current_app.config)
    with avetmiss.spooled(submission, force=False, files=files) as (spool, _):
        spool.save(folder)


def avetmiss_baseline(folder: Path) -> None:
    """The same ten NAT files as fixed-width f-strings from two streamed Core queries, checking nothing."""
    from flask import current_app

    year, config = collection_year(), current_app.config
    with (
        ExitStack() as files,
        current_app.extensions["sqlalchemy"].engine.connect() as connection,
    ):
        out = {
            name: files.enter_context((folder / f"{name}.txt").open("w", encoding="ascii", newline=""))
            for name in NAT_FILES
        }
        units = _write_activities(out["NAT00120"], connection, year)
        _write_provider(out, config, units)
        _write_learners(out, connection, year)


def _write_provider(out: dict, config, units: set[str]) -> None:
    """NAT00010, NAT00020 and NAT00060 (NAT00030 and NAT00130 stay empty: no programs)."""
    from content import default_catalogue

    org, location = config["RTO_CODE"], config.get("DELIVERY_LOCATION_ID") or "ONLINE"
    out["NAT00010"].write(
        f"{org:<10}{config['RTO_NAME']:<100}{'':158}{config.get('RTO_CONTACT') or '':<60}"
        f"{config.get('RTO_PHONE') or '':<20}{'':20}{config.get('RTO_EMAIL') or '':<80}\r\n"
    )
    out["NAT00020"].write(
        f"{org:<10}{location:<10}{config.get('DELIVERY_LOCATION_NAME'):<100}{config['RTO_POSTCODE']:<4}"
        f"{config['RTO_STATE']:0>2}{config['RTO_SUBURB']:<50}1101\r\n"
    )
    catalogue = default_catalogue()
    for code in sorted(units):
        unit = catalogue[code]
        out["NAT00060"].write(
            f"{code:<12}{unit.title:<100}{unit.field_of_education:<6}Y{unit.nominal_hours:0>4}\r\n"
        )


def _learners_query(year: int):
    """The learners with an activity in the year, with every column of their four NAT files."""
    from sqlalchemy import select

    from accounts.models import LearnerProfile, User

    u, p = User.__table__, LearnerProfile.__table__
    in_year = _nat_query(year).with_only_columns(p.c.user_id).order_by(None)
    columns = (u.c.given_names, u.c.family_name, u.c.email, p.c.client_id, p.c.date_of_birth, p.c.usi)
    columns += (p.c.usi_exemption, p.c.gender, p.c.indigenous_status, p.c.language, p.c.country_of_birth)
    columns += (p.c.labour_force_status, p.c.highest_school_level, p.c.at_school, p.c.disability_flag)
    columns += (p.c.disability_types, p.c.prior_education_flag, p.c.prior_achievements)
    columns += (p.c.survey_contact_status, p.c.building, p.c.flat_unit, p.c.street_number, p.c.street_name)
    columns += (p.c.postal_delivery_box, p.c.suburb, p.c.postcode, p.c.state, p.c.phone_mobile)
    joined = u.join(p, p.c.user_id == u.c.id)
    return select(*columns).select_from(joined).where(u.c.id.in_(in_year)).order_by(u.c.id)


def _write_learners(out: dict, connection, year: int) -> None:
    """NAT00080, NAT00085, NAT00090 and NAT00100 in one pass over the learners."""
    result = connection.execution_options(yield_per=STREAM_BATCH).execute(_learners_query(year))
    for p in result:
        family, given = p.family_name.strip(), p.given_names.strip()
        name = f"{family}, {given}" if family and given else family or given
        postcode, state = p.postcode or "@@@@", p.state or "99"
        address = f"{p.building:<50}{p.flat_unit:<30}{p.street_number:<15}{p.street_name:<70}"
        out["NAT00080"].write(
            f"{p.client_id:<10}{name:<60}{p.highest_school_level:<2}{p.gender}{p.date_of_birth:%d%m%Y}"
            f"{postcode:<4}{p.indigenous_status}{p.language:<4}{p.labour_force_status:<2}"
            f"{p.country_of_birth:<4}{p.disability_flag}{p.prior_education_flag}{p.at_school}"
            f"{p.suburb:<50}{p.usi_exemption or p.usi or '':<10}{state:0>2}{address}"
            f"{p.survey_contact_status}\r\n"
        )
        out["NAT00085"].write(
            f"{p.client_id:<10}{'':4}{given:<40}{family:<40}{address}{p.postal_delivery_box:<22}"
            f"{p.suburb:<50}{postcode:<4}{state:0>2}{'':40}{p.phone_mobile:<20}{p.email:<80}{'':80}\r\n"
        )
        if p.disability_flag == "Y":
            for kind in p.disability_types:
                out["NAT00090"].write(f"{p.client_id:<10}{kind:<2}\r\n")
        if p.prior_education_flag == "Y":
            for achievement in p.prior_achievements:
                out["NAT00100"].write(f"{p.client_id:<10}{achievement:0>3}\r\n")


EXPORTS = {"csv-platform": csv_platform, "csv-baseline": csv_baseline, "nat-platform": nat_platform}
EXPORTS |= {"nat-baseline": nat_baseline, "avetmiss-platform": avetmiss_platform}
EXPORTS["avetmiss-baseline"] = avetmiss_baseline


def memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (its high-water mark) of this process, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the high-water mark afresh (Linux): the export's peak, not the app's start-up, is measured.

    Why not ru_maxrss alone: a child started by vfork/posix_spawn (as subprocess does) inherits its
    parent's peak in ru_maxrss, so a large parent would inflate every child's figure.
    """
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _contents(out: Path) -> bytes:
    """What an export wrote: its file, or each file of its folder after its name."""
    if out.is_file():
        return out.read_bytes()
    return b"".join(path.name.encode() + b"\0" + path.read_bytes() for path in sorted(out.iterdir()))


def measure(mode: str, out: Path) -> Run:
    """In the child: build the app, load what a long-lived process has cached, then time one export."""
    from app import create_app
    from content import default_catalogue

    with create_app().app_context():
        default_catalogue()
        reset_peak()
        start_mb = memory_mb("VmRSS")
        start = time.perf_counter()
        EXPORTS[mode](out)
        seconds = time.perf_counter() - start
        peak_mb = memory_mb("VmHWM")
    data = _contents(out)
    return Run(mode, seconds, data.count(b"\n"), hashlib.sha256(data).hexdigest(), start_mb, peak_mb)


# ---------------------------------------------------------------- the parent


def seed(workspace: common.Workspace, plan: Plan) -> float:
    """Schema by migration; the demo and bulk learners (no attempts: exports do not read them)."""
    from database import db
    from demo import seed as seed_demo
    from demo import seed_bulk_learners

    common.flask(workspace, "db", "upgrade")
    start = time.perf_counter()
    app = common.app_for(workspace)
    with app.app_context():
        seed_demo()
        seed_bulk_learners(plan.learners, attempts_each=0)
        db.session.commit()
        db.engine.dispose()
    return time.perf_counter() - start


def run_child(workspace: common.Workspace, mode: str) -> Run:
    out = workspace.folder / f"{mode}.out"
    if not mode.startswith("csv"):  # the NAT exports write a folder
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
    command = [common.PYTHON, "-m", "bench.exports", "--measure", mode, "--out", str(out)]
    done = subprocess.run(
        command, cwd=common.ROOT, env=workspace.environment(), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"export {mode} failed:\n{done.stdout}{done.stderr}")
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


def compare(backend: str, export: str, runs: list[Run]) -> Comparison:
    platform = [r for r in runs if r.mode == f"{export}-platform"]
    baseline = [r for r in runs if r.mode == f"{export}-baseline"]
    header = 1 if export == "csv" else 0
    return Comparison(
        backend,
        export,
        platform[0].lines - header,
        common.median([r.seconds for r in platform]),
        common.median([r.seconds for r in baseline]),
        max(r.peak_mb for r in platform),
        max(r.peak_mb for r in baseline),
        len({r.sha256 for r in platform + baseline}) == 1,
    )


def run(backend: str, plan: Plan) -> tuple[float, list[Comparison], list[Run]]:
    with common.throwaway_database(backend) as workspace:
        seeding = seed(workspace, plan)
        runs = [run_child(workspace, mode) for _ in range(plan.repeats) for mode in MODES]
    return seeding, [compare(backend, export, runs) for export in EXPORTS_COMPARED], runs


def report(plan: Plan, seeding: dict[str, float], comparisons: list[Comparison]) -> None:
    print(f"Exports: {plan.enrolments} enrolments wanted ({plan.learners} bulk learners), ", end="")
    print(f"median of {plan.repeats} fresh process(es) per export")
    for backend, seconds in seeding.items():
        print(f"  seeding on {backend}: {seconds:.1f} s")
    rows = [
        (
            c.backend,
            c.export,
            c.rows,
            f"{c.platform_seconds:.2f} / {c.baseline_seconds:.2f}",
            f"{c.ratio:.2f}x",
            f"{c.platform_peak_mb:.0f} / {c.baseline_peak_mb:.0f}",
            f"{c.extra_mb:+.0f}",
            "yes" if c.identical else "NO",
            common.verdict(c.met),
        )
        for c in comparisons
    ]
    headers = ("database", "export", "rows", "s platform/base", "time", "peak MB plat/base", "extra MB")
    print(common.table((*headers, "same bytes", "target"), rows))
    print(f"targets: time <= {TIME_TARGET}x the baseline, peak memory <= {MEMORY_TARGET_MB:.0f} MB above it")


def main(argv: list[str] | None = None) -> None:
    parser = common.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", default="auto", choices=("auto", "sqlite", "postgresql", "both"))
    parser.add_argument("--measure", choices=MODES, help=argparse_hidden())
    parser.add_argument("--out", type=Path, help=argparse_hidden())
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(asdict(measure(args.measure, args.out))))
        return
    plan = QUICK if args.quick else FULL
    seeding, comparisons, runs = {}, [], []
    for backend in common.backends(args.backend):
        seeding[backend], found, measured = run(backend, plan)
        comparisons += found
        runs += measured
    report(plan, seeding, comparisons)
    common.write_json(
        args.json,
        {
            "seeding_seconds": seeding,
            "exports": [
                asdict(c) | {"ratio": c.ratio, "extra_mb": c.extra_mb, "met": c.met} for c in comparisons
            ],
            "runs": [asdict(r) for r in runs],
        },
    )


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
