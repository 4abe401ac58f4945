"""Subscribe to and poll hostile feeds in a fresh process; print its peak memory (issue 9).

Run by tests/watch/test_memory.py as ``python -m tests.watch.hostile_poll <db>``: a process of its
own, so the peak counts only the bot's work (this process plus its parser workers), not the test
session. The feeds are served from 127.0.0.1 by a server in a child process of its own.
"""

from __future__ import annotations

import codecs
import gzip
import json
import multiprocessing
import os
import sys
import threading
from datetime import UTC, datetime, timedelta

from bot.features import install_catalogues
from bot.watch.fetch import FetchLimits
from bot.watch.poller import PollSettings, parser_pool
from bot.watch.rounds import poll_feeds
from bot.watch.subscribe import SubscribeError, subscribe
from storage.db import connect
from storage.feeds import list_feeds
from storage.items import count_items
from storage.migrations import apply_migrations
from tests.watch.feedserver import serving
from tests.watch.helpers import rss, rss_item

MIB = 1024 * 1024
NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)
LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY a "' + "ha" * 20 + '">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    + "]>"
)  # fmt: skip


def bomb(encoding: str = "utf-8", before: str = "", refs: int = 3, ref: str = "&j;") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>{before}{LAUGHS}<rss version="2.0"><channel>'
        f"<title>Bombe</title><item><guid>1</guid><title>x {ref * refs}</title></item></channel></rss>"
    )


def hostile_documents() -> dict[str, tuple[bytes, dict[str, str]]]:
    """Return path → (body, headers) for each document issue 9 found dangerous."""
    comment = "<!--" + "x" * MIB + "-->"
    nine_mib = "<!--" + "x" * (8 * MIB + MIB // 3) + "-->"
    utf16 = codecs.BOM_UTF16_LE + bomb("utf-16", before=comment).encode("utf-16-le")
    return {
        "/after-comment": (bomb(before=comment).encode(), {}),
        "/utf-16": (utf16, {}),
        "/utf-32": (codecs.BOM_UTF32_BE + bomb("utf-32").encode("utf-32-be"), {}),
        "/gzip": (gzip.compress(utf16), {"Content-Encoding": "gzip"}),
        "/nine-mib": (bomb(before=nine_mib, refs=200_000, ref="&c;").encode(), {}),
    }


HOSTILE_PATHS = ("/after-comment", "/utf-16", "/utf-32", "/gzip", "/nine-mib")


def rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def sample_peak(stop: threading.Event, peak: list[int]) -> None:
    """Every 10 ms, add up the memory of this process and of the parser workers."""
    while not stop.wait(0.01):
        total = rss_of(os.getpid()) + sum(rss_of(pid) for pid in parser_pool().pids())
        peak[0] = max(peak[0], total)


def serve_feeds(ready, stop) -> None:
    """Serve the healthy feed and the hostile ones from 127.0.0.1 until ``stop`` is set."""
    documents = hostile_documents()
    assert tuple(documents) == HOSTILE_PATHS
    with serving("127.0.0.1") as server:
        server.route("/healthy", body=rss("".join(rss_item(str(n)) for n in range(5))))
        for path, (body, headers) in documents.items():
            server.route(path, body=body, **{k.replace("-", "_"): v for k, v in headers.items()})
        ready.put(server.base)
        stop.wait(120)


def main(db_path: str) -> dict:
    install_catalogues()
    with connect(db_path) as db:
        apply_migrations(db)
    limits = FetchLimits(allowed_addresses=frozenset({"127.0.0.1"}))
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=sample_peak, args=(stop, peak), daemon=True)
    sampler.start()
    refused: dict[str, str] = {}
    context = multiprocessing.get_context("fork")
    ready, server_stop = context.Queue(), context.Event()
    server = context.Process(target=serve_feeds, args=(ready, server_stop), daemon=True)
    server.start()
    try:
        base = ready.get(timeout=60)
        for path in ["/healthy", *HOSTILE_PATHS]:
            try:
                subscribe(db_path, base + path, "C1", now=NOW, limits=limits,
                          parser=parser_pool())  # fmt: skip
            except SubscribeError as error:
                refused[path] = str(error)
        later = NOW + timedelta(hours=1)
        for _ in range(2):  # the same feeds are read again at every poll
            poll_feeds(db_path, later, PollSettings(limits=limits), parser_pool())
            later += timedelta(hours=1)
    finally:
        server_stop.set()
        server.join(10)
    stop.set()
    sampler.join()
    with connect(db_path) as db:
        feeds = {
            f.url.rsplit("/", 1)[1]: (count_items(db, f.id), f.last_error) for f in list_feeds(db)
        }
    parser_pool().shutdown()
    return {"peak_mb": peak[0] / MIB, "refused": refused, "feeds": feeds}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
