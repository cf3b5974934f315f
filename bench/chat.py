"""The chat's cost: a round trip through the portal against the same message sent straight to Rasa.

Starts a portal (gunicorn, SQLite), Rasa and its action server as `make run` does, sends the same 100 questions
both ways one after another, and prints p50 and p95 of each and their ratio. Run by `make bench`.
"""

import http.cookiejar
import json
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.data.migrate import upgrade
from tests.assistant_servers import free_port, start_assistant
from tests.browser.conftest import start_portal, stop

QUESTIONS = [
    "what is a direct payment", "whats an ISF", "how was my budget worked out", "what can i spend the money on",
    "hello", "what does indicative budget mean", "who can help me write my plan", "can my daughter help me",
    "how often do payments come", "am i eligible",
]  # fmt: skip
ROUNDS = 100


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def straight_to_rasa(rasa_url: str, sender: str) -> list[float]:
    """One conversation of ROUNDS messages, as the portal's is: the tracker grows the same way on both paths."""
    samples = []
    for number in range(ROUNDS):
        body = json.dumps({"sender": sender, "message": QUESTIONS[number % len(QUESTIONS)]}).encode()
        request = urllib.request.Request(rasa_url + "/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        samples.append(time.perf_counter() - started)
    return samples


def through_the_portal(base: str) -> list[float]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/chat").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    samples = []
    for number in range(ROUNDS):
        body = urllib.parse.urlencode({"csrf_token": token, "message": QUESTIONS[number % len(QUESTIONS)]}).encode()
        request = urllib.request.Request(base + "/chat", data=body, headers={"HX-Request": "true", "Referer": base})
        started = time.perf_counter()
        with opener.open(request, timeout=10) as response:
            assert "cc-chat__turn--assistant" in response.read().decode()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-chat-"))
    database_url = f"sqlite:///{folder / 'portal.sqlite3'}"
    upgrade(database_url)
    rasa_port = free_port()
    portal, base = start_portal(
        database_url, TEST_RASA_URL=f"http://127.0.0.1:{rasa_port}", CHAT_RATE_LIMIT="100000 per minute"
    )
    assistant = start_assistant(folder, base, rasa_port)
    try:
        straight_to_rasa(assistant.rasa_url, "warm-up")
        direct, portal_times = straight_to_rasa(assistant.rasa_url, "measured"), through_the_portal(base)
    finally:
        assistant.stop()
        stop(portal)
    rows = [("Rasa alone", direct), ("through the portal", portal_times)]
    lines = [f"Chat round trip, {ROUNDS} questions one after another", "",
             "| path | p50 ms | p95 ms | ratio to Rasa (p50) |", "|---|---:|---:|---:|"]  # fmt: skip
    for name, samples in rows:
        ratio = statistics.median(samples) / statistics.median(direct)
        p50, p95 = statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} | {ratio:.2f} |")
    print("\n".join(lines))
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "chat-latest.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
