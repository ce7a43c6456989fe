"""The one place that reads YAML.

Scenario files are read with PyYAML's *safe* event parser (libyaml's
``CParser`` where it is installed) and turned into plain Python values by
our own small, iterative composer. That buys us what ``yaml.safe_load`` does
not give:

* every mapping key and every value keeps its ``line:column``;
* duplicate keys are reported (PyYAML silently keeps the last one);
* a tag such as ``!!python/object`` is refused: scenarios are data, never code;
* hostile input stays harmless: the file size, the number of aliases, the
  nesting depth and the number of values built are capped, so neither a
  "billion laughs" file nor ``[[[[…]]]]`` can hang or crash the loader.

Every problem becomes a :class:`~game.scenario.problems.Problem` with a location; the
loader never raises for a bad file.
"""
from __future__ import annotations

import os
import re
from collections import deque
from typing import Any

import yaml
from yaml import events as ev
from yaml.resolver import Resolver

from game.safeio import FileTooBig, NotRegularFile, kind_words, read_regular
from game.scenario.problems import Problem
from game.scenario.schema import known_key

try:  # libyaml is much faster; fall back to the pure-Python parser
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 40
MAX_VALUES = 2_000_000  # values written in the file (an 8 MB scenario holds about 800,000)
MAX_ALIAS_VALUES = 500_000  # values the aliases copy, counted once per use

_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}
_resolver = Resolver()
_constructor = yaml.constructor.SafeConstructor()

Pos = tuple[int, int]  # 1-based line, column


class YMap(dict):
    """A mapping that remembers where it, its keys and its values stand."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Pos] = {}
        self.value_pos: dict[Any, Pos] = {}

    def where(self, key: Any) -> Pos:
        """Position of the value under ``key`` (or of the mapping itself)."""
        return self.value_pos.get(key, self.pos)


class YList(list):
    """A sequence that remembers where it and each item stand."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def where(self, index: int) -> Pos:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def located(value: Any, pos: Pos) -> Any:
    """Plain data (dicts, lists, scalars) as :class:`YMap`/:class:`YList`, every
    part placed at ``pos``: the project's default rules pass through the same
    checks as a scenario's own."""
    if isinstance(value, dict):
        m = YMap(pos)
        for k, v in value.items():
            m[k] = located(v, pos)
            m.key_pos[k] = m.value_pos[k] = pos
        return m
    if isinstance(value, list):
        items = YList(pos)
        for v in value:
            items.append(located(v, pos))
            items.item_pos.append(pos)
        return items
    return value


def _short_tag(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' → '!!python/object', as the trainer typed it."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


class LoadResult:
    """The data of one file (or ``None``) plus the problems found reading it."""

    def __init__(self, path: str, data: Any, problems: list[Problem], text: str = ""):
        self.path = path
        self.data = data
        self.problems = problems
        self.text = text

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.level == "error" for p in self.problems)


_plain_cache: dict[tuple[str, Any], Any] = {}
_STR = "tag:yaml.org,2002:str"


def _scalar(event: ev.ScalarEvent, path: str, problems: list[Problem]) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        # Resolving a plain scalar's type is the loader's hot spot; the same short
        # words and numbers recur all through a scenario, so remember them.
        key = (event.value, event.implicit)
        hit = _plain_cache.get(key, _plain_cache)
        if hit is not _plain_cache:
            return event.value if hit is _STR else hit
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            if len(event.value) <= 40 and len(_plain_cache) < 20_000:
                _plain_cache[key] = _STR
            return event.value
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:null"):
            before = len(problems)
            value = _construct(event, tag, path, problems)
            if len(problems) == before and len(_plain_cache) < 20_000:
                _plain_cache[key] = value
            return value
    elif tag not in _SAFE_TAGS:
        problems.append(Problem(path, *_pos(event.start_mark), "error", "yaml-tag", tag=_short_tag(tag)))
        return None
    if tag == _STR:
        return event.value
    if tag == "tag:yaml.org,2002:timestamp":  # keep dates as the text the trainer typed
        return event.value
    return _construct(event, tag, path, problems)


def _construct(event: ev.ScalarEvent, tag: str, path: str, problems: list[Problem]) -> Any:
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return _constructor.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError):
        problems.append(Problem(path, *_pos(event.start_mark), "error", "yaml-value", value=event.value))
        return None


def _compose(stream: Any, path: str, problems: list[Problem]) -> Any:
    """Build YMap/YList/scalars from parser events without recursion."""
    anchors: dict[str, Any] = {}
    sizes: dict[int, int] = {}
    stack: list[Any] = []          # open containers
    pending_key: list[Any] = []     # for maps: the key waiting for its value (or a sentinel)
    no_key = object()
    root: Any = None
    documents = 0
    aliases = 0
    values = 0
    copied = 0  # values an alias stands for (the same object again; "billion laughs" grows here)

    def anchor(name: str | None, value: Any) -> None:
        if name:
            anchors[name] = value

    def attach(value: Any, pos: Pos, size: int = 0) -> bool:
        nonlocal root, values, copied
        if size:  # an alias
            copied += size
            if copied > MAX_ALIAS_VALUES:
                problems.append(Problem(path, *pos, "error", "yaml-aliases-too-big", limit=MAX_ALIAS_VALUES))
                return False
        else:
            values += 1
            if values > MAX_VALUES:
                problems.append(Problem(path, *pos, "error", "yaml-too-many-values", limit=MAX_VALUES))
                return False
        if not stack:
            root = value
            return True
        parent = stack[-1]
        if isinstance(parent, YList):
            parent.append(value)
            parent.item_pos.append(pos)
            return True
        key = pending_key[-1]
        if key is no_key:
            if isinstance(value, (YMap, YList)):
                problems.append(Problem(path, *pos, "error", "yaml-complex-key"))
                value = f"<{type(value).__name__}>"
            try:
                hash(value)
            except TypeError:
                value = repr(value)
            pending_key[-1] = (value, pos)
            return True
        name, key_pos = key
        if name in parent:
            first = parent.key_pos[name]
            problems.append(Problem(path, *key_pos, "error", "duplicate-key", key=name, line=first[0]))
        else:
            parent[name] = value
            parent.key_pos[name] = key_pos
            parent.value_pos[name] = pos
        pending_key[-1] = no_key
        return True

    for event in stream:
        if isinstance(event, ev.DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.append(Problem(path, *_pos(event.start_mark), "error", "yaml-several-documents"))
                return None
        elif isinstance(event, ev.ScalarEvent):
            value = _scalar(event, path, problems)
            if not attach(value, _pos(event.start_mark)):
                return None
            anchor(event.anchor, value)
        elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
            pos = _pos(event.start_mark)
            if event.tag not in (None, "!") and event.tag not in _SAFE_TAGS:
                problems.append(Problem(path, *pos, "error", "yaml-tag", tag=_short_tag(event.tag)))
                return None
            if len(stack) >= MAX_DEPTH:
                problems.append(Problem(path, *pos, "error", "yaml-too-deep", limit=MAX_DEPTH))
                return None
            container: Any = YMap(pos) if isinstance(event, ev.MappingStartEvent) else YList(pos)
            if not attach(container, pos):
                return None
            stack.append(container)
            pending_key.append(no_key)
            anchor(event.anchor, container)
        elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            stack.pop()
            pending_key.pop()
        elif isinstance(event, ev.AliasEvent):
            aliases += 1
            pos = _pos(event.start_mark)
            if aliases > MAX_ALIASES:
                problems.append(Problem(path, *pos, "error", "yaml-too-many-aliases", limit=MAX_ALIASES))
                return None
            if event.anchor not in anchors:
                problems.append(Problem(path, *pos, "error", "yaml-unknown-alias", name=event.anchor))
                return None
            value = anchors[event.anchor]
            # The same object is shared, never copied; count its size so that
            # nested aliases ("billion laughs") hit MAX_ALIAS_VALUES, not memory.
            if id(value) not in sizes:
                sizes[id(value)] = _size(value, MAX_ALIAS_VALUES + 1)
            size = sizes[id(value)]
            if not attach(value, pos, size):
                return None
    if documents == 0:
        return None
    return root


def _size(value: Any, limit: int = MAX_ALIAS_VALUES + 1) -> int:
    """Number of values inside ``value`` (stops counting past ``limit``)."""
    count, todo = 0, [value]
    while todo and count <= limit:
        item = todo.pop()
        count += 1
        if isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return count


_HINTS: list[tuple[str, str, str, bool]] = [
    # (fragment of PyYAML's problem, Dutch, English, point at the context mark instead).
    # Only for what _slip() below does not recognise more precisely.
    ("did not find expected key", "deze regel springt anders in dan de regels erboven",
     "this line is indented differently from the lines above it", False),
    ("expected <block end>", "deze regel springt anders in dan de regels erboven",
     "this line is indented differently from the lines above it", False),
    ("mapping values are not allowed", "een dubbele punt midden in een tekst; zet de tekst tussen aanhalingstekens",
     "a colon inside a text; put the text between quotes", False),
    ("could not find expected ':'", "hier ontbreekt een dubbele punt na de sleutel",
     "a colon after the key is missing here", False),
    ("found unexpected end of stream", "een aanhalingsteken of haakje wordt hier geopend maar nooit gesloten",
     "a quote or bracket opens here but never closes", True),
    ("did not find expected ',' or ']'", "deze lijst [ ... ] wordt niet goed gesloten",
     "this list [ ... ] is not closed properly", True),
    ("did not find expected ',' or '}'", "dit blok { ... } wordt niet goed gesloten",
     "this block { ... } is not closed properly", True),
    ("found duplicate anchor", "dit anker (&naam) bestaat al", "this anchor (&name) already exists", False),
    ("cannot start any token", "dit teken kan hier niet staan; haal het weg of zet de tekst tussen aanhalingstekens",
     "this character cannot stand here; remove it or put the text between quotes", False),
]

# YAML's line breaks (PyYAML and libyaml agree on these); str.splitlines() knows more.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_QUOTES = ("'", '"')
_CLOSE = {"{": "}", "[": "]"}
_FLOW_OPEN = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_FLOW_CLOSE = (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
# Where a quoted text really ends: its quote, then nothing, a comment or (in { } and [ ]) the next item.
_TEXT_END = re.compile(r"\s*(?:$|#|,|\}|\])")
# A line of a quoted text that looks like the scenario's own structure: "key:" or "- ".
_STRUCTURE = re.compile(r"\s*(?:-\s|[\w-]+:(?:\s|$))")
_DASH = re.compile(r"(\s*)-([A-Za-z_'\"][^\s:]*:?)")
_WORD = re.compile(r"[^\s:#{}\[\],'\"]+")
# Characters YAML keeps for itself at the start of a plain value (% directives, @ and ` reserved).
_RESERVED_START = "%@`"

_SHOW_TEXT = 50  # a longer text is not written out in the advice
Slip = tuple[Pos, str, dict[str, Any]]  # (0-based line and column, code, message parameters)


class _Scan:
    """What libyaml's scanner saw before ``upto`` (a 0-based line and column): the last
    few tokens, and the columns of the blocks still open there (outside { } and [ ])."""

    def __init__(self, text: str, upto: tuple[int, int]):
        self.last: deque[Any] = deque(maxlen=32)
        self.levels: list[int] = []
        flow = 0
        try:
            for tok in yaml.scan(text, Loader=_Parser):
                start = (tok.start_mark.line, tok.start_mark.column)
                if start >= upto:
                    break
                self.last.append(tok)
                if isinstance(tok, _FLOW_OPEN):
                    flow += 1
                elif isinstance(tok, _FLOW_CLOSE):
                    flow = max(0, flow - 1)
                elif flow == 0 and isinstance(tok, (yaml.KeyToken, yaml.BlockEntryToken)):
                    while self.levels and self.levels[-1] > start[1]:
                        self.levels.pop()
                    if not self.levels or self.levels[-1] != start[1]:
                        self.levels.append(start[1])
        except yaml.YAMLError:
            pass  # the scanner stops at (or after) the parser's mark; what it saw so far is enough

    def scalar_before(self, upto: tuple[int, int]) -> Any:
        """The last text (scalar) that ends at or before ``upto``."""
        for tok in reversed(self.last):
            if isinstance(tok, yaml.ScalarToken) and (tok.end_mark.line, tok.end_mark.column) <= upto:
                return tok
        return None

    def first_scalar_on(self, row: int) -> Any:
        for tok in self.last:
            if isinstance(tok, yaml.ScalarToken) and tok.start_mark.line == row:
                return tok
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _significant_before(lines: list[str], row: int) -> int:
    """The nearest line above ``row`` that holds more than spaces or a comment (or -1)."""
    for r in range(min(row, len(lines)) - 1, -1, -1):
        stripped = lines[r].strip()
        if stripped and not stripped.startswith("#"):
            return r
    return -1


def _quoted(inner: str, quote: str) -> tuple[str, str]:
    """How to write ``inner`` so that its own quote marks do not end it: (Dutch, English) advice,
    with the text written out when it is short enough to read in one line."""
    if len(inner) > _SHOW_TEXT:
        if quote == "'":
            return ("zet de tekst tussen dubbele aanhalingstekens in plaats van enkele, of schrijf elke apostrof "
                    "erin dubbel: ''",
                    "put the text between double quotes instead of single ones, or write every apostrophe in it "
                    "twice: ''")
        return ("zet de tekst tussen enkele aanhalingstekens in plaats van dubbele, en schrijf een apostrof erin "
                "dubbel: ''",
                "put the text between single quotes instead of double ones, and write any apostrophe in it "
                "twice: ''")
    if quote == "'":
        doubled = "'" + inner.replace("'", "''") + "'"
        if '"' not in inner:
            return (f'zet de tekst tussen dubbele aanhalingstekens, "{inner}", '
                    f"of schrijf de apostrof dubbel: {doubled}",
                    f'put the text between double quotes, "{inner}", or write the apostrophe twice: {doubled}')
        return (f"schrijf elke apostrof binnen de tekst dubbel: {doubled}",
                f"write every apostrophe inside the text twice: {doubled}")
    if "'" not in inner:
        return (f"zet de tekst tussen enkele aanhalingstekens: '{inner}'",
                f"put the text between single quotes: '{inner}'")
    doubled = "'" + inner.replace("'", "''") + "'"
    return (f"zet de tekst tussen enkele aanhalingstekens en schrijf elke apostrof erin dubbel: {doubled}",
            f"put the text between single quotes and write every apostrophe in it twice: {doubled}")


def _indent_advice(found: int, levels: list[int]) -> dict[str, Any] | None:
    lower = max((n for n in levels if n < found), default=None)
    higher = min((n for n in levels if n > found), default=None)
    if lower is None and higher is None:
        return None
    if lower is not None and higher is not None:
        fix = (f"laat hem {lower} of {higher} spaties inspringen", f"indent it {lower} or {higher} spaces")
    else:
        n = lower if lower is not None else higher
        fix = (("laat hem helemaal niet inspringen", "do not indent it at all") if n == 0
               else (f"laat hem {n} spaties inspringen", f"indent it {n} spaces"))
    spaces = ("1 spatie", "1 space") if found == 1 else (f"{found} spaties", f"{found} spaces")
    return {"found": spaces, "fix": fix}


def _colon_slip(row: int, word: re.Match[str], line: str) -> Slip:
    """'title Hoi' lacks the colon after 'title'; 'next:midden' has it, without the space after it."""
    if line[word.end():word.end() + 1] == ":":
        return (row, word.end() + 1), "yaml-colon-space", {"key": word.group()}
    return (row, word.end()), "yaml-missing-colon", {"key": word.group()}


def _slip(err: yaml.MarkedYAMLError, text: str) -> Slip | None:
    """The trainer's slip behind a parser error, found in the text around the parser's
    mark: the mark often lies after the real mistake, so look back to where it was made."""
    mark = err.problem_mark
    if mark is None:
        return None
    lines = _BREAK.split(text)
    row, col = mark.line, mark.column
    here = lines[row] if row < len(lines) else ""
    char = here[col:col + 1]
    problem = str(err.problem or "")
    context = err.context_mark

    # A quote that is still open when the file ends, or that opens a "key" running over
    # several lines until some later quote: point at the quote itself.
    if context is not None and context.line < len(lines) and (
            "end of stream" in problem or "could not find expected ':'" in problem and context.line < row):
        quote = lines[context.line][context.column:context.column + 1]
        if quote in _QUOTES:
            return (context.line, context.column), "yaml-unclosed-quote", {"quote": quote}

    scan = _Scan(text, (row, col))

    # A quoted text followed by more text on the same line: a quote mark inside it ended it
    # early, or (when the "text" runs over lines that look like keys) an opening quote was
    # never closed and the next text's quote closed it by accident.
    tok = scan.scalar_before((row, col))
    if tok is not None and tok.style in _QUOTES and char and char not in ",]}:#":
        start, end, quote = tok.start_mark, tok.end_mark, tok.style
        if end.line == row and not here[end.column:col].strip():
            if start.line < end.line:
                inside = lines[start.line + 1:end.line] + [here[:end.column - 1]]
                if any(_STRUCTURE.match(line) for line in inside):
                    return (start.line, start.column), "yaml-unclosed-quote", {"quote": quote}
            fix: Any = None
            if start.line == row:
                for close in range(end.column, len(here)):
                    if here[close] == quote and _TEXT_END.match(here, close + 1):
                        fix = _quoted(here[start.column + 1:close], quote)
                        break
            if fix is None:
                fix = ("zet de tekst tussen de andere soort aanhalingstekens, of schrijf een apostrof tussen "
                       "enkele aanhalingstekens dubbel: ''",
                       "put the text between the other kind of quotes, or write an apostrophe between single "
                       "quotes twice: ''")
            return (end.line, end.column - 1), "yaml-quote-inside", {"fix": fix}

    # Tabs: YAML indents with spaces only.
    if char == "\t" and "cannot start any token" in problem:
        return (row, col), "yaml-tab", {}
    lead = here[:len(here) - len(here.lstrip(" \t"))]
    if "\t" in lead:
        return (row, lead.index("\t")), "yaml-tab", {}

    # %+25, @naam, `x`: YAML will not read these unquoted.
    if "cannot start any token" in problem and char and char in _RESERVED_START \
            and here[:col].rstrip()[-1:] in (":", "-", ",", "[", "{"):
        value = here[col:]
        cut = value.find(" #")
        value = value[:cut] if cut >= 0 else value
        if any(b in here[:col] for b in "{["):  # inside { } or [ ]: the value ends at the next , } or ]
            value = re.split(r"[,}\]]", value)[0]
        value = value.strip()
        fixed = f"'{value}'" if '"' in value else f'"{value}"'
        return (row, col), "yaml-needs-quotes", {"char": char, "fixed": fixed}

    block_words = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")
    in_blocks = any(words in problem for words in block_words + ("mapping values are not allowed",
                                                                 "could not find expected ':'"))

    # "-id: x": a list dash without its space (on this line, or the one above it).
    for r in (row, _significant_before(lines, row)) if in_blocks else ():
        m = _DASH.match(lines[r]) if 0 <= r < len(lines) else None
        if m:
            typed = "-" + m.group(2)
            return (r, len(m.group(1))), "yaml-dash-space", {"typed": typed, "fixed": "- " + m.group(2)}

    # A key without its colon (or a "key" that is a { or [ never closed).
    if "could not find expected ':'" in problem and context is not None and context.line < len(lines):
        bracket = lines[context.line][context.column:context.column + 1]
        if bracket in ("{", "["):
            hint = next(h for h in _HINTS if h[0] == f"did not find expected ',' or '{_CLOSE[bracket]}'")
            return (context.line, context.column), "yaml-syntax", {"detail": hint[1:3]}
        word = _WORD.match(lines[context.line], context.column)
        if word:
            return _colon_slip(context.line, word, lines[context.line])
    if "mapping values are not allowed" in problem:
        tok = scan.scalar_before((row, col))
        if tok is not None and not tok.style and tok.start_mark.line < row:
            # The text before this colon began on an earlier line.
            first = lines[tok.start_mark.line]
            before = first[:tok.start_mark.column].strip()
            word = _WORD.match(first, tok.start_mark.column)
            rest = first[word.end():].strip() if word else ""
            if word and before in ("", "-") and (
                    known_key(word.group())
                    or (before == "" and (not rest or rest[0] in "0123456789+-=%'\"{["))):
                # "text Hallo" or "tegenmacht 5" on a line of its own, with "choices:" below
                # it: the first line was meant as a key.
                return _colon_slip(tok.start_mark.line, word, first)
            if before.endswith(":") or before == "-":
                # "id: a" and below it "  title: x": the deeper line was read as more of the text "a".
                advice = _indent_advice(_indent(here), scan.levels)
                if advice:
                    return (row, _indent(here)), "yaml-indent", advice
        key = scan.first_scalar_on(row)
        if key is not None and not key.style and key.start_mark.column == _indent(here):
            m = re.match(r"[A-Za-z_][\w-]*[:\s]", key.value)
            if m and m.end() < len(key.value):  # "title {nl: ...}": the key and its value were read as one text
                return _colon_slip(row, _WORD.match(here, key.start_mark.column) or m, here)
        return (row, col), "yaml-colon-in-text", {}

    # A line that fits no block above it.
    # (libyaml says "did not find expected key" or "... '-' indicator"; PyYAML "expected <block end>".)
    if any(words in problem for words in block_words) and col == _indent(here):
        levels = scan.levels
        if "block collection" in str(err.context or ""):  # this column holds the list's dashes
            levels = [n for n in levels if n != col]
        advice = _indent_advice(col, levels)
        if advice:
            return (row, col), "yaml-indent", advice
    return None


def _explain(err: yaml.MarkedYAMLError, text: str) -> tuple[Pos, str, dict[str, Any]]:
    """A plain sentence for PyYAML's complaint: (1-based line and column, code, parameters)."""
    try:
        slip = _slip(err, text)
    except Exception:  # noqa: BLE001 - a failed diagnosis must never hide the finding itself
        slip = None
    if slip is not None:
        (row, col), code, params = slip
        return (row + 1, col + 1), code, params
    problem = str(err.problem or "")
    for fragment, nl, en, at_context in _HINTS:
        if fragment in problem:
            mark = err.context_mark if at_context and err.context_mark else err.problem_mark
            return (_pos(mark) if mark is not None else (1, 1)), "yaml-syntax", {"detail": (nl, en)}
    raw = " ".join(str(x) for x in (err.context, err.problem) if x)
    mark = err.problem_mark or err.context_mark
    return (_pos(mark) if mark is not None else (1, 1)), "yaml-syntax", {"detail": raw}


def load_text(text: str, path: str = "<text>") -> LoadResult:
    """Parse YAML ``text``; see :func:`load_file`."""
    problems: list[Problem] = []
    if not text.strip():
        problems.append(Problem(path, 1, 1, "error", "file-empty"))
        return LoadResult(path, None, problems, text)
    try:
        data = _compose(yaml.parse(text, Loader=_Parser), path, problems)
    except yaml.MarkedYAMLError as err:
        (line, col), code, params = _explain(err, text)
        problems.append(Problem(path, line, col, "error", code, **params))
        return LoadResult(path, None, problems, text)
    except (yaml.YAMLError, RecursionError, MemoryError) as err:
        problems.append(Problem(path, 1, 1, "error", "yaml-syntax", detail=type(err).__name__))
        return LoadResult(path, None, problems, text)
    if any(p.level == "error" for p in problems):
        return LoadResult(path, None, problems, text)
    if data is None and not problems:
        problems.append(Problem(path, 1, 1, "error", "file-empty"))
    return LoadResult(path, data, problems, text)


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Read one scenario file. Never raises for a bad or missing file."""
    shown = str(path)
    try:
        # Only a regular file is opened (a FIFO would hang, /dev/zero never ends), and at
        # most MAX_FILE_BYTES + 1 bytes are read, whatever its size claimed.
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile as err:
        if err.kind == "folder":
            return LoadResult(shown, None, [Problem(shown, 0, 0, "error", "path-is-folder")])
        kind = kind_words(err.kind)
        return LoadResult(shown, None, [Problem(shown, 0, 0, "error", "path-not-file", kind=kind)])
    except FileTooBig as err:
        return LoadResult(shown, None, [Problem(shown, 0, 0, "error", "file-too-big",
                                                size=-(-err.size // 1024), limit=MAX_FILE_BYTES // 1024)])
    except FileNotFoundError:
        return LoadResult(shown, None, [Problem(shown, 0, 0, "error", "file-missing")])
    except OSError as err:
        return LoadResult(shown, None, [Problem(shown, 0, 0, "error", "file-unreadable",
                                                detail=err.strerror or str(err))])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return LoadResult(shown, None, [Problem(shown, line, col, "error", "not-utf8")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return LoadResult(shown, None, [Problem(shown, line, 1, "error", "not-utf8")])
    return load_text(text, shown)
