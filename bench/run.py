"""Benchmarks, printed as a table of ratios within one run (never timed assertions in tests).

Each page is requested repeatedly through the real app on a migrated SQLite database; its cost is
shown against /health (a database round trip and nothing else) measured in the same run.
Also prints the sign-in page's weight, gzipped, with everything it loads.
"""

import copy
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
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


def latencies(client, urls: list[str], rounds: int) -> list[float]:
    samples = []
    for index in range(rounds):
        url = urls[index % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        response.close()
    return samples


def generated_directory(size: int) -> list[dict]:
    """`size` services made from the demo directory: new ids, numbered names, venues spread about the borough."""
    demo = json.loads((Path(__file__).resolve().parents[1] / "content/directory/services.json").read_text())
    services = []
    for number in range(size):
        record = copy.deepcopy(demo[number % len(demo)])
        record["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{number}"))
        record["name"] = f"{record['name']} {number}"
        for sal in record.get("service_at_locations") or []:
            location = sal.get("location") or {}
            if location.get("latitude") is not None:
                location["latitude"] += ((number * 7919) % 200 - 100) / 5000
                location["longitude"] += ((number * 104729) % 200 - 100) / 5000
        services.append(record)
    return services


DIRECTORY_SIZE = 10_000
SEARCHES = [
    "/directory?q=home+care&category=home-care&cost=3000",
    "/directory?q=lunch+club&access=step-free-access",
    "/directory?postcode=AT3+4QD&within=2&sort=distance",
    "/directory?category=short-breaks&only=direct-payments&page=3",
    "/directory?q=polish&language=Polish",
    "/directory?q=carer+break&sort=cheapest",
]


def directory_rows(app, client) -> list[str]:
    from portal.data.directory import upsert_services

    with app.app_context():
        start = time.perf_counter()
        upsert_services(generated_directory(DIRECTORY_SIZE))
        loaded = time.perf_counter() - start
    layout = latencies(client, ["/cookies"], 300)
    searches = latencies(client, SEARCHES, 600)
    quantiles = statistics.quantiles(searches, n=100)
    layout_rate = len(layout) / sum(layout)
    search_rate = len(searches) / sum(searches)
    return [
        f"{'directory of ' + format(DIRECTORY_SIZE, ',') + ' services, loaded in':<40} {loaded:>9.1f}s",
        f"{'filtered search p50 / p95 ms':<40} {quantiles[49] * 1000:>10.1f} {quantiles[94] * 1000:>10.1f}",
        f"{'layout-only page (/cookies) p50 ms':<40} {statistics.median(layout) * 1000:>10.1f}",
        f"{'search throughput, req/s':<40} {search_rate:>10.0f}",
        f"{'layout-only throughput, req/s':<40} {layout_rate:>10.0f}",
        f"{'search throughput ÷ layout-only':<40} {search_rate / layout_rate:>10.2f}",
    ]


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
        print(f"{'service directory (SQLite, full-text index)':<40}")
        for line in directory_rows(app, anonymous):
            print(line)

        print()
        weights = page_weight(anonymous, "/sign-in")
        print(f"{'sign-in page and what it loads':<40} {'gzip KB':>10}")
        for name, size in weights:
            print(f"{name:<40} {size / 1024:>10.1f}")
        print(f"{'total':<40} {sum(size for _, size in weights) / 1024:>10.1f}")


if __name__ == "__main__":
    main()
