"""The tegenmacht (x) × eigenaarschap (y) plot with the four quadrants, the player's path, the
final point, the previous attempt as a ghost, a legend and the threshold explained."""
from __future__ import annotations

from typing import Any, Optional

import pygame

from game.play.scoring import axis, score as score_session
from game.ui.charts.draw import (
    _arrow_label, _blit_surface, _blit_text, _dashed_polyline, _font, _history_meters, _label, _legend_lines,
    _longest_word, _marker, _meter_label, MIN_TEXT, palette, _seg_hits, _two_lines, wrap_lines,
)


def _legend_items(lang: str, you: str, ghost: Optional[str]) -> list[tuple[str, str]]:
    items = [("start", _label("start", lang)), ("path", ""), ("you", f"{_label('you', lang)} {you}")]
    if ghost is not None:
        items.append(("ghost", f"{_label('last_time', lang)} {ghost}"))
    return items


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
