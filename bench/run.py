"""Benchmarks, printed as a table of ratios within one run (never timed assertions in tests).

Each page is requested repeatedly through the real app on a migrated SQLite database; its cost is
shown against /health (a database round trip and nothing else) measured in the same run.
Also prints the sign-in page's weight, gzipped, with everything it loads.
"""

import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.app import create_app
from portal.config import TestConfig
from portal.data.migrate import upgrade
from tests.factories import PASSWORD, make_user

ROUNDS = 200


def timed(client, method, url, rounds=ROUNDS, **kwargs) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.open(url, method=method, **kwargs)
        samples.append(time.perf_counter() - start)
        assert response.status_code < 400, (url, response.status_code)
        response.close()
    return statistics.median(samples)


def page_weight(client, url: str) -> list[tuple[str, int]]:
    html = client.get(url).get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    weights = [(url, len(gzip.compress(html, 9)))]
    for asset in assets:
        response = client.get(asset.decode())
        weights.append((asset.decode(), len(gzip.compress(response.get_data(), 9))))
        response.close()
    module = client.get("/static/js/app.js").get_data().decode()
    for imported in re.findall(r'from "(/static/[^"]+)"', module):
        response = client.get(imported)
        weights.append((imported, len(gzip.compress(response.get_data(), 9))))
        response.close()
    return weights


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = TestConfig()
        config.DATABASE_URL = f"sqlite:///{tmp}/bench.sqlite3"
        config.SIGN_IN_RATE_LIMIT = "100000 per minute"
        upgrade(config.DATABASE_URL)
        app = create_app(config)
        app.config["WTF_CSRF_ENABLED"] = False
        _, email = make_user(app)
        anonymous = app.test_client()
        signed_in = app.test_client()
        signed_in.post("/sign-in", data={"email": email, "password": PASSWORD})

        baseline = timed(anonymous, "GET", "/health")
        rows = [
            ("GET /health (baseline)", baseline),
            ("GET / (start page)", timed(anonymous, "GET", "/")),
            ("GET /sign-in", timed(anonymous, "GET", "/sign-in")),
            ("GET /dashboard (signed in)", timed(signed_in, "GET", "/dashboard")),
            ("GET /dashboard?lang=pl then page", timed(signed_in, "GET", "/dashboard?lang=pl", follow_redirects=True)),
            (
                "POST /sign-in (test-cost argon2)",
                timed(app.test_client(), "POST", "/sign-in", rounds=50, data={"email": email, "password": PASSWORD}),
            ),
        ]
        print(f"{'what':<40} {'median ms':>10} {'× baseline':>11}")
        for name, seconds in rows:
            print(f"{name:<40} {seconds * 1000:>10.2f} {seconds / baseline:>11.1f}")

        print()
        weights = page_weight(anonymous, "/sign-in")
        print(f"{'sign-in page and what it loads':<40} {'gzip KB':>10}")
        for name, size in weights:
            print(f"{name:<40} {size / 1024:>10.1f}")
        print(f"{'total':<40} {sum(size for _, size in weights) / 1024:>10.1f}")


if __name__ == "__main__":
    main()
