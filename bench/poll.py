"""Benchmark one poll cycle of Veilleur against a naive sequential feedparser loop.

    python bench/poll.py --corpus ../shared/feeds-corpus/ [--feeds 1000]

Serves N feeds from 127.0.0.1 (bodies from the corpus's real-world documents, else
generated; 10% slow at 2 s, 2% never answering, 5% failing, 5% redirects, 3% HTML, 30% gzip),
then measures, in this order: Veilleur's first poll cycle (everything new), a second cycle
(the server answers 304), the "limit" (sum of pure ``feedparser.parse`` times of the same
bodies divided by the cores), and the naive loop ``feedparser.parse(url)`` over every feed.
Reports wall time, CPU time (this process plus the parser processes; the server runs in its
own process and is not counted) and peak RSS (this process plus the parser processes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import resource
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feedparser
import feedparser.mixin
import feedparser.urls

from bench.feedserver import HTML, plan, serve
from bot.watch.fetch import FetchLimits
from bot.watch.poller import PollSettings, poll_feeds
from storage.db import connect, write
from storage.feeds import add_feed
from storage.migrations import apply_migrations

TIMEOUT = 10.0  # connect/read timeout for both Veilleur and the naive loop


@dataclass
class Measure:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    note: str = ""


class Sampler:
    """Sample the RSS of this process and of the parser processes every 20 ms."""

    def __init__(self, pool: ProcessPoolExecutor | None = None) -> None:
        self.pool = pool
        self.peak = 0
        self.worker_cpu: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def workers(self) -> list[int]:
        return list(getattr(self.pool, "_processes", None) or {})

    def cpu(self, pid: int) -> float:
        """Return utime+stime of a live process (its own CPU, from /proc)."""
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def sample(self) -> None:
        total = self.rss(os.getpid())
        for pid in self.workers():
            total += self.rss(pid)
            self.worker_cpu[pid] = max(self.worker_cpu.get(pid, 0.0), self.cpu(pid))
        self.peak = max(self.peak, total)

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.sample()

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def cpu_seconds() -> float:
    """Return CPU time (user+sys) of this process (parser processes are sampled apart)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def corpus_bodies(folder: Path | None, limit: int) -> list[Path]:
    """Pick real-world feed documents (>= 2 KB, parse with entries) from the corpus."""
    if folder is None:
        return []
    picked = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".xml", ".rss", ".atom", ".rdf") or path.stat().st_size < 2048:
            continue
        if path.stat().st_size > 3 * 1024 * 1024:
            continue
        parsed = feedparser.parse(io.BytesIO(path.read_bytes()))
        if parsed.get("version") and len(parsed.entries) >= 2:
            picked.append(path)
        if len(picked) >= limit:
            break
    return picked


def generated_bodies(folder: Path, count: int = 50) -> list[Path]:
    """Write ``count`` generated RSS documents of 20-60 items with HTML summaries."""
    paths = []
    for n in range(count):
        items = "".join(
            f"<item><guid>g{n}-{i}</guid><title>Article {i} du flux {n}</title>"
            f"<link>https://example.org/{n}/{i}</link><pubDate>Tue, 12 Jan 2027 08:{i % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;Un &lt;b&gt;résumé&lt;/b&gt; {'texte ' * 40}&lt;/p&gt;</description></item>"
            for i in range(20 + n % 40)
        )
        path = folder / f"gen{n}.xml"
        path.write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux {n}</title>{items}</channel></rss>'
        )
        paths.append(path)
    return paths


def setup_db(path: str, base: str, count: int, now: datetime) -> None:
    """Subscribe one channel per feed, as if each had been fetched before (no seeding)."""
    with connect(path) as db:
        apply_migrations(db)
        with write(db):
            for n in range(count):
                url = f"{base}/feed/{n}"
                add_feed(db, url, url, f"C{n:05d}", now=now, title=f"Flux {n}")
            db.execute(
                "UPDATE feeds SET next_poll_at = NULL, last_success_at = ?", [now.isoformat()]
            )


def poll_cycle(
    name: str, db_path: str, now: datetime, settings: PollSettings
) -> tuple[Measure, int]:
    """Run one Veilleur poll cycle with a fresh parser pool; return its measure."""
    context = multiprocessing.get_context("forkserver")
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=context)
    with Sampler(pool) as sampler:
        report = poll_feeds(db_path, now, settings, pool)
        sampler.sample()
    pool.shutdown(wait=True)
    wall = time.monotonic() - wall0
    own_cpu = cpu_seconds() - cpu0
    cpu = own_cpu + sum(sampler.worker_cpu.values())
    note = (
        f"{report.polled} polled, {len(report.new_items)} new items stored, "
        f"{report.not_modified} not modified, {report.failed} failed; "
        f"fetch+parse {report.fetch_seconds:.1f} s, store {report.store_seconds:.1f} s, "
        f"CPU {own_cpu:.1f} s in the poller process"
    )
    return Measure(name, wall, cpu, sampler.peak / 2**20, note), len(report.new_items)


def pure_parse_time(paths: list[Path], specs: list, **options: object) -> float:
    """Return the summed time of feedparser.parse over every body served with a 200.

    Pure feedparser: should bot.watch.parse have memoised feedparser's base-URI check in this
    process, the library's own function is put back for the measurement.
    """
    bodies = [paths[s.body].read_bytes() for s in specs if s.kind in ("ok", "slow", "redirect")]
    bodies += [HTML for s in specs if s.kind == "html"]
    own = feedparser.mixin.make_safe_absolute_uri
    feedparser.mixin.make_safe_absolute_uri = feedparser.urls.make_safe_absolute_uri
    try:
        started = time.process_time()
        for body in bodies:
            feedparser.parse(io.BytesIO(body), **options)
        return time.process_time() - started
    finally:
        feedparser.mixin.make_safe_absolute_uri = own


def naive_loop(base: str, count: int, sample: int) -> Measure:
    """Time ``feedparser.parse(url)`` over the feeds one by one (extrapolated if sampled)."""
    socket.setdefaulttimeout(TIMEOUT)
    chosen = range(0, count, max(1, count // sample)) if sample < count else range(count)
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    with Sampler() as sampler:
        for n in chosen:
            # feedparser lets a socket timeout through: that feed is lost, the loop goes on.
            with contextlib.suppress(OSError):
                feedparser.parse(f"{base}/feed/{n}")
    wall, cpu = time.monotonic() - wall0, cpu_seconds() - cpu0
    scale = count / len(chosen)
    note = "" if scale == 1 else f"measured on {len(chosen)} feeds, scaled x{scale:.1f}"
    return Measure(
        "naive feedparser.parse(url) loop", wall * scale, cpu * scale, sampler.peak / 2**20, note
    )


def log(text: str) -> None:
    """Print progress on stderr."""
    print(time.strftime("%H:%M:%S"), text, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--bodies", type=int, default=200, help="distinct documents to use")
    parser.add_argument("--workers", type=int, default=PollSettings().workers)
    parser.add_argument(
        "--cycles-only", action="store_true", help="skip the limit and the naive loop"
    )
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=None,
        help="time the naive loop on this many feeds and scale",
    )
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="veilleur-bench-"))
    # Choosing the documents parses the whole corpus: done in a child process, so that the
    # garbage it leaves (16 MB) is not counted in the poller's peak RSS.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as setup:
        paths = setup.submit(corpus_bodies, args.corpus, args.bodies).result()
    paths = paths or generated_bodies(tmp)
    specs = plan(args.feeds, len(paths))
    ctx = multiprocessing.get_context("fork")
    ready, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(
        target=serve, args=(specs, [str(p) for p in paths], ready, stop), daemon=True
    )
    server.start()
    base = f"http://127.0.0.1:{ready.get(timeout=60)}"
    db_path = str(tmp / "bench.db")
    now = datetime(2027, 1, 12, 9, tzinfo=UTC)
    setup_db(db_path, base, args.feeds, now)
    limits = FetchLimits(
        connect_timeout=TIMEOUT, read_timeout=TIMEOUT, total_timeout=30, allow_private=True
    )
    settings = PollSettings(limits=limits, workers=args.workers)

    log("first cycle")
    first, stored = poll_cycle("Veilleur, first cycle", db_path, now, settings)
    log(f"  {first}")
    second, _ = poll_cycle("Veilleur, 304 cycle", db_path, now + timedelta(minutes=15), settings)
    log(f"  {second}")
    if args.cycles_only:
        stop.set()
        return
    default_sum = pure_parse_time(paths, specs)
    ours_sum = pure_parse_time(paths, specs, sanitize_html=False, resolve_relative_uris=False)
    log(f"limit sums: {default_sum:.1f} s, {ours_sum:.1f} s; naive loop")
    naive = naive_loop(base, args.feeds, args.naive_sample or args.feeds)
    stop.set()
    server.join(5)

    limit = default_sum / cores
    limit_ours = ours_sum / cores
    rows = [naive, first, second]
    print(
        f"\n{args.feeds} feeds, {len(paths)} distinct documents ({'corpus' if args.corpus else 'generated'}), {cores} cores, {args.workers} fetch threads"
    )
    print(f"{'run':40} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}  notes")
    for m in rows:
        print(f"{m.name:40} {m.wall:8.1f} {m.cpu:8.1f} {m.peak_mb:12.0f}  {m.note}")
    print(
        f"{'limit: sum of feedparser.parse / cores':40} {limit:8.1f}  (default options; {limit_ours:.1f} s with sanitize_html=False)"
    )
    print(
        f"{'limit for the 304 cycle':40} {TIMEOUT:8.1f}  (the never-answering feeds' read timeout)"
    )
    print(f"new items stored: {stored}")
    print(
        f"first cycle vs naive: {naive.wall / first.wall:.1f}x faster; vs limit: {first.wall / limit:.2f}x the limit"
    )
    print(
        f"304 cycle: {first.cpu / max(second.cpu, 1e-9):.1f}x less CPU than the first; {second.wall / TIMEOUT:.2f}x its bound"
    )


if __name__ == "__main__":
    main()
