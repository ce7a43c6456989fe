"""Drawing primitives the charts share: fonts, colours, text boxes, dashed lines, markers, arrows,
label spreading. Pure pygame; no game rules."""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import pygame

from game.i18n import gettext
from game.palette import SERIES
from game.play.scoring import NEUTRAL
from game.ui import theme as th
from game.ui.widgets import font, wrap


MIN_TEXT = 18  # px: the smallest text any chart draws


# Dash patterns (on, off in px; None = solid) and marker shapes, combined per series.
_DASHES: list[Optional[tuple[int, int]]] = [None, (12, 6), (3, 5), (18, 5, 3, 5), (8, 8), (2, 3)]


_MARKERS = ["circle", "square", "triangle", "diamond", "cross", "plus", "down"]


# --------------------------------------------------------------------------- helpers
def _label(key: str, lang: str) -> str:
    return gettext(f"charts.{key}", lang)


def _font(size: int, bold: bool = False) -> pygame.font.Font:
    """The bundled Noto Sans at ``size`` px (never below MIN_TEXT), from the window's one font cache."""
    return font(str(th.FONT_BOLD if bold else th.FONT_REGULAR), max(MIN_TEXT, int(size)))


def palette(theme: str = "normal") -> dict[str, tuple[int, int, int]]:
    """The theme's colours as RGB tuples (unknown theme names fall back to normal)."""
    return {k: th.rgb(v) for k, v in th.THEMES.get(theme, th.THEMES["normal"]).items()}


def series_colour(theme: str, i: int) -> tuple[int, int, int]:
    colours = SERIES.get(theme, SERIES["normal"])
    return th.rgb(colours[i % len(colours)])


def strategy_colour(tag: str, theme: str = "normal") -> tuple[int, int, int]:
    """Strategy or agency colour; ``neutraal`` is the theme's muted grey."""
    hexes = {**th.STRATEGY_COLOURS, **th.AGENCY_COLOURS}
    if tag == NEUTRAL and theme == "high_contrast":
        return (170, 170, 170)
    return th.rgb(hexes.get(tag, hexes[NEUTRAL]))


def _meter_label(scenario: Any, meter: str, lang: str) -> str:
    m = getattr(scenario, "meters", {}).get(meter)
    return m.label.get(lang) if m is not None and m.label.get(lang) else _label(meter, lang)


def _blit_text(surface: pygame.Surface, text: str, font: pygame.font.Font, colour, pos,
               anchor: str = "topleft") -> pygame.Rect:
    img = font.render(text, True, colour)
    r = img.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    surface.blit(img, r)
    return r


def _arrow_label(text: str, font: pygame.font.Font, colour, direction: str = "right") -> pygame.Surface:
    """Text with a drawn arrow beside it (the bundled font has no arrow glyphs)."""
    img = font.render(text, True, colour)
    aw = max(22, font.get_height())
    out = pygame.Surface((img.get_width() + aw + 6, img.get_height()), pygame.SRCALPHA)
    mid = img.get_height() // 2 + 1
    if direction == "left":
        out.blit(img, (aw + 6, 0))
        _arrow(out, colour, (aw, mid), (1, mid), 2, 8)
    else:
        out.blit(img, (0, 0))
        _arrow(out, colour, (img.get_width() + 6, mid), (img.get_width() + 6 + aw - 1, mid), 2, 8)
    return out


def _blit_surface(surface: pygame.Surface, img: pygame.Surface, pos, anchor: str = "topleft") -> pygame.Rect:
    r = img.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    surface.blit(img, r)
    return r


def _ellipsize(text: str, font: pygame.font.Font, width: int) -> str:
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_lines(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Split text into lines no wider than ``width`` (very long words are cut)."""
    return wrap(font, str(text), width)


def text_box(surface: pygame.Surface, rect: pygame.Rect, text: str, font: pygame.font.Font, colour,
             line_gap: int = 4, bullet: str = "") -> int:
    """Draw wrapped text inside ``rect``; never past its bottom (the last line gets "…").
    Returns the height used."""
    rect = pygame.Rect(rect)
    indent = font.size(bullet + " ")[0] if bullet else 0
    lines = wrap_lines(text, font, max(10, rect.width - indent))
    step = font.get_linesize() + line_gap
    fit = max(0, (rect.height + line_gap) // step)
    if len(lines) > fit:
        lines = lines[:fit]
        if lines:
            lines[-1] = _ellipsize(lines[-1] + " …", font, rect.width - indent)
    y = rect.top
    for i, line in enumerate(lines):
        if bullet and i == 0:
            _blit_text(surface, bullet, font, colour, (rect.left, y))
        _blit_text(surface, line, font, colour, (rect.left + indent, y))
        y += step
    return max(0, y - rect.top - line_gap)


def _longest_word(text: str, font: pygame.font.Font) -> int:
    return max((font.size(w)[0] for w in str(text).split()), default=0)


def _text_height(text: str, font: pygame.font.Font, width: int, line_gap: int = 4, bullet: str = "") -> int:
    indent = font.size(bullet + " ")[0] if bullet else 0
    n = len(wrap_lines(text, font, max(10, width - indent)))
    return n * (font.get_linesize() + line_gap) - line_gap


def _dashed_polyline(surface, colour, points: Sequence[tuple[float, float]], width: int,
                     pattern: Optional[Sequence[int]]) -> None:
    if len(points) < 2:
        return
    if not pattern:
        pygame.draw.lines(surface, colour, False, points, width)
        return
    idx, left, on = 0, pattern[0], True
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        seg = math.hypot(x2 - x1, y2 - y1)
        pos = 0.0
        while pos < seg:
            take = min(left, seg - pos)
            if on and seg > 0:
                a = (x1 + (x2 - x1) * pos / seg, y1 + (y2 - y1) * pos / seg)
                b = (x1 + (x2 - x1) * (pos + take) / seg, y1 + (y2 - y1) * (pos + take) / seg)
                pygame.draw.line(surface, colour, a, b, width)
            pos += take
            left -= take
            if left <= 0:
                idx = (idx + 1) % len(pattern)
                left, on = pattern[idx], not on


def _marker(surface, shape: str, centre, r: int, colour, fill=None, width: int = 2) -> None:
    x, y = centre
    fill_colour = colour if fill is None else fill
    if shape == "circle":
        pygame.draw.circle(surface, fill_colour, (x, y), r)
        pygame.draw.circle(surface, colour, (x, y), r, width)
    elif shape == "square":
        rr = pygame.Rect(0, 0, 2 * r - 1, 2 * r - 1)
        rr.center = (round(x), round(y))
        pygame.draw.rect(surface, fill_colour, rr)
        pygame.draw.rect(surface, colour, rr, width)
    elif shape in ("triangle", "down", "diamond"):
        if shape == "triangle":
            pts = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
        elif shape == "down":
            pts = [(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)]
        else:
            pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
        pygame.draw.polygon(surface, fill_colour, pts)
        pygame.draw.polygon(surface, colour, pts, width)
    elif shape == "cross":
        pygame.draw.line(surface, colour, (x - r, y - r), (x + r, y + r), width + 1)
        pygame.draw.line(surface, colour, (x - r, y + r), (x + r, y - r), width + 1)
    else:  # plus
        pygame.draw.line(surface, colour, (x - r, y), (x + r, y), width + 1)
        pygame.draw.line(surface, colour, (x, y - r), (x, y + r), width + 1)


def _arrow(surface, colour, start, end, width: int = 2, head: int = 10, gap: float = 0.0) -> None:
    (x1, y1), (x2, y2) = start, end
    d = math.hypot(x2 - x1, y2 - y1)
    if d <= 2 * gap + 4:
        return
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    a = (x1 + ux * gap, y1 + uy * gap)
    b = (x2 - ux * gap, y2 - uy * gap)
    pygame.draw.line(surface, colour, a, b, width)
    left = (b[0] - ux * head - uy * head * 0.55, b[1] - uy * head + ux * head * 0.55)
    right = (b[0] - ux * head + uy * head * 0.55, b[1] - uy * head - ux * head * 0.55)
    pygame.draw.polygon(surface, colour, [b, left, right])


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label centres apart (keeping order) so neighbours are at least ``gap`` apart, inside [low, high]."""
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    ys = [wanted[i] for i in order]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    overflow = ys[-1] - high
    if overflow > 0:
        ys[-1] -= overflow
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap)
    if ys[0] < low:  # too many to fit: squeeze evenly
        span = (high - low) / max(1, len(ys) - 1)
        ys = [low + i * span for i in range(len(ys))]
    out = [0.0] * len(wanted)
    for i, y in zip(order, ys):
        out[i] = y
    return out


def _history_meters(session: Any) -> list[dict[str, int]]:
    """Meters at the start and after every step."""
    points = [dict(getattr(session, "start_meters", None) or session.meters)]
    for step in getattr(session, "history", []):
        points.append(dict(step.meters) if step.meters else dict(points[-1]))
    return points


# --------------------------------------------------------------------------- axes plot
def _two_lines(text: str, font: pygame.font.Font) -> list[str]:
    """``text`` on two lines of about equal width (split between words)."""
    words = str(text).split()
    if len(words) < 2:
        return [str(text)]
    best = min(range(1, len(words)), key=lambda i: max(font.size(" ".join(words[:i]))[0],
                                                        font.size(" ".join(words[i:]))[0]))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _seg_hits(rect: pygame.Rect, points: Sequence[tuple[float, float]]) -> bool:
    """Does any segment of the polyline ``points`` cross ``rect``?"""
    for a, b in zip(points, points[1:]):
        if rect.clipline(a, b):
            return True
    return len(points) == 1 and rect.collidepoint(points[0])


def pack_lines(entries, width: int, gap: int) -> list[list[tuple[str, str, int]]]:
    """Entries (key, text, their width) in lines no wider than ``width``, ``gap`` between them."""
    lines: list[list[tuple[str, str, int]]] = [[]]
    x = 0
    for key, text, w in entries:
        if lines[-1] and x + w > width:
            lines.append([])
            x = 0
        lines[-1].append((key, text, w))
        x += w + gap
    return lines


def _legend_lines(items, f: pygame.font.Font, width: int) -> list[list[tuple[str, str, int]]]:
    """Legend entries (kind, text, width) in lines no wider than ``width``."""
    sym = f.get_height()
    return pack_lines(((kind, text, 2 * sym if kind == "path" else sym + 6 + f.size(text)[0]) for kind, text in items),
                      width, 14)
