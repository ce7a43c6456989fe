"""Play a scenario in the terminal: plain numbered lines, screen-reader friendly.

No colours, boxes or cursor tricks: every line is a sentence or a labelled
value, so a screen reader reads it without noise. Uses the same engine API as
the window.
"""
from __future__ import annotations

import sys
import textwrap
from typing import Any, Callable, Optional, TextIO

from game.i18n import gettext
from game.play.engine import Session, Story
from game.scenario.model import Scenario, Text
from game.play.controller import Play
from game.play.debrief import Debrief, turn_lines

WIDTH = 72


MAX_ANSWER = 6  # characters in a typed choice number


def tr(key: str, lang: str, **kw: object) -> str:
    """A text of the terminal, from the gettext catalogues (``text.<key>``)."""
    return gettext(f"text.{key}", lang, **kw)


class Restart(Exception):
    """Raised by ``read`` (before a choice is made) to show the current turn again,
    e.g. after :mod:`game.text.watch` reloaded the scenario and replaced ``session``."""


class TextGame:
    """The terminal front end. ``read`` returns a line or raises EOFError."""

    def __init__(self, story: Story, lang: str = "nl", seed: Optional[int] = None, coach: bool = True,
                 out: TextIO | None = None, read: Callable[[str], str] | None = None,
                 store: Any = None, scenario_path: Optional[str] = None):
        self.story = story
        self.lang = lang
        self.coach = coach
        self.out = out or sys.stdout
        self.read = read or input
        self.session = story.new_session(seed=seed, lang=lang)
        # With a store (game.records.Store) the game autosaves after each choice, offers to
        # resume, and records the finished session, as the window does.
        self.store = store
        self.scenario_path = scenario_path
        self._warned = 0
        self.saved_turns = -1  # the turn the autosave holds (-1: none made in this game)

    # -- output helpers ---------------------------------------------------------
    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def wrapped(self, line: str, more: str = "  ") -> None:
        """Say ``line`` wrapped at the width (a terminal would break it mid-word); the lines after
        the first keep its indent plus ``more``."""
        body = line.lstrip()
        lead = line[:len(line) - len(body)]
        self.say(textwrap.fill(body, WIDTH, initial_indent=lead, subsequent_indent=lead + more) if body else "")

    def para(self, text: Text | str, indent: str = "") -> None:
        s = text.get(self.lang) if isinstance(text, Text) else text
        for block in s.split("\n"):
            self.say(textwrap.fill(block, WIDTH, initial_indent=indent, subsequent_indent=indent) if block else "")

    def t(self, text: Text) -> str:
        return text.get(self.lang)

    def show_meters(self, changes: dict[str, int] | None = None) -> None:
        sc = self.story.scenario
        self.say(tr("meters", self.lang) + ":")
        for m in sc.meters.values():
            value = self.session.meters[m.id]
            delta = (changes or {}).get(m.id)
            extra = f" ({delta:+d})" if delta else ""
            self.say(f"  {self.t(m.label)}: {tr('value-of', self.lang, value=value, max=m.max)}{extra}")

    def show_actors(self) -> None:
        sc = self.story.scenario
        self.say(tr("actors", self.lang) + ":")
        for a in sc.actors.values():
            v = self.session.actors[a.id]
            self.say(f"  {self.t(a.name)}: {tr('power', self.lang)} {v['power']}, "
                     f"{tr('stance', self.lang)} {v['stance']:+d}, {tr('motive', self.lang)} {a.motive}")

    # -- the loop -----------------------------------------------------------------
    def intro(self) -> None:
        sc: Scenario = self.story.scenario
        self.say(self.t(sc.title))
        if sc.summary.nl:
            self.para(sc.summary)
        self.wrapped(tr("seed", self.lang, seed=self.session.seed))

    def play(self) -> int:
        self.intro()
        try:
            self.offer_resume()
            while not self.session.finished:
                try:
                    self.turn()
                except Restart:  # e.g. the scenario was reloaded: show the current scene again
                    continue
        except (EOFError, KeyboardInterrupt):
            self.say("")
            self.say(tr("stopped", self.lang))
            if self.saved_turns > 0:
                self.say(tr("kept", self.lang))
            self.say_lines(self.record_abandoned())
            return 0
        news = self.record()  # first, so that nothing is lost if the debrief is cut short
        self.finish()
        self.say_lines(news)
        try:
            self.offer_result()
        except (EOFError, KeyboardInterrupt):
            self.say("")
        return 0

    # -- saving and recording (with a store) ----------------------------------------
    def say_lines(self, lines: list[str]) -> None:
        if lines:
            self.say("")
        for line in lines:
            self.wrapped(line)

    def store_news(self) -> list[str]:
        """The store's sentences (a save set aside, a session kept for later ...) not said yet."""
        if self.store is None:
            return []
        texts = self.store.warning_texts(self.lang)
        news, self._warned = texts[self._warned:], len(texts)
        return news

    def say_store_news(self) -> None:
        for line in self.store_news():
            self.say(line)

    def offer_resume(self) -> None:
        """If the autosave holds an unfinished game of this scenario, ask to continue it."""
        if self.store is None:
            return
        try:
            self.store.recover()  # sessions an earlier run could not record
            info = self.store.info("autosave")
        except Exception:  # noqa: BLE001 - a records problem never stops the game
            info = None
        self.say_store_news()
        if info is None or info.finished or info.scenario_id != self.story.scenario.id or info.turns == 0:
            return
        when = info.saved_datetime.strftime(tr("date-format", self.lang))
        answer = self.read(tr("resume", self.lang, turns=info.turns, when=when)).strip().lower()
        if answer not in ("j", "ja", "y", "yes", ""):
            return
        from game.records.store import error_text

        try:
            self.session = self.store.restore("autosave", self.story)
        except Exception as err:  # noqa: BLE001 - SaveError: one sentence, then a new game
            self.say(error_text(err, self.lang))
            return
        self.saved_turns = self.session.turns
        self.say(tr("resumed", self.lang, turns=self.session.turns, seed=self.session.seed))
        self.say_store_news()

    def autosave(self) -> None:
        """After each choice: save in the slot "autosave"; a failure is said in one sentence."""
        if self.store is None:
            return
        from game.records.store import error_text

        err = Play(self.session, self.store, self.scenario_path or self.story.scenario.path).autosave()
        if err is None:
            self.saved_turns = self.session.turns
        else:
            self.say(error_text(err, self.lang))

    def record(self) -> list[str]:
        """The session ended: add it to the played sessions. Returns the sentences to show
        after the debrief (recorded, or why it waits)."""
        return self._keep("recorded")

    def record_abandoned(self) -> list[str]:
        """The player left a started game (q, Ctrl-D, Ctrl-C): record it once as abandoned, if a
        choice was made. Returns the sentences to show."""
        if self.session.finished or not self.session.history:
            return []
        return self._keep("abandoned")

    def _keep(self, said: str) -> list[str]:
        """Keep the session with the played sessions (finished or left, :meth:`Play.record`); the sentences
        to show. A records problem never loses the game: it is said, not raised."""
        if self.store is None:
            return []
        try:
            result = Play(self.session, self.store, self.scenario_path).record()
        except Exception:  # noqa: BLE001 - never lose the ending over a records problem
            result = None
        return ([tr(said, self.lang)] if result == "recorded" else []) + self.store_news()

    def offer_result(self) -> None:
        """At the end: save a results file to hand in (r), with a nickname if the student wants one."""
        if self.store is None:
            return
        answer = self.read(tr("result_offer", self.lang)).strip().lower()
        if answer not in ("r", "resultaat", "result", "opslaan", "save"):
            return
        try:
            typed = " ".join(self.read(tr("nickname", self.lang)).split())
        except EOFError:  # the input ended after "r": save it without a nickname
            self.say("")
            typed = ""
        self.say(self.save_result(typed))

    def save_result(self, nickname: str = "") -> str:
        """Write the results file of this session; the sentence to show (where it went, or why not)."""
        from game.records import results
        from game.records.export import results_dir, write_result
        from game.records.store import error_text

        lines = []
        if len(nickname) > results.NICKNAME_MAX:
            lines.append(tr("nickname_cut", self.lang, max=results.NICKNAME_MAX))
        try:
            doc = results.build(self.session, nickname=nickname)
            path, new = write_result(doc, results_dir(self.store))
        except Exception as err:  # noqa: BLE001 - SaveError: its one sentence
            return " ".join(lines + [error_text(err, self.lang)])
        lines.append(tr("result_saved" if new else "result_there", self.lang, path=path))
        return " ".join(lines)

    def turn(self) -> None:
        s = self.session
        scene = s.scene
        self.say("")
        title = self.t(scene.title) if scene.title.nl else ""
        self.say(f"{tr('scene', self.lang, n=s.turns + 1)}: {title}" if title else tr("scene", self.lang, n=s.turns + 1))
        self.para(scene.text)
        self.say("")
        offered = s.available()
        self.say(tr("choices", self.lang) + ":")
        for i, c in enumerate(offered, 1):
            self.wrapped(f"  {i}. {self.t(c.text)}", "   ")
        for option in s.offered():
            if not option.available:
                self.wrapped(f"  -. {self.t(option.choice.text)} [{tr('locked', self.lang)}: {self.t(option.reason)}]",
                             "   ")
        while True:
            answer = self.read(tr("prompt", self.lang, first=1, last=len(offered))).strip().lower()
            if answer in ("q", "quit", "stop", "exit"):
                raise EOFError
            if answer in ("m", "meters"):
                self.show_meters()
                continue
            if answer in ("a", "actoren", "actors"):
                self.show_actors()
                continue
            # ASCII decimal digits only ('²' and '⑴' pass isdigit() but not int()), and short
            if len(answer) <= MAX_ANSWER and answer.isascii() and answer.isdecimal() \
                    and 1 <= int(answer) <= len(offered):
                break
            self.say(tr("bad", self.lang, first=1, last=len(offered)))
        step, cards = Play(s).choose(offered[int(answer) - 1])
        self.autosave()
        self.say("")
        for card in cards:  # the same cards the window shows, as lines
            if card.kind == "coach":
                if card.text.nl:
                    self.para(card.text, "  ")
                if self.coach and card.coach.nl:
                    self.say(tr("coach", self.lang) + ":")
                    self.para(card.coach, "  ")
                    if card.theory.nl:
                        self.say(f"  {tr('theory', self.lang)}: {self.t(card.theory)}")
                if self.coach and card.tags:
                    self.say(f"  {tr('tags', self.lang)}: {' · '.join(card.tags)}")
                if self.coach:
                    for line in turn_lines(s.scenario, step, self.lang):
                        self.wrapped(f"  • {line}")
            else:
                self.say(f"{tr('event', self.lang)}: {self.t(card.title) or card.source}")
                self.para(card.text, "  ")
                if self.coach and card.coach.nl:
                    self.para(card.coach, "  ")
        self.show_meters(step.changes)

    def finish(self) -> None:
        s = self.session
        ending = s.ending
        self.say("")
        self.say(f"{tr('end', self.lang)}: {self.t(ending.title)}")
        self.para(ending.text)
        d = Debrief.of(s)
        self.say("")
        self.say(tr("debrief", self.lang) + ":")
        for line in d.lines(self.lang):
            self.wrapped(f"  {line}" if line else "")
        sc_ = d.score
        self.wrapped("  " + tr("strategy", self.lang) + ": " +
                     ", ".join(f"{k} {v * 100:.0f}%" for k, v in sc_.strategy.items()))
        self.wrapped("  " + tr("agency", self.lang) + ": " +
                     ", ".join(f"{k} {v * 100:.0f}%" for k, v in sc_.agency.items()))
