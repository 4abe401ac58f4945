"""Benchmark one poll cycle of Veilleur against its limit, a peer library and a naive loop.

    python bench/poll.py --corpus ../shared/feeds-corpus/ [--feeds 1000] [--no-naive] [--peer]

Serves N feeds from 127.0.0.1 (bodies from the corpus's real-world documents, else
generated; 10% slow at 2 s, 2% never answering, 5% failing, 5% redirects, 3% HTML, 30% gzip),
then measures, in this order: Veilleur's first poll cycle (everything new), a second cycle
(the server answers 304), the "limit" L (sum of the project's own ``parse_feed`` times over the
bodies served with a 200, as the poller calls it, divided by the cores), with ``--peer`` the
library ``reader`` updating the same feeds cold and again (304), and unless ``--no-naive`` the
naive loop ``feedparser.parse(url)`` over every feed.

Each cycle reports its wall time and the time until every responding feed's items are stored
(cycle start to the last ``on_stored`` of a feed that was parsed and stored, so not the never-
answering feeds, the failing ones nor the HTML pages). CPU time counts this process plus the
parser sandbox's worker processes (sampled from /proc); peak RSS is the
largest sum of the same processes, sampled every 20 ms. The feed server runs in its own
process and is not counted; the peer runs in its own child, measured the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.feedserver import HTML, FeedSpec, plan, serve
from bench.poll_peer import children, cpu, pss, rss
from bot.watch.errors import FetchError
from bot.watch.fetch import FetchLimits
from bot.watch.parse import parse_feed
from bot.watch.poller import PollReport, PollSettings
from bot.watch.rounds import poll_feeds
from bot.watch.sandbox import ParserSandbox
from storage.db import connect, write
from storage.feeds import add_feed
from storage.migrations import apply_migrations

TIMEOUT = 10.0  # connect/read timeout for Veilleur, the peer and the naive loop
PEER_SECONDS = 600  # the peer's child is killed (by pid) after this long: every run is bounded
ANSWERING = ("ok", "slow", "redirect", "html")  # the feeds served with a 200 and a body


@dataclass
class Measure:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    note: str = ""
    items_stored: float | None = None  # seconds until every responding feed's items are stored
    peak_pss_mb: float = 0.0  # shared pages split between the processes (forked workers share)
    peak_self_mb: float = 0.0  # this process alone (the poller), without the parser processes


class Sampler:
    """Sample the RSS and CPU of this process and of ``pids()`` every 20 ms.

    CPU is counted from the sampler's start: a process alive then counts only what it used
    since; a process started later (a parser worker) counts all of its own. The sampler's
    own thread (50 times a second it reads /proc, the children of each of the poller's ~130
    threads included: ~0.8 s of CPU over a 10 s cycle) is measurement, not the bot: its CPU
    is in ``own_cpu``, taken off this process's.
    """

    def __init__(self, pids: Callable[[], list[int]] = list) -> None:
        self.pids = pids
        self.peak = 0
        self.peak_self = 0
        self.peak_pss = 0
        self.count = 0
        self.peak_by_pid: dict[int, int] = {}
        self.worker_cpu: dict[int, float] = {}
        self.baseline: dict[int, float] = {}
        self.own_cpu = 0.0  # CPU seconds of the sampling thread itself
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self) -> None:
        own = rss(os.getpid())
        total = own
        pids = set(self.pids())
        for pid in pids:
            size = rss(pid)
            total += size
            self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), size)
            used = cpu(pid) - self.baseline.get(pid, 0.0)
            self.worker_cpu[pid] = max(self.worker_cpu.get(pid, 0.0), used)
        self.peak = max(self.peak, total)
        self.peak_self = max(self.peak_self, own)
        self.count += 1
        if self.count % 10 == 1:  # smaps_rollup walks the page tables: sampled less often
            shared = sum(pss(pid) for pid in (os.getpid(), *pids))
            self.peak_pss = max(self.peak_pss, shared)

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.sample()
        self.own_cpu = time.thread_time()  # this thread's CPU clock, since it started

    def __enter__(self) -> Sampler:
        self.baseline = {pid: cpu(pid) for pid in self.pids()}
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def cpu_seconds() -> float:
    """Return CPU time (user+sys) of this process (parser processes are sampled apart)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def sandbox_processes(sandbox: ParserSandbox, apart: set[int]) -> Callable[[], list[int]]:
    """Return a function listing the sandbox's workers and this process's other children.

    Workers through the sandbox's public ``pids()``, and any other child of this process
    (read from /proc, so that nothing the cycle starts goes uncounted), less the processes
    counted ``apart`` (the feed server).
    """

    def pids() -> list[int]:
        found = set(sandbox.pids()) | set(children(os.getpid()))
        return sorted(found - apart)

    return pids


def corpus_bodies(folder: Path | None, limit: int) -> list[Path]:
    """Pick real-world feed documents (>= 2 KB, parse with entries) from the corpus."""
    if folder is None:
        return []
    import feedparser  # here, not at the top: the bench process counts as the poller's

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


@dataclass
class StoredClock:
    """Note when the last feed whose items were parsed and stored was stored (``on_stored``)."""

    started: float = field(default_factory=time.monotonic)
    last_parsed: float | None = None
    last_answered: float | None = None  # any feed but a failure: parsed, or 304

    def __call__(self, one: PollReport) -> None:
        if one.failed:
            return  # a failure (timeout, HTTP error, HTML page): PollReport has no reason
        now = time.monotonic() - self.started
        self.last_answered = now
        if not one.not_modified:
            self.last_parsed = now


def poll_cycle(
    name: str, db_path: str, now: datetime, settings: PollSettings, apart: set[int]
) -> tuple[Measure, int]:
    """Run one Veilleur poll cycle with a fresh parser sandbox; return its measure.

    The sandbox is the bot's own (``ParserSandbox()``, what ``parser_pool()`` makes: one
    limited worker per core, started on demand), created inside the timed span. The cycle ends
    when ``poll_feeds`` returns: stopping the workers afterwards is the bot's exit, not a
    round's (the bot keeps them from round to round), so it is counted in CPU, not in wall.
    """
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    clock = StoredClock(started=wall0)
    sandbox = ParserSandbox()
    with Sampler(sandbox_processes(sandbox, apart)) as sampler:
        report = poll_feeds(db_path, now, settings, sandbox, on_stored=clock)
        wall = time.monotonic() - wall0
        sampler.sample()  # the workers' CPU, before shutdown ends them
    sandbox.shutdown(wait=True)
    own_cpu = cpu_seconds() - cpu0 - sampler.own_cpu
    cpu_total = own_cpu + sum(sampler.worker_cpu.values())
    stored_at = clock.last_parsed if clock.last_parsed is not None else clock.last_answered
    others = sorted(sampler.peak_by_pid.items())
    sizes = " + ".join(f"{size / 2**20:.0f}" for _, size in others)
    note = (
        f"{report.polled} polled, {len(report.new_items)} new items stored, "
        f"{report.not_modified} not modified, {report.failed} failed; "
        f"fetch+parse {report.fetch_seconds:.1f} s, store {report.store_seconds:.1f} s, "
        f"CPU {own_cpu:.1f} s in the poller process; other processes' peak RSS MB "
        f"(workers, by pid): {sizes}"
    )
    measure = Measure(name, wall, cpu_total, sampler.peak / 2**20, note, stored_at)
    measure.peak_pss_mb, measure.peak_self_mb = sampler.peak_pss / 2**20, sampler.peak_self / 2**20
    return measure, len(report.new_items)


def answered_bodies(paths: list[Path], specs: list[FeedSpec], base: str) -> list[tuple]:
    """Return (body, final URL, content type) of every feed served with a 200, as fetched."""
    bodies = []
    for n, spec in enumerate(specs):
        if spec.kind not in ANSWERING:
            continue
        url = f"{base}/{'moved' if spec.kind == 'redirect' else 'feed'}/{n}"
        if spec.kind == "html":
            bodies.append((HTML, url, "text/html"))
        else:
            bodies.append((paths[spec.body].read_bytes(), url, "application/xml"))
    return bodies


def limit_sums(paths: list[Path], specs: list[FeedSpec], base: str, pure: bool) -> dict:
    """Return the summed CPU time of ``parse_feed`` (and of pure feedparser) over the bodies.

    Runs in a fresh child process, as a parser worker does: a fresh base-URI cache, and no
    parsing garbage left in the process whose RSS is counted.
    """
    bodies = answered_bodies(paths, specs, base)
    started = time.process_time()
    for body, url, content_type in bodies:
        with contextlib.suppress(FetchError):  # the HTML pages: not a feed, as in the poller
            parse_feed(body, url, content_type)
    sums = {"parse_feed": time.process_time() - started, "bodies": len(bodies)}
    if pure:
        sums["feedparser"] = pure_parse_time(bodies)
        sums["feedparser_plain"] = pure_parse_time(
            bodies, sanitize_html=False, resolve_relative_uris=False
        )
    return sums


def pure_parse_time(bodies: list[tuple], **options: object) -> float:
    """Return the summed time of bare ``feedparser.parse`` over the bodies.

    Pure feedparser: ``parse_feed`` memoises feedparser's base-URI check in this process, so
    the library's own function is put back for the measurement.
    """
    import feedparser
    import feedparser.mixin
    import feedparser.urls

    own = feedparser.mixin.make_safe_absolute_uri
    feedparser.mixin.make_safe_absolute_uri = feedparser.urls.make_safe_absolute_uri
    try:
        started = time.process_time()
        for body, _, _ in bodies:
            feedparser.parse(io.BytesIO(body), **options)
        return time.process_time() - started
    finally:
        feedparser.mixin.make_safe_absolute_uri = own


def run_peer(folder: Path, base: str, count: int) -> tuple[Measure, Measure, dict]:
    """Run ``reader`` on the same feeds in a child process; return its cold and 304 updates."""
    env = dict(os.environ, READER_NO_VENDORED_FEEDPARSER="1", PYTHONPATH="")
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"  # requests honours proxy settings
    script = Path(__file__).resolve().parent / "poll_peer.py"
    command = [sys.executable, str(script), str(folder / "reader.db"), base, str(count)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        out, _ = child.communicate(timeout=PEER_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()  # our own child, by its handle
        child.communicate()
        raise
    if child.returncode != 0:
        raise RuntimeError(f"the peer failed with status {child.returncode}")
    data = json.loads(out.strip().splitlines()[-1])
    measures = []
    for key, name in (("cold", "peer reader 3.26, cold"), ("warm", "peer reader 3.26, 304")):
        phase = data[key]
        outcomes = ", ".join(f"{v} {k}" for k, v in sorted(phase["outcomes"].items()))
        note = f"{phase['new_entries']} new entries; {outcomes}"
        measure = Measure(name, phase["wall"], phase["cpu"], phase["peak"] / 2**20, note)
        measure.peak_pss_mb = phase["peak_pss"] / 2**20
        measure.peak_self_mb = phase["peak"] / 2**20
        measures.append(measure)
    return measures[0], measures[1], data


def naive_loop(base: str, count: int, sample: int) -> Measure:
    """Time ``feedparser.parse(url)`` over the feeds one by one (extrapolated if sampled)."""
    import feedparser

    socket.setdefaulttimeout(TIMEOUT)
    chosen = range(0, count, max(1, count // sample)) if sample < count else range(count)
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    with Sampler() as sampler:
        for n in chosen:
            # feedparser lets a socket timeout through: that feed is lost, the loop goes on.
            with contextlib.suppress(OSError):
                feedparser.parse(f"{base}/feed/{n}")
    wall, cpu_used = time.monotonic() - wall0, cpu_seconds() - cpu0 - sampler.own_cpu
    scale = count / len(chosen)
    note = "" if scale == 1 else f"measured on {len(chosen)} feeds, scaled x{scale:.1f}"
    return Measure(
        "naive feedparser.parse(url) loop",
        wall * scale,
        cpu_used * scale,
        sampler.peak / 2**20,
        note,
    )


def log(text: str) -> None:
    """Print progress on stderr."""
    print(time.strftime("%H:%M:%S"), text, file=sys.stderr, flush=True)


def verdict(name: str, value: float, target: str, met: bool) -> None:
    """Print one of the issue's targets with its measured ratio and whether it is met."""
    print(f"  {name:58} {value:7.2f}  target {target:10} {'met' if met else 'NOT MET'}")


def print_ratios(
    first: Measure,
    second: Measure,
    limit: float,
    naive: Measure | None,
    peer: tuple[Measure, Measure] | None,
) -> None:
    """Print the ratios issue 9 targets, each with met / not met."""
    print("\ntargets (issue 9):")
    stored = first.items_stored or first.wall
    verdict("responding feeds stored / L", stored / limit, "<= 1.3", stored <= 1.3 * limit)
    bound = max(limit, TIMEOUT)
    verdict(
        f"first cycle's end / max(L, {TIMEOUT:.0f} s)",
        first.wall / bound,
        "<= 1.1",
        first.wall <= 1.1 * bound,
    )
    verdict(
        f"304 cycle's end / {TIMEOUT:.0f} s (nothing to parse)",
        second.wall / TIMEOUT,
        "<= 1.1",
        second.wall <= 1.1 * TIMEOUT,
    )
    if naive is not None:
        speedup = naive.wall / first.wall
        verdict("naive loop's wall / first cycle's", speedup, ">= 25", speedup >= 25)
    else:
        print("  naive loop: not run (--no-naive)")
    saving = first.cpu / max(second.cpu, 1e-9)
    verdict("CPU of the first cycle / of the 304 cycle", saving, ">= 10", saving >= 10)
    if peer is not None:
        cold, warm = peer
        speedup = cold.wall / first.wall
        verdict("peer's cold wall / first cycle's", speedup, ">= 2", speedup >= 2)
        ours, theirs = max(first.peak_mb, second.peak_mb), max(cold.peak_mb, warm.peak_mb)
        verdict("peak RSS / the peer's", ours / theirs, "<= 1.2", ours <= 1.2 * theirs)
        verdict("(extra) peer's 304 wall / our 304 cycle's", warm.wall / second.wall, "", True)
    else:
        print("  peer: not run (add --peer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--bodies", type=int, default=200, help="distinct documents to use")
    parser.add_argument("--workers", type=int, default=PollSettings().workers)
    parser.add_argument(
        "--cycles-only", action="store_true", help="skip the limit, the peer and the naive loop"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loop")
    parser.add_argument("--peer", action="store_true", help="race reader 3.26 on the same feeds")
    parser.add_argument(
        "--pure-limits",
        action="store_true",
        help="also sum bare feedparser.parse times (default and plain options; ~30 s more)",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="after each cycle, print when the fetches started, the storing thread's CPU, "
        "the bodies spooled and the feed server's CPU",
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
    log(f"load average {Path('/proc/loadavg').read_text().strip()}")
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
    apart = {server.pid}
    try:
        base = f"http://127.0.0.1:{ready.get(timeout=60)}"
        run(args, cores, tmp, paths, specs, base, apart)
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.kill()  # our own child, by its handle
            server.join(5)
        shutil.rmtree(tmp, ignore_errors=True)  # the databases (Veilleur's, the peer's)


def diagnosis(wanted: bool, apart: set[int]) -> contextlib.AbstractContextManager:
    """Return what notes the cycle's fetch starts, storing CPU and spool (``--diagnose``)."""
    if not wanted:
        return contextlib.nullcontext()
    from bench.poll_diagnose import Diagnosis

    return Diagnosis(server_pid=min(apart))


def run(
    args: argparse.Namespace,
    cores: int,
    tmp: Path,
    paths: list[Path],
    specs: list[FeedSpec],
    base: str,
    apart: set[int],
) -> None:
    """Measure the cycles, the limit, the peer and the naive loop; print the table and ratios."""
    db_path = str(tmp / "bench.db")
    now = datetime(2027, 1, 12, 9, tzinfo=UTC)
    setup_db(db_path, base, args.feeds, now)
    limits = FetchLimits(
        connect_timeout=TIMEOUT, read_timeout=TIMEOUT, total_timeout=30, allow_private=True
    )
    settings = PollSettings(limits=limits, workers=args.workers)

    log("first cycle")
    with diagnosis(args.diagnose, apart) as diagnosed:
        first, stored = poll_cycle("Veilleur, first cycle", db_path, now, settings, apart)
    log(f"  {first}")
    if diagnosed:
        print(f"diagnosis, first cycle: {diagnosed.summary()}")
    later = now + timedelta(minutes=15)
    with diagnosis(args.diagnose, apart) as diagnosed:
        second, _ = poll_cycle("Veilleur, 304 cycle", db_path, later, settings, apart)
    log(f"  {second}")
    if diagnosed:
        print(f"diagnosis, 304 cycle: {diagnosed.summary()}")
    if args.cycles_only:
        return
    log("limit")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        sums = child.submit(limit_sums, paths, specs, base, args.pure_limits).result()
    limit = sums["parse_feed"] / cores
    log(f"  {sums}")
    peer = None
    if args.peer:
        log("peer: reader 3.26")
        cold, warm, data = run_peer(tmp, base, args.feeds)
        peer = (cold, warm)
        log(
            f"  {cold}\n  {warm}\n  setup {data['setup']:.1f} s, ru_maxrss {data['maxrss'] / 2**20:.0f} MB"
        )
    naive = None
    if not args.no_naive:
        log("naive loop")
        naive = naive_loop(base, args.feeds, args.naive_sample or args.feeds)

    rows = [m for m in (naive, first, second) if m is not None]
    rows += list(peer or ())
    print(
        f"\n{args.feeds} feeds, {len(paths)} distinct documents ({'corpus' if args.corpus else 'generated'}), "
        f"{cores} cores, {args.workers} fetch threads; load average {Path('/proc/loadavg').read_text().split()[:3]}"
    )
    print(
        f"{'run':34} {'wall s':>7} {'stored s':>8} {'CPU s':>7} {'peak RSS MB':>11} "
        f"{'(PSS)':>6} {'(main)':>6}  notes"
    )
    for m in rows:
        items = f"{m.items_stored:8.1f}" if m.items_stored is not None else " " * 8
        print(
            f"{m.name:34} {m.wall:7.1f} {items} {m.cpu:7.1f} {m.peak_mb:11.0f} "
            f"{m.peak_pss_mb:6.0f} {m.peak_self_mb:6.0f}  {m.note}"
        )
    print(
        f"{'limit L: sum of parse_feed / cores':34} {limit:7.1f}  "
        f"({sums['parse_feed']:.1f} s over {sums['bodies']} bodies served with a 200)"
    )
    if "feedparser" in sums:
        print(
            f"{'  pure feedparser.parse / cores':34} {sums['feedparser'] / cores:7.1f}  "
            f"(default options; {sums['feedparser_plain'] / cores:.1f} s with sanitize_html=False)"
        )
    print(
        f"{'limit for the 304 cycle':34} {TIMEOUT:7.1f}  (the never-answering feeds' read timeout)"
    )
    print(f"new items stored: {stored}")
    print_ratios(first, second, limit, naive, peer)
    print(json.dumps({"rows": [m.__dict__ for m in rows], "limit": limit, "sums": sums}))


if __name__ == "__main__":
    main()
