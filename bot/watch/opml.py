"""Read and write OPML subscription lists (the format FreshRSS and Miniflux exchange).

Reading streams the document through expat with an explicit stack of open outlines, so a deep
file cannot exhaust Python's recursion limit; nesting is capped at :data:`MAX_DEPTH`. A DOCTYPE
at the head is cut out (as for feeds); one that survives makes the file refused, so no entity is
ever declared, expanded or fetched (F7). Real exports are not always well-formed: a file with
bare ``&`` is read again with them escaped, and the caller is told (``unescaped_ampersands``).

A feed's folder path becomes its origin, segments joined with :data:`PATH_SEPARATOR`
("RESACOOP \u203a Actualités", a right angle quote); export writes that path back as nested folders.
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from dataclasses import dataclass, field

from bot.watch.parse import strip_doctype
from storage.feeds import Feed

MAX_DEPTH = 100  # outline levels; real lists have 1 to 3
MAX_FOLDERS = MAX_DEPTH - 1  # the feed itself is the last level
PATH_SEPARATOR = " \u203a "  # the angle quote of French breadcrumbs, rare in folder names
# Outlines that point to another OPML list (or a web page), not to a feed.
NOT_FEED_TYPES = frozenset({"link", "include", "source"})
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_AMPERSAND = re.compile(rb"&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)?")


@dataclass(frozen=True)
class Outline:
    """One feed listed in an OPML file, with the folder path it sits in."""

    url: str
    title: str
    folders: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        """Return the folder path as one origin, "" at the top of the list."""
        return PATH_SEPARATOR.join(self.folders)


@dataclass(frozen=True)
class Skipped:
    """An outline that is not a feed (an included OPML list, a link): not imported."""

    url: str
    title: str
    kind: str


@dataclass
class OpmlList:
    """What an OPML file lists, and how it had to be read."""

    outlines: list[Outline] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unescaped_ampersands: bool = False


class OpmlError(ValueError):
    """The file is not readable OPML; ``code`` says why (syntax, not_opml, too_deep, doctype)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def read_opml(data: bytes) -> list[Outline]:
    """Return the feeds an OPML document lists, with the folder path each sits in."""
    return load_opml(data).outlines


def load_opml(data: bytes) -> OpmlList:
    """Read an OPML document; retry with bare ``&`` escaped when that is what breaks it."""
    data = strip_doctype(data)
    try:
        return _parse(data)
    except OpmlError as error:
        if error.code != "syntax" or not _may_escape(data):
            raise
        escaped = escape_ampersands(data)
        if escaped == data:
            raise
        try:
            found = _parse(escaped)
        except OpmlError:
            raise error from None  # the first complaint is the one about the real file
    found.unescaped_ampersands = True
    return found


def escape_ampersands(data: bytes) -> bytes:
    """Escape every ``&`` that does not start an XML reference; HTML names become characters."""

    def fix(match: re.Match[bytes]) -> bytes:
        reference = match.group(1)
        if reference is None:
            return b"&amp;"
        name = reference[:-1]
        if reference.startswith(b"#") or name in _XML_ENTITIES:
            return match.group(0)
        # "&eacute;" from an HTML-minded exporter: XML has no such name, HTML5 does.
        text = html.entities.html5.get(name.decode("ascii") + ";")
        if text is None:
            return b"&amp;" + reference
        return "".join(f"&#{ord(char)};" for char in text).encode("ascii")

    return _AMPERSAND.sub(fix, data)


def _may_escape(data: bytes) -> bool:
    # Byte-level escaping is only sound for ASCII-compatible encodings (not UTF-16).
    return b"&" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\0" not in data


def _parse(data: bytes) -> OpmlList:
    reader = _Reader()
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise OpmlError("syntax", str(error)) from error
    if not reader.saw_body:
        raise OpmlError("not_opml", "not an OPML document")
    return reader.found


def _refuse_doctype(*_: object) -> None:
    raise OpmlError("doctype", "the file declares a DTD")


def _refuse_entity(*_: object) -> None:
    raise OpmlError("doctype", "the file declares an entity")


class _Reader:
    """Expat handlers: one stack frame per open element, the folder path it gives its children.

    A frame is ``None`` where outlines are not read (the head, a feed's or an include's
    children, unknown elements); else the folder path for outlines inside it.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, ...] | None] = []
        self.found = OpmlList()
        self.saw_body = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        """Open an element: note a feed, a folder, or something to ignore."""
        tag = tag.lower()
        if not self.stack:
            if tag != "opml":
                raise OpmlError("not_opml", "not an OPML document")
            self.stack.append(None)
            return
        if len(self.stack) > MAX_DEPTH + 1:  # opml and body, then one frame per outline level
            raise OpmlError("too_deep", f"more than {MAX_DEPTH} levels of outlines")
        path = self.stack[-1]
        if tag == "body" and len(self.stack) == 1:
            self.saw_body = True
            self.stack.append(())
        elif tag == "outline" and path is not None:
            self.stack.append(self._outline(path, {k.lower(): v for k, v in attributes.items()}))
        else:
            self.stack.append(None)

    def end(self, _tag: str) -> None:
        """Close the innermost element."""
        self.stack.pop()

    def _outline(self, path: tuple[str, ...], attributes: dict[str, str]) -> tuple[str, ...] | None:
        kind = attributes.get("type", "").strip().lower()
        url = attributes.get("xmlurl", "").strip()
        title = (attributes.get("title") or attributes.get("text") or "").strip()
        if kind in NOT_FEED_TYPES:
            link = url or attributes.get("url", "").strip() or attributes.get("htmlurl", "").strip()
            self.found.skipped.append(Skipped(link, title, kind))
            return None
        if url:
            folders = path or category_path(attributes.get("category", ""))
            self.found.outlines.append(Outline(url, title, folders))
            return None
        return (*path, title) if title else path


def category_path(category: str) -> tuple[str, ...]:
    """Return the folder path an OPML 2.0 ``category`` gives ("/a/b" → ("a", "b")).

    The attribute is a comma-separated list; values with a slash are paths, the others tags
    (topics, not where a feed comes from), which are ignored. The first path wins.
    """
    for value in category.split(","):
        if "/" in value:
            segments = tuple(part.strip() for part in value.split("/") if part.strip())
            if segments:
                return segments[:MAX_FOLDERS]
    return ()


def origin_path(origin: str) -> tuple[str, ...]:
    """Return the folder path an origin stands for (two folders for "RESACOOP \u203a Actualités")."""
    parts = [part.strip() for part in origin.split(PATH_SEPARATOR.strip())]
    parts = [part for part in parts if part]
    if len(parts) > MAX_FOLDERS:  # keep what is left in the last folder rather than drop it
        parts = [*parts[: MAX_FOLDERS - 1], PATH_SEPARATOR.join(parts[MAX_FOLDERS - 1 :])]
    return tuple(parts)


def write_opml(feeds: list[Feed], title: str = "Veilleur") -> bytes:
    """Return an OPML 2.0 document listing the feeds, nested folders per origin path."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for feed in feeds:
        path = origin_path(feed.origin)
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                name = path[depth - 1]
                parent = folders[path[: depth - 1]]
                folders[path[:depth]] = ET.SubElement(parent, "outline", text=name, title=name)
        ET.SubElement(
            folders[path], "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
