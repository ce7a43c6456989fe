"""Every screen at every size, text size, language and theme: checked by geometry.

One App per window size renders each screen once per combination into the dummy display
and asserts that nothing leaves the window, nothing overlaps anything else, no text is cut
and no meter is left out. Also: a whole game by mouse only, a held Enter from a card, and
typed shortcuts that never reach a text field."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

pygame = pytest.importorskip("pygame")

from game.play.engine import Story  # noqa: E402
from game.ui import screens as S  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.scenario.validate import validate_file  # noqa: E402

SIZES = [(1024, 600), (1366, 768), (1920, 1080), (3840, 2160)]
TEXT_SIZES = ["normal", "large", "xlarge"]
LANGS = ["nl", "en"]
THEMES = [False, True]  # high contrast
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "layout"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    pygame.display.quit()


def _sessions(example_path: Path):
    scenario = validate_file(str(example_path)).scenario
    story = Story(scenario)
    start = story.new_session(seed=1)
    mid = story.new_session(seed=1)
    mid.choose(1)
    end = story.new_session(seed=1)
    while not end.finished:
        end.choose(len(end.available()))
    return scenario, start, mid, end


def problems_of(screen, size) -> list[str]:
    """What is wrong with the layout of ``screen`` in a window of ``size``."""
    w, h = size
    win = pygame.Rect(0, 0, w, h)
    rects = screen.layout_rects()
    out = []
    for name, r in rects:
        if not win.contains(r):
            out.append(f"{name} {tuple(r)} leaves the window")
    for (n1, r1), (n2, r2) in itertools.combinations(rects, 2):
        if r1.colliderect(r2):
            out.append(f"{n1} {tuple(r1)} overlaps {n2} {tuple(r2)}")
    out += [f"text cut: {t}" for t in screen.cut_texts()]
    return out


def _screens(app: App, scenario, path: str, start, mid, end):
    """(name, make) for every screen; make() puts it on top of the App."""
    def game(session, cls, *a, **kw):
        def make():
            app.scenario, app.scenario_path, app.story, app.session = scenario, path, session.story, session
            app.flash_changes = dict(session.history[-1].changes) if session.history else {}
            app.show(cls(app, *a, **kw) if cls is not S.SceneScreen else cls(app))
        return make

    def over(base, cls, *a):
        def make():
            base()
            app.push(cls(app, *a))
        return make

    ev = scenario.events[0]

    def saved_result(base):
        def make():
            base()
            app.screen.message = app._("Result saved: {path}", path="/home/student-met-een-lange-naam/Documenten/"
                                       "Tegenmacht/voorbeeld-2026-11-23-1415-de-snelle-bruine-vos-ab12cd.tegenmacht.json")
            app.screen.rebuild()
        return make

    def debrief(tab):
        def make():
            game(end, S.DebriefScreen)()
            app.screen.set_tab(tab)
        return make

    return [
        ("title", lambda: app.to_title()),
        ("scene", game(start, S.SceneScreen)),
        ("scene-changed", game(mid, S.SceneScreen)),
        ("coach", game(mid, S.MomentScreen, "coach", "Voer één-op-één-gesprekken met buren over het hek", "",
                       theory="Eigenbelang als motor", coach="Door te luisteren hoor je wat buren zelf willen. " * 3,
                       changes={"eigenaarschap": 16, "energie": -5}, tags=("coalitie", "organiseren"))),
        ("event", game(mid, S.MomentScreen, "event", ev.title.get(app.lang), ev.text.get(app.lang),
                       changes={"achterban": 10, "onrecht": 5})),
        *[(f"debrief-{t}", debrief(t)) for t in range(4)],
        ("menu", over(game(mid, S.SceneScreen), S.MenuScreen)),
        ("settings", over(game(mid, S.SceneScreen), S.SettingsScreen)),
        ("saves", over(game(mid, S.SceneScreen), S.SavesScreen)),
        ("history", over(game(end, S.DebriefScreen), S.HistoryScreen)),
        ("result", over(game(end, S.DebriefScreen), S.ResultScreen)),
        ("result-saved", saved_result(over(game(end, S.DebriefScreen), S.ResultScreen))),
        ("power_map", over(game(mid, S.SceneScreen), S.PowerMapScreen)),
        ("open_folder", over(lambda: app.to_title(), S.OpenFolderScreen, str(Path(path).parent))),
        # projector mode last: it sets the largest text for the class (undone before the next combination)
        ("class-setup", lambda: app.show_class_setup()),
        ("class-scene", lambda: app.start_class(path, phones=False)),
        ("class-vote", lambda: (app.start_class(path, phones=False), app.show_vote())),
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_without_overlap_at_every_text_size_language_and_theme(size, example_path):
    scenario, start, mid, end = _sessions(example_path)
    app = App(size=size, seed=1)
    assert app.size == size
    screens = _screens(app, scenario, str(example_path), start, mid, end)
    found: dict[str, list[str]] = {}
    for text_size, lang, hc in itertools.product(TEXT_SIZES, LANGS, THEMES):
        app.stop_class()
        app.change_setting("text_size", text_size)
        app.change_setting("lang", lang)
        app.change_setting("high_contrast", hc)
        for name, make in screens:
            make()
            app.update(1.0)
            app.draw(force=True)  # draws without error
            combo = f"{name} {size[0]}x{size[1]} {text_size} {lang}{' hc' if hc else ''}"
            probs = problems_of(app.screen, size)
            if name.startswith("scene"):  # every meter in sight
                meters = [n for n, _r in app.screen.layout_rects() if n.startswith("meter:")]
                if len(meters) != len(scenario.meters):
                    probs.append(f"{len(meters)} of {len(scenario.meters)} meters shown")
            if probs:
                found[combo] = probs
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                pygame.image.save(app.surface, str(ARTIFACTS / (combo.replace(" ", "_") + ".png")))
    assert not found, "\n".join(f"{k}: {v[:3]}" for k, v in list(found.items())[:12]) + f"\n({len(found)} in all)"


# -- hands: the mouse alone, a held key, typing --------------------------------------------------

def _click_id(app: App, button_id: str) -> None:
    [b] = [b for b in app.screen.btns if b.id == button_id and app.screen.in_sight(b)] or [None]
    assert b is not None, f"{button_id} not clickable on {app.screen.name}"
    app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=b.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.click(b.rect.center)
    app.update(0.5)


def _wheel_to(app: App, prefix: str) -> str:
    """Scroll with the wheel until a button whose id starts with ``prefix`` is in sight."""
    for _ in range(30):
        ids = [b.id for b in app.screen.btns if b.id.startswith(prefix) and b.enabled and app.screen.in_sight(b)]
        if ids:
            return ids[0]
        app.handle(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False))
    raise AssertionError(f"no {prefix} in sight on {app.screen.name}")


@pytest.mark.parametrize("size", [(1024, 600), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_whole_game_by_mouse_only(size, example_path, home):
    app = App(size=size, seed=1)
    app.change_setting("text_size", "xlarge")
    _click_id(app, "scenario:0")
    assert app.screen.name == "scene"
    # the menu, saving, settings, the power map, history: all one click from a scene
    _click_id(app, "menu")
    assert app.screen.name == "menu"
    _click_id(app, "power_map")
    assert app.screen.name == "power_map"
    _click_id(app, "back")
    assert app.screen.name == "scene"
    _click_id(app, "menu")
    _click_id(app, "settings")
    _click_id(app, "coach:False")
    _click_id(app, "coach:True")  # the layout held still: the second click hit what it aimed at
    assert app.settings.coach is True
    _click_id(app, "back")
    _click_id(app, "menu")
    _click_id(app, "save")
    assert app.screen.name == "saves"
    _click_id(app, "save")
    assert any(i.slot.startswith("spel-") for i in app.store.slots())
    _click_id(app, "back")
    for _ in range(60):
        if app.screen.name == "debrief":
            break
        if app.screen.name in ("coach", "event"):
            _click_id(app, _wheel_to(app, "continue"))
        else:
            _click_id(app, _wheel_to(app, "choice:"))
    assert app.session.finished
    # a key hint is a button too: clicking "Esc menu" opens the menu
    [esc] = [r for r, k, _w, code in app.screen.hint_items if k == "Esc"]
    app.click(esc.center)
    assert app.screen.name == "menu"
    _click_id(app, "quit")
    assert not app.running


def test_hover_and_focus_are_one_highlight(example_path):
    app = App(size=(1366, 768), seed=1)
    app.start(str(example_path))
    assert app.screen.focus.current is None  # nothing preselected
    b = [b for b in app.screen.btns if b.id.startswith("choice:")][1]
    app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=b.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    assert app.screen.focus.current is b
    app.key(pygame.K_TAB)
    assert app.screen.focus.current is not b and not any(
        x.hover and x is not app.screen.focus.current and x.id != b.id for x in app.screen.btns)


def test_a_held_enter_from_a_card_never_chooses(example_path):
    app = App(size=(1366, 768), seed=1)
    app.start(str(example_path))
    app.update(1.0)
    app.key(pygame.K_1)
    assert app.screen.name == "coach"
    app.update(1.0)
    # Enter goes down on the card and stays down; the OS repeats it
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    while app.screen.name in ("coach", "event"):
        app.handle(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
        app.update(1.0)
        app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    assert app.screen.name == "scene"
    turns = app.session.turns
    for _ in range(5):  # held: repeats, long after the guard time
        app.update(1.0)
        app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    assert app.screen.name == "scene" and app.session.turns == turns
    # released and pressed again: still nothing, no choice has the focus
    app.handle(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    app.key(pygame.K_RETURN)
    assert app.session.turns == turns and app.screen.focus.current is None


def test_typed_shortcuts_never_reach_a_text_field(example_path):
    app = App(size=(1366, 768), seed=1)
    app.start(str(example_path))
    app.key(pygame.K_ESCAPE)
    # SDL sends KEYDOWN "3", then TEXTINPUT "3": the key opens the saves screen, its text stays out
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_3, mod=0, unicode="3", scancode=0))
    assert app.screen.name == "saves"
    field = app.screen.name_input
    before = field.value
    app.handle(pygame.event.Event(pygame.TEXTINPUT, text="3"))
    app.handle(pygame.event.Event(pygame.KEYUP, key=pygame.K_3, mod=0, unicode="3", scancode=0))
    assert field.element.is_focused and field.value == before
    app.type_text("x")  # real typing still lands
    assert field.value.endswith("x")
    app.to_title()
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_o, mod=0, unicode="o", scancode=0))
    assert app.screen.name == "open_folder"
    before = app.screen.input.value
    app.handle(pygame.event.Event(pygame.TEXTINPUT, text="o"))
    assert app.screen.input.value == before


# -- the window itself ----------------------------------------------------------------------------

def test_a_new_window_fits_the_usable_desktop():
    from game.ui.display import fit_window

    for usable in ((1024, 728), (1366, 728), (1920, 1040), (3840, 2120)):
        w, h = fit_window(None, usable)
        assert w <= 0.9 * usable[0] + 1 and h <= 0.9 * usable[1] + 1
        assert h >= 0.85 * usable[1]  # and uses it
    assert fit_window((1200, 700), (1920, 1040)) == (1200, 700)  # a remembered size that fits
    assert fit_window((3000, 2000), (1366, 728)) == (1229, 655)  # one that no longer does is shrunk


def test_the_window_remembers_its_size(home):
    app = App(seed=1)
    app.handle(pygame.event.Event(pygame.VIDEORESIZE, w=880, h=600, size=(880, 600)))
    assert app.size == (880, 600)
    app.remember_window()
    pygame.display.quit()
    again = App(seed=1)
    assert again.size == (880, 600)


def test_no_display_is_one_sentence_and_exit_1_within_5_seconds(tmp_path):
    import os
    import subprocess
    import sys
    import time

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["TEGENMACHT_HOME"] = str(tmp_path)
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True, env=env, timeout=30,
                         cwd=str(Path(__file__).resolve().parent.parent))
    assert time.monotonic() - t0 < 5
    assert out.returncode == 1
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and "--text" in lines[0]


def test_the_window_class_is_tegenmacht():
    import os

    from game.ui.display import prepare_environment

    prepare_environment()
    assert os.environ["SDL_VIDEO_X11_WMCLASS"] == "Tegenmacht"


def test_closing_on_a_coach_card_keeps_the_event_card_for_next_time(example_path, home):
    for seed in range(1, 40):  # a seed where the picnic (3) is followed by an event card
        app = App(size=(1366, 768), seed=seed)
        app.start(str(example_path))
        app.key(pygame.K_1)
        while app.screen.name in ("coach", "event"):
            app.key(pygame.K_RETURN)
            app.update(1.0)
        app.key(pygame.K_3)
        if app.screen.name == "coach" and app.moments:
            break
        pygame.display.quit()
    else:
        pytest.fail("no seed gave an event after the coach")
    titles = [m.title for m in app.moments]
    pygame.display.quit()  # the window closes on the coach card
    again = App(size=(1366, 768), seed=seed)
    again.resume_latest()
    assert again.screen.name == "event" and again.screen.title == titles[0]
    while again.screen.name == "event":
        again.key(pygame.K_RETURN)
        again.update(1.0)
    assert again.screen.name == "scene"
    pygame.display.quit()
    third = App(size=(1366, 768), seed=seed)
    third.resume_latest()
    assert third.screen.name == "scene"  # seen: not shown again
