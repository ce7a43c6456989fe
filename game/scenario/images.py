"""A scene's image, checked before anything decodes it.

:func:`image_size` reads only the first bytes of a file (its header) and returns the
width and height for PNG, JPEG, GIF, BMP, WebP and SVG (its ``width``/``height``
or ``viewBox``), so a 30000×30000 picture that
would take gigabytes to decode is refused in a millisecond. :func:`check_image` is
what the validator and the window ask: ``None`` if the file may be loaded, else a
reason. Standard library only; no pygame.
"""
from __future__ import annotations

import re
import struct
from typing import Optional

from game.safeio import NotRegularFile, read_head

MAX_SIDE = 8000  # pixels on either side
MAX_BYTES = 32 * 1024 * 1024  # an image file bigger than this is not loaded either
HEAD_BYTES = 256 * 1024  # a JPEG's size marker may follow long EXIF data


def image_size(head: bytes) -> Optional[tuple[int, int]]:
    """(width, height) from the first bytes of an image file, or None if the format is unknown."""
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24 and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head[:2] == b"BM" and len(head) >= 26:
        header_size = struct.unpack("<I", head[14:18])[0]
        if header_size == 12:  # OS/2 BITMAPCOREHEADER
            w, h = struct.unpack("<HH", head[18:22])
            return w, h
        w, h = struct.unpack("<ii", head[18:26])
        return abs(w), abs(h)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        kind = head[12:16]
        if kind == b"VP8X":
            w = 1 + int.from_bytes(head[24:27], "little")
            h = 1 + int.from_bytes(head[27:30], "little")
            return w, h
        if kind == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if kind == b"VP8L" and head[20:21] == b"\x2f":
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        return None
    if head[:2] == b"\xff\xd8":
        return _jpeg_size(head)
    return svg_size(head)


_SVG_TAG = re.compile(rb"<svg\b([^>]*)>", re.S)
_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""")
_NUM = re.compile(rb"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


def svg_size(head: bytes) -> Optional[tuple[int, int]]:
    """(width, height) an SVG asks for: its width/height in pixels, else its viewBox."""
    start = head.lstrip()[:512]
    if not (start.startswith(b"<?xml") or start.startswith(b"<svg") or start.startswith(b"<!--")
            or start.startswith(b"<!DOCTYPE svg")):
        return None
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    attrs = {k.decode(): v for k, v in _ATTR.findall(tag.group(1))}
    w, h = (_NUM.match(attrs.get(k, b"")) for k in ("width", "height"))
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    box = attrs.get("viewBox", b"").replace(b",", b" ").split()
    if len(box) == 4:
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            return None
    return None


def is_svg(path: str) -> bool:
    return path.lower().endswith(".svg")


def _jpeg_size(data: bytes) -> Optional[tuple[int, int]]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


def check_image(path: str) -> Optional[tuple[str, dict]]:
    """None if ``path`` is an image the game may decode; else (problem code, params).

    Codes: ``image-missing``, ``image-not-file`` (a folder, FIFO or device),
    ``image-too-big`` (pixels from the header, or bytes), ``image-unknown`` (no known header)."""
    import os

    try:
        size = os.stat(path).st_size
        head = read_head(path, HEAD_BYTES)
    except NotRegularFile as err:
        return "image-not-file", {"kind": err.kind}
    except FileNotFoundError:
        return "image-missing", {}
    except OSError as err:
        return "image-unreadable", {"detail": err.strerror or str(err)}
    if size > MAX_BYTES:
        return "image-file-too-big", {"size": size // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)}
    dims = image_size(head)
    if dims is None:
        return "image-unknown", {}
    w, h = dims
    if w > MAX_SIDE or h > MAX_SIDE or w <= 0 or h <= 0:
        return "image-too-big", {"width": w, "height": h, "limit": MAX_SIDE}
    return None
