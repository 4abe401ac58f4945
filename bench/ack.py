"""Benchmark: time to acknowledgement and to the final Slack call, against a do-nothing floor.

Seeds a database with 100,000 items and 20,000 notes, serves the real Bolt app in HTTP mode
(waitress, 8 threads) against the local Slack Web API stand-in, and sends signed requests
(`/veille liste`, `/veille chercher`, `reaction_added` 👀) at a fixed concurrency. The same
requests go to a do-nothing Bolt app on the same kind of server, in the same run, as the floor.
Also times `search_items` directly on the seeded database.

    python -m bench.ack                       # 100k items, 20k notes, 500 requests, 8 at a time
    python -m bench.ack --items 5000 --requests 100   # quick look
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import logging
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bot.local.localslack import BOT_USER_ID, TEAM_ID, LocalSlack
from bot.local.signing import signed_headers
from storage.db import connect, write
from storage.migrations import apply_migrations
from storage.search import search_items

SECRET = "bench-signing-secret"
CHANNEL = "CVEILLE"
DOMAIN_TEXT = """coopération solidarité internationale appel projets Sénégal Burkina Mali Bénin
climat éducation citoyenneté mondiale jeunesse santé agriculture eau assainissement migrations
formation réseau collectivités territoriales décentralisée financement subvention Europe Afrique
Maroc Tunisie Haïti Madagascar femmes égalité numérique culture festival semaine"""
STOP_TEXT = "de la le les des et en du pour à un une au dans sur par avec"
WORDS = tuple(DOMAIN_TEXT.split())
STOPWORDS = tuple(STOP_TEXT.split())
SYLLABLE_TEXT = "ba be bi bo cou da de di do fa fe fi ga ge la le li lo ma me mi na ne ni pa pe pi ra re ri sa se si ta te ti va ve vi"
FIRST_SEEN = "2026-11-{day:02d}T{hour:02d}:00:00+00:00"


def vocabulary(rng: random.Random, size: int = 4000) -> tuple[list[str], list[float]]:
    """Return words and Zipf weights: stopwords first, domain words spread over ranks 20-600."""
    syllables = SYLLABLE_TEXT.split()
    filler = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = list(STOPWORDS) + sorted(filler - set(WORDS))
    for n, word in enumerate(WORDS):
        words.insert(20 + n * 12, word)
    return words, [1 / rank**1.07 for rank in range(1, len(words) + 1)]


class PathRecordingSlack(LocalSlack):
    """The stand-in, also noting which response_url path each call used."""

    def _handle(self, request, method, params):  # type: ignore[override]
        params = {**params, "_path": request.path}
        return super()._handle(request, method, params)


def seed(db_path: str, items: int, notes: int, rng: random.Random) -> list[tuple[int, str]]:
    """Fill the database; return (id, ts) of the items given a Slack message."""
    global _VOCABULARY
    _VOCABULARY = vocabulary(rng)
    with connect(db_path) as db:
        apply_migrations(db)
        with write(db):
            db.conn.executemany(
                "INSERT INTO items (id, channel_id, title, summary, first_seen_at, status, "
                "post_state, message_ts) VALUES (?, ?, ?, ?, ?, ?, 'posted', ?)",
                (_item_row(n, rng) for n in range(1, items + 1)),
            )
            db.conn.executemany(
                "INSERT INTO notes (item_id, author, text, created_at) VALUES (?, ?, ?, ?)",
                (
                    (rng.randint(1, items), "UNOTE", _words(rng, 12), "2026-11-20T10:00:00+00:00")
                    for _ in range(notes)
                ),
            )
            db.execute(
                "INSERT INTO items_fts (rowid, title, summary, notes) SELECT id, title, summary, "
                "coalesce((SELECT group_concat(text, ' ') FROM notes WHERE item_id = items.id), '')"
                " FROM items"
            )
        rows = db.execute(
            "SELECT id, message_ts FROM items WHERE status = 'open' ORDER BY id DESC LIMIT 2000"
        ).fetchall()
    return [(row[0], row[1]) for row in rows]


_VOCABULARY: tuple[list[str], list[float]] = ([], [])


def _words(rng: random.Random, count: int) -> str:
    """Return ``count`` words drawn with Zipf frequencies, as in real text."""
    words, weights = _VOCABULARY
    return " ".join(rng.choices(words, weights, k=count))


def _item_row(n: int, rng: random.Random) -> tuple:
    status = rng.choice(("open", "open", "open", "claimed", "done", "dismissed"))
    seen = FIRST_SEEN.format(day=1 + n % 27, hour=n % 24)
    return (
        n,
        CHANNEL,
        _words(rng, 7),
        _words(rng, 30),
        seen,
        status,
        f"{1_600_000_000 + n}.000100",
    )


@dataclass
class Sample:
    kind: str
    ack: float
    final: float | None


@contextlib.contextmanager
def served(mode: str, db_path: str, api_url: str) -> Iterator[int]:
    """Run bench.serve in a child process; yield its port."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", mode, db_path, api_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield int(child.stdout.readline())
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def build_requests(count: int, targets: list[tuple[int, str]], slack: LocalSlack, rng):
    """Return (kind, body, content type, marker) tuples: the marker finds the final call."""
    requests, counter = [], itertools.count()
    for n in range(count):
        kind = ("liste", "chercher", "reaction")[n % 3]
        marker = f"req{next(counter)}"
        if kind == "reaction":
            _item_id, ts = targets[n % len(targets)]
            event = {
                "type": "reaction_added",
                "user": f"U{marker}",
                "reaction": "eyes",
                "item_user": BOT_USER_ID,
                "item": {"type": "message", "channel": CHANNEL, "ts": ts},
                "event_ts": f"{time.time():.6f}",
            }
            body = json.dumps(
                {
                    "token": "x",
                    "team_id": TEAM_ID,
                    "api_app_id": "A1",
                    "type": "event_callback",
                    "event_id": f"Ev{marker}{time.time_ns()}",
                    "event_time": int(time.time()),
                    "event": event,
                    "authorizations": [
                        {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}
                    ],
                }
            )
            requests.append((kind, body, "application/json", f"U{marker}"))
            continue
        if kind == "liste":
            text = (
                f"liste {rng.choice(('libres', 'toutes', 'lettre', 'miennes'))} {rng.randint(1, 5)}"
            )
        else:
            text = f"chercher {rng.choice(WORDS)} {rng.choice(WORDS)}"
        form = {
            "command": "/veille",
            "text": text,
            "user_id": f"U{marker}",
            "channel_id": CHANNEL,
            "team_id": TEAM_ID,
            "trigger_id": f"t.{marker}",
            "response_url": slack.url.replace("/api/", "/response/") + marker,
        }
        requests.append((kind, urlencode(form), "application/x-www-form-urlencoded", marker))
    return requests


def final_time(slack: LocalSlack, kind: str, marker: str) -> float | None:
    """Return when the request's last Slack call arrived (stand-in clock), if it did."""
    with slack.lock:
        calls = list(slack.calls)
    if kind == "reaction":
        hits = [
            c.at
            for c in calls
            if c.method == "chat.postEphemeral" and c.params.get("user") == marker
        ]
    else:
        hits = [
            c.at
            for c in calls
            if c.method == "response_url" and c.params.get("_path", "").endswith("/" + marker)
        ]
    return max(hits) if hits else None


def run(port: int, slack: LocalSlack, requests, concurrency: int) -> list[Sample]:
    """Send the requests, 'concurrency' at a time; return ack and final-call times."""

    def send(request):
        kind, body, content_type, marker = request
        headers = signed_headers(SECRET, body, content_type=content_type)
        started_wall, started = time.time(), time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, response.status
        return kind, marker, started_wall, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        sent = list(pool.map(send, requests))
    deadline = time.monotonic() + 20
    samples: list[Sample] = []
    for kind, marker, started_wall, ack in sent:
        done = final_time(slack, kind, marker)
        while done is None and time.monotonic() < deadline:
            time.sleep(0.05)
            done = final_time(slack, kind, marker)
        samples.append(Sample(kind, ack, None if done is None else done - started_wall))
    return samples


def percentiles(values: list[float]) -> tuple[float, float]:
    """Return (p50, p99) in milliseconds."""
    if len(values) < 2:
        return (values[0] * 1000, values[0] * 1000) if values else (float("nan"),) * 2
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def search_timings(db_path: str, rng: random.Random, count: int = 300) -> tuple[float, float]:
    """Time search_items directly on the seeded database."""
    timings = []
    with connect(db_path) as db:
        for _ in range(count):
            query = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
            started = time.perf_counter()
            search_items(db, query, limit=10, offset=rng.choice((0, 0, 10, 20)))
            timings.append(time.perf_counter() - started)
    return percentiles(timings)


def report(name: str, samples: list[Sample]) -> list[str]:
    lines = []
    for kind in ("all", "liste", "chercher", "reaction"):
        chosen = [s for s in samples if kind == "all" or s.kind == kind]
        acks = percentiles([s.ack for s in chosen])
        finals = [s.final for s in chosen if s.final is not None]
        final = percentiles(finals) if finals else (float("nan"),) * 2
        missing = len(chosen) - len(finals)
        lines.append(
            f"| {name} | {kind} | {len(chosen)} | {acks[0]:.1f} | {acks[1]:.1f} | "
            f"{final[0]:.1f} | {final[1]:.1f} | {missing} |"
        )
    return lines


def seeded(db_path: str, args: argparse.Namespace, rng: random.Random) -> list[tuple[int, str]]:
    """Seed the database, or copy the cached seeded file when --cache names one."""
    cache = Path(args.cache) if args.cache else None
    if cache is None or not cache.exists():
        targets = seed(str(cache or db_path), args.items, args.notes, rng)
        if cache is None:
            return targets
    shutil.copyfile(cache, db_path)
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT id, message_ts FROM items WHERE status = 'open' ORDER BY id DESC LIMIT 2000"
        ).fetchall()
    return [(row[0], row[1]) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", help="seed once into this file and copy it on later runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.db")
        started = time.monotonic()
        targets = seeded(db_path, args, rng)
        print(
            f"seeded {args.items} items, {args.notes} notes in {time.monotonic() - started:.1f} s"
        )
        slack = PathRecordingSlack().start()
        for item_id, ts in targets:
            slack.messages.setdefault(CHANNEL, []).append({"ts": ts, "text": str(item_id)})
        with (
            served("floor", db_path, slack.url) as floor_port,
            served("real", db_path, slack.url) as real_port,
        ):
            run(floor_port, slack, build_requests(24, targets[-24:], slack, rng), args.concurrency)
            run(
                real_port, slack, build_requests(24, targets[-48:-24], slack, rng), args.concurrency
            )
            requests = build_requests(args.requests, targets[: args.requests], slack, rng)
            floor = run(floor_port, slack, requests, args.concurrency)
            requests = build_requests(args.requests, targets[: args.requests], slack, rng)
            real = run(real_port, slack, requests, args.concurrency)
        search = search_timings(db_path, rng)
        slack.stop()
    print(
        "| app | requests | n | ack p50 ms | ack p99 ms | final p50 ms | final p99 ms | no final |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for line in report("floor (do-nothing Bolt)", floor) + report("Veilleur", real):
        print(line)
    real_p99 = percentiles([s.ack for s in real])[1]
    floor_p99 = percentiles([s.ack for s in floor])[1]
    print(
        f"\nack p99: Veilleur {real_p99:.1f} ms, floor {floor_p99:.1f} ms, "
        f"ratio {real_p99 / floor_p99:.2f}x"
    )
    print(f"search_items on {args.items} items: p50 {search[0]:.1f} ms, p99 {search[1]:.1f} ms")


if __name__ == "__main__":
    main()
