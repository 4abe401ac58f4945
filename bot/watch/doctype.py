"""Decode a feed document in the encoding it declares, then remove every DTD from it (F7, issue 9).

expat expands the entities a DOCTYPE declares, and feedparser decodes UTF-16, UTF-32 or EBCDIC
documents to UTF-8 before expat sees them: a byte-level cut in the first 64 KiB missed a DOCTYPE
placed after a large comment or written in UTF-16. So the document is decoded first (BOM, the
zero-byte pattern of UTF-16/32 without BOM, the HTTP charset, the XML declaration), every
``<!DOCTYPE …>`` and ``<!ENTITY …>`` is removed wherever it stands, and feedparser gets UTF-8
with a matching declaration and charset, which it then decodes as they are: the text cleaned here
is exactly the text expat reads. Each scan moves forward only (``str.find`` and searches for a few
fixed strings), so hostile input costs linear time.
"""

from __future__ import annotations

import codecs
import re

DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"  # no newline: line numbers stay the file's
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts like FF FE
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_EBCDIC = b"\x4c\x6f\xa7\x94"  # '<?xm' in EBCDIC, as feedparser recognises it
_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# Text codecs that are slow on hostile input (punycode is quadratic) or not charsets at all.
_REFUSED = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})
_XML_MEDIA = ("application/xml", "application/xml-dtd", "application/xml-external-parsed-entity")
_DECLARED = re.compile(rb"\A<\?xml\s[^>]{0,300}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_XML_DECLARATION = re.compile(r"\A<\?xml[^>]*>")  # what feedparser replaces, up to the first '>'
_MARKUP_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARATION_STOP = re.compile(r"[\"'\[>]")
_SUBSET_STOP = re.compile(r"[\"'\]]|<!--|<\?")


def neutralise(body: bytes, content_type: str = "") -> bytes:
    """Return the document as UTF-8, with a UTF-8 declaration and no DOCTYPE or ENTITY left."""
    text = _XML_DECLARATION.sub("", decode(bytes(body), content_type), count=1)
    return (DECLARATION + remove_declarations(text)).encode("utf-8", errors="replace")


def utf8_content_type(content_type: str) -> str:
    """Return the media type with ``charset=utf-8``, to match what :func:`neutralise` returns."""
    mime = content_type.split(";", 1)[0].strip()
    return f"{mime}; charset=utf-8" if mime else ""


def decode(body: bytes, content_type: str = "") -> str:
    """Decode the document: BOM, else UTF-16/32 by its zero bytes, else the declared charsets."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    wide = sniff_wide(body)
    if wide:
        return body.decode(wide, errors="replace")
    for codec in candidate_codecs(body, content_type):
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):  # LookupError: 'rot13' is no text encoding
            continue
    return body.decode("utf-8", errors="replace")


def sniff_wide(body: bytes) -> str:
    """Name the codec of a document without BOM whose first bytes hold zeros ('<' in UTF-16/32).

    XML text never contains U+0000, so a zero byte among the first four means a wide encoding.
    """
    head = body[:4]
    if head == _EBCDIC:
        return "cp037"
    if len(head) < 4 or 0 not in head:
        return ""
    zeros = tuple(byte == 0 for byte in head)
    if zeros == (True, True, True, False):
        return "utf-32-be"
    if zeros == (False, True, True, True):
        return "utf-32-le"
    return "utf-16-be" if zeros[0] else "utf-16-le"


def candidate_codecs(body: bytes, content_type: str) -> list[str]:
    """List the codecs to try in feedparser's order (RFC 3023): HTTP charset, declaration, fallbacks."""
    mime, charset = media_type(content_type)
    declared = _DECLARED.match(body[:1024])
    names = [declared.group(1).decode("ascii")] if declared else []
    honours_http = mime in _XML_MEDIA or mime.startswith("text/") or mime.endswith("+xml")
    if charset and honours_http:
        names.insert(0, charset)
    found: list[str] = []
    for name in [*names, "utf-8", "windows-1252"]:
        codec = usable_codec(name)
        if codec and codec not in found:
            found.append(codec)
    return found


def usable_codec(name: str) -> str:
    """Return Python's name for a declared charset, or '' if unknown, wide or refused.

    A wide codec cannot be right here: the bytes read so far were ASCII-compatible.
    """
    name = name.strip().lower()
    if name == "gb2312":
        name = "gb18030"  # a superset, as feedparser does
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    return "" if codec in _WIDE or codec in _REFUSED else codec


def media_type(content_type: str) -> tuple[str, str]:
    """Split a Content-Type header into its lower-case media type and charset."""
    mime, _, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")[:40]
    return mime.strip().lower(), charset


def remove_declarations(text: str) -> str:
    """Replace every ``<!DOCTYPE …>`` and ``<!ENTITY …>`` with a space, wherever it stands.

    The newlines of what is removed are kept, so a parse error still names the file's own line.

    Also inside comments and CDATA: feedparser's own DOCTYPE handling reads the head with
    regular expressions that know nothing of comments. The space keeps two halves from joining
    into a new declaration (``<!DOC<!ENTITY x>TYPE``).
    """
    pieces: list[str] = []
    position = 0
    while match := _MARKUP_DECLARATION.search(text, position):
        pieces.append(text[position : match.start()])
        end = declaration_end(text, match.end())
        pieces.append(" " + "\n" * text.count("\n", match.start(), end))
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def declaration_end(text: str, position: int) -> int:
    """Return the index after the ``>`` closing a declaration, skipping literals and a ``[…]`` subset.

    An unterminated declaration runs to the end of the document (all of it is removed).
    """
    while match := _DECLARATION_STOP.search(text, position):
        char = match.group()
        if char == ">":
            return match.end()
        if char == "[":
            position = subset_end(text, match.end())
            continue
        position = after(text, char, match.end())
    return len(text)


def subset_end(text: str, position: int) -> int:
    """Return the index after the ``]`` closing an internal subset (literals, comments, PIs skipped)."""
    while match := _SUBSET_STOP.search(text, position):
        token = match.group()
        if token == "]":
            return match.end()
        closing = {"<!--": "-->", "<?": "?>"}.get(token, token)
        position = after(text, closing, match.end())
    return len(text)


def after(text: str, closing: str, position: int) -> int:
    """Return the index just past the next ``closing``, or the end of the text."""
    found = text.find(closing, position)
    return len(text) if found < 0 else found + len(closing)
