"""xAPI 1.0.3 statements of one played session, for schools with a learning record store (LRS).

:func:`statements` turns a results document (:mod:`game.records.results`) into a list of statements;
nothing here reads or writes files, and nothing needs pygame. ``tegenmacht export --xapi``
writes the list as a JSON array next to each results file (``<name>.xapi.json``); a school
posts it to its LRS (``POST /statements`` takes an array).

* **actor**: no name, only the session: ``{"account": {"homePage": "https://tegenmacht.invalid",
  "name": <session id>}}``;
* **launched** the scenario (at the start), **answered** one per choice (the scene as a
  ``cmi.interaction`` of type ``choice``, the chosen choice id as ``result.response``, the
  seconds taken as ``result.duration``), then **completed** (finished: ``result.score.scaled`` =
  tegenmacht / 100, and both scores scaled 0..1 as result extensions) or **suspended**
  (abandoned);
* **ids**: activities are IRIs under ``https://tegenmacht.invalid/scenario/<id>/…``; each
  statement id is a UUID derived from the session id, so exporting the same session twice
  gives the same ids (an LRS then refuses the copy instead of counting it twice); the session's
  UUID is ``context.registration``;
* **timestamps** are the ISO 8601 times of the document; a step without a time (a session saved
  by an older Tegenmacht) gets the time before it.
"""
from __future__ import annotations

import uuid
from typing import Any, Optional
from urllib.parse import quote

BASE = "https://tegenmacht.invalid"
VERBS = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"
EXT = BASE + "/xapi/"  # our extension keys
VERSION = "1.0.3"
SUFFIX = ".xapi.json"
_NAMESPACE = uuid.UUID("6f1c1e52-3a55-4e3c-9a77-6b1d8d0a7e10")  # fixed: the same session gives the same ids
_VERB_NAMES = {
    "launched": ("gestart", "launched"),
    "answered": ("beantwoord", "answered"),
    "completed": ("voltooid", "completed"),
    "suspended": ("onderbroken", "suspended"),
}
_EPOCH = "1970-01-01T00:00:00+00:00"


def _seg(text: Any) -> str:
    """One path segment of an IRI: letters, digits and ``-._~`` as they are, the rest %-encoded."""
    return quote(str(text), safe="-._~")


def scenario_iri(scenario_id: str) -> str:
    return f"{BASE}/scenario/{_seg(scenario_id)}"


def scene_iri(scenario_id: str, scene: str) -> str:
    return f"{scenario_iri(scenario_id)}/scene/{_seg(scene)}"


def _lang_map(text: Any) -> dict[str, str]:
    """{nl, en} as an xAPI language map (empty languages left out; never empty)."""
    if not isinstance(text, dict):
        return {"nl": str(text or ""), "en": str(text or "")} if text else {"und": "-"}
    out = {k: str(v) for k, v in text.items() if k in ("nl", "en") and v}
    return out or {"und": "-"}


def _duration(seconds: Any) -> Optional[str]:
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0:
        return f"PT{round(float(seconds), 1):g}S"
    return None


def _verb(name: str) -> dict[str, Any]:
    nl, en = _VERB_NAMES[name]
    return {"id": VERBS + name, "display": {"nl": nl, "en": en}}


def statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The xAPI statements of one results document (finished or abandoned), in time order."""
    sid = str(doc["id"])
    sc = doc["scenario"]
    registration = str(uuid.uuid5(_NAMESPACE, sid))
    actor = {"objectType": "Agent", "account": {"homePage": BASE, "name": sid}}
    scenario = {"objectType": "Activity", "id": scenario_iri(sc["id"]),
                "definition": {"name": _lang_map(sc.get("title")),
                               "type": ACTIVITIES + "simulation"}}
    context = {
        "registration": registration,
        "language": doc.get("lang") or "nl",
        "platform": f"Tegenmacht {doc.get('app', '')}".strip(),
        "extensions": {EXT + "scenario-version": str(sc.get("version", "")),
                       EXT + "scenario-hash": str(sc.get("hash", "")),
                       EXT + "mode": doc.get("mode", "solo"),
                       EXT + "seed": doc.get("seed")},
    }
    out: list[dict[str, Any]] = []
    last = doc.get("started") or doc.get("ended") or _EPOCH

    def add(verb: str, obj: dict[str, Any], when: str, result: Optional[dict[str, Any]] = None,
            parent: bool = False) -> None:
        ctx = dict(context)
        if parent:
            ctx["contextActivities"] = {"parent": [{"objectType": "Activity", "id": scenario["id"]}]}
        st = {"id": str(uuid.uuid5(_NAMESPACE, f"{sid}/{len(out)}/{verb}")), "version": VERSION, "actor": actor,
              "verb": _verb(verb), "object": obj, "timestamp": when, "context": ctx}
        if result is not None:
            st["result"] = result
        out.append(st)

    add("launched", scenario, last)
    for step in doc.get("steps", []):
        last = step.get("at") or last
        choices = [{"id": str(o.get("id")), "description": _lang_map(o.get("text"))}
                   for o in step.get("offered") or []]
        obj = {"objectType": "Activity", "id": scene_iri(sc["id"], step.get("scene", "")),
               "definition": {"name": _lang_map(step.get("scene_title")),
                              "type": ACTIVITIES + "cmi.interaction", "interactionType": "choice",
                              **({"choices": choices} if choices else {})}}
        result: dict[str, Any] = {"response": str(step.get("choice", "")),
                                  "extensions": {EXT + "turn": step.get("n"), EXT + "meters": step.get("meters", {}),
                                                 EXT + "replay": bool(step.get("replay"))}}
        duration = _duration(step.get("seconds"))
        if duration:
            result["duration"] = duration
        add("answered", obj, last, result, parent=True)
    ended = doc.get("ended") or last
    if doc.get("status") == "finished":
        score = doc.get("score", {})
        t, e = score.get("tegenmacht", 0), score.get("eigenaarschap", 0)
        ending = doc.get("ending") or {}
        add("completed", scenario, ended, {
            "completion": True,
            "score": {"scaled": _scaled(t), "raw": t, "min": 0, "max": 100},
            "extensions": {EXT + "tegenmacht": _scaled(t), EXT + "eigenaarschap": _scaled(e),
                           EXT + "ending": ending.get("id"), EXT + "archetype": score.get("archetype"),
                           EXT + "outcome": score.get("outcome")},
        })
    else:
        add("suspended", scenario, ended, {"completion": False})
    return out


def _scaled(value: Any) -> float:
    """A 0..100 score as 0..1 (xAPI's ``scaled``), clamped, three decimals."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    if v != v:  # NaN
        return 0.0
    return round(min(1.0, max(0.0, v / 100.0)), 3)
