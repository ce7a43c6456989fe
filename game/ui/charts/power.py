"""The power map: actors by stance and power, before (hollow) and after (filled), an arrow between."""
from __future__ import annotations

import math
from typing import Any

import pygame

from game.ui.charts.draw import (
    _arrow, _arrow_label, _blit_surface, _blit_text, _font, _label, MIN_TEXT, palette, series_colour,
    _two_lines, wrap_lines,
)


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
