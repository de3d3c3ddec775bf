"""`flask seed-demo`: a demonstration RTO, built through the same code paths as real use."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import click
from flask.cli import with_appcontext
from sqlalchemy import Table, func, insert, select, text
from werkzeug.security import generate_password_hash

from accounts import people
from accounts.models import Cohort, Enrolment, LearnerProfile, User, cohort_learners, cohort_staff, new_token
from accounts.usi import ALPHABET, check_character
from assessments import attempts, marking, rules, standing
from assessments.models import (
    DRAFT,
    NOT_SATISFACTORY,
    SATISFACTORY,
    SUBMITTED,
    Attempt,
    Judgement,
    Marking,
    Outcome,
    Response,
)
from assessments.tools import TaskTool
from content import default_content
from courseware import progress
from courseware.models import ModuleProgress
from database import db, utcnow
from storage import LocalStore

PASSWORDS = {"admin": "demo-admin-pass", "assessor": "demo-assessor-pass", "learner": "demo-learner-pass"}
ADMIN = ("admin@example.com", "Morgan", "Alex")
ASSESSORS = (("priya.sharma@example.com", "Sharma", "Priya"), ("tom.nguyen@example.com", "Nguyen", "Tom"))
LEARNERS = (
    ("jordan.lee@example.com", "Lee", "Jordan", dt.date(1998, 4, 12)),
    ("mia.thompson@example.com", "Thompson", "Mia", dt.date(2001, 9, 30)),
    ("aroha.walker@example.com", "Walker", "Aroha", dt.date(1995, 1, 17)),
    ("sam.okafor@example.com", "Okafor", "Samuel", dt.date(1989, 11, 2)),
    ("lucy.chen@example.com", "Chen", "Lucy", dt.date(2003, 6, 21)),
    ("ben.harris@example.com", "Harris", "Benjamin", dt.date(1992, 3, 8)),
    ("zara.ahmed@example.com", "Ahmed", "Zara", dt.date(2000, 12, 14)),
    ("noah.wilson@example.com", "Wilson", "Noah", dt.date(1997, 7, 25)),
    ("ella.murray@example.com", "Murray", "Ella", dt.date(1986, 2, 5)),
)
# Reporting details for the demo learners: (street number, street, suburb, postcode, state, gender,
# country of birth, language at home, employment, highest school level).
ADDRESSES = (
    ("14", "Wattle Street", "Parramatta", "2150", "01", "M", "1101", "1201", "01", "12"),
    ("3/27", "Harbour View Road", "Mosman", "2088", "01", "F", "1101", "1201", "02", "12"),
    ("88", "Kauri Crescent", "Penrith", "2750", "01", "F", "1201", "1201", "02", "12"),
    ("5", "Banksia Avenue", "Blacktown", "2148", "01", "M", "7103", "5207", "01", "12"),
    ("210", "George Street", "Liverpool", "2170", "01", "F", "6101", "7104", "02", "12"),
    ("41", "Ironbark Lane", "Wollongong", "2500", "01", "M", "1101", "1201", "03", "11"),
    ("9", "Jacaranda Close", "Fairfield", "2165", "01", "F", "5105", "6302", "07", "12"),
    ("120", "Bay Road", "Newcastle", "2300", "01", "M", "1101", "1201", "01", "10"),
    ("7", "Lyrebird Way", "Katoomba", "2780", "01", "F", "2102", "1201", "04", "12"),
)
COHORTS = (
    ("Customer Service 2026 – Group A", 0, slice(0, 6)),
    ("Customer Service 2026 – Group B", 1, slice(6, 9)),
)
UNITS = ("BSBOPS304", "BSBCUS403", "BSBCUS401B")
START = dt.date.today() - dt.timedelta(days=90)  # the demo cohorts began a term ago, whenever it is run


def demo_usi(n: int) -> str:
    """A well-formed (but fictional) USI for demo learner number n."""
    body = "".join(ALPHABET[(n * 7 + i * 5) % len(ALPHABET)] for i in range(9))
    return body + check_character(body)


def details(
    number: str,
    street: str,
    suburb: str,
    postcode: str,
    state: str,
    gender: str,
    country: str,
    language: str,
    employment: str,
    school: str,
) -> dict:
    flat, _, number = number.rpartition("/")
    return {
        "flat_unit": flat,
        "street_number": number,
        "street_name": street,
        "suburb": suburb,
        "postcode": postcode,
        "state": state,
        "gender": gender,
        "country_of_birth": country,
        "language": language,
        "labour_force_status": employment,
        "highest_school_level": school,
        "at_school": "N",
        "indigenous_status": "4",
        "disability_flag": "N",
        "prior_education_flag": "N",
        "survey_contact_status": "A",
    }


def _user(email: str, family: str, given: str, role: str) -> User:
    return people.find_user(email) or people.create_user(email, family, given, (role,), PASSWORDS[role])


def seed() -> dict[str, list[User]]:
    """Create the demo people, cohorts and enrolments once; running it again changes nothing."""
    admin = _user(*ADMIN, "admin")
    assessors = [_user(*a, "assessor") for a in ASSESSORS]
    learners = []
    for n, (email, family, given, born) in enumerate(LEARNERS, start=1):
        learner = people.find_user(email)
        if learner is None:
            learner = _user(email, family, given, "learner")
            usi = demo_usi(n)
            people.update_learner_record(
                learner.learner,
                by=admin,
                date_of_birth=born,
                usi=usi,
                usi_verified=n % 3 != 0,
                usi_exemption=None,
            )
            people.update_details(learner.learner, details(*ADDRESSES[n - 1]))
        learners.append(learner)
    for name, assessor_index, members in COHORTS:
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == name))
        if cohort is None:
            cohort = people.save_cohort(
                Cohort(),
                name,
                START,
                [assessors[assessor_index].id],
                [u.id for u in learners[members]],
            )
        for learner in learners[members]:
            for code in UNITS:
                people.enrol(learner, code, cohort, START)
    journeys(admin, assessors, learners)
    return {"admin": [admin], "assessor": assessors, "learner": learners}


def journeys(admin: User, assessors: list[User], learners: list[User]) -> None:
    """Learners at every stage, made through the same code as real use (once: skipped when present)."""
    if db.session.scalar(select(Attempt.id).limit(1)) is not None:
        return
    jordan, _mia, aroha, sam, lucy, ben, zara, noah, ella = learners
    priya = assessors[0]
    _study(jordan, "BSBOPS304", modules=3)
    _draft(jordan, "BSBOPS304", "knowledge-questions")
    _submit(jordan, "BSBCUS403", "knowledge-questions")
    for task_id in ("knowledge-questions", "saturday-morning-priorities", "roleplay-late-delivery"):
        _submit(aroha, "BSBOPS304", task_id)
    _study(sam, "BSBCUS403", modules=5)
    project = _submit(sam, "BSBCUS403", "project-charter-review")
    _mark(project, priya, not_yet=("a2-feedback-analysis", "a5-communication-plan"))
    _draft(sam, "BSBCUS403", "project-charter-review")  # resubmitting only the two items
    _make_competent(lucy, "BSBOPS304", priya)  # USI verified, no certificate yet: ready to issue
    _make_competent(ben, "BSBCUS403", priya)  # USI not verified: the certificate waits for it
    _submit(zara, "BSBCUS403", "roleplay-team-briefing")
    marking.record_outcome(
        _enrolment(noah, "BSBCUS401B"),
        admin,
        "60",
        rules.Proposal(None, ()),
        True,
        evidence="Statement of Attainment for BSBCUS401 from another RTO, verified by its USI transcript",
    )
    _study(ella, "BSBCUS401B", modules=2)


def _enrolment(learner: User, code: str) -> Enrolment:
    return db.session.scalar(select(Enrolment).filter_by(learner_id=learner.id, unit_code=code))


def _study(learner: User, code: str, modules: int) -> None:
    for module in default_content().library.modules(code)[:modules]:
        progress.set_complete(learner.id, module, True)


def _answers(task, items) -> dict[str, str]:
    texts = {}
    for item in task.items:
        if item.id in items:
            texts[item.id] = (
                "Live observation booked with my assessor; recorded in the training room."
                if item.response == "recording"
                else "Demonstration answer: I applied the standard to the case, explained my reasoning "
                "and gave an example from my workplace."
            )
    return texts


def _draft(learner: User, code: str, task_id: str) -> Attempt:
    enrolment, pack = _enrolment(learner, code), default_content().packs[code]
    task = pack.task(task_id)
    attempt = attempts.open_draft(enrolment, task, standing.items_to_redo(enrolment, task, pack, 3))
    limits = attempts.Limits(0, 0)
    attempts.save_draft(attempt, task, _answers(task, attempt.items), [], LocalStore("/nonexistent"), limits)
    return attempt


def _submit(learner: User, code: str, task_id: str) -> Attempt:
    attempt = _draft(learner, code, task_id)
    attempts.submit(attempt, default_content().packs[code].task(task_id), learner, learner.full_name, True)
    return attempt


def _mark(attempt: Attempt, assessor: User, not_yet: tuple[str, ...] = ()) -> None:
    task = default_content().packs[attempt.enrolment.unit_code].task(attempt.task_id)
    decisions = {
        i: rules.Decision(rules.NYS, "Use the figures in the documents to support each point.")
        if i in not_yet
        else rules.Decision(rules.S, "Meets the standard.")
        for i in attempt.items
    }
    seen = {b.id: True for b in task.observation}
    observation = marking.ObservationRecord(seen, {}, dt.date.today(), "15", "Role-play in the training room")
    marking.mark_attempt(
        attempt, task, assessor, decisions, observation, "Thank you: see the comments.", True, attempt.version
    )


def _make_competent(learner: User, code: str, assessor: User) -> None:
    _study(learner, code, modules=99)
    for task in default_content().packs[code].tasks:
        _mark(_submit(learner, code, task.id), assessor)
    enrolment = _enrolment(learner, code)
    states = standing.task_states(enrolment.id, default_content().packs[code], 3)
    proposal = standing.proposal(states, [r.id for r in default_content().catalogue[code].requirements])
    marking.record_outcome(enrolment, assessor, "20", proposal, True)


# Bulk learners for load and performance tests (`flask seed-demo --learners N`). They are inserted with
# SQLAlchemy Core, a table at a time in multi-row statements, and share one password hash: one ORM object
# and one scrypt hash per learner would take many minutes for 10,000 learners. Their attempts have
# answers and markings but no files.
BULK_EMAIL = "bulk{:06d}@example.com"
BULK_BATCH = 1000
BULK_COHORT_SIZE = 250
BULK_GIVEN = ("Alex", "Bella", "Chris", "Dana", "Eli", "Fatima", "Grace", "Hamish", "Isla", "Jack")
BULK_FAMILY = ("Nguyen", "Smith", "Patel", "Kelly", "Brown", "Singh", "Martin", "Tran", "Walsh", "Li")
# How a bulk attempt stands, with its share: many await marking, so the marking queues are long.
BULK_STATUSES = ((DRAFT, 0.25), (SUBMITTED, 0.40), (SATISFACTORY, 0.25), (NOT_SATISFACTORY, 0.10))
BULK_OUTCOME_SHARE = 0.2  # enrolments with a recorded outcome (competent), for exports and reports
BULK_ANSWER = "Bulk answer: I applied the standard to the case and explained my reasoning with an example."


@dataclass(frozen=True)
class BulkSetting:
    """What every batch shares, computed once (a password hash alone takes ~50 ms)."""

    password_hash: str
    assessor_ids: tuple[int, ...]
    tasks: tuple[tuple[str, TaskTool], ...]  # (unit code, task) for every task of every demo unit
    modules: dict[str, tuple[str, ...]]  # unit code -> its module ids, in order
    attempts_each: int
    now: dt.datetime


def bulk_learner(k: int) -> tuple[str, str, str]:
    """Bulk learner number k's email, given name and family name."""
    return (
        BULK_EMAIL.format(k),
        BULK_GIVEN[k % len(BULK_GIVEN)],
        BULK_FAMILY[k // len(BULK_GIVEN) % len(BULK_FAMILY)],
    )


def bulk_learner_count() -> int:
    pattern = BULK_EMAIL.replace("{:06d}", "%")
    return db.session.scalar(select(func.count()).select_from(User).where(User.email.like(pattern))) or 0


def seed_bulk_learners(count: int, attempts_each: int = 5) -> int:
    """Make sure `count` bulk learners exist (after the demo); return how many were added. Idempotent."""
    have = bulk_learner_count()
    if count <= have:
        return 0
    content = default_content()
    tasks = tuple((code, task) for code in UNITS for task in content.packs[code].tasks)
    setting = BulkSetting(
        password_hash=generate_password_hash(PASSWORDS["learner"]),
        assessor_ids=tuple(people.find_user(email).id for email, *_ in ASSESSORS),
        tasks=tasks,
        modules={code: tuple(m.id for m in content.library.modules(code)) for code in UNITS},
        attempts_each=min(attempts_each, len(tasks)),
        now=utcnow(),
    )
    for first in range(have + 1, count + 1, BULK_BATCH):
        BulkBatch(range(first, min(first + BULK_BATCH, count + 1)), setting).insert()
    return count - have


class BulkBatch:
    """One batch of bulk learners, inserted table by table. Learner k gets the same data in any batch."""

    def __init__(self, numbers: range, setting: BulkSetting):
        self.numbers, self.setting = numbers, setting
        self.connection = db.session.connection()
        self.random = {k: random.Random(k) for k in numbers}
        self.names = {k: bulk_learner(k)[1:] for k in numbers}

    def insert(self) -> None:
        users = self._returning_ids(User.__table__, [self._user(k) for k in self.numbers])
        self.user_ids = dict(zip(self.numbers, users, strict=True))
        self._insert(LearnerProfile.__table__, [self._profile(k) for k in self.numbers])
        self.cohort_ids = self._cohorts()
        self._insert(
            cohort_learners,
            [{"cohort_id": self._cohort(k), "user_id": self.user_ids[k]} for k in self.numbers],
        )
        keys = [(k, code) for k in self.numbers for code in UNITS]
        enrolments = self._returning_ids(Enrolment.__table__, [self._enrolment(k, code) for k, code in keys])
        self.enrolment_ids = dict(zip(keys, enrolments, strict=True))
        self._insert(ModuleProgress.__table__, [row for k in self.numbers for row in self._progress(k)])
        self._insert(Outcome.__table__, [row for key in keys for row in self._outcome(*key)])
        self._attempts()

    def _insert(self, table: Table, rows: list[dict]) -> None:
        if rows:
            self.connection.execute(insert(table), rows)

    def _returning_ids(self, table: Table, rows: list[dict]) -> list[int]:
        """Insert the rows in a few multi-row statements; their ids, in the order of `rows`."""
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(self.connection.execute(statement, rows).scalars()) if rows else []

    def _cohort(self, k: int) -> int:
        return self.cohort_ids[(k - 1) // BULK_COHORT_SIZE + 1]

    def _assessor(self, k: int) -> int:
        return self.setting.assessor_ids[(k - 1) // BULK_COHORT_SIZE % len(self.setting.assessor_ids)]

    def _user(self, k: int) -> dict:
        given, family = self.names[k]
        now = self.setting.now
        return {
            "email": bulk_learner(k)[0],
            "password_hash": self.setting.password_hash,
            "given_names": given,
            "family_name": family,
            "is_learner": True,
            "is_assessor": False,
            "is_admin": False,
            "is_active": True,
            "session_token": new_token(),
            "created_at": now,
            "password_changed_at": now,
        }

    def _profile(self, k: int) -> dict:
        verified = k % 3 != 0
        return details(*ADDRESSES[k % len(ADDRESSES)]) | {
            "user_id": self.user_ids[k],
            "client_id": f"B{k:07d}",
            "date_of_birth": dt.date(1980, 1, 1) + dt.timedelta(days=k % 9000),
            "usi": demo_usi(100 + k),
            "usi_verified_at": self.setting.now if verified else None,
            "disability_types": [],
            "prior_achievements": [],
        }

    def _cohorts(self) -> dict[int, int]:
        """Cohort number -> id for this batch's cohorts of BULK_COHORT_SIZE learners, made when missing."""
        wanted = sorted({(k - 1) // BULK_COHORT_SIZE + 1 for k in self.numbers})
        ids = {}
        for number in wanted:
            name = f"Bulk cohort {number:03d}"
            found = self.connection.scalar(select(Cohort.id).where(Cohort.name == name))
            if found is None:
                found = self.connection.scalar(
                    insert(Cohort.__table__)
                    .values(name=name, starts_on=START, created_at=self.setting.now)
                    .returning(Cohort.id)
                )
                staff = self.setting.assessor_ids[(number - 1) % len(self.setting.assessor_ids)]
                self._insert(cohort_staff, [{"cohort_id": found, "user_id": staff}])
            ids[number] = found
        return ids

    def _enrolment(self, k: int, code: str) -> dict:
        return {
            "learner_id": self.user_ids[k],
            "unit_code": code,
            "cohort_id": self._cohort(k),
            "start_date": START + dt.timedelta(days=self.random[k].randrange(30)),
            "created_at": self.setting.now,
        }

    def _progress(self, k: int) -> list[dict]:
        """Each unit's first modules opened, all but the last of them completed."""
        rows, now = [], self.setting.now
        for code, modules in self.setting.modules.items():
            opened = modules[: self.random[k].randint(0, len(modules))]
            for n, module_id in enumerate(opened, start=1):
                done = now if n < len(opened) else None
                rows.append(
                    {
                        "learner_id": self.user_ids[k],
                        "unit_code": code,
                        "module_id": module_id,
                        "started_at": now,
                        "seen_at": now,
                        "completed_at": done,
                    }
                )
        return rows

    def _outcome(self, k: int, code: str) -> list[dict]:
        if self.random[k].random() >= BULK_OUTCOME_SHARE:
            return []
        now = self.setting.now
        return [
            {
                "enrolment_id": self.enrolment_ids[k, code],
                "code": "20",
                "decided_by_id": self._assessor(k),
                "decided_at": now,
                "end_date": now.date(),
                "declaration": True,
            }
        ]

    def _attempts(self) -> None:
        """About `attempts_each` attempts per learner at distinct tasks, with answers and any marking."""
        planned = [(k, code, task, self._status(k)) for k in self.numbers for code, task in self._tasks(k)]
        rows = [self._attempt(k, code, task, status) for k, code, task, status in planned]
        ids = self._returning_ids(Attempt.__table__, rows)
        responses, markings, judgements = [], [], []
        for attempt_id, (k, _code, task, status) in zip(ids, planned, strict=True):
            responses += self._responses(attempt_id, task, status)
            if status in (SATISFACTORY, NOT_SATISFACTORY):
                markings.append(self._marking(attempt_id, k, status))
                judgements += self._judgements(attempt_id, k, task, status)
        self._insert(Response.__table__, responses)
        self._insert(Marking.__table__, markings)
        self._insert(Judgement.__table__, judgements)

    def _tasks(self, k: int) -> list[tuple[str, TaskTool]]:
        return self.random[k].sample(self.setting.tasks, self.setting.attempts_each)

    def _status(self, k: int) -> str:
        return self.random[k].choices([s for s, _ in BULK_STATUSES], [w for _, w in BULK_STATUSES])[0]

    def _attempt(self, k: int, code: str, task: TaskTool, status: str) -> dict:
        started = self.setting.now - dt.timedelta(days=self.random[k].randint(2, 60))
        submitted = None if status == DRAFT else started + dt.timedelta(days=1)
        return {
            "enrolment_id": self.enrolment_ids[k, code],
            "task_id": task.id,
            "number": 1,
            "items": list(task.item_ids),
            "status": status,
            "created_at": started,
            "saved_at": submitted or started,
            "submitted_at": submitted,
            "declaration_name": None if status == DRAFT else " ".join(self.names[k]),
            "version": {DRAFT: 1, SUBMITTED: 2}.get(status, 3),
        }

    @staticmethod
    def _responses(attempt_id: int, task: TaskTool, status: str) -> list[dict]:
        """Written answers to the items that take text: all of them, or half in a draft."""
        items = [i for i in task.items if i.takes_text or i.response == "recording"]
        answered = items[: len(items) // 2] if status == DRAFT else items
        return [{"attempt_id": attempt_id, "item_id": i.id, "text": BULK_ANSWER} for i in answered]

    def _marking(self, attempt_id: int, k: int, status: str) -> dict:
        return {
            "attempt_id": attempt_id,
            "assessor_id": self._assessor(k),
            "result": rules.S if status == SATISFACTORY else rules.NYS,
            "feedback": "Thank you: see the comments.",
            "declared": True,
            "decided_at": self.setting.now,
        }

    def _judgements(self, attempt_id: int, k: int, task: TaskTool, status: str) -> list[dict]:
        """Satisfactory on every item, except the first item of an attempt not yet satisfactory."""
        rows = []
        for n, item_id in enumerate(task.item_ids):
            result = rules.NYS if status == NOT_SATISFACTORY and n == 0 else rules.S
            rows.append(
                {
                    "attempt_id": attempt_id,
                    "item_id": item_id,
                    "result": result,
                    "comment": "",
                    "assessor_id": self._assessor(k),
                    "decided_at": self.setting.now,
                }
            )
        return rows


@click.command("seed-demo")
@click.option(
    "--learners",
    "bulk_learners",
    type=click.IntRange(min=0),
    default=0,
    help="Also add this many bulk learners (for load and performance tests), with ~5 attempts each.",
)
@with_appcontext
def seed_demo(bulk_learners: int) -> None:
    """Create the demo RTO's accounts, cohorts and enrolments (idempotent)."""
    accounts = seed()
    db.session.commit()
    click.echo("Demo accounts (for demonstration only; never use these passwords in production):")
    for role, users in accounts.items():
        for user in users:
            click.echo(f"  {role:<9} {user.email:<28} {PASSWORDS[role]}")
    if bulk_learners:
        added = seed_bulk_learners(bulk_learners)
        db.session.commit()
        if added and db.engine.dialect.name == "postgresql":
            # After a bulk load, refresh the planner's statistics now rather than at autovacuum's leisure.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        click.echo(
            f"Bulk learners: {added} added, {bulk_learners} in all "
            f"({BULK_EMAIL.format(1)} … {BULK_EMAIL.format(bulk_learners)}), password {PASSWORDS['learner']}"
        )
