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

from ..debrief import Debrief
from ..model import AGENCIES, STRATEGIES
from ..scoring import NEUTRAL, Score, axis, score as score_session
from . import theme as th
from .widgets import wrap

MIN_TEXT = 18  # px: the smallest text any chart draws

LABELS = {
    "nl": {
        "tegenmacht": "Tegenmacht", "eigenaarschap": "Eigenaarschap", "you": "Jij",
        "turn": "Beurt", "percent_range": "% van bereik", "strategy": "Strategie",
        "agency": "Wie handelt", "no_choices": "Nog geen keuzes gemaakt",
        "stance": "Houding", "power": "Macht", "against": "tegen", "for": "voor",
        "before": "vóór", "after": "na", "no_actors": "Geen actoren in dit scenario",
        "debrief": "Nabespreking", "archetype": "Jouw uitkomst", "theory": "Theorie achter je keuzes",
        "questions": "Vragen voor de groep", "meters": "Meters per beurt", "profile": "Jouw profiel",
        "power_map": "Machtskaart", "axes": "Tegenmacht × eigenaarschap", "none": "—",
        "not_finished": "Nog niet afgelopen", "choices": "keuzes", "seed": "seed",
        NEUTRAL: "neutraal",
        "polderen": "polderen", "coalitie": "coalitie", "confrontatie": "confrontatie",
        "organiseren": "organiseren", "mobiliseren": "mobiliseren", "overnemen": "overnemen",
    },
    "en": {
        "tegenmacht": "Counter-power", "eigenaarschap": "Ownership", "you": "You",
        "turn": "Turn", "percent_range": "% of range", "strategy": "Strategy",
        "agency": "Who acts", "no_choices": "No choices made yet",
        "stance": "Stance", "power": "Power", "against": "against", "for": "for",
        "before": "before", "after": "after", "no_actors": "No actors in this scenario",
        "debrief": "Debrief", "archetype": "Your outcome", "theory": "Theory behind your choices",
        "questions": "Questions for the group", "meters": "Meters per turn", "profile": "Your profile",
        "power_map": "Power map", "axes": "Counter-power × ownership", "none": "—",
        "not_finished": "Not finished yet", "choices": "choices", "seed": "seed",
        NEUTRAL: "neutral",
        "polderen": "consensus", "coalitie": "coalition", "confrontatie": "confrontation",
        "organiseren": "organising", "mobiliseren": "mobilising", "overnemen": "taking over",
    },
}

# Line colours for meters and actors (Okabe-Ito order, then extras); high contrast gets bright ones.
_SERIES = {
    "normal": ["#1F2328", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D31"],
    "high_contrast": ["#FFFFFF", "#FFFF00", "#00FFFF", "#00FF7F", "#FF80FF", "#FFA040", "#80C0FF", "#C0C0C0"],
}
# Dash patterns (on, off in px; None = solid) and marker shapes, combined per series.
_DASHES: list[Optional[tuple[int, int]]] = [None, (12, 6), (3, 5), (18, 5, 3, 5), (8, 8), (2, 3)]
_MARKERS = ["circle", "square", "triangle", "diamond", "cross", "plus", "down"]

_fonts: dict[tuple[bool, int], pygame.font.Font] = {}


# --------------------------------------------------------------------------- helpers
def _label(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["nl"]).get(key, LABELS["nl"].get(key, key))


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


def _series(theme: str, i: int) -> tuple[int, int, int]:
    colours = _SERIES.get(theme, _SERIES["normal"])
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


def _quadrant_labels(surface: pygame.Surface, area: pygame.Rect, quads: dict, fills: dict, names: dict,
                     final: tuple[int, int], f: pygame.font.Font, fb: pygame.font.Font, colour) -> list[pygame.Rect]:
    """Name each quadrant in its outer corner. A name that fits the quadrant is wrapped inside it
    (bold when its words fit); one that does not (a narrow quadrant, a long word) goes on two
    lines that may reach past the threshold line, on a patch of its quadrant's colour; never cut.
    Returns the rectangles used."""
    pad, gap = 10, 2
    step = f.get_linesize() + gap
    placed: dict[str, tuple[pygame.Rect, list[str], pygame.font.Font, bool]] = {}
    for key, q in quads.items():
        name = names.get(key)
        if not name or q.width < 12 or q.height < 12:
            continue
        box = q.inflate(-2 * pad, -2 * pad)
        if _longest_word(name, f) > box.width:  # a long word: use the whole quadrant width
            box = q.inflate(-6, -2 * pad)
        qf = fb if _longest_word(name, fb) <= box.width else f
        lines = wrap_lines(name, qf, max(10, box.width))
        fits = (_longest_word(name, qf) <= box.width
                and len(lines) * (qf.get_linesize() + gap) - gap <= box.height)
        spill = not fits
        if spill:  # two lines, as wide as they need (within the plot)
            qf = f
            lines = _two_lines(name, f)
            width = max(f.size(ln)[0] for ln in lines)
            if width > area.width - 2 * pad:
                lines = wrap_lines(name, f, area.width - 2 * pad)
                width = max(f.size(ln)[0] for ln in lines)
            box = pygame.Rect(0, 0, width, len(lines) * step - gap)
            left_side = q.left == area.left
            box.left = q.left + pad if left_side else max(area.left + pad, q.right - pad - width)
        else:
            box = pygame.Rect(box.left, box.top, box.width, len(lines) * (qf.get_linesize() + gap) - gap)
        top_row = q.top == area.top
        outer_y = q.top + pad if top_row else q.bottom - pad - box.height
        inner_y = q.bottom - pad - box.height if top_row else q.top + pad
        box.top = outer_y
        if q.collidepoint(final) and box.inflate(24, 24).collidepoint(final):  # keep off the player's point
            box.top = inner_y
        placed[key] = (box, lines, qf, spill)
    # a name reaching into its neighbour's corner moves to the other side of its row
    for a, b in (("gemeenschap", "beweging"), ("harmonie", "held")):
        if a in placed and b in placed and placed[a][0].colliderect(placed[b][0]):
            mover = a if placed[a][3] else b
            box, lines, qf, spill = placed[mover]
            q = quads[mover]
            box.top = (q.bottom - pad - box.height) if q.top == area.top else q.top + pad
    rects = []
    for key, (box, lines, qf, spill) in placed.items():
        if spill:
            pygame.draw.rect(surface, fills.get(key, (255, 255, 255)), box.inflate(8, 4), border_radius=4)
        y = box.top
        for ln in lines:
            _blit_text(surface, ln, qf, colour, (box.left, y))
            y += qf.get_linesize() + gap
        rects.append(box)
    return rects


def axes_plot_area(rect: pygame.Rect) -> pygame.Rect:
    """The square plotting area :func:`axes_plot` uses inside ``rect`` (0..100 on both axes)."""
    rect = pygame.Rect(rect)
    f = _font(MIN_TEXT)
    left = f.get_linesize() + f.size("100")[0] + 18
    bottom = 2 * f.get_linesize() + 12
    right = f.size("100")[0] // 2 + 8
    side = max(40, min(rect.width - left - right, rect.height - bottom - 12))
    area = pygame.Rect(0, 0, side, side)
    area.left = rect.left + left + max(0, (rect.width - left - right - side) // 2)
    area.top = rect.top + 8 + max(0, (rect.height - bottom - 12 - side) // 2)
    return area


def axes_point(area: pygame.Rect, x: float, y: float) -> tuple[int, int]:
    """Pixel for (tegenmacht %, eigenaarschap %) in the plotting area."""
    x = min(100.0, max(0.0, float(x)))
    y = min(100.0, max(0.0, float(y)))
    return (round(area.left + x / 100.0 * (area.width - 1)), round(area.bottom - 1 - y / 100.0 * (area.height - 1)))


def marker_colour(theme: str = "normal") -> tuple[int, int, int]:
    """The colour of the player's point in :func:`axes_plot`."""
    return palette(theme)["focus"]


def axes_plot(surface: pygame.Surface, rect, session: Any, lang: str = "nl", theme: str = "normal",
              trail: bool = True) -> None:
    """Tegenmacht (x) × eigenaarschap (y), four labelled quadrants, the path and the player's point."""
    rect = pygame.Rect(rect)
    pal = palette(theme)
    sc = session.scenario
    area = axes_plot_area(rect)
    f, fb = _font(MIN_TEXT), _font(MIN_TEXT, bold=True)
    thr = min(100, max(0, getattr(sc, "threshold", 50)))
    tx, ty = axes_point(area, thr, thr)

    # quadrants: calm tints, the "movement" quadrant a touch warmer
    pygame.draw.rect(surface, pal["panel"], area)
    tint = pal["bar_back"]
    low_low = pygame.Rect(area.left, ty, tx - area.left, area.bottom - ty)
    high_high = pygame.Rect(tx, area.top, area.right - tx, ty - area.top)
    pygame.draw.rect(surface, tint, low_low)
    mix = tuple(round(0.88 * p + 0.12 * g) for p, g in zip(pal["panel"], pal["good"]))
    if theme != "high_contrast":
        pygame.draw.rect(surface, mix, high_high)
    else:
        pygame.draw.rect(surface, tint, high_high)

    # grid and threshold lines
    for v in (25, 75):
        gx, gy = axes_point(area, v, v)
        pygame.draw.line(surface, pal["border"], (gx, area.top), (gx, area.bottom - 1), 1)
        pygame.draw.line(surface, pal["border"], (area.left, gy), (area.right - 1, gy), 1)
    pygame.draw.line(surface, pal["muted"], (tx, area.top), (tx, area.bottom - 1), 2)
    pygame.draw.line(surface, pal["muted"], (area.left, ty), (area.right - 1, ty), 2)
    pygame.draw.rect(surface, pal["text"], area, 2)

    # quadrant labels, in each quadrant's outer corner
    names = {k: a.name.get(lang) for k, a in getattr(sc, "archetypes", {}).items()}
    sc_ = score_session(session)
    final = axes_point(area, sc_.tegenmacht, sc_.eigenaarschap)
    quads = {
        "gemeenschap": pygame.Rect(area.left, area.top, tx - area.left, ty - area.top),
        "beweging": pygame.Rect(tx, area.top, area.right - tx, ty - area.top),
        "harmonie": pygame.Rect(area.left, ty, tx - area.left, area.bottom - ty),
        "held": pygame.Rect(tx, ty, area.right - tx, area.bottom - ty),
    }
    fills = {"gemeenschap": pal["panel"], "held": pal["panel"], "harmonie": tint,
             "beweging": tint if theme == "high_contrast" else mix}
    label_rects = _quadrant_labels(surface, area, quads, fills, names, final, f, fb,
                                   pal["muted"] if theme != "high_contrast" else pal["text"])

    # ticks and axis labels
    for v in sorted({0, thr, 100}):
        px, py = axes_point(area, v, v)
        pygame.draw.line(surface, pal["text"], (px, area.bottom), (px, area.bottom + 5), 2)
        _blit_text(surface, str(v), f, pal["text"], (px, area.bottom + 6), "midtop")
        pygame.draw.line(surface, pal["text"], (area.left - 5, py), (area.left, py), 2)
        _blit_text(surface, str(v), f, pal["text"], (area.left - 8, py), "midright")
    xl = _arrow_label(_meter_label(sc, "tegenmacht", lang), fb, pal["text"])
    _blit_surface(surface, xl, (area.centerx, area.bottom + 6 + f.get_linesize()), "midtop")
    yl = pygame.transform.rotate(_arrow_label(_meter_label(sc, "eigenaarschap", lang), fb, pal["text"]), 90)
    ylr = yl.get_rect(midright=(area.left - 12 - f.size("100")[0], area.centery))
    surface.blit(yl, ylr)

    # the path through the game, faint
    points = []
    if "tegenmacht" in sc.meters and "eigenaarschap" in sc.meters:
        for m in _history_meters(session):
            try:
                points.append(axes_point(area, axis(sc, m, "tegenmacht"), axis(sc, m, "eigenaarschap")))
            except (KeyError, ZeroDivisionError):
                pass
    if trail and len(points) > 1:
        _dashed_polyline(surface, pal["muted"], points, 2, (6, 5))
        for p in points[:-1]:
            pygame.draw.circle(surface, pal["muted"], p, 4)
    if points:
        _marker(surface, "square", points[0], 5, pal["muted"], pal["panel"])

    # the player's point: ringed, filled with the marker colour, with its values
    px, py = final
    pygame.draw.circle(surface, pal["text"], (px, py), 13)
    pygame.draw.circle(surface, pal["panel"], (px, py), 11)
    pygame.draw.circle(surface, marker_colour(theme), (px, py), 9)
    text = f"{_label('you', lang)}: {sc_.tegenmacht:g} / {sc_.eigenaarschap:g}"
    img = fb.render(text, True, pal["text"])
    box = img.get_rect()
    box.inflate_ip(12, 6)
    candidates = []
    for anchor, pos in (("midleft", (px + 18, py)), ("midright", (px - 18, py)), ("midbottom", (px, py - 18)),
                        ("midtop", (px, py + 18)), ("bottomleft", (px + 10, py - 14)),
                        ("bottomright", (px - 10, py - 14)), ("topleft", (px + 10, py + 14)),
                        ("topright", (px - 10, py + 14))):
        c = box.copy()
        setattr(c, anchor, pos)
        candidates.append(c)
    inside = [c for c in candidates if area.inflate(-4, -4).contains(c)] or [candidates[0].clamp(area)]

    def overlap(c: pygame.Rect) -> int:
        return sum(c.clip(r).width * c.clip(r).height for r in label_rects)
    chosen = min(inside, key=overlap)  # the first spot that hides the least of the quadrant names
    pygame.draw.rect(surface, pal["panel"], chosen, border_radius=4)
    pygame.draw.rect(surface, pal["text"], chosen, 1, border_radius=4)
    surface.blit(img, img.get_rect(center=chosen.center))


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
    label_w = min(widest + key_w + 14, max(120, round(rect.width * 0.42)))
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
        colour = _series(theme, i)
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
        colour = _series(theme, i)
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
        colour = _series(theme, i + 1)
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
    for i, a, pb, pa in marks:
        full = a.name.get(lang)
        best = img = None
        for frac in (1.0, 0.6, 0.4, 0.25):
            name = _ellipsize(full, f, max(60, round((area.width - 16) * frac)))
            img = f.render(name, True, pal["text"])
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
            pygame.draw.line(surface, _series(theme, i + 1), pa, near, 2)
        if theme != "high_contrast":
            back = pygame.Surface(best.size, pygame.SRCALPHA)
            back.fill((*pal["panel"], 215))
            surface.blit(back, best)
        else:
            pygame.draw.rect(surface, pal["panel"], best)
        surface.blit(img, img.get_rect(center=best.center))
    for i, a, pb, pa in marks:  # points stay visible above any label
        colour = _series(theme, i + 1)
        pygame.draw.circle(surface, colour, pb, 8, 3)
        pygame.draw.circle(surface, colour, pa, 9)
        pygame.draw.circle(surface, pal["text"], pa, 9, 1)


# --------------------------------------------------------------------------- the one-page debrief
def theory_references(session: Any, lang: str = "nl") -> list[str]:
    """The theory of every choice made, event fired and tipping point passed, in order,
    without repeats (from :class:`game.debrief.Debrief`, as every front end shows it)."""
    return [f"{x.what.get(lang)} — {x.theory.get(lang)}" for x in Debrief.of(session).theory]


def _section(surface, rect: pygame.Rect, title: str, pal, font) -> pygame.Rect:
    """A panel with a heading; returns the content rect below the heading."""
    pygame.draw.rect(surface, pal["panel"], rect, border_radius=8)
    pygame.draw.rect(surface, pal["border"], rect, 1, border_radius=8)
    pad = 16
    _blit_text(surface, title, font, pal["text"], (rect.left + pad, rect.top + 10))
    top = rect.top + 10 + font.get_linesize() + 6
    return pygame.Rect(rect.left + pad, top, rect.width - 2 * pad, rect.bottom - top - 12)


def render_debrief(session: Any, lang: str = "nl", theme: str = "normal", size=(1600, 1000)) -> pygame.Surface:
    """The complete one-page debrief for the class, as a new Surface of ``size``."""
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

    # column 1: axes plot (as square as the column allows), then the archetype
    square = cw[0] - 32 + 2 * _font(MIN_TEXT).get_linesize() + 12 - 60 + head_h
    axes_h = min(square, round(col_h * 0.66))
    r_axes = pygame.Rect(cx[0], top, cw[0], axes_h)
    content = _section(surface, r_axes, _label("axes", lang), pal, f_head)
    axes_plot(surface, content, session, lang, theme)
    r_arch = pygame.Rect(cx[0], r_axes.bottom + gap, cw[0], bottom - r_axes.bottom - gap)
    pygame.draw.rect(surface, pal["panel"], r_arch, border_radius=8)
    pygame.draw.rect(surface, pal["border"], r_arch, 1, border_radius=8)
    content = r_arch.inflate(-32, -24)
    name = f"{_label('archetype', lang)}: {sc_.outcome.name.get(lang)}"
    used = text_box(surface, content, name, f_sub, pal["accent"], 2)
    deb = Debrief.of(session)
    desc = "\n".join(x for x in [sc_.outcome.description.get(lang)] + [t.get(lang) for t in deb.texts]
                     + [deb.mismatch.get(lang)] if x)
    text_box(surface, pygame.Rect(content.left, content.top + used + 8, content.width, content.height - used - 8),
             desc, f_body, pal["text"])

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
    theories = theory_references(session, lang)
    questions = [q.get(lang) for q in deb.questions if q.get(lang)]
    # give each list room in proportion to its text, at least a third each
    body_w = cw[2] - 32
    need_t = sum(_text_height(t, f_body, body_w, bullet="•") + 8 for t in theories) or f_body.get_linesize()
    need_q = sum(_text_height(q, f_body, body_w, bullet="•") + 8 for q in questions) or f_body.get_linesize()
    share = min(0.67, max(0.33, need_t / (need_t + need_q)))
    r_th = pygame.Rect(cx[2], r_prof.bottom + gap, cw[2], round(rest * share))
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


def save_debrief_png(session: Any, path, lang: str = "nl", theme: str = "normal") -> Path:
    """Render the debrief (1600×1000) and write it as a PNG; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    surface = render_debrief(session, lang=lang, theme=theme)
    pygame.image.save(surface, str(path))
    return path
