"""The class report: ``tegenmacht report FILES_OR_FOLDER... -o report.html [--csv report.csv]``.

A trainer collects the results files of a class (``game/results.py``) and gets one
self-contained HTML page: what the class chose in each scene, where every student
ended on the tegenmacht x eigenaarschap plane, the endings, the class profile, the
turning points most students passed, the discussion questions and, for a projector
session, how the votes spread at each choice.

Two steps, tested apart:

* :func:`gather` reads the files and :func:`aggregate` turns the usable ones into a
  plain data structure (dicts, lists, numbers, ``{nl, en}`` texts) — no drawing;
* :func:`render` draws the charts with matplotlib (SVG, text kept as text) and fills
  the Jinja2 template ``game/classroom/templates/report.html.j2`` (autoescape on).

Nothing here loads from the network, and the page loads nothing either: CSS and SVG
are inline. No pygame.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import os
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from game.i18n import LANGUAGES, catalogue, gettext, plural
from game.palette import AGENCY_COLOURS, REPORT, REPORT_QUADRANTS, STRATEGY_COLOURS, is_dark
from game.records import results as R
from game.scenario import files
from game.safeio import NotRegularFile, check_regular, kind_words
from game.scenario.model import AGENCIES, DEFAULT_ARCHETYPES, QUADRANTS, STRATEGIES, Scenario
from game.play.scoring import NEUTRAL, quadrant_of

DEFAULT_THRESHOLD = Scenario.__dataclass_fields__["threshold"].default  # the scoring split, 50
MAX_VOTE_SESSIONS = 4  # projector sessions drawn in full; more are counted, not drawn
MAX_TURNING_POINTS = 12


# -- texts: from the gettext catalogues, like every front end (report.*, report-msg.*; tag names as the charts')


def tag_name(tag: str, lang: str) -> str:
    """The name of a strategy or agency tag in ``lang`` (the same words as the window's charts)."""
    return gettext(f"charts.{tag}", lang)


def _t(key: str, lang: str) -> str:
    """A text of the page, from the gettext catalogues (``report.<key>``)."""
    return gettext(f"report.{key}", lang)


def page_texts(lang: str) -> dict[str, str]:
    """Every text of the page by its key, for the template."""
    return {k[len("report."):]: v for k, v in catalogue(lang if lang in LANGUAGES else "nl").items()
            if k.startswith("report.")}


def msg(key: str, lang: str, **kw: Any) -> str:
    """A message of the command (``report-msg.<key>``)."""
    return gettext(f"report-msg.{key}", lang, **kw)


def pick(text: Any, lang: str) -> str:
    """A ``{nl, en}`` text of a results file in ``lang`` (Dutch when there is no English)."""
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("nl") or "")
    return "" if text is None else str(text)


# -- gathering the files ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Skipped:
    """A file that was not counted, and why (``code`` as in :class:`game.records.results.ResultProblem`)."""

    path: str
    code: str
    nl: str
    en: str

    def reason(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


@dataclass
class Gathered:
    used: list[R.Result] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def expand(paths: Iterable[str]) -> tuple[list[Path], list[Skipped]]:
    """The files named, and the ``*.json`` files in (the sub-folders of) the folders named, each once."""
    out: list[Path] = []
    problems: list[Skipped] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for top, dirs, names in os.walk(p):  # symlinked folders are not followed (no loops)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(top) / n for n in sorted(names) if n.lower().endswith(".json") and not n.startswith(".")
                          and (Path(top) / n).is_file()]
            if not found:
                problems.append(Skipped(str(p), "no-files", msg("no-files", "nl"), msg("no-files", "en")))
            candidates = found
        else:
            candidates = [p]
        for c in candidates:
            key = str(c.resolve()) if c.exists() else str(c)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out, problems


def gather(paths: Iterable[str]) -> Gathered:
    """Read every file; keep those of the scenario (id, version, hash) most files hold, each result once."""
    files, skipped = expand(paths)
    loaded: list[R.Result] = []
    for f in files:
        try:
            check_regular(f)
        except NotRegularFile as err:  # a pipe or a device would make reading hang
            nl, en = kind_words(err.kind)
            skipped.append(Skipped(str(f), "not-a-file", msg("not-a-file", "nl", kind=nl), msg("not-a-file", "en", kind=en)))
            continue
        except OSError:
            pass  # R.load says why (missing, unreadable)
        try:
            loaded.append(R.load(f))
        except R.ResultProblem as err:
            skipped.append(Skipped(str(f), err.code, err.nl, err.en))
    # of two files with the same result, the one still under the name Tegenmacht gave it is kept
    loaded.sort(key=lambda r: Path(r.path).name != R.file_name(r.doc))
    first: dict[str, R.Result] = {}
    unique: list[R.Result] = []
    for r in loaded:
        if r.id in first:
            other = Path(first[r.id].path).name
            skipped.append(Skipped(r.path, "duplicate", msg("duplicate", "nl", other=other),
                                   msg("duplicate", "en", other=other)))
        else:
            first[r.id] = r
            unique.append(r)
    counts = Counter(r.scenario for r in unique)
    g = Gathered(skipped=skipped)
    if counts:
        order = {key: i for i, key in reversed(list(enumerate(r.scenario for r in unique)))}
        main = max(counts, key=lambda k: (counts[k], -order[k]))  # most files; on a tie the first seen
        for r in unique:
            if r.scenario == main:
                g.used.append(r)
            else:
                sid, version, _ = r.scenario
                g.skipped.append(Skipped(r.path, "other-scenario", msg("other", "nl", scenario=sid, version=version),
                                         msg("other", "en", scenario=sid, version=version)))
    return g


# -- aggregating ------------------------------------------------------------------------------------------

def _scenario_rules(sid: str, shash: str) -> Optional[Scenario]:
    """The shipped scenario these results were played with (same id and hash), if it is here."""
    from game.scenario.model import scenario_hash
    from game.scenario.validate import validate_file

    for path in (files.SCENARIO_DIR / f"{sid}.yaml", files.SCENARIO_DIR / f"{sid}.yml"):
        if path.is_file():
            rep = validate_file(path)
            if rep.scenario is not None and rep.scenario.id == sid and scenario_hash(rep.scenario) == shash:
                return rep.scenario
    return None


def infer_threshold(scores: list[dict[str, Any]]) -> tuple[float, str, Optional[tuple[float, float]]]:
    """(threshold, source, range) from the files alone, when the scenario is not at hand.

    Each file's ``archetype`` is the quadrant of its two scores split at the scenario's threshold, so the
    threshold lies above every score on the low side and at or below every score on the high side: ``range``
    is that interval (low, high]. The threshold drawn is the scoring default when it fits the range, else
    the smallest whole number that does (scenarios use whole numbers); source is ``"files"``. When the files
    say nothing, or contradict each other, it is the default, source ``"default"`` and range None."""
    low, high = [], []
    for s in scores:
        q = s.get("archetype")
        if q not in QUADRANTS:
            continue
        t, e = _num(s.get("tegenmacht")), _num(s.get("eigenaarschap"))
        (high if q in ("held", "beweging") else low).append(t)
        (high if q in ("gemeenschap", "beweging") else low).append(e)
    below, above = max(low, default=0.0), min(high, default=100.0)
    if not low and not high or (low and high and max(low) >= min(high)):
        return DEFAULT_THRESHOLD, "default", None
    if below < DEFAULT_THRESHOLD <= above:
        return DEFAULT_THRESHOLD, "files", (below, above)
    first = math.floor(below) + 1
    return (first, "files", (below, above)) if first <= above else (DEFAULT_THRESHOLD, "default", None)


def _date(iso: str) -> Optional[datetime]:
    try:
        return datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def _num(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def aggregate(gathered: Gathered, *, scenario: Optional[Scenario] = None, lookup: bool = True) -> dict[str, Any]:
    """The report's content as plain data. ``scenario`` (or, with ``lookup``, the shipped scenario of the
    same id and hash) gives the threshold and quadrant names; without it the scoring defaults are used."""
    used = gathered.used
    skipped = [{"file": Path(s.path).name, "path": s.path, "code": s.code, "reason": {"nl": s.nl, "en": s.en}}
               for s in gathered.skipped]
    if not used:
        return {"scenario": None, "count": 0, "skipped": skipped}
    head = used[0].doc["scenario"]
    if scenario is None and lookup:
        scenario = _scenario_rules(head["id"], head["hash"])
    if scenario is not None:
        threshold, source, span = scenario.threshold, "scenario", None
    else:
        threshold, source, span = infer_threshold([r.doc["score"] for r in used])
    names = {q: {"nl": a.name.nl, "en": a.name.get("en")} for q, a in
             (scenario.archetypes if scenario is not None else DEFAULT_ARCHETYPES).items()}
    if scenario is None:  # the files name the quadrants they scored in
        for r in used:
            s = r.doc["score"]
            if s.get("outcome") in QUADRANTS and isinstance(s.get("outcome_name"), dict):
                names[s["outcome"]] = {"nl": pick(s["outcome_name"], "nl"), "en": pick(s["outcome_name"], "en")}

    students: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    min_n: dict[str, int] = {}
    scenes: dict[str, dict[str, Any]] = {}
    for r in used:
        d = r.doc
        steps = [s for s in d["steps"] if isinstance(s, dict)]
        taken: dict[str, list[str]] = {}
        for i, st in enumerate(steps):
            sid = str(st.get("scene", ""))
            n = int(st.get("n", i + 1)) if isinstance(st.get("n"), int) else i + 1
            first_seen.setdefault(sid, len(first_seen))
            min_n[sid] = min(min_n.get(sid, n), n)
            sc = scenes.setdefault(sid, {"id": sid, "title": st.get("scene_title") or {}, "students": set(),
                                         "choices": {}})
            if not pick(sc["title"], "nl") and st.get("scene_title"):
                sc["title"] = st["scene_title"]
            sc["students"].add(r.id)
            offered = st.get("offered") if isinstance(st.get("offered"), list) else []
            for o in offered:
                if not isinstance(o, dict):
                    continue
                c = sc["choices"].setdefault(str(o.get("id")), {"id": str(o.get("id")), "text": o.get("text") or {},
                                                                "students": set(), "locked": set(), "shown": set()})
                c["shown"].add(r.id)
                if o.get("available") is False:
                    c["locked"].add(r.id)
            cid = str(st.get("choice", ""))
            c = sc["choices"].setdefault(cid, {"id": cid, "text": st.get("text") or {}, "students": set(),
                                               "locked": set(), "shown": {r.id}})
            c["students"].add(r.id)
            taken.setdefault(sid, []).append(cid)
        score = d["score"]
        last = steps[-1] if steps else None
        students.append({
            "id": r.id, "file": Path(r.path).name, "path": r.path, "nickname": d["nickname"], "mode": d["mode"],
            "status": d["status"], "started": d["started"], "ended": d["ended"],
            "ending": d["ending"]["id"] if isinstance(d["ending"], dict) else None,
            "ending_title": d["ending"].get("title") if isinstance(d["ending"], dict) else None,
            "tegenmacht": _num(score.get("tegenmacht")), "eigenaarschap": _num(score.get("eigenaarschap")),
            "quadrant": quadrant_of(threshold, _num(score.get("tegenmacht")), _num(score.get("eigenaarschap"))),
            "outcome": score.get("outcome"), "outcome_name": score.get("outcome_name") or {},
            "strategy": {k: _num(d["profile"].get("strategy", {}).get(k)) for k in STRATEGIES + (NEUTRAL,)},
            "agency": {k: _num(d["profile"].get("agency", {}).get(k)) for k in AGENCIES + (NEUTRAL,)},
            "choices": taken, "keys": [str(s.get("key", "")) for s in steps],
            "steps": len(steps),
            "stopped_at": (str(last.get("scene", "")) if last else None),
            "stopped_title": (last.get("scene_title") if last else None),
        })

    ordered = sorted(scenes.values(), key=lambda s: (min_n[s["id"]], first_seen[s["id"]]))
    scene_rows = []
    for sc in ordered:
        choices = [{"id": c["id"], "text": c["text"], "count": len(c["students"]), "locked": len(c["locked"]),
                    "shown": len(c["shown"])} for c in sc["choices"].values()]
        scene_rows.append({"id": sc["id"], "title": sc["title"], "students": len(sc["students"]), "choices": choices})

    finished = [s for s in students if s["status"] == "finished"]
    ending_counts: Counter[str] = Counter(s["ending"] for s in finished if s["ending"])
    ending_titles = {s["ending"]: s["ending_title"] for s in finished if s["ending"]}
    endings = [{"id": e, "title": ending_titles[e], "count": n}
               for e, n in sorted(ending_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    outcome_counts: Counter[str] = Counter(str(s["outcome"]) for s in finished)
    outcome_names = {str(s["outcome"]): s["outcome_name"] for s in finished}
    outcomes = [{"id": o, "name": outcome_names[o], "count": n}
                for o, n in sorted(outcome_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    profile = {"strategy": {k: _mean([s["strategy"][k] for s in finished]) for k in STRATEGIES + (NEUTRAL,)},
               "agency": {k: _mean([s["agency"][k] for s in finished]) for k in AGENCIES + (NEUTRAL,)}}

    tp_counts: Counter[tuple[str, str]] = Counter()
    tp_titles: dict[tuple[str, str], Any] = {}
    questions: list[dict[str, Any]] = []
    seen_q: dict[str, dict[str, Any]] = {}
    for r in used:
        mine = set()
        for tp in r.doc["turning_points"]:
            if isinstance(tp, dict):
                key = (str(tp.get("kind", "")), str(tp.get("source", "")))
                mine.add(key)
                tp_titles.setdefault(key, tp.get("title") or {})
        tp_counts.update(mine)
        for text in {pick(q, "nl"): {"nl": pick(q, "nl"), "en": pick(q, "en")} for q in r.doc["questions"]}.values():
            if not text["nl"]:
                continue
            if text["nl"] not in seen_q:
                seen_q[text["nl"]] = {"text": text, "count": 0}
                questions.append(seen_q[text["nl"]])
            seen_q[text["nl"]]["count"] += 1
    turning = [{"kind": k[0], "source": k[1], "title": tp_titles[k], "count": n}
               for k, n in sorted(tp_counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    votes = []
    for s, r in zip(students, used):
        if s["mode"] != "class":
            continue
        rows = []
        for st in r.doc["steps"]:
            if not isinstance(st, dict) or not isinstance(st.get("votes"), dict):
                continue
            texts = {str(o.get("id")): o.get("text") or {} for o in st.get("offered") or [] if isinstance(o, dict)}
            spread = [{"id": str(cid), "text": texts.get(str(cid), {"nl": str(cid)}), "votes": int(_num(n)),
                       "chosen": str(cid) == str(st.get("choice"))} for cid, n in st["votes"].items()]
            open_ids = {str(o.get("id")) for o in st.get("offered") or [] if isinstance(o, dict) and o.get("available")}
            for cid, text in texts.items():  # choices nobody voted for still show (locked ones could not be voted)
                if cid not in st["votes"] and cid in open_ids:
                    spread.append({"id": cid, "text": text, "votes": 0, "chosen": cid == str(st.get("choice"))})
            rows.append({"n": st.get("n"), "scene_title": st.get("scene_title") or {}, "choice": st.get("choice"),
                         "spread": spread, "total": sum(x["votes"] for x in spread)})
        votes.append({"student": s["nickname"], "file": s["file"], "started": s["started"], "steps": rows})

    abandoned = [s for s in students if s["status"] == "abandoned"]
    stop_counts: Counter[str] = Counter(s["stopped_at"] or "" for s in abandoned)
    stop_titles = {s["stopped_at"] or "": s["stopped_title"] for s in abandoned}
    stops = [{"scene": k, "title": stop_titles[k], "count": n}
             for k, n in sorted(stop_counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    times = [t for s in students for t in (_date(s["started"]), _date(s["ended"])) if t is not None]
    modes = Counter(s["mode"] for s in students)
    return {
        "scenario": {"id": head["id"], "version": head["version"], "hash": head["hash"], "title": head["title"]},
        "count": len(students), "finished": len(finished), "abandoned_count": len(abandoned),
        "dates": [min(times).date().isoformat(), max(times).date().isoformat()] if times else None,
        "modes": {m: modes[m] for m in R.MODES if modes[m]},
        "threshold": threshold, "threshold_source": source, "threshold_range": span, "quadrants": names,
        "scenes": scene_rows, "students": students, "endings": endings, "outcomes": outcomes,
        "profile": profile, "turning_points": turning, "questions": questions, "votes": votes,
        "abandoned": {"count": len(abandoned), "stops": stops,
                      "students": [{"file": s["file"], "nickname": s["nickname"], "scene": s["stopped_at"],
                                    "title": s["stopped_title"], "steps": s["steps"]} for s in abandoned]},
        "skipped": skipped,
    }


# -- the CSV table ------------------------------------------------------------------------------------------

def csv_text(data: dict[str, Any]) -> str:
    """One row per student: file, nickname, status, ending, scores, outcome, profile shares, choice per scene."""
    scene_ids = [s["id"] for s in data.get("scenes", [])]
    head = (["file", "nickname", "mode", "status", "ending", "tegenmacht", "eigenaarschap", "quadrant", "outcome"]
            + [f"strategy:{k}" for k in STRATEGIES + (NEUTRAL,)] + [f"agency:{k}" for k in AGENCIES + (NEUTRAL,)]
            + ["choices"] + [f"scene:{s}" for s in scene_ids])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for s in data.get("students", []):
        w.writerow([s["file"], _csv_safe(s["nickname"]), s["mode"], s["status"], s["ending"] or "",
                    s["tegenmacht"], s["eigenaarschap"], s["quadrant"], s["outcome"] or ""]
                   + [s["strategy"][k] for k in STRATEGIES + (NEUTRAL,)]
                   + [s["agency"][k] for k in AGENCIES + (NEUTRAL,)]
                   + [" ".join(s["keys"])] + [" > ".join(s["choices"].get(sid, [])) for sid in scene_ids])
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    """A nickname a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# -- drawing --------------------------------------------------------------------------------------------------

INK, MUTED, ACCENT, LIGHT = REPORT["ink"], REPORT["muted"], REPORT["accent"], REPORT["light"]
QUADRANT_TINT = REPORT_QUADRANTS
TAG_COLOURS = {**STRATEGY_COLOURS, **AGENCY_COLOURS}  # the window's colours: the same names, the same colours
SVG_NS = "http://www.w3.org/2000/svg"
BAR_WIDTH, BAR_LABEL = 12.0, 0.38  # inches; the share of the width for the labels
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


class Charts:
    """matplotlib in SVG, text kept as text; every figure as an inline ``<svg>`` string."""

    def __init__(self) -> None:
        from matplotlib.figure import Figure  # no pyplot: figures here are never shown, only saved as SVG

        self.Figure = Figure
        self.rc = {"svg.fonttype": "none", "font.family": "sans-serif",
                   "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
                   "font.size": 13, "text.parse_math": False, "axes.edgecolor": MUTED, "axes.labelcolor": INK,
                   "xtick.color": INK, "ytick.color": INK, "svg.image_inline": True}
        self.n = 0

    def svg(self, fig: Any, label: str, titles: Optional[dict[str, str]] = None,
            points: Optional[dict[str, list[str]]] = None) -> str:
        """The figure as an ``<svg>`` element: no XML header, scales with the page, ``<title>``s added."""
        import matplotlib

        self.n += 1
        buf = io.StringIO()
        with matplotlib.rc_context({**self.rc, "svg.hashsalt": f"tm{self.n}"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        root = ET.fromstring(buf.getvalue())
        for gid, names in (points or {}).items():  # a scatter's markers, in the order of its points
            group = next((el for el in root.iter() if el.get("id") == gid), None)
            parents = [(parent, child) for parent in (group.iter() if group is not None else [])
                       for child in parent if child.tag == f"{{{SVG_NS}}}use"]
            for (parent, mark), name in zip(parents, names):  # each marker in a <g> of its own, for its <title>
                wrap = ET.Element(f"{{{SVG_NS}}}g", {"id": name})
                parent.insert(list(parent).index(mark), wrap)
                parent.remove(mark)
                wrap.append(mark)
        for attr in ("width", "height"):
            root.attrib.pop(attr, None)
        root.set("role", "img")
        root.set("aria-label", label)
        root.set("class", "chart")
        prefix = f"c{self.n}-"
        for el in root.iter():  # ids unique across the page (several charts share one document)
            if "id" in el.attrib:
                el.set("id", prefix + el.get("id"))
            for key, v in list(el.attrib.items()):
                if "url(#" in v:
                    el.set(key, v.replace("url(#", "url(#" + prefix))
                elif key.endswith("href") and v.startswith("#"):
                    el.set(key, "#" + prefix + v[1:])
        title = ET.Element(f"{{{SVG_NS}}}title")
        title.text = label
        root.insert(0, title)
        if titles:
            for el in root.iter():
                base = el.get("id", "")[len(prefix):]
                if base in titles:
                    t = ET.Element(f"{{{SVG_NS}}}title")
                    t.text = titles[base]
                    el.insert(0, t)
        return ET.tostring(root, encoding="unicode")

    def bars(self, rows: list[tuple[str, float, bool, bool]], label: str, *, total: Optional[int] = None,
             fmt: Any = "{:.0f}") -> str:
        """Horizontal bars, one per (text, value, highlighted, hatched): the text left of the bar, the value at its
        end. Every bar chart has the same width and label column, so charts line up down the page. The bars are
        drawn straight on the figure in inches, without axes (no ticks to lay out), which keeps a report of a
        hundred charts fast."""
        import matplotlib
        from matplotlib.patches import Rectangle

        lines = [max(1, text.count("\n") + 1) for text, *_ in rows]
        unit = 0.27  # inches per text line
        heights = [unit * n + 0.22 for n in lines]
        h = sum(heights) + 0.1
        x0 = BAR_WIDTH * BAR_LABEL  # where the bars start, in inches
        span = BAR_WIDTH * (1 - BAR_LABEL - 0.1)  # the longest bar
        top = max([total or 0] + [v for _, v, _, _ in rows] + [1])
        with matplotlib.rc_context(self.rc):
            fig = self.Figure(figsize=(BAR_WIDTH, h))
            inch = fig.dpi_scale_trans
            y = h - 0.05
            for hh, (text, v, strong, hatched) in zip(heights, rows):
                mid, w = y - hh / 2, span * v / top
                fig.add_artist(Rectangle((x0, mid - (hh - 0.12) / 2), max(w, 0.02 if hatched else 0), hh - 0.12,
                                         transform=inch, facecolor=ACCENT if strong else LIGHT,
                                         edgecolor=INK if hatched else "none", hatch="//" if hatched else None,
                                         linewidth=0.8))
                fig.text(x0 + w + 0.1, mid, fmt(v) if callable(fmt) else fmt.format(v), transform=inch,
                         va="center", ha="left", fontsize=15, color=INK, fontweight="bold")
                fig.text(x0 - 0.12, mid, text, transform=inch, va="center", ha="right", fontsize=14, color=INK,
                         linespacing=1.15)
                y -= hh
            fig.add_artist(Rectangle((x0 - 0.01, 0.03), 0.02, h - 0.06, transform=inch, facecolor=MUTED,
                                     edgecolor="none"))
            return self.svg(fig, label)

    def scatter(self, data: dict[str, Any], lang: str) -> str:
        import matplotlib

        thr = float(data["threshold"])
        with matplotlib.rc_context(self.rc):
            fig = self.Figure(figsize=(9.0, 7.6))
            ax = fig.add_axes((0.1, 0.09, 0.87, 0.89))
            # the names of the quadrants stand in bands above and below the plane, where no dot can cover them
            band = 13.0
            corners = {"harmonie": (0, -band, thr, thr), "held": (thr, -band, 100, thr),
                       "gemeenschap": (0, thr, thr, 100 + band), "beweging": (thr, thr, 100, 100 + band)}
            for q, (x0, y0, x1, y1) in corners.items():
                ax.fill_between([x0, x1], y0, y1, color=QUADRANT_TINT[q], zorder=0, linewidth=0)
                width = max(12, int((x1 - x0) * 0.6))  # characters that fit across the quadrant
                n = sum(1 for s in data["students"] if s["quadrant"] == q)
                lines = textwrap.wrap(f"{pick(data['quadrants'].get(q, {}), lang)} ({n})", width)
                if len(lines) > 2:  # a long name is shortened; the count stays
                    lines = [lines[0], textwrap.shorten(" ".join(lines[1:])[: -len(f" ({n})")],
                                                        width - len(f" ({n})") - 1, placeholder="…") + f" ({n})"]
                name = "\n".join(lines)
                ax.text((x0 + x1) / 2, 100 + band / 2 if q in ("gemeenschap", "beweging") else -band / 2, name,
                        ha="center", va="center", fontsize=14, color=INK, fontweight="bold", zorder=1,
                        linespacing=1.1)
            for y in (0, 100):
                ax.axhline(y, color=MUTED, linewidth=1, zorder=1)
            ax.axvline(thr, color=INK, linewidth=1.6, linestyle="--", zorder=2)
            ax.plot([0, 100], [thr, thr], color=INK, linewidth=1.6, linestyle="--", zorder=2)
            titles, groups = {}, {"finished": [], "abandoned": []}
            for i, s in enumerate(data["students"]):
                # identical scores would hide each other: a small fixed spread keeps every dot visible
                dx, dy = (((i * 7) % 5) - 2) * 0.45, (((i * 3) % 5) - 2) * 0.45
                x = min(99.2, max(0.8, s["tegenmacht"] + dx))
                y = min(99.2, max(0.8, s["eigenaarschap"] + dy))
                done = s["status"] == "finished"
                groups["finished" if done else "abandoned"].append((x, y, i))
                nick = s["nickname"] or _t("no_nickname", lang)
                extra = pick(s["outcome_name"], lang) if done else _t("abandoned", lang)
                titles[f"dot{i}"] = (f"{nick}: {_t('tip_t', lang)} {s['tegenmacht']:.0f} %, "
                                     f"{_t('tip_e', lang)} {s['eigenaarschap']:.0f} % — {extra}")
            points = {}
            for kind, dots in groups.items():
                if not dots:
                    continue
                done = kind == "finished"
                ax.scatter([d[0] for d in dots], [d[1] for d in dots], s=130, zorder=3, clip_on=False,
                           facecolors=ACCENT if done else REPORT["paper"], edgecolors=INK if done else ACCENT,
                           linewidths=1.2 if done else 2.4, gid=f"dots-{kind}")
                points[f"dots-{kind}"] = [f"dot{d[2]}" for d in dots]
            ax.set_xlim(0, 100)
            ax.set_ylim(-band, 100 + band)
            ax.set_yticks(range(0, 101, 20))
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.spines["left"].set_bounds(0, 100)
            ax.set_xlabel(_t("axis_t", lang), fontsize=15)
            ax.set_ylabel(_t("axis_e", lang), fontsize=15)
            ax.tick_params(labelsize=13)
            return self.svg(fig, _t("scatter_h", lang), titles, points)

    def profile(self, shares: dict[str, float], label: str, lang: str) -> str:
        import matplotlib

        with matplotlib.rc_context(self.rc):
            fig = self.Figure(figsize=(BAR_WIDTH, 1.1))
            ax = fig.add_axes((0, 0, 1, 1))
            left = 0.0
            for tag, v in shares.items():
                if v <= 0:
                    continue
                ax.barh(0, v, left=left, height=0.8, color=TAG_COLOURS[tag], edgecolor=REPORT["paper"], linewidth=1.5)
                if v >= 0.07:
                    dark = is_dark(TAG_COLOURS[tag])
                    ax.text(left + v / 2, 0, f"{tag_name(tag, lang)}\n{v * 100:.0f} %", ha="center", va="center",
                            fontsize=13, color=REPORT["paper"] if dark else INK, fontweight="bold")
                left += v
            ax.set_xlim(0, max(1.0, left))
            ax.set_ylim(-0.45, 0.45)
            ax.axis("off")
            return self.svg(fig, label)


def _wrap(text: str, width: int = 38, lines: int = 3) -> str:
    out = textwrap.wrap(text, width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def render(data: dict[str, Any], lang: str = "nl", *, now: Optional[datetime] = None) -> str:
    """The HTML page of ``data`` (from :func:`aggregate`)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from game import __version__

    t = page_texts(lang)
    ch = Charts()
    scenes = []
    for sc in data["scenes"]:
        rows = []
        for c in sc["choices"]:
            text = _wrap(pick(c["text"], lang) or c["id"])
            if c["locked"]:
                text += f"\n({t['locked_for']} {c['locked']})"
            rows.append((text, c["count"], False, c["locked"] > 0))
        best = max((r[1] for r in rows), default=0)
        rows = [(a, b, b == best and best > 0, d) for a, b, _, d in rows]
        title = pick(sc["title"], lang) or sc["id"]
        scenes.append({"title": title, "students": sc["students"],
                       "svg": ch.bars(rows, f"{t['choices_h']}: {title}", total=sc["students"])})
    endings_svg = ch.bars([(_wrap(pick(e["title"], lang) or e["id"], 44), e["count"], i == 0, False)
                           for i, e in enumerate(data["endings"])], t["endings_h"]) if data["endings"] else ""
    outcomes_svg = ch.bars([(_wrap(pick(o["name"], lang) or o["id"], 44), o["count"], i == 0, False)
                            for i, o in enumerate(data["outcomes"])], t["outcomes"]) if data["outcomes"] else ""
    profile_svg = ({"strategy": ch.profile(data["profile"]["strategy"], t["strategy"], lang),
                    "agency": ch.profile(data["profile"]["agency"], t["agency"], lang)} if data["finished"] else None)
    tps = data["turning_points"][:MAX_TURNING_POINTS]
    turning_svg = ch.bars([(_wrap(pick(x["title"], lang) or x["source"]), x["count"], False, False) for x in tps],
                          t["turning_h"], total=data["count"]) if tps else ""
    votes = []
    for v in data["votes"][:MAX_VOTE_SESSIONS]:
        steps = []
        for st in v["steps"]:
            rows = [(_wrap(pick(x["text"], lang) or x["id"]), x["votes"], x["chosen"], False) for x in st["spread"]]
            title = f"{t['step']} {st['n']}: {pick(st['scene_title'], lang)}"
            share = (lambda v, total=st["total"]: f"{v:.0f} ({100 * v / total:.0f} %)" if total else f"{v:.0f}")
            steps.append({"title": title, "total": st["total"], "svg": ch.bars(rows, title, fmt=share) if rows else ""})
        votes.append({"student": v["student"], "file": v["file"], "steps": steps})
    env = Environment(loader=PackageLoader("game.classroom", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("report.html.j2")
    now = now or datetime.now()
    return template.render(
        lang=lang, t=t, d=data, c=REPORT, pick=lambda x: pick(x, lang), title=pick(data["scenario"]["title"], lang),
        scenes=scenes, scatter=ch.scatter(data, lang), endings_svg=endings_svg, outcomes_svg=outcomes_svg,
        profile_svg=profile_svg, turning_svg=turning_svg, votes=votes,
        votes_more=max(0, len(data["votes"]) - MAX_VOTE_SESSIONS),
        tag_names={k: tag_name(k, lang) for k in (*STRATEGIES, *AGENCIES, NEUTRAL)},
        made_by=t["made_by"].format(app=__version__, date=now.strftime("%Y-%m-%d %H:%M")),
        scatter_intro=t["scatter_intro"].format(threshold=_fmt(data["threshold"])),
        threshold_note=_threshold_note(data, t),
        profile_intro=t["profile_intro"].format(n=data["finished"]),
        abandoned_intro=t["abandoned_intro"].format(n=data["abandoned"]["count"], total=data["count"]),
        mode_names={"solo": t["mode_solo"], "class": t["mode_class"]},
    )


def _threshold_note(data: dict[str, Any], t: dict[str, str]) -> str:
    if data["threshold_source"] == "scenario":
        return ""
    low, high = data["threshold_range"] or (None, None)
    key = "threshold_files" if data["threshold_source"] == "files" else "threshold_default"
    return t[key].format(threshold=_fmt(data["threshold"]), low=_fmt(low or 0), high=_fmt(high or 0))


def _fmt(x: float) -> str:
    return f"{x:g}"


# -- the command ------------------------------------------------------------------------------------------------

def build(paths: Sequence[str], lang: str = "nl") -> tuple[dict[str, Any], Optional[str]]:
    """(data, html) for the files at ``paths``; html is None when no file was usable."""
    data = aggregate(gather(paths))
    if not data["count"]:
        return data, None
    return data, render(data, lang)


def cmd_report(args: argparse.Namespace) -> int:
    from game.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
    from game.safeio import atomic_write

    lang = args.lang
    if not args.output:
        raise UsageError(key="report-msg.no-output")
    out = Path(args.output)
    if args.csv and Path(args.csv).resolve() == out.resolve():
        raise UsageError(key="report-msg.same-file", path=args.csv)
    for target in [out] + ([Path(args.csv)] if args.csv else []):
        if target.is_dir():
            print(f"Error: {msg('write', lang, path=target, err=_t('is_dir', lang))}", file=sys.stderr)
            return EXIT_PROBLEMS
    data, page = build(args.paths, lang)
    for s in data["skipped"]:
        print(f"{s['path']}: {s['reason'][lang]}", file=sys.stderr)
    if page is None:
        where = ", ".join(args.paths)
        print(f"Error: {msg('nothing', lang, where=where)}", file=sys.stderr)
        return EXIT_PROBLEMS
    writes = [(out, page, "written")] + ([(Path(args.csv), csv_text(data), "csv-written")] if args.csv else [])
    for path, text, done in writes:
        try:
            atomic_write(path, text)
        except OSError as err:
            print(f"Error: {msg('write', lang, path=path, err=err.strerror or err)}", file=sys.stderr)
            return EXIT_PROBLEMS
        n = data["count"]
        print(msg(done, lang, path=path, n=n, results=plural("report.results", n, lang), skipped=len(data["skipped"])))
    return EXIT_OK




def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="one HTML page about a class: choices, scores, endings, votes, "
                                             "from the results files students hand in")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER",
                   help="results files (.tegenmacht.json) or folders holding them")
    p.add_argument("-o", "--output", metavar="REPORT.html", required=True, help="the HTML page to write")
    p.add_argument("--csv", metavar="TABLE.csv", help="also write one row per student as CSV")
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS, help="language of the page")
    p.set_defaults(func=cmd_report)
