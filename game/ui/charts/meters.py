"""Every meter over the turns, one line per meter, each with its own dash pattern, marker and
end label (never colour alone)."""
from __future__ import annotations

import math
from typing import Any

import pygame

from game.ui.charts.draw import (
    _arrow_label, _blit_surface, _blit_text, _dashed_polyline, _DASHES, _ellipsize, _font, _history_meters,
    _label, _marker, _MARKERS, _meter_label, MIN_TEXT, palette, series_colour, _spread,
)


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
