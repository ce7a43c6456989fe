"""The debrief drawings (game/ui/charts.py): drawn headless, checked pixel by pixel.

Every chart is also saved under tests/artifacts/ (gitignored) so a person can look at it.
"""
from pathlib import Path

import pygame
import pytest

from game.play.engine import Story
from game.play.scoring import score
from game.ui import charts, theme as th
from game.scenario.validate import validate_text

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PATH = ["start.een-op-een", "overleg.coalitie", "actie.bewoners-aan-tafel"]  # ends at 'open' (beweging)


@pytest.fixture(autouse=True, scope="module")
def _pygame():
    pygame.font.init()
    ARTIFACTS.mkdir(exist_ok=True)
    yield


@pytest.fixture
def played(story):
    s = story.new_session(seed=1)
    for key in PATH:
        s.choose(key)
    assert s.finished
    return s


def canvas(size=(1280, 720), theme="normal"):
    surf = pygame.Surface(size)
    surf.fill(charts.palette(theme)["background"])
    return surf


def save(surf, name):
    pygame.image.save(surf, str(ARTIFACTS / name))


def differs(surf, rect, colour) -> int:
    """How many pixels in rect are not ``colour``."""
    rect = pygame.Rect(rect).clip(surf.get_rect())
    n = 0
    for x in range(rect.left, rect.right, 2):
        for y in range(rect.top, rect.bottom, 2):
            if surf.get_at((x, y))[:3] != tuple(colour):
                n += 1
    return n


def loop_scenario(actors_yaml: str = "", steps_meter: str = "tegenmacht: 3, energie: -1") -> str:
    return f"""
format: 1
id: lus
title: {{nl: "Lus", en: "Loop"}}
{actors_yaml}
scenes:
  a:
    text: {{nl: "Nog een keer?", en: "Again?"}}
    choices:
      - id: again
        text: {{nl: "Nog een keer", en: "Again"}}
        strategy: confrontatie
        agency: mobiliseren
        effects: {{{steps_meter}}}
        next: a
      - id: stop
        text: {{nl: "Stop", en: "Stop"}}
        next: end
endings:
  klaar:
    title: {{nl: "Klaar", en: "Done"}}
    text: {{nl: "Klaar.", en: "Done."}}
"""


def load(text):
    report = validate_text(text)
    assert report.scenario is not None, [p.render("en") for p in report.problems]
    return report.scenario


# ------------------------------------------------------------------ axes plot
@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
def test_axes_plot_marks_the_players_point(played, theme):
    surf = canvas(theme=theme)
    rect = pygame.Rect(40, 20, 640, 680)
    charts.axes_plot(surf, rect, played, theme=theme)
    save(surf, f"axes_{theme}.png")
    sc = score(played)
    area = charts.axes_plot_area(rect)
    px, py = charts.axes_point(area, sc.tegenmacht, sc.eigenaarschap)
    # the point is where the score says: tegenmacht 37 → 37% across, eigenaarschap 60 → 60% up
    assert (sc.tegenmacht, sc.eigenaarschap) == (37.0, 60.0)
    assert px == pytest.approx(area.left + 0.37 * (area.width - 1), abs=1)
    assert py == pytest.approx(area.bottom - 1 - 0.60 * (area.height - 1), abs=1)
    assert surf.get_at((px, py))[:3] == charts.marker_colour(theme)
    assert surf.get_at((px + 3, py - 3))[:3] == charts.marker_colour(theme)
    # the marker colour appears nowhere far from the point (it is the player's alone)
    far = pygame.Rect(area.left, area.top, area.width, area.height // 4)
    assert not far.collidepoint(px, py)
    assert differs(surf, far, charts.marker_colour(theme)) == len(range(far.left, far.right, 2)) * len(
        range(far.top, far.bottom, 2))


def test_axes_plot_labels_every_quadrant(played):
    surf = canvas()
    rect = pygame.Rect(40, 20, 640, 680)
    charts.axes_plot(surf, rect, played)
    area = charts.axes_plot_area(rect)
    tx, ty = charts.axes_point(area, 50, 50)
    pal = charts.palette()
    muted = pal["muted"]
    # label areas: top strip of the upper quadrants, bottom strip of the lower ones
    strips = {
        "gemeenschap": pygame.Rect(area.left + 4, area.top + 4, tx - area.left - 8, 60),
        "beweging": pygame.Rect(tx + 4, area.top + 4, area.right - tx - 8, 60),
        "harmonie": pygame.Rect(area.left + 4, area.bottom - 64, tx - area.left - 8, 60),
        "held": pygame.Rect(tx + 4, area.bottom - 64, area.right - tx - 8, 60),
    }
    for name, strip in strips.items():
        text_pixels = sum(1 for x in range(strip.left, strip.right) for y in range(strip.top, strip.bottom)
                          if surf.get_at((x, y))[:3] == muted)
        assert text_pixels > 30, f"no label drawn in quadrant {name}"


def test_axes_plot_without_steps_puts_the_point_at_the_start(story):
    s = story.new_session(seed=1)
    surf = canvas()
    rect = pygame.Rect(0, 0, 600, 600)
    charts.axes_plot(surf, rect, s, lang="en")
    area = charts.axes_plot_area(rect)
    sc = story.scenario
    x = 100 * (s.meters["tegenmacht"] - sc.meters["tegenmacht"].min) / (sc.meters["tegenmacht"].max
                                                                      - sc.meters["tegenmacht"].min)
    y = 100 * (s.meters["eigenaarschap"] - sc.meters["eigenaarschap"].min) / (sc.meters["eigenaarschap"].max
                                                                            - sc.meters["eigenaarschap"].min)
    assert surf.get_at(charts.axes_point(area, x, y))[:3] == charts.marker_colour()
    save(surf, "axes_zero_steps.png")


# ------------------------------------------------------------------ meters chart
def test_meters_chart_draws_a_line_per_meter(played):
    surf = canvas()
    rect = pygame.Rect(20, 20, 1000, 500)
    charts.meters_chart(surf, rect, played)
    save(surf, "meters.png")
    bg = charts.palette()["background"]
    # end labels sit right of the plot: the label column has text
    assert differs(surf, pygame.Rect(rect.right - 200, rect.top, 200, rect.height), bg) > 200
    # every meter's colour is present in the plot (one line each)
    panel = charts.palette()["panel"]
    plot = pygame.Rect(rect.left + 60, rect.top + 10, rect.width - 360, rect.height - 80)
    seen = {surf.get_at((x, y))[:3] for x in range(plot.left, plot.right, 2) for y in range(plot.top, plot.bottom)}
    for i, _ in enumerate(played.scenario.meters):
        assert charts.series_colour("normal", i) in seen
    assert panel in seen


def test_meters_chart_long_game_and_zero_steps(story):
    sc = load(loop_scenario())
    s = Story(sc).new_session(seed=3)
    for _ in range(30):
        s.choose("a.again")
    s.choose("a.stop")
    assert s.turns == 31
    surf = canvas()
    charts.meters_chart(surf, pygame.Rect(20, 20, 900, 420), s, lang="en")
    save(surf, "meters_31_steps.png")
    empty = story.new_session(seed=1)
    surf2 = canvas()
    charts.meters_chart(surf2, pygame.Rect(20, 20, 600, 300), empty)
    save(surf2, "meters_zero_steps.png")
    assert differs(surf2, pygame.Rect(20, 20, 600, 300), charts.palette()["background"]) > 500


# ------------------------------------------------------------------ profile bars
def test_profile_bars_show_shares(played):
    sc = score(played)
    surf = canvas()
    rect = pygame.Rect(40, 40, 600, 240)
    charts.profile_bars(surf, rect, sc)
    save(surf, "profile.png")
    lh = charts._font(charts.MIN_TEXT).get_linesize()
    # strategy bar: polderen 1/3, coalitie 1/3, then neutraal 1/3
    y = rect.top + lh + 4 + 10
    assert surf.get_at((rect.left + 20, y))[:3] == th.rgb(th.STRATEGY_COLOURS["polderen"])
    assert surf.get_at((rect.centerx, y))[:3] == th.rgb(th.STRATEGY_COLOURS["coalitie"])
    assert surf.get_at((rect.right - 10, y))[:3] == charts.strategy_colour("neutraal")
    # agency bar: organiseren all the way
    y2 = rect.top + rect.height // 2 + lh + 4 + 10
    assert surf.get_at((rect.left + 20, y2))[:3] == th.rgb(th.AGENCY_COLOURS["organiseren"])
    assert surf.get_at((rect.right - 10, y2))[:3] == th.rgb(th.AGENCY_COLOURS["organiseren"])


def test_profile_bars_without_choices(story):
    s = story.new_session(seed=1)
    surf = canvas()
    charts.profile_bars(surf, pygame.Rect(40, 40, 600, 200), score(s), lang="en")
    save(surf, "profile_zero_steps.png")
    back = charts.palette()["bar_back"]
    lh = charts._font(charts.MIN_TEXT).get_linesize()
    assert surf.get_at((45, 40 + lh + 8))[:3] == back  # an empty bar with a message, no segments


# ------------------------------------------------------------------ power map
def test_power_map_before_and_after(played):
    sc = played.scenario
    surf = canvas()
    rect = pygame.Rect(40, 20, 1000, 600)
    charts.power_map(surf, rect, sc, played.start_actors, played.actors)
    save(surf, "power_map.png")
    area = charts.power_map_area(rect)
    k = played.actors["kerngroep"]
    x = round(area.left + (k["stance"] + 100) / 200 * (area.width - 1))
    y = round(area.bottom - 1 - k["power"] / 100 * (area.height - 1))
    filled = surf.get_at((x, y))[:3]
    b = played.start_actors["kerngroep"]
    yb = round(area.bottom - 1 - b["power"] / 100 * (area.height - 1))
    assert filled == surf.get_at((x + 4, y))[:3] != charts.palette()["panel"]  # filled after-point
    assert surf.get_at((x, yb))[:3] == charts.palette()["panel"]  # hollow before-point
    assert surf.get_at((x, yb - 7))[:3] == filled  # ring of the same colour


def test_power_map_no_actors_and_long_names():
    no_actors = load(loop_scenario())
    surf = canvas()
    charts.power_map(surf, pygame.Rect(20, 20, 700, 500), no_actors, {}, {}, lang="en")
    save(surf, "power_map_no_actors.png")
    long = "Stichting Welzijn en Maatschappelijke Dienstverlening Zuidoost-Brabant en omstreken"
    actors = f"""actors:
  a: {{name: {{nl: "{long}"}}, power: 90, stance: 95}}
  b: {{name: {{nl: "{long} B"}}, power: 88, stance: 90}}
  c: {{name: {{nl: "Kerk"}}, power: 5, stance: -100}}
"""
    sc = load(loop_scenario(actors))
    s = Story(sc).new_session(seed=1)
    rect = pygame.Rect(20, 20, 600, 420)
    surf = canvas()
    charts.power_map(surf, rect, sc, s.start_actors, s.actors)
    save(surf, "power_map_long_names.png")
    bg = charts.palette()["background"]
    # nothing is drawn outside the rect
    outside = [pygame.Rect(0, 0, 1280, rect.top), pygame.Rect(0, rect.bottom, 1280, 720 - rect.bottom),
               pygame.Rect(rect.right, 0, 1280 - rect.right, 720), pygame.Rect(0, 0, rect.left, 720)]
    for r in outside:
        assert differs(surf, r, bg) == 0


# ------------------------------------------------------------------ the whole debrief
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
def test_save_debrief_png(played, tmp_path, lang, theme):
    path = charts.save_debrief_png(played, tmp_path / "sub" / "debrief.png", lang=lang, theme=theme)
    assert path.exists()
    img = pygame.image.load(str(path))
    assert img.get_width() == 1600 and 1000 <= img.get_height() <= 1600  # taller when the text needs it
    assert img.get_at((2, 2))[:3] == th.rgb(th.THEMES[theme]["background"])
    save(img, f"debrief_{lang}_{theme}.png")
    small = charts.render_debrief(played, lang=lang, theme=theme, size=(1280, 720))
    assert small.get_width() == 1280 and small.get_height() >= 720  # taller rather than cut off
    save(small, f"debrief_1280x720_{lang}_{theme}.png")


def test_debrief_png_cuts_no_text(played, monkeypatch):
    drawn: list[str] = []
    real = charts._blit_text
    monkeypatch.setattr(charts, "_blit_text", lambda s, text, *a, **k: drawn.append(text) or real(s, text, *a, **k))
    for size in ((1600, 1000), (1280, 720)):
        charts.render_debrief(played, lang="nl", size=size, previous=(20.0, 60.0))
    cut = [t for t in drawn if "…" in t and t != charts._label("none", "nl")]
    assert not cut, cut


def test_debrief_lists_theory_once_and_questions(played, story):
    refs = charts.theory_references(played, "nl")  # what brought the theory up, then the theory
    assert refs == ["Voer één-op-één-gesprekken met buren over het hek — Eigenbelang als motor — community organizing",
                    "Zoek steun bij de school en de moskee — Brede coalities — Citizens UK"]
    s = story.new_session(seed=1)
    for key in ["start.mail", "overleg.subsidie"]:
        s.choose(key)
    assert charts.theory_references(s, "en") == [
        "Email the alderman yourself on the residents' behalf — "
        "The iron rule: never do for people what they can do themselves",
        "Accept the grant and join the talks politely — Polder model and subsidy dependence"]


def test_debrief_zero_steps_and_long_game(story):
    s = story.new_session(seed=1)
    surf = charts.render_debrief(s)
    assert surf.get_size() == (1600, 1000)
    save(surf, "debrief_zero_steps.png")
    sc = load(loop_scenario())
    long = Story(sc).new_session(seed=1)
    for _ in range(24):
        long.choose("a.again")
    surf = charts.render_debrief(long, lang="en", size=(1280, 720))
    save(surf, "debrief_24_steps_unfinished.png")


def test_high_contrast_background(played):
    surf = charts.render_debrief(played, theme="high_contrast")
    assert surf.get_at((1, 1))[:3] == (0, 0, 0)
    assert surf.get_at((800, 998))[:3] == (0, 0, 0)


def test_text_box_never_overflows():
    surf = canvas((400, 300))
    font = charts._font(20)
    box = pygame.Rect(20, 20, 200, 80)
    used = charts.text_box(surf, box, "woord " * 200 + "Onuitspreekbaarheidsverklaringsformulier", font, (0, 0, 0))
    assert used <= box.height
    bg = charts.palette()["background"]
    assert differs(surf, pygame.Rect(0, box.bottom + 1, 400, 300 - box.bottom - 1), bg) == 0
    assert differs(surf, pygame.Rect(box.right + 1, 0, 400 - box.right - 1, 300), bg) == 0


@pytest.mark.parametrize("size", [(500, 420), (560, 440), (900, 700)])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_quadrant_names_are_never_cut(played, monkeypatch, size, lang):
    """A quadrant too narrow for its name (threshold 30 at 1280x720: "Harmonie zonder verandering")
    gets it on two lines that may reach past the threshold line; nothing is cut off with "…"."""
    drawn: list[str] = []
    real = charts._blit_text
    monkeypatch.setattr(charts, "_blit_text", lambda s, text, *a, **k: drawn.append(text) or real(s, text, *a, **k))
    surf = canvas(size)
    charts.axes_plot(surf, pygame.Rect((0, 0), size), played, lang=lang)
    save(surf, f"axes-quadrants-{size[0]}x{size[1]}-{lang}.png")
    words = " ".join(drawn).split()
    for arch in played.scenario.archetypes.values():
        name = arch.name.get(lang)
        assert all(w in words for w in name.split()), name  # every word whole
    assert not any("…" in t for t in drawn)
    # the two-line form really is two lines for the narrow quadrant at the debrief size
    if size == (500, 420) and lang == "nl":
        f = charts._font(charts.MIN_TEXT)
        assert charts._two_lines("Harmonie zonder verandering", f) == ["Harmonie zonder", "verandering"]
        assert "Harmonie zonder" in drawn and "verandering" in drawn or "1 Harmonie zonder verandering" in drawn


@pytest.mark.parametrize("size", [(380, 420), (420, 380), (500, 420), (640, 680), (1200, 1100)])
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("previous", [None, (20.0, 80.0), (35.0, 55.0)])
def test_axes_plot_names_touch_no_name_point_or_path(played, story, size, lang, previous):
    """By geometry: every quadrant name (or its number) is inside its plot, clear of the other names,
    the player's point, the ghost of the last attempt and the path; the legend and the threshold
    note sit outside the plot; names that found no room are in the key below."""
    for session in (played, story.new_session(seed=1)):
        surf = canvas(size)
        L = charts.axes_plot(surf, pygame.Rect((0, 0), size), session, lang=lang, previous=previous)
        area = L["area"]
        names = [box for box, _l, _f, _s in L["labels"].values()] + list(L["badges"].values())
        px, py = L["point"]
        point = pygame.Rect(px - 13, py - 13, 26, 26)
        for i, box in enumerate(names):
            assert area.contains(box)
            assert not box.colliderect(point)
            assert box.collidelist(names[:i] + names[i + 1:]) < 0
            if len(L["path"]) > 1:
                assert not any(box.clipline(a, b) for a, b in zip(L["path"], L["path"][1:]))
            if L["ghost"] is not None:
                gx, gy = L["ghost"]
                assert not box.colliderect(pygame.Rect(gx - 9, gy - 9, 18, 18))
        assert set(L["labels"]) | set(L["left_out"]) == {"harmonie", "held", "gemeenschap", "beweging"}
        assert len(L["keys"]) == len(L["left_out"])
        for r in [L["legend_rect"], L["note"][0], *[k for k, _l in L["keys"]]]:
            assert not r.colliderect(area) and pygame.Rect((0, 0), size).contains(r)
        assert str(L["threshold"]) in " ".join(L["note"][1])


def test_debrief_png_says_what_the_window_says(story):
    """The PNG carries the ending's text, the debrief texts and the turning points (no '…')."""
    from game.play.debrief import Debrief
    s = story.new_session(seed=0)
    for key in ["start.mail", "overleg.protest", "actie.bewoners-aan-tafel"]:
        s.choose(key)
    text = charts.outcome_text(s, Debrief.of(s), "nl")
    assert s.ending.text.nl in text
    assert "Kantelmomenten:" in text and "beurt 3: Stuur Fatima en twee buren" in text
    assert "Je nam werk over van de bewoners" in text and "…" not in text
    assert "Theorie" not in text and "Vragen" not in text  # those have their own column
