"""CPU per request, in-process: the benchmark's pages through the Flask test client, timed with process_time.

Wall-clock figures from `make bench` move with whatever else the machine is doing. CPU time moves less, but on
a busy shared machine still by a third between runs; the count of function calls a request makes does not move
at all, so compare a change by both, before and after, on the same seeded database.

    .venv/bin/python -m bench.profile /tmp/bench.sqlite3            # seeds it the first time (about a minute)
    .venv/bin/python -m bench.profile /tmp/bench.sqlite3 --calls    # function calls per request
    .venv/bin/python -m bench.profile /tmp/bench.sqlite3 --profile dashboard   # pyinstrument's tree for one page
      (pyinstrument is not a requirement: `.venv/bin/pip install pyinstrument` to use --profile)

Served as `make bench` serves it: the production configuration, a signed-in session as a browser holds one.
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = "https://bench.example.org"  # the session cookie is Secure: the test client sends it over https only


def _token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


def _signed_in(app, email: str):
    from tests.factories import PASSWORD

    client = app.test_client()
    html = client.get("/sign-in", base_url=BASE).data
    form = {"email": email, "password": PASSWORD, "csrf_token": _token(html)}
    answer = client.post("/sign-in", data=form, base_url=BASE, headers={"Referer": f"{BASE}/sign-in"})
    assert answer.status_code == 302, (email, answer.status_code)
    return client


def scenarios(app, seeded) -> dict[str, tuple]:
    """name: (client, method, path, data, headers) — the requests bench/run.py drives, for one person each."""
    person_id, email = seeded["person"]
    drafting_id, drafting_email = seeded["drafting"]
    person = _signed_in(app, email)
    drafting = _signed_in(app, drafting_email)
    html = drafting.get(f"/people/{drafting_id}/plan/items/new", base_url=BASE).data
    revision = re.search(rb'name="revision" type="hidden" value="(\d+)"', html).group(1).decode()
    form = {
        "csrf_token": _token(html), "revision": revision, "description": "Personal assistant", "price": "17.50",
        "unit_label": "hour", "quantity": "12", "frequency": "week",
    }  # fmt: skip
    # Flask-WTF checks the Referer of a form posted over https, as a browser sends it.
    htmx = {"HX-Request": "true", "HX-Target": "item-cost", "Referer": f"{BASE}/people/{drafting_id}/plan/items/new"}
    return {
        "home": (app.test_client(), "GET", "/", None, {}),
        "dashboard": (person, "GET", "/dashboard", None, {}),
        "budget": (person, "GET", f"/people/{person_id}/budget", None, {}),
        "costing": (drafting, "POST", f"/people/{drafting_id}/plan/items/new", form, htmx),
    }


def _seeded(database: Path) -> dict:
    """The database at `database`, seeded once by bench/seed.py; who to sign in as."""
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{database}"
    if not database.exists():
        from bench.run import generated_directory
        from bench.seed import seed

        print("Seeding …", flush=True)
        seed(url, generated_directory(10_000))
    engine = create_engine(url)
    with engine.connect() as connection:
        person = connection.execute(text("SELECT id, email FROM users WHERE email = 'bench.person1@example.org'")).one()
        drafting = connection.execute(
            text("SELECT id, email FROM users WHERE email = 'bench.drafting0@example.org'")
        ).one()
    engine.dispose()
    return {"url": url, "person": tuple(person), "drafting": tuple(drafting)}


def _calls(request) -> int:
    """Python and C function calls one request makes: a measure of its work that other load cannot change."""
    count = 0

    def counting(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(counting)
    try:
        request()
    finally:
        sys.setprofile(None)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", type=Path, help="a SQLite file; seeded if it does not exist")
    parser.add_argument("-n", type=int, default=50, help="requests per round (default 50)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds per page (default 10)")
    parser.add_argument("--only", nargs="*", help="these pages only")
    parser.add_argument("--profile", help="one page, under pyinstrument")
    parser.add_argument("--calls", action="store_true", help="count function calls: the same however busy the machine")
    arguments = parser.parse_args()

    # Before anything imports portal.config, which reads the environment once.
    os.environ.update(
        {
            "PORTAL_ENV": "production",
            "DATABASE_URL": f"sqlite:///{arguments.database}",
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_URL": BASE,
            "SIGN_IN_RATE_LIMIT": "100000 per minute",
            "RECEIPTS_DIR": str(arguments.database.parent / "receipts"),
        }
    )
    seeded = _seeded(arguments.database)
    from portal.app import create_app

    app = create_app()
    pages = scenarios(app, seeded)

    def once(name: str) -> None:
        client, method, path, data, headers = pages[name]
        answer = client.open(path, method=method, data=data, headers=headers, base_url=BASE)
        assert answer.status_code == 200, (name, answer.status_code)

    if arguments.profile:
        from pyinstrument import Profiler

        for _ in range(20):
            once(arguments.profile)
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(arguments.n):
                once(arguments.profile)
        print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("SHOW_ALL"))))
        return

    for name in arguments.only or pages:
        for _ in range(20):  # warm: templates compiled, connections open
            once(name)
        if arguments.calls:
            print(f"{name:10} {_calls(lambda name=name: once(name)):7,} Python function calls per request")
            continue
        # Other work on a shared machine slows a round (cache misses, a slower clock) but never speeds one up:
        # the fastest round is the figure to compare, the median says how steady it was.
        rounds = []
        for _ in range(arguments.rounds):
            started = time.process_time()
            for _ in range(arguments.n):
                once(name)
            rounds.append((time.process_time() - started) / arguments.n * 1000)
        print(f"{name:10} {min(rounds):6.2f} ms CPU per request (median of rounds {statistics.median(rounds):.2f})",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
