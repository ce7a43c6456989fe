"""The debrief drawings: pure pygame functions that draw into a rect of a surface.

Every function here draws; none owns a window, an event loop or game rules.
Screens call them for the end screen and the power-map overlay, and
:func:`save_debrief_png` writes the one-page class debrief as a PNG.

* :func:`axes_plot` — tegenmacht (x) × eigenaarschap (y) with the four
  archetype quadrants, the player's path and final point.
* :func:`meters_chart` — every meter over the turns, one line per meter,
  each with its own dash pattern, marker and end label (never colour alone).
* :func:`profile_bars` — strategy and agency shares as two stacked bars.
* :func:`power_map` — actors by stance and power, before (hollow) and after
  (filled), with an arrow between.
* :func:`render_debrief` / :func:`save_debrief_png` — all of it on one page,
  with the archetype, the theory behind the choices and the discussion
  questions.

Fonts come only from :mod:`game.ui.theme` (bundled Noto Sans); colours from
its palettes. Text in charts is at least 18 px.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import pygame

from game.i18n import gettext
from game.palette import SERIES
from game.play.debrief import Debrief
from game.scenario.model import AGENCIES, STRATEGIES
from game.play.scoring import NEUTRAL, Score, axis, score as score_session
from game.ui import theme as th
from game.ui.widgets import wrap

MIN_TEXT = 18  # px: the smallest text any chart draws


# Dash patterns (on, off in px; None = solid) and marker shapes, combined per series.
_DASHES: list[Optional[tuple[int, int]]] = [None, (12, 6), (3, 5), (18, 5, 3, 5), (8, 8), (2, 3)]
_MARKERS = ["circle", "square", "triangle", "diamond", "cross", "plus", "down"]

_fonts: dict[tuple[bool, int], pygame.font.Font] = {}


# --------------------------------------------------------------------------- helpers
def _label(key: str, lang: str) -> str:
    return gettext(f"charts.{key}", lang)


def _font(size: int, bold: bool = False) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    size = max(MIN_TEXT, int(size))
    key = (bold, size)
    f = _fonts.get(key)
    if f is not None:
        try:
            f.get_height()
        except pygame.error:  # made before a pygame.quit(): no longer valid
            f = None
    if f is None:
        f = _fonts[key] = pygame.font.Font(str(th.FONT_BOLD if bold else th.FONT_REGULAR), size)
    return f


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


def _legend_items(lang: str, you: str, ghost: Optional[str]) -> list[tuple[str, str]]:
    items = [("start", _label("start", lang)), ("path", ""), ("you", f"{_label('you', lang)} {you}")]
    if ghost is not None:
        items.append(("ghost", f"{_label('last_time', lang)} {ghost}"))
    return items


def _legend_lines(items, f: pygame.font.Font, width: int) -> list[list[tuple[str, str, int]]]:
    """Legend entries (kind, text, width) in lines no wider than ``width``."""
    sym = f.get_height()
    lines: list[list[tuple[str, str, int]]] = [[]]
    x = 0
    for kind, text in items:
        w = (2 * sym if kind == "path" else sym + 6 + f.size(text)[0])
        if lines[-1] and x + w > width:
            lines.append([])
            x = 0
        lines[-1].append((kind, text, w))
        x += w + 14
    return lines


def _threshold_note(thr: int, lang: str) -> str:
    return _label("threshold_note", lang).format(t=thr)


def _axes_reserves(width: int, lang: str, threshold: int, key_lines: int) -> tuple[int, int, int, int]:
    """The room (left, top, right, bottom) around the plotting area: the legend above, the axis
    name, the threshold note and the key below."""
    f = _font(MIN_TEXT)
    lh = f.get_linesize()
    legend = _legend_lines(_legend_items(lang, "100 / 100", "100 / 100"), f, width)
    note = wrap_lines(_threshold_note(threshold, lang), f, width)
    top = len(legend) * lh + 10
    left = f.get_linesize() + f.size("100")[0] + 18
    bottom = (lh + 6) + lh + 8 + (len(note) + key_lines) * lh + 4
    right = f.size("100")[0] // 2 + 8
    return left, top, right, bottom


def axes_plot_area(rect: pygame.Rect, lang: str = "nl", threshold: int = 50, key_lines: int = 0) -> pygame.Rect:
    """The square plotting area :func:`axes_plot` uses inside ``rect`` (0..100 on both axes): room is
    kept above it for the legend and below it for the axis name, the threshold line's meaning
    and (when quadrant names had to move out) their key."""
    rect = pygame.Rect(rect)
    left, top, right, bottom = _axes_reserves(rect.width, lang, threshold, key_lines)
    side = max(40, min(rect.width - left - right, rect.height - top - bottom))
    area = pygame.Rect(0, 0, side, side)
    area.left = rect.left + left + max(0, (rect.width - left - right - side) // 2)
    area.top = rect.top + top + max(0, (rect.height - top - bottom - side) // 2)
    return area


def axes_plot_height(width: int, lang: str = "nl", threshold: int = 50) -> int:
    """How tall a rect of ``width`` must be for :func:`axes_plot` to use its whole width (with room
    for a key of two names)."""
    left, top, right, bottom = _axes_reserves(width, lang, threshold, 2)
    return top + bottom + max(40, width - left - right)


def axes_point(area: pygame.Rect, x: float, y: float) -> tuple[int, int]:
    """Pixel for (tegenmacht %, eigenaarschap %) in the plotting area."""
    x = min(100.0, max(0.0, float(x)))
    y = min(100.0, max(0.0, float(y)))
    return (round(area.left + x / 100.0 * (area.width - 1)), round(area.bottom - 1 - y / 100.0 * (area.height - 1)))


def marker_colour(theme: str = "normal") -> tuple[int, int, int]:
    """The colour of the player's point in :func:`axes_plot`."""
    return palette(theme)["focus"]


def _place_quadrant_names(area: pygame.Rect, quads: dict, names: dict, avoid: list[pygame.Rect],
                          path: list, f: pygame.font.Font, fb: pygame.font.Font) -> tuple[dict, list[str]]:
    """Put each quadrant's name inside its quadrant where it touches no other name, the point, the
    ghost point or the path: wrapped in the quadrant, tried in each of its corners (outer first),
    then on two lines reaching past the threshold line. Returns {key: (rect, lines, font, spill)} and
    the keys that found no such place (they go in the key below the plot)."""
    pad, gap = 8, 2
    placed: dict[str, tuple[pygame.Rect, list[str], pygame.font.Font, bool]] = {}
    left_out: list[str] = []
    inner = area.inflate(-4, -4)
    for key in ("harmonie", "held", "gemeenschap", "beweging"):
        q, name = quads.get(key), names.get(key)
        if q is None or not name:
            continue
        options = []
        for font in (fb, f):
            if _longest_word(name, font) <= q.width - 2 * pad:
                lines = wrap_lines(name, font, q.width - 2 * pad)
                options.append((lines, font, False))
        two = _two_lines(name, f)
        options.append((two, f, True))
        top_row, left_col = q.top == area.top, q.left == area.left
        best = None
        for lines, font, spill in options:
            w = max(font.size(ln)[0] for ln in lines)
            h = len(lines) * (font.get_linesize() + gap) - gap
            xs = [q.left + pad, q.right - pad - w] if left_col else [q.right - pad - w, q.left + pad]
            ys = [q.top + pad, q.bottom - pad - h] if top_row else [q.bottom - pad - h, q.top + pad]
            for y in ys:
                for x in xs:
                    r = pygame.Rect(x, y, w, h)
                    if not inner.contains(r) or (not spill and not q.contains(r)):
                        continue
                    box = r.inflate(6, 4)
                    if box.collidelist(avoid) >= 0 or box.collidelist([p[0] for p in placed.values()]) >= 0:
                        continue
                    if _seg_hits(box, path):
                        continue
                    best = (r, lines, font, spill)
                    break
                if best:
                    break
            if best:
                break
        if best is None:
            left_out.append(key)
        else:
            placed[key] = best
    return placed, left_out


def axes_plot_layout(rect, session: Any, lang: str = "nl", previous: Optional[tuple[float, float]] = None) -> dict:
    """Where everything of :func:`axes_plot` goes: ``area``, ``point``, ``path`` (pixels), ``ghost``,
    ``labels`` {quadrant: rect}, ``legend`` and ``note`` rects, ``key`` rects. Tests check by
    geometry that no name touches another, the point or the path."""
    rect = pygame.Rect(rect)
    sc = session.scenario
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    thr = min(100, max(0, getattr(sc, "threshold", 50)))
    names = {k: a.name.get(lang) for k, a in getattr(sc, "archetypes", {}).items()}
    sc_ = score_session(session)
    hist = []
    if "tegenmacht" in sc.meters and "eigenaarschap" in sc.meters:
        for m in _history_meters(session):
            try:
                hist.append((axis(sc, m, "tegenmacht"), axis(sc, m, "eigenaarschap")))
            except (KeyError, ZeroDivisionError):
                pass
    key_lines = 0
    for attempt in range(6):
        if attempt == 5:  # it does not settle (a very small plot): every name goes in the key
            key_lines = sum(len(wrap_lines(f"{_QUAD_NUMBERS[k]}  {n}", f, rect.width)) for k, n in names.items()
                            if k in _QUAD_NUMBERS)
        area = axes_plot_area(rect, lang, thr, key_lines)
        tx, ty = axes_point(area, thr, thr)
        final = axes_point(area, sc_.tegenmacht, sc_.eigenaarschap)
        path = [axes_point(area, x, y) for x, y in hist] or [final]
        path = path[:-1] + [final] if len(path) > 1 else path
        ghost = axes_point(area, *previous) if previous is not None else None
        avoid = [pygame.Rect(final[0] - 15, final[1] - 15, 30, 30)]
        if ghost is not None:
            avoid.append(pygame.Rect(ghost[0] - 12, ghost[1] - 12, 24, 24))
        avoid.append(pygame.Rect(path[0][0] - 8, path[0][1] - 8, 16, 16))
        quads = {
            "gemeenschap": pygame.Rect(area.left, area.top, tx - area.left, ty - area.top),
            "beweging": pygame.Rect(tx, area.top, area.right - tx, ty - area.top),
            "harmonie": pygame.Rect(area.left, ty, tx - area.left, area.bottom - ty),
            "held": pygame.Rect(tx, ty, area.right - tx, area.bottom - ty),
        }
        placed, left_out = _place_quadrant_names(area, quads, names, avoid, path if len(path) > 1 else [], f, fb)
        if attempt == 5:
            placed, left_out = {}, [k for k in _QUAD_NUMBERS if names.get(k)]
        key_text = [f"{_QUAD_NUMBERS[k]}  {names[k]}" for k in left_out]
        need = sum(len(wrap_lines(t, f, rect.width)) for t in key_text)
        if need <= key_lines:
            break
        key_lines = need
    lh = f.get_linesize()
    you = f"{sc_.tegenmacht:g} / {sc_.eigenaarschap:g}"
    ghost_txt = f"{previous[0]:g} / {previous[1]:g}" if previous is not None else None
    legend = _legend_lines(_legend_items(lang, you, ghost_txt), f, rect.width)
    legend_rect = pygame.Rect(rect.left, rect.top, max(sum(w for _k, _t, w in ln) + 14 * (len(ln) - 1) for ln in legend),
                              len(legend) * lh)
    y = area.bottom + (lh + 6) + lh + 8
    note_lines = wrap_lines(_threshold_note(thr, lang), f, rect.width)
    note_rect = pygame.Rect(rect.left, y, max(f.size(ln)[0] for ln in note_lines), len(note_lines) * lh)
    y = note_rect.bottom
    keys = []
    for t in key_text:
        lines = wrap_lines(t, f, rect.width)
        keys.append((pygame.Rect(rect.left, y, max(f.size(ln)[0] for ln in lines), len(lines) * lh), lines))
        y += len(lines) * lh
    badges = {}
    for k in left_out:  # the quadrant shows its number, in a corner clear of the point and the path
        q = quads[k]
        img_w, img_h = fb.size(_QUAD_NUMBERS[k])
        for cx, cy in ((q.left + 6, q.top + 6), (q.right - 6 - img_w, q.top + 6), (q.left + 6, q.bottom - 6 - img_h),
                       (q.right - 6 - img_w, q.bottom - 6 - img_h)):
            r = pygame.Rect(cx, cy, img_w, img_h)
            if (q.contains(r) and r.inflate(4, 4).collidelist(avoid) < 0 and not _seg_hits(r.inflate(4, 4), path)
                    and r.collidelist([p[0] for p in placed.values()] + list(badges.values())) < 0):
                badges[k] = r
                break
    return {"area": area, "threshold": thr, "threshold_px": (tx, ty), "point": final, "path": path, "ghost": ghost,
            "quads": quads, "labels": placed, "left_out": left_out, "badges": badges, "legend": legend,
            "legend_rect": legend_rect, "note": (note_rect, note_lines), "keys": keys, "score": sc_}


_QUAD_NUMBERS = {"harmonie": "1", "held": "2", "gemeenschap": "3", "beweging": "4"}


def axes_plot(surface: pygame.Surface, rect, session: Any, lang: str = "nl", theme: str = "normal",
              trail: bool = True, previous: Optional[tuple[float, float]] = None) -> dict:
    """Tegenmacht (x) × eigenaarschap (y): four named quadrants split at the scenario's threshold,
    the path from the start (□) to the player's point (●), a ghost ring for the previous attempt,
    a legend above and the threshold's meaning below. No name touches another, the point or
    the path. Returns the layout (see :func:`axes_plot_layout`)."""
    rect = pygame.Rect(rect)
    pal = palette(theme)
    sc = session.scenario
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    L = axes_plot_layout(rect, session, lang, previous)
    area, (tx, ty), thr = L["area"], L["threshold_px"], L["threshold"]

    # quadrants: calm tints, the "movement" quadrant a touch warmer
    pygame.draw.rect(surface, pal["panel"], area)
    tint = pal["bar_back"]
    quads = L["quads"]
    pygame.draw.rect(surface, tint, quads["harmonie"])
    mix = tuple(round(0.88 * p + 0.12 * g) for p, g in zip(pal["panel"], pal["good"]))
    pygame.draw.rect(surface, mix if theme != "high_contrast" else tint, quads["beweging"])
    fills = {"gemeenschap": pal["panel"], "held": pal["panel"], "harmonie": tint,
             "beweging": tint if theme == "high_contrast" else mix}
    # the threshold lines (the only grid: low and high meet there)
    pygame.draw.line(surface, pal["muted"], (tx, area.top), (tx, area.bottom - 1), 2)
    pygame.draw.line(surface, pal["muted"], (area.left, ty), (area.right - 1, ty), 2)
    pygame.draw.rect(surface, pal["text"], area, 2)

    ink = pal["muted"] if theme != "high_contrast" else pal["text"]
    for key, (box, lines, qf, spill) in L["labels"].items():
        if spill:
            pygame.draw.rect(surface, fills.get(key, pal["panel"]), box.inflate(6, 4), border_radius=4)
        y = box.top
        for ln in lines:
            _blit_text(surface, ln, qf, ink, (box.left, y))
            y += qf.get_linesize() + 2
    for key, r in L["badges"].items():
        pygame.draw.rect(surface, pal["panel"], r.inflate(6, 2), border_radius=4)
        pygame.draw.rect(surface, ink, r.inflate(6, 2), 1, border_radius=4)
        _blit_text(surface, _QUAD_NUMBERS[key], fb, ink, r.topleft)

    # ticks and axis names
    for v in sorted({0, thr, 100}):
        px, py = axes_point(area, v, v)
        pygame.draw.line(surface, pal["text"], (px, area.bottom), (px, area.bottom + 5), 2)
        _blit_text(surface, str(v), f, pal["text"], (px, area.bottom + 6), "midtop")
        pygame.draw.line(surface, pal["text"], (area.left - 5, py), (area.left, py), 2)
        _blit_text(surface, str(v), f, pal["text"], (area.left - 8, py), "midright")
    xl = _arrow_label(_meter_label(sc, "tegenmacht", lang), fb, pal["text"])
    _blit_surface(surface, xl, (area.centerx, area.bottom + 6 + f.get_linesize()), "midtop")
    yl = pygame.transform.rotate(_arrow_label(_meter_label(sc, "eigenaarschap", lang), fb, pal["text"]), 90)
    surface.blit(yl, yl.get_rect(midright=(area.left - 12 - f.size("100")[0], area.centery)))

    # the path, the start, the previous attempt, the player's point
    path = L["path"]
    if trail and len(path) > 1:
        _dashed_polyline(surface, pal["muted"], path, 2, (6, 5))
        for p in path[1:-1]:
            pygame.draw.circle(surface, pal["muted"], p, 3)
    _marker(surface, "square", path[0], 5, pal["muted"], pal["panel"])
    if L["ghost"] is not None:
        pygame.draw.circle(surface, pal["muted"], L["ghost"], 9, 2)
    px, py = L["point"]
    pygame.draw.circle(surface, pal["text"], (px, py), 13)
    pygame.draw.circle(surface, pal["panel"], (px, py), 11)
    pygame.draw.circle(surface, marker_colour(theme), (px, py), 9)

    # legend: start -> you (values), last time
    lh = f.get_linesize()
    sym = f.get_height()
    y = L["legend_rect"].top
    for line in L["legend"]:
        x = rect.left
        for kind, text, w in line:
            cy = y + lh // 2
            if kind == "start":
                _marker(surface, "square", (x + sym // 2, cy), 5, pal["muted"], pal["panel"])
            elif kind == "path":
                _dashed_polyline(surface, pal["muted"], [(x, cy), (x + 2 * sym - 10, cy)], 2, (6, 5))
                pygame.draw.polygon(surface, pal["muted"], [(x + 2 * sym - 10, cy - 5), (x + 2 * sym - 2, cy),
                                                            (x + 2 * sym - 10, cy + 5)])
            elif kind == "you":
                pygame.draw.circle(surface, pal["text"], (x + sym // 2, cy), 8)
                pygame.draw.circle(surface, marker_colour(theme), (x + sym // 2, cy), 6)
            elif kind == "ghost":
                pygame.draw.circle(surface, pal["muted"], (x + sym // 2, cy), 7, 2)
            if text:
                _blit_text(surface, text, fb if kind == "you" else f, pal["text"], (x + sym + 6, y))
            x += w + 14
        y += lh
    note_rect, note_lines = L["note"]
    for i, ln in enumerate(note_lines):
        _blit_text(surface, ln, f, pal["muted"] if theme != "high_contrast" else pal["text"],
                   (note_rect.left, note_rect.top + i * lh))
    for r, lines in L["keys"]:
        for i, ln in enumerate(lines):
            _blit_text(surface, ln, f, pal["text"], (r.left, r.top + i * lh))
    return L


# --------------------------------------------------------------------------- meters chart
def meters_chart(surface: pygame.Surface, rect, session: Any, lang: str = "nl", theme: str = "normal") -> None:
    """Every meter over time (start and after each step), one styled line per meter, label at the line end."""
    rect = pygame.Rect(rect)
    pal = palette(theme)
    sc = session.scenario
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    meters = list(sc.meters.values())
    series_pts = _history_meters(session)
    n = len(series_pts) - 1
    same_range = len({(m.min, m.max) for m in meters}) <= 1
    lo, hi = (meters[0].min, meters[0].max) if meters and same_range else (0, 100)
    if hi <= lo:
        hi = lo + 1

    labels = [_meter_label(sc, m.id, lang) for m in meters]
    widest = max([fb.size(t)[0] for t in labels] + [40])
    key_w = 30 if rect.width >= 560 else 16
    label_w = min(widest + key_w + 14, max(120, round(rect.width * 0.5)))
    left = f.size(str(hi))[0] + 16
    if not same_range:
        left = max(left, f.size("100")[0] + 16)
    area = pygame.Rect(rect.left + left, rect.top + f.get_linesize() // 2 + 4,
                       rect.width - left - label_w - 8, rect.height - 2 * f.get_linesize() - 16 - f.get_linesize() // 2)
    if area.width < 40 or area.height < 40:
        return
    pygame.draw.rect(surface, pal["panel"], area)

    def to_px(turn: float, value: float) -> tuple[float, float]:
        x = area.left + (turn / max(1, n)) * (area.width - 1)
        y = area.bottom - 1 - (value - lo) / (hi - lo) * (area.height - 1)
        return (x, y)

    # y grid
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = lo + frac * (hi - lo)
        _, y = to_px(0, v)
        pygame.draw.line(surface, pal["border"], (area.left, y), (area.right - 1, y), 1)
        if frac in (0, 0.5, 1):
            _blit_text(surface, f"{v:g}", f, pal["text"], (area.left - 8, y), "midright")
    # x ticks
    step = 1 if n <= 12 else (2 if n <= 24 else (5 if n <= 60 else max(1, round(n / 12 / 5) * 5)))
    min_gap = f.size("100")[0] + 8
    while n and step * (area.width / max(1, n)) < min_gap:
        step += 1
    for t in range(0, max(1, n) + 1, step):
        if t > n and n:
            break
        x, _ = to_px(t, lo)
        pygame.draw.line(surface, pal["text"], (x, area.bottom), (x, area.bottom + 5), 2)
        _blit_text(surface, str(t), f, pal["text"], (x, area.bottom + 6), "midtop")
    _blit_surface(surface, _arrow_label(_label("turn", lang), fb, pal["text"]),
                  (area.centerx, area.bottom + 6 + f.get_linesize()), "midtop")
    if not same_range:
        _blit_text(surface, _label("percent_range", lang), f, pal["muted"], (area.left, rect.top), "topleft")
    pygame.draw.line(surface, pal["text"], area.bottomleft, (area.right, area.bottom), 2)
    pygame.draw.line(surface, pal["text"], area.topleft, area.bottomleft, 2)

    # lines, then end labels spread apart
    ends: list[tuple[float, float]] = []
    mark_every = max(1, math.ceil(n * 22 / max(1, area.width)))  # markers at least ~22 px apart
    for i, m in enumerate(meters):
        colour = series_colour(theme, i)
        vals = []
        for pt in series_pts:
            v = pt.get(m.id, m.start)
            if not same_range:
                v = 100.0 * (v - m.min) / max(1, m.max - m.min)
            vals.append(v)
        pts = [to_px(t, v) for t, v in enumerate(vals)]
        width = 4 if m.id in ("tegenmacht", "eigenaarschap") else 3
        _dashed_polyline(surface, colour, pts, width, _DASHES[i % len(_DASHES)])
        shape = _MARKERS[i % len(_MARKERS)]
        for t, p in enumerate(pts):
            if t % mark_every == 0 or t == len(pts) - 1:
                _marker(surface, shape, p, 5, colour, pal["panel"] if i % 2 else None)
        ends.append(pts[-1])
    ys = _spread([e[1] for e in ends], f.get_linesize() - 1, area.top + f.get_linesize() / 2 - 8,
                 area.bottom - f.get_linesize() / 2 + 6)
    lx = round(max((e[0] for e in ends), default=area.right)) + 12  # beside the points when there are no steps
    for i, (m, (ex, ey), y) in enumerate(zip(meters, ends, ys)):
        colour = series_colour(theme, i)
        if abs(y - ey) > 3:
            pygame.draw.line(surface, pal["muted"], (ex + 7, ey), (lx - 1, y), 1)
        if key_w >= 30:
            _dashed_polyline(surface, colour, [(lx, y), (lx + key_w - 10, y)], 3, _DASHES[i % len(_DASHES)])
        _marker(surface, _MARKERS[i % len(_MARKERS)], (lx + (key_w - 10) // 2, y), 4, colour,
                pal["panel"] if i % 2 else None)
        text = _ellipsize(labels[i], fb if m.id in ("tegenmacht", "eigenaarschap") else f,
                          rect.right - lx - key_w)
        _blit_text(surface, text, fb if m.id in ("tegenmacht", "eigenaarschap") else f, pal["text"],
                   (lx + key_w, y), "midleft")


# --------------------------------------------------------------------------- profile bars
_BAR_H = 32


def _profile_rows(score: Score):
    return [("strategy", STRATEGIES + (NEUTRAL,), score.strategy), ("agency", AGENCIES + (NEUTRAL,), score.agency)]


def _legend_layout(names, shares, lang: str, font, width: int) -> list[list[tuple[str, str, int]]]:
    """Legend entries (tag, text, width) in lines; used shares first, then the 0% ones."""
    used = [k for k in names if shares.get(k, 0) > 0]
    order = used + [k for k in names if k not in used]
    lines: list[list[tuple[str, str, int]]] = [[]]
    x = 0
    for k in order:
        text = f"{_label(k, lang)} {round(100 * shares.get(k, 0))}%"
        w = 22 + font.size(text)[0]
        if lines[-1] and x + w > width:
            lines.append([])
            x = 0
        lines[-1].append((k, text, w))
        x += w + 16
    return lines


def profile_bars_height(width: int, score: Score, lang: str = "nl") -> int:
    """The height :func:`profile_bars` needs to show every legend entry at ``width``."""
    f = _font(MIN_TEXT)
    lh = f.get_linesize()
    total = 0
    for _, names, shares in _profile_rows(score):
        total += lh + 4 + _BAR_H + 6 + len(_legend_layout(names, shares, lang, f, width)) * lh + 10
    return total


def profile_bars(surface: pygame.Surface, rect, score: Score, lang: str = "nl", theme: str = "normal") -> None:
    """Two stacked horizontal bars, strategy and agency shares, labelled with names and percentages.

    Below each bar a legend names every category with its percentage (used ones first); when the rect is
    too low for all of them, the 0% entries are left out before anything else."""
    rect = pygame.Rect(rect)
    pal = palette(theme)
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    lh = f.get_linesize()
    row_h = rect.height // 2
    for r, (title, names, shares) in enumerate(_profile_rows(score)):
        top = rect.top + r * row_h
        _blit_text(surface, _label(title, lang), fb, pal["text"], (rect.left, top))
        bar_h = max(22, min(_BAR_H, row_h - 2 * lh - 14))
        bar = pygame.Rect(rect.left, top + lh + 4, rect.width, bar_h)
        pygame.draw.rect(surface, pal["bar_back"], bar)
        total = sum(shares.get(k, 0) for k in names)
        if score.choices == 0 or total <= 0:
            _blit_text(surface, _label("no_choices", lang), f, pal["text"], bar.center, "center")
        else:
            x = float(bar.left)
            for k in names:
                share = shares.get(k, 0) / total
                if share <= 0:
                    continue
                w = share * bar.width
                seg = pygame.Rect(round(x), bar.top, max(1, round(x + w) - round(x)), bar.height)
                colour = strategy_colour(k, theme)
                pygame.draw.rect(surface, colour, seg)
                if seg.left > bar.left:
                    pygame.draw.line(surface, pal["panel"], seg.topleft, (seg.left, seg.bottom - 1), 2)
                pct = f"{round(100 * shares.get(k, 0))}%"
                if fb.size(pct)[0] + 8 <= seg.width:
                    lum = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
                    _blit_text(surface, pct, fb, (0, 0, 0) if lum > 140 else (255, 255, 255), seg.center, "center")
                x += w
        pygame.draw.rect(surface, pal["text"], bar, 1)
        if score.choices == 0:
            continue
        # legend: swatch + name + percentage (never colour alone)
        room = max(1, (top + row_h - bar.bottom - 6) // lh)
        lines = _legend_layout(names, shares, lang, f, rect.width)
        if len(lines) > room:
            lines = _legend_layout([k for k in names if shares.get(k, 0) > 0], shares, lang, f, rect.width)
        ly = bar.bottom + 6
        for line in lines[:room]:
            lx = rect.left
            for k, text, w in line:
                sw = pygame.Rect(lx, ly + (lh - 16) // 2, 16, 16)
                pygame.draw.rect(surface, strategy_colour(k, theme), sw)
                pygame.draw.rect(surface, pal["text"], sw, 1)
                _blit_text(surface, text, f, pal["text"], (lx + 22, ly))
                lx += w + 16
            ly += lh


# --------------------------------------------------------------------------- power map
def power_map_area(rect, lang: str = "nl") -> pygame.Rect:
    """The plotting area :func:`power_map` uses inside ``rect``."""
    rect = pygame.Rect(rect)
    f = _font(MIN_TEXT)
    lh = f.get_linesize()
    left = lh + f.size("100")[0] + 18
    right = f.size("100")[0] // 2 + 8
    return pygame.Rect(rect.left + left, rect.top + lh + 12, rect.width - left - right,
                       rect.height - lh - 12 - 2 * lh - 14)


def power_map(surface: pygame.Surface, rect, scenario: Any, before: dict, after: dict, lang: str = "nl",
              theme: str = "normal") -> None:
    """Actors by stance (x, -100..100) and power (y, 0..100): before hollow, after filled, arrow between."""
    rect = pygame.Rect(rect)
    pal = palette(theme)
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    lh = f.get_linesize()
    area = power_map_area(rect, lang)
    if area.width < 40 or area.height < 40:
        return
    pygame.draw.rect(surface, pal["panel"], area)

    def to_px(stance: float, power: float) -> tuple[int, int]:
        s = min(100.0, max(-100.0, float(stance)))
        p = min(100.0, max(0.0, float(power)))
        return (round(area.left + (s + 100) / 200 * (area.width - 1)), round(area.bottom - 1 - p / 100 * (area.height - 1)))

    for v in (-50, 50):
        x, _ = to_px(v, 0)
        pygame.draw.line(surface, pal["border"], (x, area.top), (x, area.bottom - 1), 1)
    for v in (25, 50, 75):
        _, y = to_px(0, v)
        pygame.draw.line(surface, pal["border"], (area.left, y), (area.right - 1, y), 1)
    x0, _ = to_px(0, 0)
    pygame.draw.line(surface, pal["muted"], (x0, area.top), (x0, area.bottom - 1), 2)
    pygame.draw.rect(surface, pal["text"], area, 2)
    for v in (0, 50, 100):
        _, y = to_px(0, v)
        _blit_text(surface, str(v), f, pal["text"], (area.left - 8, y), "midright")
    for v in (-100, 0, 100):
        x, _ = to_px(v, 0)
        _blit_text(surface, str(v), f, pal["text"], (x, area.bottom + 4), "midtop")
    _blit_surface(surface, _arrow_label(_label("against", lang), fb, pal["text"], "left"),
                  (area.left, area.bottom + 4 + lh), "topleft")
    _blit_text(surface, _label("stance", lang), fb, pal["text"], (area.centerx, area.bottom + 4 + lh), "midtop")
    _blit_surface(surface, _arrow_label(_label("for", lang), fb, pal["text"]), (area.right, area.bottom + 4 + lh),
                  "topright")
    yl = pygame.transform.rotate(_arrow_label(_label("power", lang), fb, pal["text"]), 90)
    surface.blit(yl, yl.get_rect(midright=(area.left - 12 - f.size("100")[0], area.centery)))

    # legend above the plot
    lx, ly = area.left, rect.top + 4
    pygame.draw.circle(surface, pal["text"], (lx + 8, ly + lh // 2), 7, 2)
    r = _blit_text(surface, _label("before", lang), f, pal["text"], (lx + 22, ly))
    lx = r.right + 12
    _arrow(surface, pal["text"], (lx, ly + lh // 2), (lx + 34, ly + lh // 2), 2, 8)
    lx += 44
    pygame.draw.circle(surface, pal["text"], (lx + 8, ly + lh // 2), 7)
    _blit_text(surface, _label("after", lang), f, pal["text"], (lx + 22, ly))

    actors = list(getattr(scenario, "actors", {}).values())
    if not actors:
        _blit_text(surface, _label("no_actors", lang), fb, pal["muted"], area.center, "center")
        return
    placed: list[pygame.Rect] = []
    marks = []
    for i, a in enumerate(actors):
        b = before.get(a.id) or {"power": a.power, "stance": a.stance}
        e = after.get(a.id) or b
        pb = to_px(b.get("stance", a.stance), b.get("power", a.power))
        pa = to_px(e.get("stance", a.stance), e.get("power", a.power))
        marks.append((i, a, pb, pa))
        placed.append(pygame.Rect(pa[0] - 9, pa[1] - 9, 18, 18))
    for i, a, pb, pa in marks:
        colour = series_colour(theme, i + 1)
        _arrow(surface, colour, pb, pa, 3, 12, gap=9)
        pygame.draw.circle(surface, pal["panel"], pb, 8)
        pygame.draw.circle(surface, colour, pb, 8, 3)
        pygame.draw.circle(surface, colour, pa, 9)
        pygame.draw.circle(surface, pal["text"], pa, 9, 1)
    # names: try spots around the "after" point with the full name, then shorter; avoid points and labels
    inner = area.inflate(-4, -4)
    offsets = ((14, 0, "midleft"), (-14, 0, "midright"), (0, -14, "midbottom"), (0, 14, "midtop"),
               (14, -14, "bottomleft"), (-14, -14, "bottomright"), (14, 14, "topleft"), (-14, 14, "topright"),
               (0, -40, "midbottom"), (0, 40, "midtop"), (-14, -40, "bottomright"), (-14, 40, "topright"))
    dots = [pygame.Rect(p[0] - 9, p[1] - 9, 18, 18) for _, _, pb, pa in marks for p in (pb, pa)]
    def name_image(lines: list[str]) -> pygame.Surface:
        imgs = [f.render(ln, True, pal["text"]) for ln in lines]
        out = pygame.Surface((max(i.get_width() for i in imgs), sum(i.get_height() for i in imgs)), pygame.SRCALPHA)
        y = 0
        for im in imgs:
            out.blit(im, ((out.get_width() - im.get_width()) // 2, y))
            y += im.get_height()
        return out

    for i, a, pb, pa in marks:
        full = a.name.get(lang)
        best = img = None
        for lines in ([full], _two_lines(full, f), wrap_lines(full, f, max(60, area.width // 3))):  # whole, never "…"
            img = name_image(lines)
            box = img.get_rect().inflate(8, 2)
            for dx, dy, anchor in offsets:
                c = box.copy()
                setattr(c, anchor, (pa[0] + dx, pa[1] + dy))
                if inner.contains(c) and c.collidelist(placed) < 0 and c.collidelist(dots) < 0:
                    best = c
                    break
            if best is not None:
                break
        if best is None:  # crowded: the short name where it hides the fewest points and labels
            def cost(c: pygame.Rect) -> int:
                return 3 * len(c.collidelistall(placed)) + len(c.collidelistall(dots))
            spots = []
            for dx, dy, anchor in offsets:
                c = box.copy()
                setattr(c, anchor, (pa[0] + dx, pa[1] + dy))
                spots.append(c.clamp(inner))
            best = min(spots, key=cost)
        placed.append(best)
        near = (min(max(pa[0], best.left), best.right), min(max(pa[1], best.top), best.bottom))
        if math.hypot(near[0] - pa[0], near[1] - pa[1]) > 16:  # far from its point: a thin leader line
            pygame.draw.line(surface, series_colour(theme, i + 1), pa, near, 2)
        if theme != "high_contrast":
            back = pygame.Surface(best.size, pygame.SRCALPHA)
            back.fill((*pal["panel"], 215))
            surface.blit(back, best)
        else:
            pygame.draw.rect(surface, pal["panel"], best)
        surface.blit(img, img.get_rect(center=best.center))
    for i, a, pb, pa in marks:  # points stay visible above any label
        colour = series_colour(theme, i + 1)
        pygame.draw.circle(surface, colour, pb, 8, 3)
        pygame.draw.circle(surface, colour, pa, 9)
        pygame.draw.circle(surface, pal["text"], pa, 9, 1)


# --------------------------------------------------------------------------- the one-page debrief
def theory_references(session: Any, lang: str = "nl") -> list[str]:
    """The theory of every choice made, event fired and tipping point passed, in order,
    without repeats (from :class:`game.debrief.Debrief`, as every front end shows it)."""
    return theory_lines(Debrief.of(session), lang)


def theory_lines(deb: Debrief, lang: str = "nl") -> list[str]:
    return [f"{x.what.get(lang)} — {x.theory.get(lang)}" for x in deb.theory]


def _section(surface, rect: pygame.Rect, title: str, pal, font) -> pygame.Rect:
    """A panel with a heading; returns the content rect below the heading."""
    pygame.draw.rect(surface, pal["panel"], rect, border_radius=8)
    pygame.draw.rect(surface, pal["border"], rect, 1, border_radius=8)
    pad = 16
    _blit_text(surface, title, font, pal["text"], (rect.left + pad, rect.top + 10))
    top = rect.top + 10 + font.get_linesize() + 6
    return pygame.Rect(rect.left + pad, top, rect.width - 2 * pad, rect.bottom - top - 12)


def _previous_of(previous: Any) -> Any:
    """The plot's (tegenmacht, eigenaarschap) of the last attempt as the debrief's Previous."""
    from game.play.debrief import Previous

    return Previous(float(previous[0]), float(previous[1])) if previous else None


def outcome_text(session: Any, deb: Debrief, lang: str = "nl") -> str:
    """What the PNG says under the outcome, as the window does: the outcome, the ending's text, the
    debrief texts, the turning points, late consequences and locked choices (from game.debrief)."""
    sc_ = deb.score
    ending = session.scenario.endings.get(session.state)
    lines = [sc_.outcome.description.get(lang), ending.text.get(lang) if ending else ""]
    lines += [t.get(lang) for t in deb.texts] + [deb.mismatch.get(lang)]
    skip = ("Uitkomst:", "Outcome:", "  tegenmacht", "  counter-power", "Theorie", "Theory", "Vragen", "Questions")
    body = deb.lines(lang)
    keep, section = [], True
    for line in body[1:]:
        if not line.strip():
            continue
        if not line.startswith(" "):  # a section title: keep the turning points, late and locked choices
            section = not line.startswith(skip) and line not in lines
            if section:
                keep.append(line)
            continue
        if section and not line.startswith(skip) and line.strip() not in lines:
            keep.append(line.strip())
    return "\n".join(x for x in lines + keep if x)


def render_debrief(session: Any, lang: str = "nl", theme: str = "normal", size=(1600, 1000),
                   previous: Optional[tuple[float, float]] = None) -> pygame.Surface:
    """The complete one-page debrief for the class, as a new Surface of ``size`` (taller when its text
    needs it: nothing is cut off). ``previous`` is the last attempt's point, shown as a ghost."""
    if not pygame.font.get_init():
        pygame.font.init()
    w, h = int(size[0]), int(size[1])
    pal = palette(theme)
    surface = pygame.Surface((w, h))
    surface.fill(pal["background"])
    sc = session.scenario
    s = max(0.8, min(w / 1600, h / 1000))
    f_title, f_sub = _font(round(34 * s), True), _font(round(24 * s), True)
    f_head = _font(round(22 * s), True)
    f_body = _font(round(20 * s))
    m = round(28 * s)
    gap = round(16 * s)

    # header
    ending = session.ending
    _blit_text(surface, _ellipsize(sc.title.get(lang), f_title, w - 2 * m), f_title, pal["text"], (m, m - 6))
    y = m - 6 + f_title.get_linesize()
    sub = ending.title.get(lang) if ending is not None else _label("not_finished", lang)
    sc_ = score_session(session)
    info = f"{_label('debrief', lang)} · {sc_.choices} {_label('choices', lang)} · {_label('seed', lang)} {session.seed}"
    info_w = f_body.size(info)[0]
    _blit_text(surface, _ellipsize(sub, f_sub, w - 2 * m - info_w - gap), f_sub, pal["accent"], (m, y))
    _blit_text(surface, info, f_body, pal["muted"], (w - m, y + (f_sub.get_linesize() - f_body.get_linesize()) // 2),
               "topright")
    top = y + f_sub.get_linesize() + gap
    pygame.draw.line(surface, pal["border"], (m, top - gap // 2), (w - m, top - gap // 2), 1)

    # three columns
    inner_w = w - 2 * m - 2 * gap
    cw = [round(inner_w * 0.35), round(inner_w * 0.35)]
    cw.append(inner_w - cw[0] - cw[1])
    cx = [m, m + cw[0] + gap, m + cw[0] + cw[1] + 2 * gap]
    bottom = h - m
    col_h = bottom - top
    head_h = 10 + f_head.get_linesize() + 6 + 12  # a section's heading and padding

    # room check: the outcome text and the lists must fit whole, else the page grows (never "…")
    square = head_h + axes_plot_height(cw[0] - 32, lang, getattr(sc, "threshold", 50))
    axes_h = min(square, round(col_h * 0.66))
    deb = Debrief.of(session, _previous_of(previous))
    arch_text = outcome_text(session, deb, lang)
    need_arch = (_text_height(f"{_label('archetype', lang)}: {sc_.outcome.name.get(lang)}", f_sub, cw[0] - 32, 2)
                 + 8 + (_text_height(arch_text, f_body, cw[0] - 32) if arch_text else 0) + 24)
    body_w = cw[2] - 32
    ths = theory_lines(deb, lang)
    qs = [q.get(lang) for q in deb.questions if q.get(lang)]
    prof = min(round(col_h * 0.45), head_h + profile_bars_height(cw[2] - 32, sc_, lang))
    need_lists = (2 * head_h + 2 * gap + sum(_text_height(t, f_body, body_w, bullet="•") + 10 for t in ths)
                  + sum(_text_height(q, f_body, body_w, bullet="9.") + 10 for q in qs) + 2 * f_body.get_linesize())
    deficit = max(need_arch - (col_h - axes_h - gap), need_lists - (col_h - prof))
    if deficit > 0:
        return render_debrief(session, lang, theme, (w, h + deficit + gap), previous)

    # column 1: axes plot (as square as the column allows), then the archetype
    r_axes = pygame.Rect(cx[0], top, cw[0], axes_h)
    content = _section(surface, r_axes, _label("axes", lang), pal, f_head)
    axes_plot(surface, content, session, lang, theme, previous=previous)
    r_arch = pygame.Rect(cx[0], r_axes.bottom + gap, cw[0], bottom - r_axes.bottom - gap)
    pygame.draw.rect(surface, pal["panel"], r_arch, border_radius=8)
    pygame.draw.rect(surface, pal["border"], r_arch, 1, border_radius=8)
    content = r_arch.inflate(-32, -24)
    name = f"{_label('archetype', lang)}: {sc_.outcome.name.get(lang)}"
    used = text_box(surface, content, name, f_sub, pal["accent"], 2)
    text_box(surface, pygame.Rect(content.left, content.top + used + 8, content.width, content.height - used - 8),
             arch_text, f_body, pal["text"])

    # column 2: meters over time, power map
    meters_h = round((col_h - gap) * 0.5)
    r_met = pygame.Rect(cx[1], top, cw[1], meters_h)
    meters_chart(surface, _section(surface, r_met, _label("meters", lang), pal, f_head), session, lang, theme)
    r_pow = pygame.Rect(cx[1], r_met.bottom + gap, cw[1], bottom - r_met.bottom - gap)
    power_map(surface, _section(surface, r_pow, _label("power_map", lang), pal, f_head), sc,
              session.start_actors, session.actors, lang, theme)

    # column 3: profile, theory, questions
    prof_h = min(round(col_h * 0.45), head_h + profile_bars_height(cw[2] - 32, sc_, lang))
    r_prof = pygame.Rect(cx[2], top, cw[2], prof_h)
    profile_bars(surface, _section(surface, r_prof, _label("profile", lang), pal, f_head), sc_, lang, theme)
    rest = bottom - r_prof.bottom - 2 * gap
    theories = ths
    questions = [q.get(lang) for q in deb.questions if q.get(lang)]
    # give each list room in proportion to its text, at least a third each
    body_w = cw[2] - 32
    need_t = sum(_text_height(t, f_body, body_w, bullet="•") + 8 for t in theories) or f_body.get_linesize()
    need_q = sum(_text_height(q, f_body, body_w, bullet="•") + 8 for q in questions) or f_body.get_linesize()
    share = min(0.67, max(0.33, need_t / (need_t + need_q)))
    th_h = round(rest * share)
    if need_t + head_h + 12 > th_h and need_t + need_q + 2 * (head_h + 12) <= rest:  # both whole: give the first its need
        th_h = need_t + head_h + 12
    elif need_q + head_h + 12 > rest - th_h and need_t + need_q + 2 * (head_h + 12) <= rest:
        th_h = rest - need_q - head_h - 12
    r_th = pygame.Rect(cx[2], r_prof.bottom + gap, cw[2], th_h)
    r_q = pygame.Rect(cx[2], r_th.bottom + gap, cw[2], bottom - r_th.bottom - gap)
    for r, title, items in ((r_th, _label("theory", lang), theories), (r_q, _label("questions", lang), questions)):
        content = _section(surface, r, title, pal, f_head)
        if items:
            _bullets(surface, content, items, f_body, pal["text"], numbered=items is questions)
        else:
            _blit_text(surface, _label("none", lang), f_body, pal["muted"], content.topleft)
    return surface


def _bullets(surface, rect: pygame.Rect, items: Iterable[str], font, colour, numbered: bool = False) -> None:
    y = rect.top
    for n, item in enumerate(items, 1):
        room = pygame.Rect(rect.left, y, rect.width, rect.bottom - y)
        if room.height < font.get_linesize():
            break
        used = text_box(surface, room, item, font, colour, bullet=f"{n}." if numbered else "•")
        y += used + 10


def save_debrief_png(session: Any, path, lang: str = "nl", theme: str = "normal",
                     previous: Optional[tuple[float, float]] = None) -> Path:
    """Render the debrief (1600×1000) and write it as a PNG; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    surface = render_debrief(session, lang=lang, theme=theme, previous=previous)
    pygame.image.save(surface, str(path))
    return path
