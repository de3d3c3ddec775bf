"""How fast the busiest pages are under 20 concurrent clients, beside the trivial /health page.

The app runs under gunicorn (sync workers) on 127.0.0.1 with a database seeded by
`flask seed-demo --learners 10000`. For each page, the same signed-in clients hammer /health and the
page in turn (five turns each, the same time in all); the ratio page rps / health rps says how much of
the server's capacity the page's own work takes (1.0 = as cheap as /health). Targets: ratio >= 0.5,
p95 <= 200 ms.

    python -m bench.pages [--quick] [--backend auto|sqlite|postgresql|both] [--json results.json]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from bench import common
from demo import ASSESSORS, BULK_EMAIL, PASSWORDS

RATIO_TARGET, P95_TARGET_MS = 0.5, 200.0
MODULE_UNIT = "BSBOPS304"


@dataclass(frozen=True)
class Plan:
    learners: int
    clients: int
    seconds: float
    warmup: float
    workers: int
    rounds: int  # /health and the page take turns, each `seconds / rounds` at a time


FULL = Plan(learners=10_000, clients=20, seconds=15, warmup=3, workers=common.default_workers(), rounds=5)
QUICK = Plan(learners=3, clients=3, seconds=0.3, warmup=0.1, workers=2, rounds=2)


@dataclass(frozen=True)
class PageResult:
    backend: str
    page: str
    path: str
    page_rps: float
    page_p95_ms: float
    health_rps: float
    health_p95_ms: float
    errors: int
    error_examples: list[str]

    @property
    def ratio(self) -> float:
        return self.page_rps / self.health_rps if self.health_rps else 0.0

    @property
    def met(self) -> bool:
        return self.ratio >= RATIO_TARGET and self.page_p95_ms <= P95_TARGET_MS and not self.errors


def first_link(client: common.Client, page: str, pattern: str) -> str:
    """The first link on `page` matching `pattern`, found as a person would: by following the pages."""
    match = re.search(pattern, client.get(page).text)
    if not match:
        raise RuntimeError(f"no link like {pattern} on {page}")
    return match.group(1)


def module_path(learner: common.Client) -> str:
    return first_link(learner, f"/learn/{MODULE_UNIT}", rf'<h2><a href="(/learn/{MODULE_UNIT}/[^"/]+)"')


def attempt_to_mark(assessor: common.Client) -> str:
    """The marking screen of the oldest attempt in the assessor's queue."""
    return first_link(assessor, "/marking", r'href="(/marking/attempts/\d+)"')


def measure(backend: str, name: str, clients: list[common.Client], path: str, plan: Plan) -> PageResult:
    """/health and the page in turn, with the same clients for the same time in all."""
    health, page = common.alternate(clients, ("/health", path), plan.seconds, plan.rounds)
    return PageResult(
        backend,
        name,
        path,
        page.rps,
        page.p(95),
        health.rps,
        health.p(95),
        page.errors + health.errors,
        page.error_examples + health.error_examples,
    )


def run(backend: str, plan: Plan) -> tuple[float, list[PageResult]]:
    """Seed, serve, sign in, measure the three pages; the seeding time and the results."""
    with common.throwaway_database(backend) as workspace:
        seeding = common.prepare(workspace, plan.learners)
        with common.server(workspace, plan.workers) as port:
            common.warm_up(port, plan.workers)
            learners = [(BULK_EMAIL.format(n + 1), PASSWORDS["learner"]) for n in range(plan.clients)]
            learner_clients = common.signed_in_clients(port, learners)
            assessor = [(ASSESSORS[0][0], PASSWORDS["assessor"])] * plan.clients
            assessor_clients = common.signed_in_clients(port, assessor, first_address=plan.clients)
            pages = (
                ("module page (learner)", learner_clients, module_path(learner_clients[0])),
                ("marking queue (assessor)", assessor_clients, "/marking"),
                ("marking screen (assessor)", assessor_clients, attempt_to_mark(assessor_clients[0])),
            )
            for _name, clients, path in pages:
                common.hammer(clients, path, plan.warmup)
            results = [measure(backend, name, clients, path, plan) for name, clients, path in pages]
            if any(r.errors for r in results):
                print(common.log_tail(workspace), file=sys.stderr)
    return seeding, results


def report(plan: Plan, seeding: dict[str, float], results: list[PageResult]) -> None:
    print(f"Pages: {plan.clients} concurrent clients, {plan.seconds:g} s per measurement, ", end="")
    print(f"gunicorn {plan.workers} sync workers, {plan.learners} bulk learners")
    for backend, seconds in seeding.items():
        print(f"  seeding on {backend}: {seconds:.1f} s (flask seed-demo --learners {plan.learners})")
    rows = [
        (
            r.backend,
            r.page,
            f"{r.page_rps:.0f}",
            f"{r.page_p95_ms:.0f}",
            f"{r.health_rps:.0f}",
            f"{r.ratio:.2f}",
            r.errors,
            common.verdict(r.met),
        )
        for r in results
    ]
    headers = ("database", "page", "rps", "p95 ms", "/health rps", "ratio", "errors", "target")
    print(common.table(headers, rows))
    print(f"targets: ratio >= {RATIO_TARGET}, p95 <= {P95_TARGET_MS:.0f} ms, no errors")
    for r in results:
        for example in r.error_examples:
            print(f"  error ({r.backend}, {r.page}): {example}")


def main(argv: list[str] | None = None) -> None:
    parser = common.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", default="auto", choices=("auto", "sqlite", "postgresql", "both"))
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    seeding, results = {}, []
    for backend in common.backends(args.backend):
        seeding[backend], found = run(backend, plan)
        results += found
    report(plan, seeding, results)
    common.write_json(
        args.json,
        {
            "seeding_seconds": seeding,
            "pages": [r.__dict__ | {"ratio": r.ratio, "met": r.met} for r in results],
        },
    )


if __name__ == "__main__":
    main()
