"""Inflate gzip/deflate bodies in bounded steps, so a bomb stops at the cap (F6)."""

from __future__ import annotations

import zlib

from bot.watch.errors import FetchError

GZIP_WBITS = 16 + zlib.MAX_WBITS


class Inflater:
    """Accumulate a body, decompressing as it arrives and never holding more than ``cap``."""

    def __init__(self, encoding: str, cap: int) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._wbits: int | None = GZIP_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS
        elif encoding in ("", "identity"):
            self._wbits = None
        else:
            raise FetchError("encoding")
        self._decoder = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False
        self._cap = cap
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        """Add received bytes, inflating them at most up to the cap."""
        if self._decoder is None:
            self._keep(data)
            return
        if not self._started and self._wbits == zlib.MAX_WBITS and data[:1] and data[0] & 0x0F != 8:
            # "deflate" is often sent raw (without the zlib header): switch decoder.
            self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        while data:
            try:
                out = self._decoder.decompress(data, self._cap - self._size + 1)
            except zlib.error as error:
                raise FetchError("decode") from error
            self._keep(out)
            data = self._decoder.unconsumed_tail
            if self._decoder.eof and self._decoder.unused_data and self._wbits == GZIP_WBITS:
                # A second gzip member follows (concatenated gzip is legal).
                data = self._decoder.unused_data
                self._decoder = zlib.decompressobj(self._wbits)

    def finish(self) -> bytes:
        """Return the whole decoded body."""
        if self._decoder is not None:
            try:
                self._keep(self._decoder.flush())
            except zlib.error as error:
                raise FetchError("decode") from error
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise FetchError("too_large")
        if data:
            self._parts.append(data)
