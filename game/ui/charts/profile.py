"""Strategy and agency shares as two stacked bars with a legend."""
from __future__ import annotations

import pygame

from game.play.scoring import NEUTRAL, Score
from game.scenario.model import AGENCIES, STRATEGIES
from game.ui.charts.draw import _blit_text, _font, _label, MIN_TEXT, pack_lines, palette, strategy_colour


# --------------------------------------------------------------------------- profile bars
_BAR_H = 32


def _profile_rows(score: Score):
    return [("strategy", STRATEGIES + (NEUTRAL,), score.strategy), ("agency", AGENCIES + (NEUTRAL,), score.agency)]


def _legend_layout(names, shares, lang: str, font, width: int) -> list[list[tuple[str, str, int]]]:
    """Legend entries (tag, text, width) in lines; used shares first, then the 0% ones."""
    used = [k for k in names if shares.get(k, 0) > 0]
    order = used + [k for k in names if k not in used]
    texts = [(k, f"{_label(k, lang)} {round(100 * shares.get(k, 0))}%") for k in order]
    return pack_lines(((k, text, 22 + font.size(text)[0]) for k, text in texts), width, 16)


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
