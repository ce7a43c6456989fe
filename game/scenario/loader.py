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

Every problem becomes a :class:`~game.problems.Problem` with a location; the
loader never raises for a bad file.
"""
from __future__ import annotations

import os
from typing import Any

import yaml
from yaml import events as ev
from yaml.resolver import Resolver

from game.scenario.problems import Problem
from game.safeio import KIND_WORDS, FileTooBig, NotRegularFile, read_regular

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
    # (fragment of PyYAML's problem, Dutch, English, point at the context mark instead)
    ("found character '\\t'", "hier staat een tab; spring in met spaties",
     "there is a tab here; indent with spaces", False),
    ("did not find expected key", "deze regel springt anders in dan de regels erboven",
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
]


def _explain(err: yaml.MarkedYAMLError, text: str) -> tuple[Any, Any]:
    """A plain sentence (Dutch, English) for PyYAML's most common complaints."""
    problem = str(err.problem or "")
    mark = err.problem_mark
    if mark is not None and "cannot start any token" in problem and text[mark.index:mark.index + 1] == "\t":
        problem = "found character '\\t'"
    for fragment, nl, en, at_context in _HINTS:
        if fragment in problem:
            mark = err.context_mark if at_context and err.context_mark else err.problem_mark
            return mark, (nl, en)
    raw = " ".join(str(x) for x in (err.context, err.problem) if x)
    return err.problem_mark or err.context_mark, raw


def load_text(text: str, path: str = "<text>") -> LoadResult:
    """Parse YAML ``text``; see :func:`load_file`."""
    problems: list[Problem] = []
    if not text.strip():
        problems.append(Problem(path, 1, 1, "error", "file-empty"))
        return LoadResult(path, None, problems, text)
    try:
        data = _compose(yaml.parse(text, Loader=_Parser), path, problems)
    except yaml.MarkedYAMLError as err:
        mark, detail = _explain(err, text)
        line, col = _pos(mark) if mark is not None else (1, 1)
        problems.append(Problem(path, line, col, "error", "yaml-syntax", detail=detail))
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
        kind = KIND_WORDS.get(err.kind, KIND_WORDS["special file"])
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
