"""Conditions and effects: the scenario's small, safe rule language.

Conditions are short texts a trainer writes in the YAML::

    tegenmacht >= 40 and (relatie < 30 or gemeente.stance > 0)
    visited(buurtavond) and not chose(buurtavond.petitie)
    achterban > 20 en niet fired(persbericht)        # Dutch keywords work too

They are parsed here by a hand-written recursive-descent parser into a tree,
checked against the scenario's meters, actors, scenes and events, and
compiled into plain Python closures. Nothing is ever passed to ``eval``.

Effects change meters and actors::

    effects: {tegenmacht: 5, relatie: -10, eigenaarschap: "%+20", energie: "=50"}

``5``/``"+5"``/``-5`` add (and clamp to the meter's range), ``"=50"`` sets,
``"%+20"`` and ``"%-20"`` are ChoiceScript-style *fairmath*: move 20 % of the
way toward the maximum (or minimum), so the value approaches a bound but
never crosses it.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Protocol

from game.errors import TegenmachtError

OPS = ("<=", ">=", "==", "!=", "<", ">")
KEYWORDS = {"and": "and", "en": "and", "or": "or", "of": "or", "not": "not", "niet": "not",
            "true": "true", "waar": "true", "false": "false", "onwaar": "false"}
FUNCTIONS = ("visited", "chose", "fired", "tipped")
TAG_FUNCTIONS = ("count", "share", "since")  # numbers about the tags of the choices made so far
NEVER = 999  # since(tag) when no choice with that tag was made yet
ACTOR_ATTRS = ("power", "stance")
ACTOR_RANGES = {"power": (0, 100), "stance": (-100, 100)}
_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|==|!=|<|>|=)|(?P<name>[A-Za-z_][\w\-]*(?:\.[A-Za-z_][\w\-]*)?)"
                    r"|(?P<punct>[()]))")


class ConditionSyntaxError(TegenmachtError, ValueError):
    """A condition text that cannot be parsed; ``column`` is 1-based within the text."""

    def __init__(self, message: tuple[str, str], column: int):
        super().__init__(message[1])
        self.message = message
        self.column = column


class State(Protocol):
    """What a condition reads: the session's changing state."""

    meters: dict[str, int]
    actors: dict[str, dict[str, int]]
    visited: set[str]
    chosen: set[str]
    fired: set[str]
    tipped: set[str]  # tipping points that fired
    turns: int
    counts: dict[str, int]  # tag -> choices made with it
    last: dict[str, int]  # tag -> the turn of the last choice with it (0: never)
    motives: dict[str, str]  # actor -> motive (fixed by the scenario)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A node of a parsed condition. ``kind`` is one of:
    num, var, fn, cmp, and, or, not, const."""

    kind: str  # num, var, fn (visited/chose/fired), tag (count/share/since), motive, cmp, and, or, not, const
    args: tuple[Any, ...]
    column: int = 1


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ConditionSyntaxError((f"onverwacht teken '{text[col - 1]}'",
                                        f"unexpected character '{text[col - 1]}'"), col)
        kind = m.lastgroup or ""
        value = m.group(kind)
        col = m.start(kind) + 1
        if kind == "op" and value == "=":
            after = text[m.end():m.end() + 1]
            if after in ("<", ">"):  # '=>' or '=<': the order is the other way round
                raise ConditionSyntaxError((f"schrijf '{after}=', niet '={after}'",
                                            f"write '{after}=', not '={after}'"), col)
            raise ConditionSyntaxError(("schrijf '==' om te vergelijken, niet '='",
                                        "write '==' to compare, not '='"), col)
        if kind == "name" and value.lower() in KEYWORDS:
            kind, value = "kw", KEYWORDS[value.lower()]
        out.append((kind, value, col))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i] if self.i < len(self.toks) else ("end", "", len(self.text.rstrip()) + 1)

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise ConditionSyntaxError(("de voorwaarde is leeg", "the condition is empty"), 1)
        node = self.or_()
        kind, value, col = self.peek()
        if kind != "end":
            raise ConditionSyntaxError((f"'{value}' verwacht hier 'and' of 'or' ervoor",
                                        f"'{value}' needs 'and' or 'or' before it"), col)
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.peek()[:2] == ("kw", "or"):
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts), parts[0].column)

    def and_(self) -> Node:
        parts = [self.not_()]
        while self.peek()[:2] == ("kw", "and"):
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts), parts[0].column)

    def not_(self) -> Node:
        kind, value, col = self.peek()
        if (kind, value) == ("kw", "not"):
            self.take()
            return Node("not", (self.not_(),), col)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.atom()
        kind, value, col = self.peek()
        if kind == "op":
            self.take()
            right = self.atom()
            motive = _motive_side(left, right)
            if motive is not None:
                actor_node, word = motive
                if value not in ("==", "!="):
                    raise ConditionSyntaxError(("een motief vergelijk je met == of !=",
                                                "compare a motive with == or !="), col)
                node = Node("motive", (actor_node.args[0].split(".", 1)[0], word), actor_node.column)
                return node if value == "==" else Node("not", (node,), actor_node.column)
            for side in (left, right):
                if side.kind not in ("num", "var", "tag"):
                    raise ConditionSyntaxError(("alleen getallen en meters kun je vergelijken",
                                                "only numbers and meters can be compared"), side.column)
            return Node("cmp", (value, left, right), left.column)
        if left.kind in ("num", "var", "tag"):
            raise ConditionSyntaxError(
                (f"een vergelijking ontbreekt, bijvoorbeeld '{self.text[left.column - 1:].split()[0]} >= 10'",
                 f"a comparison is missing, for example '{self.text[left.column - 1:].split()[0]} >= 10'"),
                left.column)
        return left

    def argument(self, fn: str, what: tuple[str, str], example: str) -> str:
        """The ``(name)`` after a function such as ``visited`` or ``count``."""
        k2, v2, c2 = self.take()
        if (k2, v2) != ("punct", "("):
            raise ConditionSyntaxError((f"na '{fn}' hoort '(' met {what[0]}, zoals {fn}({example})",
                                        f"'{fn}' needs '(' and {what[1]}, like {fn}({example})"), c2)
        k3, v3, c3 = self.take()
        if k3 != "name":
            raise ConditionSyntaxError((f"hier hoort {what[0]}, zoals {example}", f"{what[1]} is expected here, like "
                                                                                   f"{example}"), c3)
        k4, v4, c4 = self.take()
        if (k4, v4) != ("punct", ")"):
            raise ConditionSyntaxError(("een ')' ontbreekt", "a ')' is missing"), c4)
        return v3

    def atom(self) -> Node:
        kind, value, col = self.take()
        if kind == "num":
            return Node("num", (float(value) if "." in value else int(value),), col)
        if kind == "punct" and value == "(":
            inner = self.or_()
            k2, v2, c2 = self.take()
            if (k2, v2) != ("punct", ")"):
                raise ConditionSyntaxError(("een ')' ontbreekt", "a ')' is missing"), c2)
            return inner
        if kind == "kw" and value in ("true", "false"):
            return Node("const", (value == "true",), col)
        if kind == "name":
            if value in FUNCTIONS:
                return Node("fn", (value, self.argument(value, ("een naam", "a name"), "start")), col)
            if value in TAG_FUNCTIONS:
                return Node("tag", (value, self.argument(value, ("een label", "a tag"), "overnemen")), col)
            return Node("var", (value,), col)
        if kind == "end":
            raise ConditionSyntaxError(("de voorwaarde houdt hier te vroeg op", "the condition ends too early"), col)
        raise ConditionSyntaxError((f"'{value}' staat hier niet goed", f"'{value}' is out of place here"), col)


def _motive_side(left: Node, right: Node) -> tuple[Node, str] | None:
    """``gemeente.motive == moreel`` (either way round): (the actor side, the motive word)."""
    for a, b in ((left, right), (right, left)):
        if a.kind == "var" and a.args[0].endswith(".motive"):
            if b.kind != "var" or "." in b.args[0]:
                raise ConditionSyntaxError(("vergelijk een motief met een motief, zoals moreel",
                                            "compare a motive with a motive, like moreel"), b.column)
            return a, b.args[0]
    return None


def parse_condition(text: str) -> Node:
    """Parse a condition text; raises :class:`ConditionSyntaxError`."""
    return _Parser(text).parse()


# ---------------------------------------------------------------------------
# Checking names and compiling
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NameProblem:
    code: str  # unknown-meter | unknown-actor | unknown-scene | unknown-choice | unknown-event | bad-condition
    name: str
    column: int
    choices: tuple[str, ...] = ()


def check_names(node: Node, meters: Collection[str], actors: Collection[str], scenes: Collection[str],
                choices: Collection[str], events: Collection[str], tags: Collection[str] = (),
                motives: Collection[str] = (), tips: Collection[str] = ()) -> list[NameProblem]:
    """Every name a condition uses must exist in the scenario. Pass sets or dicts:
    the validator calls this once per condition, so nothing here copies them."""
    found: list[NameProblem] = []
    for n in walk(node):
        if n.kind == "var":
            name = n.args[0]
            if name == "turns":
                continue
            if "." in name:
                actor, attr = name.split(".", 1)
                if actor not in actors:
                    found.append(NameProblem("unknown-actor", actor, n.column, tuple(actors)))
                elif attr not in ACTOR_ATTRS:
                    found.append(NameProblem("bad-condition", name, n.column, ACTOR_ATTRS))
            elif name not in meters:
                found.append(NameProblem("unknown-meter", name, n.column, tuple(meters) + ("turns",)))
        elif n.kind == "fn":
            fn, arg = n.args
            if fn == "visited" and arg not in scenes:
                found.append(NameProblem("unknown-scene", arg, n.column, tuple(scenes)))
            elif fn == "chose" and arg not in choices:
                found.append(NameProblem("unknown-choice", arg, n.column, tuple(choices)))
            elif fn == "fired" and arg not in events:
                found.append(NameProblem("unknown-event", arg, n.column, tuple(events)))
            elif fn == "tipped" and arg not in tips:
                found.append(NameProblem("unknown-tip", arg, n.column, tuple(tips)))
        elif n.kind == "tag":
            if n.args[1] not in tags:
                found.append(NameProblem("unknown-tag", n.args[1], n.column, tuple(tags)))
        elif n.kind == "motive":
            actor, motive = n.args
            if actor not in actors:
                found.append(NameProblem("unknown-actor", actor, n.column, tuple(actors)))
            if motive not in motives:
                found.append(NameProblem("unknown-motive", motive, n.column, tuple(motives)))
    return found


def walk(node: Node) -> Iterable[Node]:
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        if n.kind in ("and", "or"):
            todo.extend(n.args)
        elif n.kind == "not":
            todo.append(n.args[0])
        elif n.kind == "cmp":
            todo.extend(n.args[1:])


_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}

Predicate = Callable[[State], bool]


def _value(node: Node) -> Callable[[State], float]:
    if node.kind == "num":
        v = node.args[0]
        return lambda s: v
    if node.kind == "tag":
        return tag_value(*node.args)
    name = node.args[0]
    if name == "turns":
        return lambda s: s.turns
    if "." in name:
        actor, attr = name.split(".", 1)
        return lambda s: s.actors[actor][attr]
    return lambda s: s.meters[name]


def tag_value(fn: str, tag: str) -> Callable[[State], float]:
    """``count(tag)``, ``share(tag)`` (a percentage) or ``since(tag)`` of a state."""
    if fn == "count":
        return lambda s: s.counts[tag]
    if fn == "share":
        return lambda s: 100.0 * s.counts[tag] / s.turns if s.turns else 0.0
    return lambda s: s.turns - s.last[tag] if s.last[tag] else NEVER


def compile_condition(node: Node) -> Predicate:
    """Turn a checked condition tree into a fast predicate on a session state."""
    k = node.kind
    if k == "const":
        v = bool(node.args[0])
        return lambda s: v
    if k == "not":
        inner = compile_condition(node.args[0])
        return lambda s: not inner(s)
    if k == "and":
        parts = [compile_condition(a) for a in node.args]
        return lambda s: all(p(s) for p in parts)
    if k == "or":
        parts = [compile_condition(a) for a in node.args]
        return lambda s: any(p(s) for p in parts)
    if k == "fn":
        fn, arg = node.args
        if fn == "visited":
            return lambda s: arg in s.visited
        if fn == "chose":
            return lambda s: arg in s.chosen
        if fn == "tipped":
            return lambda s: arg in s.tipped
        return lambda s: arg in s.fired
    if k == "motive":
        actor, motive = node.args
        return lambda s: s.motives[actor] == motive
    if k == "cmp":
        op, left, right = node.args
        f, a, b = _CMP[op], _value(left), _value(right)
        if left.kind == "var" and right.kind == "num":  # the hot case: one closure, one C call
            v, name = right.args[0], left.args[0]
            if name == "turns":
                return lambda s: f(s.turns, v)
            if "." in name:
                actor, attr = name.split(".", 1)
                return lambda s: f(s.actors[actor][attr], v)
            return lambda s: f(s.meters[name], v)
        return lambda s: f(a(s), b(s))
    raise ValueError(f"not a condition node: {k}")  # pragma: no cover - parser never builds it


# ---------------------------------------------------------------------------
# Can a condition ever hold? (interval reasoning over disjunctive normal form)
# ---------------------------------------------------------------------------

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_MAX_TERMS = 256


def _dnf(node: Node, negate: bool = False) -> list[list[tuple]] | None:
    """Disjunctive normal form as a list of terms (lists of atoms); None if too big."""
    k = node.kind
    if k == "not":
        return _dnf(node.args[0], not negate)
    if k == "const":
        return [[]] if bool(node.args[0]) != negate else []
    if k in ("fn", "motive"):
        return [[("lit", (k,) + tuple(node.args), not negate)]]
    if k == "cmp":
        op, left, right = node.args
        left, right = _as_var(left), _as_var(right)
        if negate:
            op = _NEGATE[op]
        if left.kind == "num" and right.kind == "var":
            left, right, op = right, left, _FLIP[op]
        if left.kind == "var" and right.kind == "num":
            return [[("cmp", left.args[0], op, right.args[0])]]
        if left.kind == "num" and right.kind == "num":
            return [[]] if _CMP[op](left.args[0], right.args[0]) else []
        return [[]]  # var vs var: not decided here
    is_and = (k == "and") != negate
    parts = [_dnf(a, negate) for a in node.args]
    if any(p is None for p in parts):
        return None
    if not is_and:
        out = [t for p in parts for t in p]  # type: ignore[union-attr]
        return out if len(out) <= _MAX_TERMS else None
    terms: list[list[tuple]] = [[]]
    for p in parts:
        terms = [t + u for t in terms for u in p]  # type: ignore[union-attr]
        if len(terms) > _MAX_TERMS:
            return None
    return terms


def _as_var(n: Node) -> Node:
    """``count(x)`` and friends reason like a variable named ``count(x)``."""
    return Node("var", (f"{n.args[0]}({n.args[1]})",), n.column) if n.kind == "tag" else n


def _term_feasible(term: list[tuple], ranges: dict[str, tuple[float, float]]) -> tuple[bool, set[str]]:
    bounds: dict[str, list[float | bool]] = {}
    excluded: dict[str, set[float]] = {}
    lits: dict[tuple, bool] = {}
    for atom in term:
        if atom[0] == "lit":
            if lits.setdefault(atom[1], atom[2]) != atom[2]:
                return False, set()
            continue
        _, var, op, value = atom
        low, high = ranges.get(var, (-math.inf, math.inf))
        b = bounds.setdefault(var, [low, False, high, False])  # low, low_open, high, high_open
        if op in (">", ">="):
            if value > b[0] or (value == b[0] and op == ">"):
                b[0], b[1] = value, op == ">"
        elif op in ("<", "<="):
            if value < b[2] or (value == b[2] and op == "<"):
                b[2], b[3] = value, op == "<"
        elif op == "==":
            if value > b[0]:
                b[0], b[1] = value, False
            if value < b[2]:
                b[2], b[3] = value, False
            if not (b[0] <= value <= b[2]):
                b[0], b[2] = 1, 0
        else:
            excluded.setdefault(var, set()).add(value)
    for var, (low, low_open, high, high_open) in bounds.items():
        if low > high or (low == high and (low_open or high_open)):
            return False, {var}
        if low == high and low in excluded.get(var, ()):
            return False, {var}
    return True, set()


def never_true(node: Node, ranges: dict[str, tuple[float, float]]) -> set[str] | None:
    """If the condition can never hold given the variables' ranges, return the
    names involved (possibly empty); otherwise None. Undecidable → None."""
    terms = _dnf(node)
    if terms is None:
        return None
    culprits: set[str] = set()
    for term in terms:
        ok, names = _term_feasible(term, ranges)
        if ok:
            return None
        culprits |= names
    return culprits


def always_true(node: Node, ranges: dict[str, tuple[float, float]]) -> bool:
    """True if the condition holds in every state (its negation never holds)."""
    negated = Node("not", (node,), node.column)
    return never_true(negated, ranges) is not None


# ---------------------------------------------------------------------------
# Effects
# ---------------------------------------------------------------------------

_CHANGE = re.compile(r"^\s*(?P<op>[=%]?)\s*(?P<sign>[+-]?)\s*(?P<num>\d+)\s*$")
_SCALED = re.compile(r"^\s*(?P<sign>[+-])\s*(?P<ref>[A-Za-z_][\w\-]*(?:\.[A-Za-z_]+)?)\s*(?:/\s*(?P<div>\d+))?\s*$")


@dataclass(frozen=True)
class Change:
    """One change to one number: ``op`` is add, set, fair (fairmath) or scale.

    ``scale`` adds ``amount`` (+1 or -1) times the value of ``ref`` (a meter or
    ``actor.power``/``actor.stance``) divided by ``div``, rounded toward zero:
    ``"+achterban/10"`` adds a tenth of the supporters."""

    op: str
    amount: int
    ref: str = ""
    div: int = 1

    def apply(self, value: int, low: int, high: int, state: Any = None) -> int:
        op = self.op
        if op == "add":
            new = value + self.amount
        elif op == "set":
            new = self.amount
        elif op == "scale":
            new = value + self.amount * int(self.read(state) / self.div)
        elif self.amount >= 0:  # fairmath up: a share of the distance to the top
            new = value + int((high - value) * self.amount / 100)
        else:
            new = value - int((value - low) * -self.amount / 100)
        return low if new < low else high if new > high else new

    def read(self, state: Any) -> int:
        actor, _, attr = self.ref.partition(".")
        return state.actors[actor][attr] if attr else state.meters[actor]

    def __str__(self) -> str:
        if self.op == "set":
            return f"={self.amount}"
        sign = "+" if self.amount >= 0 else "-"
        if self.op == "scale":
            return f"{sign}{self.ref}" + (f"/{self.div}" if self.div != 1 else "")
        return f"{'%' if self.op == 'fair' else ''}{sign}{abs(self.amount)}"


def parse_change(raw: Any) -> Change:
    """``5``, ``"+5"``, ``"-5"``, ``"=30"``, ``"%+20"``, ``"%-20"``, ``"+achterban/10"`` → :class:`Change`.
    Raises ValueError with a (Dutch, English) message."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError(("gebruik een getal zoals 5 of -10, of '=30' of '%+20'",
                          "use a number like 5 or -10, or '=30' or '%+20'"))
    if isinstance(raw, int):
        return Change("add", raw)
    if isinstance(raw, float):
        raise ValueError(("gebruik hele getallen", "use whole numbers"))
    scaled = _SCALED.match(str(raw))
    if scaled:
        div = int(scaled.group("div") or 1)
        if div == 0:
            raise ValueError(("delen door 0 kan niet", "dividing by 0 is not possible"))
        return Change("scale", -1 if scaled.group("sign") == "-" else 1, scaled.group("ref"), div)
    m = _CHANGE.match(str(raw))
    if not m:
        raise ValueError((f"'{raw}' is geen verandering; schrijf bijvoorbeeld 5, -10, '=30', '%+20' of '+achterban/10'",
                          f"'{raw}' is not a change; write e.g. 5, -10, '=30', '%+20' or '+achterban/10'"))
    op, sign, num = m.group("op"), m.group("sign"), int(m.group("num"))
    if op == "=":
        return Change("set", -num if sign == "-" else num)
    if op == "%":
        if not sign:
            raise ValueError(("schrijf bij fairmath '%+20' of '%-20'", "write fairmath as '%+20' or '%-20'"))
        if num > 100:
            raise ValueError(("fairmath gaat hooguit tot 100 %", "fairmath goes up to 100 % at most"))
        return Change("fair", -num if sign == "-" else num)
    return Change("add", -num if sign == "-" else num)
