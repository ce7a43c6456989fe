"""Pass 1 of the validator: the file's shape against the format.

Owns every check of keys and types against the schema table (:mod:`game.scenario.schema`):
the document is a mapping, each key is known (else "did you mean", with the Dutch synonyms
of :func:`~game.scenario.schema.english_key`), required keys are there, each value has its
type, an id is a well-formed id, an enum value is one of its choices, a number is in its
range; YAML slips that only show here (a list dash without its space, a key without its
colon); the format version and the languages. It also notes every player-facing text in
``Context.translated``; :func:`missing_translations` warns about them at the end.

Needs nothing from other passes: only the loaded data. Later passes read values through
:func:`game.scenario.passes.get` and so never see a value of the wrong type.
"""
from __future__ import annotations

import re
from typing import Any

from game.scenario.loader import YList, YMap
from game.scenario.model import FORMAT_VERSION
from game.scenario.passes import Context, Pos, get, num, place, suggest
from game.scenario.problems import type_name
from game.scenario.schema import SCENARIO, F, english_key

ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_DASHED = re.compile(r"-[A-Za-z_]")  # '-id': a list dash that lost its space
_GLUED = re.compile(r"([A-Za-z_][\w-]*)\s")  # 'text Hallo': a key that lost its colon

_TYPE_OK = {
    "str": lambda v: isinstance(v, str),
    "condition": lambda v: isinstance(v, (str, bool)),
    "id": lambda v: isinstance(v, str),
    "translated": lambda v: isinstance(v, (str, YMap)),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "scalar": lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
    "change": lambda v: isinstance(v, (int, float, str)) and not isinstance(v, bool),  # 5.5: bad-effect later
    "enum": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, YMap),
    "list": lambda v: isinstance(v, YList),
    "idmap": lambda v: isinstance(v, YMap),
    "some": lambda v: True,  # checked item by item
    "remarks": lambda v: isinstance(v, (str, YMap, YList)),
    "drift": lambda v: v is False or isinstance(v, YMap),
    "toward": lambda v: v == "start" or (isinstance(v, int) and not isinstance(v, bool)),
}


def check_document(ctx: Context) -> bool:
    """The whole file against the format; False when it is no mapping (nothing more to check).

    Sets ``ctx.languages``."""
    d = ctx.data
    if not isinstance(d, YMap):
        found = type_name(d)
        word = {"list": ("lijst", "a list"), "text": ("losse tekst", "a bare word"),  # "geen lijst"
                "integer": ("getal", "a number"), "number": ("getal", "a number"),
                "boolean": ("true/false", "true/false"), "none": ("lege waarde", "nothing")}[found]
        pos = d.pos if isinstance(d, YList) else (1, 1)
        ctx.err(pos, "not-a-mapping", found=word)
        return False
    check(ctx, d, SCENARIO, "scenario", d.pos, place("scenario"))
    fmt = get(d, "format", int, FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        ctx.err(d.where("format"), "format-version", value=fmt, known=FORMAT_VERSION)
    languages = tuple(x for x in get(d, "languages", list, ["nl"]) if x in ("nl", "en")) or ("nl",)
    if "languages" in d and "nl" not in languages:
        ctx.err(d.where("languages"), "language-nl")
    ctx.languages = languages
    return True


def check(ctx: Context, value: Any, f: F, key: str, pos: Pos, where: tuple[str, str]) -> bool:
    """Report type problems of ``value`` against field ``f``; True if usable."""
    k = f.kind
    if value is None and k in ("list", "idmap"):
        return True
    if k == "some" and f.of is not None:  # one item, or a list of them
        if isinstance(value, YList):
            return all([check(ctx, item, f.of, key, value.where(i), where) for i, item in enumerate(value)])
        return check(ctx, value, f.of, key, pos, where)
    if k == "remarks" and isinstance(value, YList) and f.of is not None:
        for i, item in enumerate(value):
            one = f.of if isinstance(item, YMap) and "text" in item else F("translated")
            check(ctx, item, one, key, value.where(i), where)
        return True
    if k == "remarks" and isinstance(value, (str, YMap)):
        return check(ctx, value, F("translated"), key, pos, where)
    if k == "toward" and not _TYPE_OK[k](value):
        ctx.err(pos, "drift-toward")
        return False
    ok = _TYPE_OK[k](value)
    if not ok and k == "list" and isinstance(value, YMap):
        dashed = [name for name in value if isinstance(name, str) and _DASHED.match(name)]
        if dashed:  # "choices:\n  -id: x" is a block with the key '-id', not a list
            name = dashed[0]
            ctx.err(value.key_pos[name], "yaml-dash-space", typed=f"{name}:", fixed=f"- {name[1:]}:")
            return False
    if not ok:
        expected = {"str": "text", "condition": "condition", "id": "text", "translated": "translated",
                    "int": "integer", "number": "number", "bool": "boolean", "scalar": "text",
                    "change": "change", "enum": "text", "object": "mapping", "list": "list",
                    "idmap": "mapping"}.get(k, "mapping")
        found = type_name(value)
        if k in ("remarks", "drift"):
            expected = "translated" if k == "remarks" else "mapping"
        if found == "number" and expected == "integer":
            found = "decimal"  # "must be a whole number, not a decimal number"
        ctx.err(pos, "wrong-type", key=key, expected=expected, found=found)
        return False
    if k == "id" and not ID.match(value):
        ctx.err(pos, "bad-id", value=value)
        return False
    if k == "enum" and value not in f.enum:
        ctx.err(pos, "bad-value", value=value, key=key, choices=", ".join(f.enum),
                suggestion=suggest(value, f.enum))
        return False
    if k in ("int", "number") and ((f.low is not None and value < f.low) or (f.high is not None and value > f.high)):
        ctx.err(pos, "out-of-range", key=key, low=num(f.low), high=num(f.high), value=value)
        return False
    if k == "translated":
        ctx.translated.append((value, pos))
        if isinstance(value, YMap):
            check_keys(ctx, value, {"nl": F("str", True), "en": F("str")}, place("text"))
    elif k == "object" or (k == "drift" and isinstance(value, YMap)):
        check_keys(ctx, value, f.fields or {}, where)
    elif k == "list" and f.of is not None:
        for i, item in enumerate(value):
            item_where = where
            if f.of.kind == "object":  # "unknown key 'nxt' in choice 'verder'", not "in scene 'start'"
                name = item.get("id") if isinstance(item, dict) else None
                item_where = place(key.rstrip("s"), name if isinstance(name, str) else str(i + 1))
            check(ctx, item, f.of, key, value.where(i), item_where)
    elif k == "idmap" and f.of is not None:
        for name, item in value.items():
            kpos = value.key_pos[name]
            if not isinstance(name, str) or not ID.match(name):
                ctx.err(kpos, "bad-id", value=name)
                continue
            if f.of.kind == "object":
                check(ctx, item, f.of, name, value.where(name), place(key.rstrip("s"), name))
            else:
                check(ctx, item, f.of, name, value.where(name), where)
    return True


def check_keys(ctx: Context, m: YMap, fields: dict[str, F], where: tuple[str, str]) -> None:
    """Every key of ``m`` known (else did-you-mean), every required one there, every value checked."""
    suggested: set[str] = set()
    for name, value in m.items():
        if name not in fields:
            glued = _GLUED.match(name) if isinstance(name, str) else None
            if glued and glued.group(1) in fields:  # "text Het midden: echt" is the key 'text Het midden'
                line, column = m.key_pos[name]
                suggested.add(glued.group(1))
                ctx.err((line, column + len(glued.group(1))), "yaml-missing-colon", key=glued.group(1))
                continue
            hint = english_key(name, fields) or suggest(name, fields)  # 'keuzes' -> 'choices'
            suggested.add(hint or "")
            ctx.err(m.key_pos[name], "unknown-key", key=name, where=where, suggestion=hint)
            continue
        check(ctx, value, fields[name], name, m.where(name), where)
    for name, f in fields.items():
        if f.required and name not in m and name not in suggested:  # 'nxt:' already says "did you mean 'next'"
            ctx.err(m.pos, "missing-key", key=name, where=where)


def missing_translations(ctx: Context) -> None:
    """Warn about every text without English when the scenario says it has English.

    The driver runs this after pass 4, where it always ran, so problems at one position
    keep their order."""
    if "en" in ctx.languages:
        for value, pos in ctx.translated:
            if isinstance(value, str) or (isinstance(value, dict) and not isinstance(value.get("en"), str)):
                ctx.add(pos, "warning", "missing-translation")
