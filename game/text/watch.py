"""Live reload: write a scenario in one window, play it in another.

``tegenmacht play PATH --text --watch`` plays in the terminal and checks the
file about twice a second, also while it waits for your answer. When the file
was saved:

* if it validates, the game rebuilds the story and replays the choices made so
  far (same seed, same choice keys), then shows the current scene again. A
  choice that no longer exists (or is no longer offered) stops the replay
  there, and the game says so;
* if it has errors, the game prints them (file:line:col) and keeps playing the
  previous version until the file is fixed.

:class:`ScenarioWatcher` is the pygame-free part the game window reuses: it
notices a changed file (modification time and size, standard library only) and
returns a fresh validation :class:`~game.scenario.validate.Report`.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

from game.i18n import gettext
from game.play.engine import Session, Story
from game.scenario.model import Scenario
from game.scenario.problems import EngineError
from game.text.play import Restart, TextGame
from game.scenario.validate import Report, validate_file

INTERVAL = 0.5  # seconds between checks of the file while waiting for input

Tick = Callable[[], bool]            # checks the file; True = it printed something (repeat the prompt)
Waiter = Callable[[str, Tick], str]  # shows a prompt, waits for a line, calls tick while waiting



def tr(key: str, lang: str, **kw: object) -> str:
    """A text of the terminal, from the gettext catalogues (``watch.<key>``)."""
    return gettext(f"watch.{key}", lang, **kw)


class ScenarioWatcher:
    """Notices when a scenario file changes and validates it again.

    ``poll()`` is cheap when nothing changed (one ``os.stat``): it returns None.
    When the file's modification time or size changed it waits until the file
    is quiet for ``settle`` seconds (editors may write in parts), validates it
    and returns the :class:`Report` (check ``report.ok``). A file that
    disappears counts as a change too (the report then says it is missing).
    """

    def __init__(self, path: str | os.PathLike, settle: float = 0.05):
        self.path = Path(path)
        self.settle = settle
        self._signature = self._stat()

    def _stat(self) -> Optional[tuple[int, int]]:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def load(self) -> Report:
        """Validate the file now and remember its state (the baseline for ``poll``)."""
        self._signature = self._stat()
        return validate_file(self.path)

    def changed(self) -> bool:
        return self._stat() != self._signature

    def poll(self) -> Optional[Report]:
        """A fresh validation report if the file changed since the last look, else None."""
        sig = self._stat()
        if sig == self._signature:
            return None
        for _ in range(20):  # let the editor finish writing
            if self.settle <= 0:
                break
            time.sleep(self.settle)
            again = self._stat()
            if again == sig:
                break
            sig = again
        self._signature = sig
        return validate_file(self.path)


# -- reading a line while watching -------------------------------------------------

def _wait_select(prompt: str, tick: Tick, out: TextIO, interval: float) -> str:
    import select

    out.write(prompt)
    out.flush()
    while True:
        if tick():
            out.write(prompt)
            out.flush()
        ready, _, _ = select.select([sys.stdin], [], [], interval)
        if ready:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\r\n")


def _wait_msvcrt(prompt: str, tick: Tick, out: TextIO, interval: float) -> str:  # pragma: no cover - Windows
    import msvcrt

    buf: list[str] = []
    out.write(prompt)
    out.flush()
    waited = interval
    while True:
        if waited >= interval:
            waited = 0.0
            if tick():
                out.write(prompt + "".join(buf))
                out.flush()
        while msvcrt.kbhit():
            ch = msvcrt.getwch()
            if ch in ("\r", "\n"):
                out.write("\n")
                out.flush()
                return "".join(buf)
            if ch == "\x03":
                raise KeyboardInterrupt
            if ch == "\x1a":
                raise EOFError
            if ch in ("\x00", "\xe0"):  # arrow and function keys: two codes, ignore
                msvcrt.getwch()
            elif ch == "\b":
                if buf:
                    buf.pop()
                    out.write("\b \b")
            else:
                buf.append(ch)
                out.write(ch)
            out.flush()
        time.sleep(0.05)
        waited += 0.05


def _wait_plain(prompt: str, tick: Tick, out: TextIO, interval: float) -> str:
    tick()  # stdin is not a terminal: check between prompts only
    return input(prompt)


def terminal_waiter(out: TextIO | None = None, interval: float = INTERVAL) -> Waiter:
    """The best line reader for this terminal: select() on POSIX, msvcrt on
    Windows, plain input() (checking between prompts) otherwise."""
    out = out or sys.stdout
    try:
        interactive = sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if interactive and os.name == "nt":
        return lambda prompt, tick: _wait_msvcrt(prompt, tick, out, interval)
    if interactive and os.name == "posix":
        return lambda prompt, tick: _wait_select(prompt, tick, out, interval)
    return lambda prompt, tick: _wait_plain(prompt, tick, out, interval)


# -- the game ---------------------------------------------------------------------

def replay_onto(story: Story, old: Session) -> tuple[Session, Optional[str], int]:
    """Replay ``old``'s choices on a (new) story with the same seed, as
    :meth:`Session.replay` does, but keep what could be replayed.

    Returns (session, the first key that could not be replayed or None, number replayed)."""
    keys = old.choice_keys()
    session = story.new_session(seed=old.seed, lang=old.lang)
    for done, key in enumerate(keys):
        try:
            session.choose(key)
        except EngineError:
            return session, key, done
    return session, None, len(keys)


class WatchingTextGame(TextGame):
    """:class:`~game.text.play.TextGame` that reloads its scenario when the file changes."""

    def __init__(self, story: Story, watcher: ScenarioWatcher, lang: str = "nl", seed: Optional[int] = None,
                 coach: bool = True, out: TextIO | None = None, wait: Waiter | None = None,
                 interval: float = INTERVAL, store: Any = None):
        super().__init__(story, lang=lang, seed=seed, coach=coach, out=out, read=self._read, store=store,
                         scenario_path=str(watcher.path))
        self.watcher = watcher
        self.wait = wait or terminal_waiter(self.out, interval)
        self.reloads = 0
        self.shown_warnings: set[str] = set()

    def _read(self, prompt: str) -> str:
        return self.wait(prompt, self.check)

    def check(self) -> bool:
        """Look at the file. Raises :class:`Restart` after a successful reload;
        returns True when it printed problems (the prompt should be shown again)."""
        report = self.watcher.poll()
        if report is None:
            return False
        if not report.ok:
            errors = report.errors
            self.say("")
            self.say("")
            self.say(tr("broken", self.lang, n=len(errors),
                        errors=tr("error" if len(errors) == 1 else "errors", self.lang)))
            for p in errors:
                self.say("  " + p.render(self.lang))
            return True
        return self.reload(report.scenario, report)

    def reload(self, scenario: Scenario, report: Optional[Report] = None) -> bool:
        try:
            story = Story(scenario)
        except Exception as err:  # a validated scenario should always build; never crash the session
            self.say(tr("cannot-rebuild", self.lang, detail=err))
            return True
        total = len(self.session.history)
        session, stopped, done = replay_onto(story, self.session)
        self.story, self.session = story, session
        self.reloads += 1
        self.autosave()  # the autosave follows the new version of the scenario
        self.say("")
        self.say("")
        self.say(tr("reloaded", self.lang, done=done, total=total))
        if stopped is not None:
            if session.finished:
                self.say(tr("ended-early", self.lang, choice=stopped))
            else:
                self.say(tr("stopped-at", self.lang, choice=stopped, done=done))
        for p in (report.warnings if report else []):  # only warnings not shown before
            line = p.render(self.lang)
            if line not in self.shown_warnings:
                self.shown_warnings.add(line)
                self.say("  " + line)
        raise Restart

    def play(self) -> int:
        self.intro()
        self.say(tr("watching", self.lang, name=self.watcher.path.name))
        try:
            self.offer_resume()
            while True:
                try:
                    while not self.session.finished:
                        try:
                            self.turn()
                        except Restart:
                            continue
                    news = self.record()
                    self.finish()
                    self.say_lines(news)
                    self.after_end()
                except Restart:
                    continue
        except (EOFError, KeyboardInterrupt):
            self.say("")
            from game.text.play import tr as ttr

            self.say(ttr("stopped", self.lang))
            if self.saved_turns > 0 and not self.session.finished:
                self.say(ttr("kept", self.lang))
            return 0

    def after_end(self) -> None:
        """At an ending: wait for r (again), q (quit) or a reload (shows the ending anew)."""
        self.say("")
        while True:
            answer = self.read(tr("after-end", self.lang)).strip().lower()
            if answer in ("q", "quit", "stop", "exit"):
                raise EOFError
            if answer in ("r", "opnieuw", "again", "restart"):
                self.session = self.story.new_session(seed=self.session.seed, lang=self.lang)
                raise Restart


def play_text_watching(path: str, lang: str = "nl", seed: Optional[int] = None, coach: bool = True,
                       out: TextIO | None = None, wait: Waiter | None = None, interval: float = INTERVAL,
                       settle: float = 0.05, store: Any = None) -> int:
    """Play ``path`` in the terminal and reload it when it is saved. Returns the exit code."""
    watcher = ScenarioWatcher(path, settle=settle)
    report = watcher.load()
    if not report.ok:
        for p in report.problems:
            print(p.render(lang), file=sys.stderr)
        print(f"Error: {tr('has-errors', lang)}", file=sys.stderr)
        return 1
    for p in report.warnings:
        print(p.render(lang), file=sys.stderr)
    game = WatchingTextGame(Story(report.scenario), watcher, lang=lang, seed=seed, coach=coach, out=out,
                            wait=wait, interval=interval, store=store)
    game.shown_warnings.update(p.render(lang) for p in report.warnings)
    return game.play()
