"""The debrief of one playthrough, derived once (no pygame): the window, the
PNG export and text mode all show this.

:meth:`Debrief.of` reads a finished (or unfinished) session and gives:

* the **score** and the **outcome** the ending stands for (see
  :mod:`game.play.scoring`), with a line when score and ending disagree;
* the **turning points**: the choices, events, late consequences and tipping
  points that moved tegenmacht and eigenaarschap most;
* the **late consequences** that landed, each linked to its cause;
* the **locked choices** the player saw and could not take, with the reason;
* the debrief **texts** and discussion **questions** whose condition holds for
  this playthrough (ending's own, then the scenario's);
* every **theory** reference of the choices made, events fired and tipping
  points passed, with its source, in order, without repeats;
* the **previous attempt**, when the caller passes one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from game.scenario.model import EMPTY, Scenario, Text
from game.i18n import gettext
from game.play.scoring import Score, score
from game.play.turn import Note
from game.scenario.state import later_sources

TURNING_POINTS = 5


@dataclass(frozen=True)
class Moment:
    """One thing that moved the two axes: ``kind`` choice, event, later, tip, drift or ending."""

    turn: int
    kind: str
    source: str
    title: Text
    tegenmacht: int  # change of the meter (not of the axis percentage)
    eigenaarschap: int
    cause: Text = EMPTY  # for a late consequence: what it came from
    cause_turn: int = 0

    @property
    def weight(self) -> int:
        return abs(self.tegenmacht) + abs(self.eigenaarschap)


@dataclass(frozen=True)
class Locked:
    turn: int
    scene: Text
    choice: Text
    reason: Text


@dataclass(frozen=True)
class Theory:
    what: Text  # the choice, event or tipping point
    theory: Text  # the idea and its source


@dataclass(frozen=True)
class Previous:
    """The attempt before this one (from the records), shown beside it."""

    tegenmacht: float
    eigenaarschap: float
    ending: str = ""
    outcome: Text = EMPTY


@dataclass
class Debrief:
    scenario: Scenario
    score: Score
    ending_title: Text
    ending_text: Text
    texts: list[Text] = field(default_factory=list)
    questions: list[Text] = field(default_factory=list)
    turning_points: list[Moment] = field(default_factory=list)
    late: list[Moment] = field(default_factory=list)
    locked: list[Locked] = field(default_factory=list)
    theory: list[Theory] = field(default_factory=list)
    previous: Optional[Previous] = None
    mismatch: Text = EMPTY

    @classmethod
    def of(cls, session: Any, previous: Optional[Previous] = None) -> "Debrief":
        sc: Scenario = session.scenario
        state = session.play
        sc_score = score(session)
        ending = sc.endings.get(state.scene)
        d = cls(sc, sc_score, ending.title if ending else EMPTY, ending.text if ending else EMPTY, previous=previous)
        remarks = (list(ending.debrief) if ending else []) + list(sc.debrief)
        d.texts = [r.text for r in remarks if r.condition is None or r.condition.test(state)]
        asked = (list(ending.questions) if ending else []) + list(sc.questions)
        d.questions = [r.text for r in asked if r.condition is None or r.condition.test(state)]
        if sc_score.mismatch:
            q = sc.archetypes[sc_score.archetype.id].name
            d.mismatch = Text(gettext("debrief.mismatch", "nl", quadrant=q.nl),
                              gettext("debrief.mismatch", "en", quadrant=q.get("en")))
        moments: list[Moment] = []
        seen_theory: set[str] = set()

        def add_theory(what: Text, theory: Optional[Text]) -> None:
            if theory is not None and theory.nl and theory.nl not in seen_theory:
                seen_theory.add(theory.nl)
                d.theory.append(Theory(what, theory))

        for turn, h in enumerate(session.history, 1):
            scene = sc.scenes.get(h.scene)
            choice = next((c for c in scene.choices if c.id == h.choice), None) if scene else None
            if choice is not None and choice.coach is not None:
                add_theory(choice.text, choice.coach.theory)
            for key in h.locked:
                try:
                    lost = sc.choice(key)
                except KeyError:
                    continue
                if lost.show_locked is not None:
                    d.locked.append(Locked(turn, scene.title if scene and scene.title.nl else Text(h.scene),
                                           lost.text, lost.show_locked))
            own_t = own_e = 0
            for n in h.notes:
                dt, de = n.meters.get("tegenmacht", 0), n.meters.get("eigenaarschap", 0)
                if n.kind in ("choice", "outcome", "tag", "response"):
                    own_t, own_e = own_t + dt, own_e + de
                    continue
                title = note_text(sc, n)
                if n.kind == "event":
                    ev = next((e for e in sc.events if e.id == n.source), None)
                    if ev is not None and ev.coach is not None:
                        add_theory(ev.title or ev.text, ev.coach.theory)
                elif n.kind == "tip":
                    tip = next((t for t in sc.tipping_points if t.id == n.source), None)
                    if tip is not None and tip.coach is not None:
                        add_theory(tip.title or tip.text, tip.coach.theory)
                m = Moment(turn, n.kind, n.source, title, dt, de,
                           cause_label(sc, n.cause) if n.kind == "later" else EMPTY, n.turn)
                if n.kind == "later":
                    d.late.append(m)
                moments.append(m)
            if choice is not None:
                moments.append(Moment(turn, "choice", choice.key, choice.text, own_t, own_e))
        moments = [m for m in moments if m.weight and m.kind != "drift"]
        moments.sort(key=lambda m: (-m.weight, m.turn))
        d.turning_points = sorted(moments[:TURNING_POINTS], key=lambda m: m.turn)
        return d

    # -- as plain text (text mode, and a test's view of what every front end shows) ------
    def lines(self, lang: str = "nl") -> list[str]:
        def t(x: Text) -> str:
            return x.get(lang)

        def g(key: str, **kw: object) -> str:
            return gettext(f"debrief.{key}", lang, **kw)

        s = self.score
        out = [f"{g('outcome')}: {t(s.outcome.name)}",
               "  " + g("axes", t=f"{s.tegenmacht:.0f}", e=f"{s.eigenaarschap:.0f}")]
        if s.outcome.description.nl:
            out.append(f"  {t(s.outcome.description)}")
        if self.mismatch.nl:
            out.append(f"  {t(self.mismatch)}")
        if self.previous is not None:
            p = self.previous
            out.append(f"  {g('previous')}: " + g("axes", t=f"{p.tegenmacht:.0f}", e=f"{p.eigenaarschap:.0f}")
                       + (f" ({t(p.outcome)})" if p.outcome.nl else ""))
        turn = g("turn")
        sections = [
            ("", [t(x) for x in self.texts]),
            (g("turning-points"),
             [f"  {turn} {m.turn}: {t(m.title)} ({moment_changes(m, lang)})" for m in self.turning_points]),
            (g("late"),
             [f"  {turn} {m.turn} ← {m.cause_turn}: {t(m.title)}"
              + (f" ({g('from')}: {t(m.cause)})" if m.cause.nl else "") for m in self.late]),
            (g("locked"), [f"  {turn} {x.turn}: {t(x.choice)} — {t(x.reason)}" for x in self.locked]),
            (g("theory"), [f"  • {t(x.what)} — {t(x.theory)}" for x in self.theory]),
            (g("questions"), [f"  {i}. {t(q)}" for i, q in enumerate(self.questions, 1)]),
        ]
        for title, items in sections:
            if items:
                out += [""] + ([title] if title else []) + items
        return out


def moment_changes(m: Moment, lang: str = "nl") -> str:
    parts = []
    for axis, v in (("tegenmacht", m.tegenmacht), ("eigenaarschap", m.eigenaarschap)):
        if v:
            parts.append(f"{gettext('debrief.' + axis, lang)} {'+' if v > 0 else '−'}{abs(v)}")
    return ", ".join(parts)


def note_text(sc: Scenario, n: Note) -> Text:
    """What a rule that fired is called, looked up in the scenario (a restored
    session's notes carry no texts)."""
    if n.text is not None and n.text.nl:
        return n.text
    kind, source = n.kind, n.source
    try:
        if kind == "choice":
            return sc.choice(source).text
        if kind == "outcome":
            key, _, i = source.rpartition("#")
            return sc.choice(key).outcomes[int(i)].text
        if kind == "tag":
            rule = sc.tag_rules.get(source)
            return rule.text if rule and rule.text.nl else Text(source)
        if kind == "response":
            return sc.actors[source].name
        if kind == "event":
            ev = next(e for e in sc.events if e.id == source)
            return ev.title or ev.text
        if kind == "tip":
            tip = next(t for t in sc.tipping_points if t.id == source)
            return tip.title or tip.text
        if kind == "later":
            cause, _, i = source.rpartition("/")
            return later_sources(sc)[cause][int(i)].text
        if kind == "ending":
            return sc.endings[source].title
        if kind == "drift":
            m = sc.meters[source]
            return m.drift.text if m.drift and m.drift.text.nl else m.label
    except (KeyError, IndexError, ValueError, StopIteration):
        pass
    return Text(source)



def cause_label(sc: Scenario, cause: str) -> Text:
    """What scheduled a late consequence, in words: the choice, event, tag or tipping point."""
    kind, _, name = cause.partition(":")
    if kind == "outcome":
        kind, name = "choice", name.rpartition("#")[0]
    if kind == "tag":
        return Text(gettext("debrief.tagged", "nl", tag=name), gettext("debrief.tagged", "en", tag=name))
    return note_text(sc, Note(kind, name)) if kind in ("choice", "event", "tip") else Text(cause)


def signed(v: int) -> str:
    """+3 / −3 with a real minus sign."""
    return f"+{v}" if v >= 0 else f"−{-v}"


def turn_lines(sc: Scenario, step: Any, lang: str = "nl") -> list[str]:  # step: a Step or a TurnLog (its .notes)
    """The rules that fired in one turn, one line each (coach card, text mode):
    the tag rules, how the actors answered by their motive (actors that answered
    alike share one line), late consequences that landed (with their cause),
    drift with a text, tipping points. Each line names what changed."""
    out: list[str] = []
    answered: dict[tuple[str, str], list[str]] = {}  # (motive, reason) -> "Name +3" per actor
    for n in step.notes:
        if n.kind in ("choice", "outcome", "event", "ending"):
            continue  # the choice, its outcome and events have cards of their own
        if n.kind == "response":
            actor = sc.actors.get(n.source)
            if actor is None or not n.actors:
                continue
            reason = n.text.get(lang) if n.text is not None and n.text.nl else ""
            moves = [f"{signed(v)} {gettext('debrief.' + attr, lang)}" for attr, v in n.actors.get(actor.id, {}).items()]
            answered.setdefault((actor.motive, reason), []).append(f"{actor.name.get(lang)} {', '.join(moves)}")
            continue
        changes = ", ".join(f"{sc.meters[k].label.get(lang)} {signed(v)}" for k, v in n.meters.items())
        for actor, attrs in n.actors.items():
            name = sc.actors[actor].name.get(lang) if actor in sc.actors else actor
            for attr, v in attrs.items():
                word = gettext("debrief." + attr, lang)
                changes += (", " if changes else "") + f"{name} {word} {signed(v)}"
        text = note_text(sc, n).get(lang)
        if n.kind == "drift" and not (n.text is not None and n.text.nl):
            continue
        if n.kind == "tag":
            text = f"{n.source}: {text}" if text != n.source else n.source
        if n.kind == "later":
            cause = cause_label(sc, n.cause).get(lang)
            text = gettext("debrief.late-line", lang, turn=n.turn, cause=cause, text=text)
        if n.kind == "tip":
            text = gettext("debrief.tip-line", lang, text=text)
        out.append(f"{text}" + (f" — {changes}" if changes else ""))
    for (motive, reason), who in answered.items():
        label = gettext("debrief.motive-" + motive, lang)
        out.append(f"{label.capitalize()}{': ' + reason if reason else ''} — {'; '.join(who)}")
    return out
