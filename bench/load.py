"""50 learners at once saving drafts and submitting evidence for 60 seconds; then every acknowledged
submission is looked up in the database and its files on disk.

Each simulated learner (a bulk learner of `flask seed-demo --learners N`, from its own loopback address)
signs in through the form, opens the task lists of its three units, and works through a few open tasks
that take files, in its own random order: the task page, autosaves (action=save, answered as JSON as
app.js asks), then the submission (action=submit, declaration, a small PDF on the file items), and the
receipt it is redirected to. When a learner has submitted `tasks_each` tasks the next learner takes its
place, so the load stays at `clients` learners until the time is up. Run against gunicorn (several sync
workers) on SQLite, and on PostgreSQL when DATABASE_URL is set.

    python -m bench.load [--quick] [--backend auto|sqlite|postgresql|both] [--json results.json]
"""

from __future__ import annotations

import hashlib
import http.client
import random
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

from bench import common
from demo import PASSWORDS, UNITS, bulk_learner

TEXT_FIELD = re.compile(r'name="text-([^"]+)"')
FILE_FIELD = re.compile(r'name="file-([^"]+)"')
RECEIPT = re.compile(r"/attempts/(\d+)/receipt$")
KINDS = ("sign-in", "page", "save", "submit")


@dataclass(frozen=True)
class Plan:
    learners: int  # bulk learners seeded, the pool the simulated learners are drawn from
    clients: int  # learners working at once
    seconds: float
    tasks_each: int  # submissions per learner before the next learner takes over
    saves_each: int  # autosaves before each submission
    workers: int


FULL = Plan(
    learners=10_000, clients=50, seconds=60, tasks_each=3, saves_each=2, workers=common.default_workers()
)
# Quick: as many learners as clients, so each client finishes one learner (the time is only a bound).
QUICK = Plan(learners=4, clients=4, seconds=120, tasks_each=2, saves_each=1, workers=2)


@dataclass(frozen=True)
class Acknowledged:
    """A submission the server acknowledged with a redirect to its receipt."""

    email: str
    task_id: str
    attempt_id: int
    files: dict[str, str]  # item id -> SHA-256 of the file sent for it


@dataclass
class Tally:
    """What one thread did; merged across threads at the end."""

    samples: dict[str, common.Sample] = field(default_factory=lambda: {k: common.Sample() for k in KINDS})
    acknowledged: list[Acknowledged] = field(default_factory=list)
    learners: int = 0

    def merge(self, other: Tally) -> None:
        for kind in KINDS:
            self.samples[kind].merge(other.samples[kind])
        self.acknowledged += other.acknowledged
        self.learners += other.learners


@dataclass(frozen=True)
class Verification:
    found: int  # acknowledged submissions in the database, submitted, for the right learner and task
    files_checked: int
    files_matching: int  # row present, stored file present, SHA-256 of the bytes on disk as sent
    submitted_during_run: int  # attempts the database says were submitted while the test ran
    audit_breaks: int


@dataclass(frozen=True)
class LoadResult:
    backend: str
    seconds: float
    learners: int
    requests: int
    errors: int
    saves: int
    save_p95_ms: float
    acknowledged: int
    submit_p95_ms: float
    verification: Verification
    error_examples: list[str]

    @property
    def sound(self) -> bool:
        v = self.verification
        every_file = v.files_checked == v.files_matching
        return not self.errors and v.found == self.acknowledged == v.submitted_during_run and every_file


# ---------------------------------------------------------------- one learner's session


class Learner:
    """One bulk learner working in a browser: every request is timed, and checked for what it must return."""

    def __init__(self, number: int, port: int, plan: Plan, tally: Tally):
        self.email, given, family = bulk_learner(number)
        self.name, self.plan, self.tally = f"{given} {family}", plan, tally
        self.client = common.Client(port, common.loopback_address(number))
        self.random = random.Random(number)

    def call(self, kind: str, send, expect: int) -> common.Reply | None:
        """Send one request; its latency counts if it returned `expect`, otherwise it is an error."""
        try:
            reply = send()
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            self.tally.samples[kind].failed(f"{kind}: {type(error).__name__}: {error}")
            return None
        if reply.status != expect:
            self.tally.samples[kind].failed(
                f"{kind}: status {reply.status} ({reply.headers.get('location', '')})"
            )
            return None
        self.tally.samples[kind].latencies.append(reply.seconds)
        return reply

    def work(self, deadline: float) -> None:
        start = time.perf_counter()
        try:
            self.client.sign_in(self.email, PASSWORDS["learner"])
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            self.tally.samples["sign-in"].failed(f"sign-in: {error}")
            return
        self.tally.samples["sign-in"].latencies.append(time.perf_counter() - start)
        self.tally.learners += 1
        submitted = 0
        for path in self.open_tasks():
            if submitted >= self.plan.tasks_each or time.perf_counter() >= deadline:
                break
            submitted += self.attempt(path)

    def open_tasks(self) -> list[str]:
        """Every task of the learner's units, from the task lists, in this learner's own order."""
        paths = []
        for code in UNITS:
            reply = self.call("page", lambda c=code: self.client.get(f"/learn/{c}/tasks"), 200)
            if reply:
                paths += sorted(set(re.findall(rf'href="(/learn/{code}/tasks/[^"/]+)"', reply.text)))
        self.random.shuffle(paths)
        return paths

    def attempt(self, path: str) -> int:
        """Save and submit one task if it is open and takes files; 1 if the server acknowledged it."""
        page = self.call("page", lambda: self.client.get(path), 200)
        form = page and TaskForm.read(page.text)
        if not form:
            return 0
        for n in range(self.plan.saves_each):
            fields, json_please = form.draft(n), {"Accept": "application/json"}
            saved = self.call("save", lambda f=fields, h=json_please: self.client.post_form(path, f, h), 200)
            if not saved or b"saved_at" not in saved.body:
                return 0
        files = form.files(self.email, path)
        fields = form.submission(self.name)
        reply = self.call("submit", lambda: self.client.post_multipart(path, fields, files), 302)
        receipt = reply and RECEIPT.search(reply.headers.get("location", ""))
        if not receipt:
            if reply:
                self.tally.samples["submit"].failed(f"submit: redirected to {reply.headers.get('location')}")
            return 0
        self.call("page", lambda: self.client.get(receipt.group(0)), 200)
        digests = {
            name.removeprefix("file-"): hashlib.sha256(data).hexdigest() for name, (_, data) in files.items()
        }
        self.tally.acknowledged.append(
            Acknowledged(self.email, path.rsplit("/", 1)[1], int(receipt[1]), digests)
        )
        return 1


@dataclass(frozen=True)
class TaskForm:
    """What the task page's form asks for: a CSRF token, text items and file items."""

    token: str
    texts: tuple[str, ...]
    file_items: tuple[str, ...]

    @classmethod
    def read(cls, html: str) -> TaskForm | None:
        """None when the task is not open (no form) or takes no files (knowledge questions)."""
        token = common.CSRF_TOKEN.search(html)
        files = tuple(FILE_FIELD.findall(html))
        if "data-autosave-url" not in html or not token or not files:
            return None
        return cls(token.group(1) or token.group(2), tuple(TEXT_FIELD.findall(html)), files)

    def draft(self, n: int) -> dict[str, str]:
        answers = {f"text-{i}": f"Draft {n + 1}: my first thoughts on {i}." for i in self.texts}
        return {"csrf_token": self.token, "action": "save", **answers}

    def submission(self, name: str) -> dict[str, str]:
        answers = {f"text-{i}": f"My answer to {i}, with an example from my workplace." for i in self.texts}
        declaration = {"declaration": "yes", "declaration_name": name}
        return {"csrf_token": self.token, "action": "submit", **answers, **declaration}

    def files(self, email: str, path: str) -> dict[str, tuple[str, bytes]]:
        """A small PDF for each item that takes only a file, or else for the first item taking files."""
        only_files = [i for i in self.file_items if i not in self.texts] or [self.file_items[0]]
        return {f"file-{i}": (f"{i}.pdf", small_pdf(f"{email} {path} {i}")) for i in only_files}


def small_pdf(label: str) -> bytes:
    """A tiny PDF whose bytes differ per submission, so each stored file can be told apart."""
    return f"%PDF-1.4\n% {label} {time.time_ns()}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


# ---------------------------------------------------------------- the run


def drive(port: int, plan: Plan) -> tuple[Tally, float, float]:
    """`clients` threads, each taking the next learner until the time is up; the merged tally, start, end."""
    numbers, lock = iter(range(1, plan.learners + 1)), threading.Lock()
    tallies = [Tally() for _ in range(plan.clients)]
    start = time.perf_counter()
    deadline = start + plan.seconds

    def thread(tally: Tally) -> None:
        while time.perf_counter() < deadline:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            Learner(number, port, plan, tally).work(deadline)

    threads = [threading.Thread(target=thread, args=(t,)) for t in tallies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, start, time.perf_counter()


def verify(workspace: common.Workspace, acknowledged: list[Acknowledged], since) -> Verification:
    """Look up every acknowledged submission, and hash its files as stored on disk."""
    from sqlalchemy import func, select

    from assessments.models import SUBMITTED, Attempt
    from audit.trail import check_chain
    from database import db
    from storage import LocalStore

    app = common.app_for(workspace)
    with app.app_context():
        store, found, checked, matching = LocalStore(app.config["UPLOAD_DIR"]), 0, 0, 0
        for ack in acknowledged:
            attempt = db.session.get(Attempt, ack.attempt_id)
            if not attempt or attempt.status != SUBMITTED or attempt.task_id != ack.task_id:
                continue
            found += attempt.enrolment.learner.email == ack.email
            stored = {f.item_id: f for f in attempt.files}
            for item, digest in ack.files.items():
                checked += 1
                matching += file_matches(store, stored.get(item), digest)
        during = db.session.scalar(select(func.count()).where(Attempt.submitted_at >= since))
        breaks = len(check_chain())
        db.engine.dispose()
    return Verification(found, checked, matching, during, breaks)


def file_matches(store, evidence, digest: str) -> bool:
    if evidence is None or evidence.sha256 != digest:
        return False
    path = store.path(evidence.stored_name)
    return path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest


def run(backend: str, plan: Plan) -> LoadResult:
    from database import utcnow

    with common.throwaway_database(backend) as workspace:
        common.prepare(workspace, plan.learners)
        with common.server(workspace, plan.workers) as port:
            common.warm_up(port, plan.workers)
            since = utcnow()
            tally, start, end = drive(port, plan)
        if any(s.errors for s in tally.samples.values()):
            print(common.log_tail(workspace), file=sys.stderr)
        verification = verify(workspace, tally.acknowledged, since)
    samples = tally.samples.values()
    return LoadResult(
        backend,
        end - start,
        tally.learners,
        sum(s.requests for s in samples),
        sum(s.errors for s in samples),
        len(tally.samples["save"].latencies),
        tally.samples["save"].p(95),
        len(tally.acknowledged),
        tally.samples["submit"].p(95),
        verification,
        [e for s in samples for e in s.error_examples][:5],
    )


def report(plan: Plan, results: list[LoadResult]) -> None:
    print(
        f"Load: {plan.clients} learners at once for {plan.seconds:g} s, gunicorn {plan.workers} workers, ",
        end="",
    )
    print(f"{plan.tasks_each} submissions per learner, {plan.saves_each} autosaves before each")
    rows = [
        (
            r.backend,
            r.requests,
            f"{r.requests / r.seconds:.0f}",
            r.errors,
            r.learners,
            f"{r.saves} ({r.save_p95_ms:.0f})",
            f"{r.acknowledged} ({r.submit_p95_ms:.0f})",
            f"{r.verification.found}/{r.acknowledged}",
            f"{r.verification.files_matching}/{r.verification.files_checked}",
            r.verification.submitted_during_run,
            r.verification.audit_breaks,
            "yes" if r.sound else "NO",
        )
        for r in results
    ]
    headers = ("database", "requests", "req/s", "errors", "learners", "saves (p95 ms)", "submitted (p95 ms)")
    headers += ("in DB", "files ok", "DB count", "audit breaks", "sound")
    print(common.table(headers, rows))
    print("sound: no errors, every acknowledged submission in the database with its files (SHA-256 on disk),")
    print("and no submission in the database that was not acknowledged; the audit chain unbroken")
    for r in results:
        for example in r.error_examples:
            print(f"  error ({r.backend}): {example}")


def main(argv: list[str] | None = None) -> None:
    parser = common.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", default="auto", choices=("auto", "sqlite", "postgresql", "both"))
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    results = [run(backend, plan) for backend in common.backends(args.backend)]
    report(plan, results)
    common.write_json(args.json, {"load": [asdict(r) | {"sound": r.sound} for r in results]})


if __name__ == "__main__":
    main()
