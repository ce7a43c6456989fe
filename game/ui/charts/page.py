"""The one-page class debrief (PNG): the outcome, every chart, the debrief texts, turning points,
the theory behind the choices and the questions for the group."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

import pygame

from game.play.debrief import Debrief
from game.play.scoring import score as score_session
from game.ui.charts.axes import axes_plot, axes_plot_height
from game.ui.charts.draw import _blit_text, _ellipsize, _font, _label, palette, text_box, _text_height
from game.ui.charts.meters import meters_chart
from game.ui.charts.power import power_map
from game.ui.charts.profile import profile_bars, profile_bars_height


# --------------------------------------------------------------------------- the one-page debrief
def theory_references(session: Any, lang: str = "nl") -> list[str]:
    """The theory of every choice made, event fired and tipping point passed, in order,
    without repeats (from :class:`game.play.debrief.Debrief`, as every front end shows it)."""
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
    debrief texts, the turning points, late consequences and locked choices (from game.play.debrief)."""
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
