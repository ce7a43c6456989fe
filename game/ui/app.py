"""The game window: ``run(path=None, lang=None, watch=False) -> exit code``.

The App owns the window, the screen stack, the settings and the current
session; the engine owns the rules. The main loop reads init -> events ->
update -> draw, redraws only when something changed, and sleeps while nothing
moves. Text fields are pygame_gui elements in one ``UIManager`` the App owns; it gets
every event first, and is updated and drawn with the screens.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Optional

import pygame

from game.play.controller import Moment, Play, moments
from game.play.engine import Session, Story
from game.i18n import Translator
from game.scenario.problems import EngineError, SaveError, TegenmachtError
from game.play.debrief import Debrief, Previous, turn_lines
from game.scenario.model import Text
from game.play.scoring import score
from game.scenario.validate import validate_file
from game.records.store import Settings, Store
from game.ui import charts
from game.ui import display as D
from game.ui import screens as S
from game.ui.widgets import Style, entry_theme, font, theme_file, wrap

def _code_stamp() -> str:
    """Changes when the validator (any of its passes) changes: a cached title summary is then checked again."""
    try:
        from game.scenario import build, check_refs, check_shape, check_story, passes, validate

        stamps = []
        for module in (validate, passes, check_shape, build, check_refs, check_story):
            st = os.stat(module.__file__)
            stamps.append(f"{st.st_mtime_ns}-{st.st_size}")
        return "/".join(stamps)
    except (OSError, AttributeError):
        return ""


_CODE_STAMP = _code_stamp()
FLASH_SECONDS = 2.0  # how long a meter change stays highlighted
GROW_SECONDS = 0.6  # how long a bar takes to move to its new value
NOTICE_SECONDS = 6.0
IDLE_SLEEP = 0.04  # seconds the loop sleeps when nothing moves (keys still answer within 40 ms)
WATCH_EVERY = 0.5
RECORD_RETRY_SECONDS = 20.0  # how often the window retries to record sessions that wait in the queue


class App:
    def __init__(self, path: Optional[str] = None, lang: Optional[str] = None, watch: bool = False,
                 size: Optional[tuple[int, int]] = None, store: Any = None, seed: Optional[int] = None,
                 coach: Optional[bool] = None):
        D.init_display()  # NoDisplay (one sentence in run()) when there is no screen
        pygame.font.init()
        font.cache_clear()  # fonts from an earlier pygame.init() are no longer valid
        self.store = store if store is not None else Store()
        try:
            self.settings = self.store.load_settings()
        except Exception:  # damaged settings never stop the game
            self.settings = Settings()
        # --lang and --no-coach hold for this run only; the saved values stay unless changed in Settings
        self._saved_values: dict[str, Any] = {}
        for field, value in (("lang", lang if lang in ("nl", "en") else None),
                             ("coach", None if coach is None else bool(coach))):
            if value is not None and getattr(self.settings, field) != value:
                self._saved_values[field] = getattr(self.settings, field)
                self.settings = dataclasses.replace(self.settings, **{field: value})
        self.lang = self.settings.lang if self.settings.lang in ("nl", "en") else "nl"
        self._ = Translator(self.lang)
        saved = (getattr(self.settings, "window_w", 0), getattr(self.settings, "window_h", 0))
        self.window_size = tuple(size) if size else D.fit_window(saved)
        self.dpi = 1.0 if size else D.dpi_scale()
        self._size_saved_at = self.window_size
        pygame.display.set_caption("Tegenmacht")
        self.surface = self._open_window(self.settings.fullscreen)
        self.style = self._make_style()
        self._ui = None  # pygame_gui, for the text fields: made (and imported) when a field first needs it
        self._entry_look = ()  # what the text fields showed at the last draw (caret, text)
        self._ui_live = True  # pygame_gui had a field to update in the last frame
        self.stack: list[S.Screen] = []
        self.running = True
        self.exit_code = 0
        self.dirty = True
        self.now = 0.0
        self.flash_changes: dict[str, int] = {}
        self.flash_t = FLASH_SECONDS
        self.notice_text = ""
        self.notice_t = 0.0
        self.moments: list[S.Screen] = []
        self.scenario = None
        self.story: Optional[Story] = None
        self.session: Optional[Session] = None
        self.scenario_path: Optional[str] = None
        self.replayed = False
        self.watch = watch
        self.seed = seed  # fixed seed for new games (tests, classes that want the same events)
        self.class_mode = False  # projector mode: the class votes at every choice
        self.votes = None  # the VoteServer of a class that votes from phones (None: counts are typed)
        self.watcher = None
        self.watch_problems: list[str] = []
        self._watch_clock = 0.0
        self._images: dict[str, Optional[pygame.Surface]] = {}
        self._infos: Optional[list[dict]] = None
        self._warned = 0  # how many of the store's warnings were shown
        self.held: set[int] = set()  # keys down now (a screen that appears ignores them until released)
        self._swallow_text: Optional[str] = None  # the character of a key that was used as a shortcut
        self._record_clock = 0.0
        self._left: Optional[tuple] = None  # the session (and its length) last recorded as abandoned
        recover = getattr(self.store, "recover", None)
        if recover is not None:  # sessions an earlier run could not record: in the background
            self._safe(lambda: recover(background=True), 0)
        pygame.key.set_repeat()  # no key repeat: a held Enter must not run through coach cards into a choice
        if path:
            self.start(path)
        else:
            self.show(S.TitleScreen(self))
        self.show_store_warnings()

    def show_store_warnings(self) -> None:
        """A damaged settings file or save is reported in one sentence (the store set it aside)."""
        texts = self._safe(lambda: self.store.warning_texts(self.lang), [])
        if len(texts) > self._warned:
            self.notice(" ".join(texts[self._warned:]), NOTICE_SECONDS * 2)
            self._warned = len(texts)

    # -- window --------------------------------------------------------------------------
    def _open_window(self, fullscreen: bool) -> pygame.Surface:
        if fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                pass
        surface = pygame.display.set_mode(self.window_size, pygame.RESIZABLE)
        try:
            with warnings.catch_warnings():  # pygame-ce 2.5 warns about surface rendering; we only set a size
                warnings.simplefilter("ignore", DeprecationWarning)
                pygame.Window.from_display_module().minimum_size = D.MIN_SIZE
        except (pygame.error, AttributeError, ValueError):
            pass
        return surface

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def _make_style(self) -> Style:
        theme = "high_contrast" if self.settings.high_contrast else "normal"
        return Style(theme, self.settings.text_size, self.size, dpi=self.dpi)

    @property
    def ui(self):
        """The pygame_gui manager of the text fields (save name, folder path), made on first use: a
        window that never shows a field never loads pygame_gui (a quicker start)."""
        if self._ui is None:
            self._ui = self._make_ui()
        return self._ui

    def _make_ui(self):
        import pygame_gui

        """The pygame_gui manager, themed by assets/theme.json (or its high-contrast twin)."""
        ui = pygame_gui.UIManager(self.size, str(theme_file(self.style.theme_name)), enable_live_theme_updates=False)
        ui.get_theme().load_theme(entry_theme(self.style.theme_name, self.style.body_px))
        self._ui_look = (self.style.theme_name, self.style.body_px)
        return ui

    def _retheme_ui(self) -> None:
        """Theme and text size changed: the same manager, the other JSON, the body text size."""
        if self._ui is None:
            return
        look = (self.style.theme_name, self.style.body_px)
        self.ui.set_window_resolution(self.size)
        if look == self._ui_look:
            return
        theme = self.ui.get_theme()
        if look[0] != self._ui_look[0]:
            theme.load_theme(str(theme_file(look[0])))
        theme.load_theme(entry_theme(*look))
        self.ui.rebuild_all_from_changed_theme_data()
        self._ui_look = look

    def relayout(self) -> None:
        self.style = self._make_style()
        self._retheme_ui()
        for sc in self.stack:
            sc.rebuild()
        self._sync_entries()
        self.dirty = True

    def resize(self, w: int, h: int) -> None:
        w, h = max(D.MIN_SIZE[0], w), max(D.MIN_SIZE[1], h)
        if not self.settings.fullscreen:
            self.window_size = (w, h)
            if self.surface.get_size() != (w, h):
                self.surface = pygame.display.set_mode((w, h), pygame.RESIZABLE)
        self.relayout()

    def remember_window(self) -> None:
        """Keep the window's size for the next start (not while full screen; written once, at the end)."""
        if self.settings.fullscreen or tuple(self.window_size) == tuple(self._size_saved_at):
            return
        w, h = self.window_size
        self._size_saved_at = self.window_size
        self.settings = dataclasses.replace(self.settings, window_w=int(w), window_h=int(h))
        to_save = dataclasses.replace(self.settings, **self._saved_values)
        self._safe(lambda: self.store.save_settings(to_save), None)

    def toggle_fullscreen(self) -> None:
        self.change_setting("fullscreen", not self.settings.fullscreen)

    # -- screens -------------------------------------------------------------------------
    @property
    def screen(self) -> S.Screen:
        return self.stack[-1]

    def show(self, screen: S.Screen) -> None:
        """Replace the whole stack with ``screen``."""
        gone, self.stack = self.stack, [screen]
        screen.rebuild()
        self._sync_entries(gone)
        self.dirty = True

    def push(self, screen: S.Screen) -> None:
        self.stack.append(screen)
        screen.rebuild()
        self._sync_entries()
        self.dirty = True

    def back(self) -> None:
        if len(self.stack) > 1:
            gone = [self.stack.pop()]
            self.screen.rebuild()
            self._sync_entries(gone)
        else:
            self.to_title()
        self.dirty = True

    def _sync_entries(self, gone: Optional[list] = None) -> None:
        """Text fields: those of screens that left the stack are killed; only the top screen's
        are shown, and the one under its focus ring has the keyboard focus."""
        for sc in gone or []:
            if sc not in self.stack:
                for e in sc.owned:
                    e.kill()
        for sc in self.stack:
            sc.sync_entries(top=sc is self.stack[-1])

    close_overlay = back

    def _push_unique(self, cls) -> None:
        if self.stack and isinstance(self.screen, cls):
            return self.back()
        if self.stack and self.screen.overlay:
            self.stack.pop()
        self.push(cls(self))

    def show_menu(self) -> None:
        self._push_unique(S.MenuScreen)

    def show_settings(self) -> None:
        self._push_unique(S.SettingsScreen)

    def show_history(self) -> None:
        if self.session is not None:
            self._push_unique(S.HistoryScreen)

    def show_power_map(self) -> None:
        if self.session is not None:
            self._push_unique(S.PowerMapScreen)

    def show_saves(self) -> None:
        self._push_unique(S.SavesScreen)

    def show_open_folder(self) -> None:
        folder = str(Path(self.scenario_path).parent) if self.scenario_path else str(Path.cwd())
        self.push(S.OpenFolderScreen(self, folder))

    def to_title(self) -> None:
        self.leave_session()
        self.stop_class()
        self._infos = None
        self.show(S.TitleScreen(self))

    def quit(self) -> None:
        self.leave_session()
        self.running = False

    def leave_session(self) -> None:
        """The player leaves the game in progress (back to the title, another scenario or save, the
        window closes): once it has a choice, it is recorded as abandoned, in the background. The
        same session left again at the same point is not recorded twice."""
        s = self.session
        if s is None or s.finished or not s.history:
            return
        key = (id(s), len(s.history), s.history[-1].key)
        if self._left == key:
            return
        self._left = key
        self._safe(lambda: self.store.record_abandoned(s, self.scenario_path, replay=self.replayed, background=True),
                   None)

    def notice(self, text: str, seconds: float = NOTICE_SECONDS) -> None:
        self.notice_text, self.notice_t = text, seconds
        self.dirty = True

    @staticmethod
    def _safe(fn, default):
        try:
            return fn()
        except Exception:
            return default

    # -- scenarios -----------------------------------------------------------------------
    def _scenario_summary(self, p) -> Optional[dict]:
        """What the title screen shows of one scenario file, in both languages, or None if it has
        errors. Validated only when the file changed: remembered in memory and in
        ``title-cache.json`` beside the saves, so a start does not check every scenario again."""
        try:
            st = os.stat(p)
            stamp = [st.st_mtime_ns, st.st_size, _CODE_STAMP]
        except OSError:
            return None
        mem = self.__dict__.setdefault("_summaries", {})
        hit = mem.get(str(p))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        root = getattr(self.store, "root", None)
        disk: dict = {}
        path = Path(root) / "title-cache.json" if root is not None else None
        if path is not None and path.exists():
            try:
                import json

                disk = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(disk, dict):
                    disk = {}
            except (OSError, ValueError):
                disk = {}
        entry = disk.get(str(p))
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            mem[str(p)] = (stamp, entry.get("summary"))
            return entry.get("summary")
        sc = validate_file(p).scenario
        summary = None
        if sc is not None:
            both = lambda x: {"nl": x.get("nl"), "en": x.get("en")}  # noqa: E731
            summary = {"id": sc.id, "title": both(sc.title), "summary": both(sc.summary), "minutes": sc.minutes,
                       "goals": [both(g) for g in sc.learning_goals],
                       "endings": [[eid, both(e.title)] for eid, e in sc.endings.items()]}
        mem[str(p)] = (stamp, summary)
        if path is not None:
            try:
                import json

                from game.safeio import atomic_write

                disk[str(p)] = {"stamp": stamp, "summary": summary}
                atomic_write(path, json.dumps(disk, ensure_ascii=False))
            except Exception:  # a cache that cannot be written only costs time
                pass
        return summary

    def scenario_infos(self) -> list[dict]:
        if self._infos is None:
            from game.scenario.files import shipped_scenarios

            lang = self.lang
            infos = []
            for p in shipped_scenarios():
                sm = self._safe(lambda: self._scenario_summary(p), None)
                if sm is None:
                    infos.append({"path": str(p), "title": Path(p).name, "problems": True})
                    continue
                found_ids = self._safe(lambda: self.store.discovered_endings(sm["id"]), set())
                infos.append({
                    "path": str(p), "title": sm["title"].get(lang) or sm["title"].get("nl"),
                    "summary": sm["summary"].get(lang) or sm["summary"].get("nl"),
                    "minutes": sm["minutes"], "goals": [g.get(lang) or g.get("nl") for g in sm["goals"]],
                    "endings": len(sm["endings"]),
                    "found": [t.get(lang) or t.get("nl") for eid, t in sm["endings"] if eid in found_ids],
                })
            self._infos = infos
        return self._infos

    def _load(self, path: str):
        """Validate ``path``: the scenario, or None after showing its problems."""
        report = validate_file(path)
        if report.scenario is None or report.errors:
            problems = [p.render(self.lang) for p in report.problems] or [
                self._("The file could not be read: {path}", path=path)]
            self.show(S.ProblemsScreen(self, path, problems))
            return None
        return report.scenario

    def start(self, path: str, seed: Optional[int] = None) -> None:
        scenario = self._load(str(path))
        if scenario is None:
            return
        seed = self.seed if seed is None else seed
        self._begin(scenario, str(path), Story(scenario).new_session(seed=seed, lang=self.lang))

    def _begin(self, scenario, path: str, session: Session) -> None:
        if self.session is not None and self.session is not session:
            self.leave_session()
        self.scenario, self.scenario_path = scenario, path
        self.story = session.story
        self.session = session
        self.replayed = any(h.replay for h in session.history)
        self.flash_changes, self.flash_t = {}, FLASH_SECONDS
        self.moments = []
        self.previous = self._previous_attempt(scenario.id, session)
        if self.watch:
            self._start_watcher(path)
        self._show_current()

    def _start_watcher(self, path: str) -> None:
        from game.text.watch import ScenarioWatcher

        self.watcher = ScenarioWatcher(path)

    def _show_current(self) -> None:
        if self.session.finished:
            self.show(S.DebriefScreen(self))
        elif self.class_mode:
            from game.ui.classroom import ClassSceneScreen

            self.show(ClassSceneScreen(self))
        else:
            self.show(S.SceneScreen(self))

    # -- projector mode ------------------------------------------------------------------------
    def show_class_setup(self) -> None:
        from game.ui.classroom import ClassSetupScreen

        self.show(ClassSetupScreen(self))

    def start_class(self, path: str, phones: bool = True, server: Any = None) -> None:
        """Play ``path`` as a class: large text, choices A/B/C, a vote before every choice.

        With ``phones`` a vote server starts (unless ``server`` is one already running); when it
        cannot, the class goes on with typed counts and the reason is shown in one sentence."""
        self.stop_class()
        if server is None and phones:
            from game.classroom.votes import VoteServer, VoteServerError  # aiohttp loads only for a class

            try:
                server = VoteServer(lang=self.lang).start()
            except VoteServerError as err:
                self.notice(str(err) + " " + self._("Type the counts instead."), NOTICE_SECONDS * 2)
                server = None
        if server is not None and server.url is None:  # no room network: phones cannot reach this machine
            server.stop()
            server = None
            self.notice(self._("No network found, so phones cannot vote; type the counts."), NOTICE_SECONDS * 2)
        self.votes = server
        self.class_mode = True
        if self.settings.text_size != "xlarge":  # the back row reads it: the largest text, for this class only
            self._saved_values.setdefault("text_size", self.settings.text_size)
            self.settings = dataclasses.replace(self.settings, text_size="xlarge")
            self.relayout()
        before = self.session
        self.start(path)
        if self.session is None or self.session is before:  # the scenario has errors: no class
            self.stop_class()

    def stop_class(self) -> None:
        """Leave projector mode: the vote server stops (the port is free again), the text size returns."""
        server, self.votes = self.votes, None
        if server is not None:
            self._safe(server.stop, None)
        if self.class_mode:
            self.class_mode = False
            old = self._saved_values.pop("text_size", None)
            if old is not None:
                self.settings = dataclasses.replace(self.settings, text_size=old)
                if self.stack:
                    self.relayout()

    def show_vote(self) -> None:
        if not self.class_mode or self.session is None or self.session.finished:
            return
        from game.ui.classroom import VoteScreen

        self.show(VoteScreen(self))

    def back_to_scene(self) -> None:
        self._show_current()

    def class_choose(self, choice_id: str, votes: dict[str, int]) -> None:
        """The class decided: take ``choice_id`` and keep the vote spread in the step."""
        s = self.session
        if s is None or s.finished:
            return
        choice = next((c for c in s.available() if c.id == choice_id), None)
        if choice is None:
            self.notice(self._("That choice is no longer on offer."))
            return
        self._take(choice, votes=dict(votes))

    def play_again(self) -> None:
        if self.scenario_path:
            self.start(self.scenario_path)

    def scene_image(self, scene) -> Optional[pygame.Surface]:
        if not scene.image:
            return None
        try:
            path = self.scenario.resolve_path(scene.image)
        except Exception:
            return None
        if path not in self._images:
            from game.scenario.images import check_image

            self._images[path] = None  # a missing, odd or oversized image is simply left out
            try:
                # the header first: a FIFO, a device or a 30000×30000 picture is never decoded
                if check_image(path) is None:
                    if path.lower().endswith(".svg"):  # drawn at the size the scene screen uses, never larger
                        from game.scenario.images import svg_size
                        with open(path, "rb") as f:
                            w, h = svg_size(f.read(256 * 1024)) or (1200, 675)
                        scale = min(1.0, 1600 / max(w, h))
                        self._images[path] = pygame.image.load_sized_svg(
                            path, (max(1, round(w * scale)), max(1, round(h * scale)))).convert()
                    else:
                        self._images[path] = pygame.image.load(path).convert()
            except (pygame.error, OSError, MemoryError):
                pass
        return self._images[path]

    def cover_image(self) -> Optional[pygame.Surface]:
        """The first picture of the scenario, shown beside scenes that have none of their own."""
        for sc in self.scenario.scenes.values() if self.scenario is not None else ():
            if sc.image:
                return self.scene_image(sc)
        return None

    # -- playing -------------------------------------------------------------------------
    def choose(self, n: int) -> None:
        s = self.session
        if s is None or s.finished:
            return
        offered = s.available()
        if not 1 <= n <= len(offered):
            return
        self._take(offered[n - 1])

    def _take(self, choice, votes: Optional[dict[str, int]] = None) -> None:
        """Play ``choice``, then show the coach card and the event cards of the turn."""
        s = self.session
        play = Play(s, self.store, self.scenario_path, self.autosave_slot())
        try:
            step, cards = play.choose(choice, votes=votes)
        except EngineError as err:
            self.notice(err.text(self.lang))
            return
        self.flash_changes = {k: v for k, v in step.changes.items() if v}
        self.flash_t = 0.0
        self.autosave()
        if s.finished:
            # in the background: another program's lock on the database never freezes the window;
            # a session that cannot be recorded now waits in the queue (the store's sentence says so)
            self._safe(lambda: play.record(background=True), None)
        self.moments = self._card_screens(step, cards)
        self.next_moment()

    def _card_screens(self, step, cards: list[Moment]) -> list[S.Screen]:
        """The cards of a turn as screens: the coach's (when it has something to say), then the events'."""
        t = lambda x: x.get(self.lang).strip() if x is not None else ""  # noqa: E731
        coach_on = self.settings.coach
        screens: list[S.Screen] = []
        for card in cards:
            coach = t(card.coach) if coach_on else ""
            theory = t(card.theory) if coach_on else ""
            if card.kind == "coach":
                rules = turn_lines(self.scenario, step, self.lang) if coach_on else []
                if coach_on and card.tags:  # the tags after the choice, never before it
                    rules.insert(0, self._("Tags: {tags}", tags=" · ".join(self._(x) for x in card.tags)))
                if coach or t(card.text) or rules:
                    screens.append(S.MomentScreen(self, "coach", t(card.title), t(card.text),
                                                  theory=theory if coach else "", coach=coach,
                                                  changes=card.changes, rules=rules))
            else:
                screens.append(S.MomentScreen(self, "event", t(card.title) or self._("Something happens"),
                                              t(card.text), theory=theory, coach=coach, changes=card.changes))
        return screens

    def autosave_slot(self) -> str:
        """One autosave per scenario, so playing another scenario never overwrites this one."""
        sid = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(getattr(self.scenario, "id", "")))
        return f"autosave-{sid}"[:64] if sid else "autosave"

    # the event cards of the last turn are shown again after a restart if the window closed on a card
    def _cards_file(self) -> Optional[Path]:
        root = getattr(self.store, "root", None)
        return Path(root) / "cards-seen.json" if root is not None else None

    def _mark_cards(self, seen: bool) -> None:
        """Note whether the last turn's cards were all seen (a small file beside the saves)."""
        path, s = self._cards_file(), self.session
        if path is None or s is None or not self.scenario_path:
            return
        import json

        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        data[self.autosave_slot()] = s.turns if seen else -1
        try:
            from game.safeio import atomic_write

            atomic_write(path, json.dumps(data))
        except Exception:
            pass

    def _replay_unseen_cards(self) -> None:
        """After a restart on a card: show the last turn's event cards again, then the scene."""
        path, s = self._cards_file(), self.session
        if path is None or s is None or not s.history or s.finished or not path.exists():
            return
        import json

        try:
            seen = json.loads(path.read_text(encoding="utf-8")).get(self.autosave_slot())
        except (OSError, ValueError, AttributeError):
            return
        if seen != -1:
            return
        step = s.history[-1]
        cards = [c for c in moments(self.scenario, step) if c.kind == "event"]
        if not cards:
            return
        self.moments = self._card_screens(step, cards)
        self.next_moment()

    def next_moment(self) -> None:
        if self.moments:
            self._mark_cards(False)
            self.show(self.moments.pop(0))
            return
        self._mark_cards(True)
        if self.session.finished:
            self.flash_t = FLASH_SECONDS  # the debrief has its own charts
        else:
            self.flash_t = 0.0  # the scene shows the change when it appears
        self._show_current()

    def rewind(self, turn: int) -> None:
        try:
            new = Play(self.session).rewind(turn)
        except EngineError as err:
            self.notice(err.text(self.lang))
            return
        self.session = new
        self.replayed = True
        self.flash_changes, self.flash_t = {}, FLASH_SECONDS
        self.notice(self._("You are back at decision {n}. What follows is recorded as a replay.", n=turn + 1))
        self.autosave()
        self._show_current()

    def autosave(self) -> bool:
        """Save the game in its scenario's autosave slot; a failure is shown in one sentence."""
        if self.session is None or not self.scenario_path:
            return False
        err = Play(self.session, self.store, self.scenario_path, self.autosave_slot()).autosave()
        if err is not None:
            self.notice(self.err_text(err), NOTICE_SECONDS * 2)
            return False
        return True

    def score(self):
        return score(self.session)

    def previous_attempt(self) -> Optional[tuple[float, float]]:
        """(tegenmacht, eigenaarschap) of the attempt at this scenario before this one (the debrief's
        ghost point), or None: read once when the game starts, before this attempt is recorded."""
        p = getattr(self, "previous", None)
        return (round(p.tegenmacht, 1), round(p.eigenaarschap, 1)) if p is not None else None

    def debrief(self) -> Debrief:
        """The debrief of the current session (the one module every front end shows)."""
        key = (id(self.session), self.session.turns)
        if getattr(self, "_debrief_key", None) != key:
            self._debrief_key, self._debrief = key, Debrief.of(self.session, getattr(self, "previous", None))
        return self._debrief

    def _previous_attempt(self, scenario_id: str, session: Session) -> Optional[Previous]:
        """The last finished game of this scenario before this one (from the records), to show beside it."""
        rows = self._safe(lambda: self.store.finished_sessions(scenario_id), []) or []
        rows = [r for r in rows if not (r.get("seed") == session.seed and r.get("choices") == session.choice_keys())]
        if not rows:
            return None
        last = rows[-1]
        ending = self.scenario.endings.get(last.get("ending", "")) if self.scenario else None
        try:
            return Previous(float(last["tegenmacht"]), float(last["eigenaarschap"]), str(last.get("ending", "")),
                            ending.title if ending is not None else Text(""))
        except (KeyError, TypeError, ValueError):
            return None

    # -- meters flash ---------------------------------------------------------------------
    def flash_level(self) -> float:
        """1 right after a change, fading to 0."""
        if not self.flash_changes or self.flash_t >= FLASH_SECONDS:
            return 0.0
        return 1.0 - self.flash_t / FLASH_SECONDS

    def flash_progress(self) -> float:
        if not self.flash_changes:
            return 1.0
        return min(1.0, self.flash_t / GROW_SECONDS)

    # -- saves -------------------------------------------------------------------------------
    def latest_slot(self):
        """The newest save of a game still in progress (what "Verder spelen" resumes)."""
        latest = self._safe(self.store.latest, None)
        if latest is not None and getattr(latest, "finished", False):
            unfinished = [i for i in self.slots() if not i.finished]
            return unfinished[0] if unfinished else None
        return latest

    def slots(self) -> list:
        return self._safe(self.store.slots, [])

    def suggest_slot_name(self) -> str:
        return time.strftime(self._("game") + "-%Y%m%d-%H%M")

    def save_slot(self, name: str) -> str:
        name = name.strip()
        if not name:
            return self._("Type a name for the save first.")
        if self.session is None:
            return self._("There is no game to save.")
        try:
            self.store.save(name, self.session, self.scenario_path)
        except ValueError:
            return self._("Use only letters, digits, - and _ in the name (at most 64).")
        except (SaveError, TegenmachtError, OSError) as err:
            return self._("Could not save: {reason}", reason=self.err_text(err))
        return self._("Saved as '{name}'.", name=name)

    def delete_slot(self, slot: str) -> str:
        try:
            self.store.delete(slot)
        except (SaveError, TegenmachtError, OSError, ValueError) as err:
            return self._("Could not delete: {reason}", reason=self.err_text(err))
        return self._("Deleted '{name}'.", name=slot)

    def load_slot(self, slot: str) -> None:
        info = next((i for i in self.slots() if i.slot == slot), None)
        if info is None:
            self.notice(self._("That save no longer exists."))
            return
        scenario = self._load(info.scenario_path)
        if scenario is None:
            return
        try:
            session = self.store.restore(slot, Story(scenario))
        except (SaveError, TegenmachtError) as err:
            self.notice(self.err_text(err))
            self.to_title()
            return
        self._begin(scenario, info.scenario_path, session)
        if slot.startswith("autosave"):
            self._replay_unseen_cards()
        self.notice(self._("Game '{name}' loaded.", name=slot))

    def err_text(self, err: BaseException) -> str:
        """The one sentence of a records error, in the player's language."""
        from game.records.store import error_text

        return error_text(err, self.lang)

    def resume_latest(self) -> None:
        info = self.latest_slot()
        if info is None:
            self.notice(self._("There is no game to continue yet."))
            return
        self.load_slot(info.slot)

    def save_debrief_png(self) -> None:
        if self.session is None:
            return
        folder = self._pictures_dir()
        name = f"tegenmacht-{self.scenario.id}-{time.strftime('%Y%m%d-%H%M%S')}.png"
        theme = "high_contrast" if self.settings.high_contrast else "normal"
        try:
            path = charts.save_debrief_png(self.session, folder / name, self.lang, theme,
                                           previous=self.previous_attempt())
        except (pygame.error, OSError):  # the picture could not be drawn or written: save what the window shows
            path = folder / name
            try:
                folder.mkdir(parents=True, exist_ok=True)
                pygame.image.save(self.surface, str(path))
            except (pygame.error, OSError) as err:
                self.notice(self._("Could not save the picture: {reason}", reason=str(err)))
                return
        if isinstance(self.screen, S.DebriefScreen):
            self.screen.saved_to = str(path)
            self.screen.rebuild()
        self.notice(self._("Saved as PNG: {path}", path=str(path)))

    def results_folder(self) -> Path:
        """Where "Save result" writes (see game.records.export.results_dir)."""
        from game.records.export import results_dir

        return results_dir(self.store)

    def save_result(self, nickname: str = "") -> str:
        """Write this session's results file (to hand in) with an optional nickname; returns the
        sentence shown (where it went, or why not), also as a notice."""
        s = self.session
        if s is None or not s.history:
            return self._("There is no game to save a result of.")
        from game.records import results
        from game.records.export import session_mode, write_result

        nickname = " ".join(str(nickname).split())
        cut = len(nickname) > results.NICKNAME_MAX
        try:
            doc = results.build(s, nickname=nickname, mode=session_mode(s))
            path, new = write_result(doc, self.results_folder())
        except (SaveError, OSError, ValueError) as err:
            msg = self.err_text(err)
        else:
            msg = self._("Result saved: {path}", path=str(path)) if new else \
                self._("This result was saved already: {path}", path=str(path))
            if cut:
                msg = self._("The nickname was shortened to {n} characters.", n=results.NICKNAME_MAX) + " " + msg
        self.notice(msg, NOTICE_SECONDS * 2)
        return msg

    def show_save_result(self) -> None:
        if self.session is not None:
            self._push_unique(S.ResultScreen)

    def _pictures_dir(self) -> Path:
        home = os.environ.get("TEGENMACHT_HOME")
        if home:
            return Path(home) / "pictures"
        try:
            import platformdirs

            pics = Path(platformdirs.user_pictures_dir())
            if pics.is_dir():
                return pics / "Tegenmacht"
        except Exception:
            pass
        return Path(getattr(self.store, "root", Path.home())) / "pictures"

    # -- settings -------------------------------------------------------------------------------
    def change_setting(self, field: str, value: Any) -> None:
        self.settings = dataclasses.replace(self.settings, **{field: value})
        self._saved_values.pop(field, None)
        to_save = dataclasses.replace(self.settings, **self._saved_values)
        self._safe(lambda: self.store.save_settings(to_save), None)
        if field == "lang":
            self.lang = value
            self._ = Translator(value)
            self._infos = None
        if field == "fullscreen":
            self.surface = self._open_window(bool(value))
        self.relayout()

    # -- watch -------------------------------------------------------------------------------------
    def poll_watcher(self) -> None:
        if self.watcher is None or self.session is None:
            return
        try:
            report = self.watcher.poll()
        except Exception:
            return
        if report is None:
            return
        if report.scenario is None or report.errors:
            self.watch_problems = [p.render(self.lang) for p in report.problems]
            self.notice(self._("The scenario file has errors; you keep playing the previous version."))
            self.screen.rebuild()
            return
        self.watch_problems = []
        story = Story(report.scenario)
        from game.text.watch import replay_onto

        session, _failed, _done = replay_onto(story, self.session)  # keeps the choices that still fit
        self.scenario, self.story, self.session = report.scenario, story, session
        self._images.clear()
        self.notice(self._("Scenario reloaded."))
        self.autosave()  # the autosave follows the new version, so "continue" resumes it, not turn 0
        self._show_current()

    def watch_texts(self) -> list[str]:
        return list(self.watch_problems)

    def draw_watch_problems(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        if not self.watch_problems or rect.h < 40:
            return
        st = self.style
        y = rect.y
        surface.blit(st.small_bold.render(self._("Problems in the file"), True, st.c["bad"]), (rect.x, y))
        y += st.line_height(st.small)
        for p in self.watch_problems:
            for ln in wrap(st.small, p, rect.w):
                if y + st.line_height(st.small) > rect.bottom:
                    return
                surface.blit(st.small.render(ln, True, st.c["text"]), (rect.x, y))
                y += st.line_height(st.small)

    # -- the loop: events -> update -> draw --------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.leave_session()
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize(event.w, event.h)
            return
        if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWFOCUSGAINED):
            self.dirty = True
            return
        if event.type == pygame.KEYDOWN:
            self.held.add(event.key)
            self._swallow_text = None
        elif event.type == pygame.KEYUP:
            self.held.discard(event.key)
            for sc in self.stack:
                sc.stale_keys.discard(event.key)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if not self.stack:
            return
        if event.type == pygame.TEXTINPUT and self._swallow_text is not None:
            # the text of a key that was a shortcut (3 in the menu, O on the title) never reaches
            # the text field that shortcut opened
            swallow, self._swallow_text = self._swallow_text, None
            if not swallow or event.text == swallow:
                return
        finished = None
        if self._ui is not None:
            import pygame_gui

            finished = pygame_gui.UI_TEXT_ENTRY_FINISHED
        if event.type == finished:  # Enter in a text field
            if self.screen.entry_finished(getattr(event, "ui_element", None), getattr(event, "text", "")):
                self.dirty = True
        elif self._ui is not None and self.ui.process_events(event):  # typing, caret keys, a click in a field
            # pygame_gui 0.6 moves the field's caret in update(): without this, two edits in one
            # frame (fast typing, a repeating Backspace) leave the shown text out of step
            self.ui.update(0.0)
            self.screen.follow_ui_focus()
            self.dirty = True
        elif self.screen.handle(event):
            if event.type == pygame.KEYDOWN:
                self._swallow_text = getattr(event, "unicode", "") or ""
            self.dirty = True
        self._sync_entries()

    def update(self, dt: float) -> None:
        self.now += dt
        if self.flash_t < FLASH_SECONDS:
            self.flash_t = min(FLASH_SECONDS, self.flash_t + dt)
            self.dirty = True
        if self.notice_t > 0:
            self.notice_t -= dt
            if self.notice_t <= 0:
                self.notice_text = ""
                self.dirty = True
        if self.watcher is not None:
            self._watch_clock += dt
            if self._watch_clock >= WATCH_EVERY:
                self._watch_clock = 0.0
                self.poll_watcher()
        if self.stack and self.screen.update(dt):
            self.dirty = True
        fields = bool(self.stack and self.screen.inputs)
        if self._ui is not None and (fields or self._ui_live):  # no text field on screen: nothing for pygame_gui to do (one more pass
            self.ui.update(dt)       # after the last field went, to reset the mouse cursor)
        self._ui_live = fields
        look = tuple(e.signature() for e in self.screen.inputs) if self.stack else ()
        if look != self._entry_look:  # the caret blinks (about 2.5 redraws a second) only in a focused field
            self._entry_look = look
            self.dirty = True
        if getattr(self.store, "warnings", None) and len(self.store.warnings) > self._warned:
            self.show_store_warnings()
        self._record_clock += dt
        if self._record_clock >= RECORD_RETRY_SECONDS:
            self._record_clock = 0.0
            self.retry_records()

    def retry_records(self) -> None:
        """Sessions waiting in the queue (the database was locked, the disk full ...): try again,
        in the background."""
        store = self.store
        if getattr(store, "flushing", True) or not self._safe(lambda: store.pending_count, 0):
            return
        self._safe(store.flush_async, None)

    @property
    def animating(self) -> bool:
        return bool(self.stack) and self.screen.animating

    def draw(self, force: bool = False) -> bool:
        if not (self.dirty or force):
            return False
        surf = self.surface
        st = self.style
        surf.fill(st.c["background"])
        if self.screen.overlay and len(self.stack) > 1:
            under = self.stack[-2]
            hints, under.hint_items = under.hint_items, []  # one footer: the overlay's
            under.draw(surf)
            under.hint_items = hints
            shade = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
            shade.fill((0, 0, 0, 140))
            surf.blit(shade, (0, 0))
        self.screen.draw(surf)
        if self._ui is not None:
            self._ui.draw_ui(surf)
        if self.notice_text:
            self._draw_notice(surf)
        pygame.display.flip()
        self.dirty = False
        return True

    def _draw_notice(self, surf: pygame.Surface) -> None:
        st = self.style
        w = min(surf.get_width() - 2 * st.margin, round(900 * st.scale))
        lines = wrap(st.small_bold, self.notice_text, w - 2 * st.gap)
        lh = st.line_height(st.small_bold)
        h = len(lines) * lh + 2 * st.gap
        # over the key-hint bar at the bottom, where it hides no title or button
        box = pygame.Rect((surf.get_width() - w) // 2, surf.get_height() - h - 4, w, h)
        pygame.draw.rect(surf, st.c["panel"], box, border_radius=8)
        pygame.draw.rect(surf, st.c["accent"], box, width=3, border_radius=8)
        y = box.y + st.gap
        for ln in lines:
            surf.blit(st.small_bold.render(ln, True, st.c["text"]), (box.x + st.gap, y))
            y += lh

    def loop(self) -> int:
        clock = pygame.time.Clock()
        last = time.perf_counter()
        self.draw()
        while self.running:
            events = pygame.event.get()
            if self.animating or (0 < self.notice_t < 0.6):
                clock.tick(30)  # a meter is moving: a calm 30 frames a second
            elif not events:
                # Nothing moves: sleep. (pygame.event.wait polls every millisecond inside SDL,
                # about 3 % of a core; a short real sleep keeps an idle window near 0 %.)
                time.sleep(IDLE_SLEEP)
            now = time.perf_counter()
            dt, last = now - last, now
            for event in events:
                self.handle(event)
                if not self.running:
                    break
            self.update(dt)
            self.draw()
        return self.exit_code

    # -- for tests -----------------------------------------------------------------------------------
    def key(self, key: int, mod: int = 0, unicode: str = "") -> None:
        """Press and release a key, then handle what pygame_gui posted (Enter in a field)."""
        self.handle(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
        self.handle(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
        self.pump_ui_events()

    def type_text(self, text: str) -> None:
        """Type ``text`` as SDL does: a KEYDOWN and a TEXTINPUT per character."""
        for ch in text:
            k = pygame.key.key_code(ch) if ch.isascii() and ch.isalnum() else 0
            self.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=ch, scancode=0))
            self.handle(pygame.event.Event(pygame.TEXTINPUT, text=ch))
            self.handle(pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode=ch, scancode=0))
        self.pump_ui_events()

    def pump_ui_events(self) -> None:
        import pygame_gui

        for event in pygame.event.get((pygame_gui.UI_TEXT_ENTRY_FINISHED, pygame_gui.UI_TEXT_ENTRY_CHANGED,
                                       pygame.USEREVENT)):
            self.handle(event)

    def click(self, pos: tuple[int, int]) -> None:
        self.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos))
        self.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=pos))

    def screenshot(self, path: str | Path) -> Path:
        self.draw(force=True)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.surface, str(path))
        return path


def run(path: Optional[str] = None, lang: Optional[str] = None, watch: bool = False,
        seed: Optional[int] = None, coach: Optional[bool] = None) -> int:
    """Open the window and play. Returns the exit code.

    ``seed`` fixes the random events of new games; ``coach=False`` hides the coach for this
    run (class use) without changing the saved setting."""
    try:
        app = App(path=path, lang=lang, watch=watch, seed=seed, coach=coach)
    except (pygame.error, D.NoDisplay) as err:
        print(D.no_display_sentence(str(err), lang or "nl"), file=sys.stderr)
        return 1
    return _loop(app)


def run_class(path: str, server: Any = None, lang: Optional[str] = None, seed: Optional[int] = None) -> int:
    """Projector mode from the command line: ``tegenmacht class SCENARIO``. ``server`` is a running
    :class:`~game.classroom.votes.VoteServer` (None: the trainer types the counts); it is stopped on the way out."""
    try:
        try:
            app = App(lang=lang, seed=seed)
        except (pygame.error, D.NoDisplay) as err:
            print(D.no_display_sentence(str(err), lang or "nl"), file=sys.stderr)
            return 1
        app.start_class(path, phones=False, server=server)
        server = None  # the App owns it now, and stops it
        return _loop(app)
    finally:
        if server is not None:
            server.stop()


def _loop(app: "App") -> int:
    try:
        return app.loop()
    finally:
        app.stop_class()  # the vote server never outlives the window (a crash included)
        app.remember_window()
        wait = getattr(app.store, "wait", None)
        if wait is not None:  # let a session being recorded in the background finish (it is queued anyway)
            app._safe(lambda: wait(3.0), None)
        pygame.quit()
