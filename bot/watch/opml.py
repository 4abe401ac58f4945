"""Read and write OPML subscription lists (the format FreshRSS and Miniflux exchange)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from bot.watch.parse import strip_doctype
from storage.feeds import Feed


@dataclass(frozen=True)
class Outline:
    """One feed listed in an OPML file."""

    url: str
    title: str
    category: str


class OpmlError(ValueError):
    """The file is not readable OPML."""


def read_opml(data: bytes) -> list[Outline]:
    """Return the feeds an OPML document lists, with the folder each sits in."""
    try:
        root = ET.fromstring(strip_doctype(data))
    except ET.ParseError as error:
        raise OpmlError(str(error)) from error
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("not an OPML document")
    found: list[Outline] = []
    _walk(body, "", found)
    return found


def _walk(node: ET.Element, category: str, found: list[Outline]) -> None:
    for child in node.findall("outline"):
        url = (child.get("xmlUrl") or child.get("xmlurl") or "").strip()
        title = (child.get("title") or child.get("text") or "").strip()
        if url:
            found.append(Outline(url, title, category))
        else:
            _walk(child, title or category, found)


def write_opml(feeds: list[Feed], title: str = "Veilleur") -> bytes:
    """Return an OPML 2.0 document listing the feeds, one folder per origin."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.origin:
            if feed.origin not in folders:
                folders[feed.origin] = ET.SubElement(
                    body, "outline", text=feed.origin, title=feed.origin
                )
            parent = folders[feed.origin]
        ET.SubElement(
            parent, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
