"""The scenario as a map: ``tegenmacht graph PATH -o FILE``.

The output format follows the file's extension:

* ``.dot`` — Graphviz DOT text;
* ``.mmd`` — a Mermaid flowchart (renders on GitHub, GitLab and in many editors);
* ``.svg`` / ``.png`` — drawn by Graphviz's ``dot`` program, where it is installed.

Scenes are grouped per phase ("Fase 1", ...). Every choice is an arrow in the
colour of its strategy *and* with the strategy's name in its label (never
colour alone); a choice in which the worker takes over (``overnemen``) is
dashed; a conditional choice carries its condition ("als: ..."); an uncertain
outcome with its own ``next`` gets its own arrow ("uitkomst van 2, kans 40%",
dotted in DOT). Endings are
double-bordered rounded boxes, interrupt endings octagons with their
condition. Events are listed in a note; the start is marked; scenes and
endings nothing leads to are shown dashed with the word "onbereikbaar".

The functions here are pure (scenario in, text out) so the window and the
reports can reuse them; only :func:`render_image` runs a program.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Optional

from game.errors import TegenmachtError
from game.i18n import gettext
from game.palette import MAP
from game.scenario.model import END, Choice, Scenario
from game.scenario.paths import Reach, destinations, end_targets, reachability
from game.palette import STRATEGY_COLOURS

FORMATS = (".dot", ".mmd", ".svg", ".png")
WRAP = 30  # characters per line in a label

UNREACHABLE_FILL, UNREACHABLE_LINE = MAP["unreachable_fill"], MAP["unreachable_line"]
SCENE_FILL, ENDING_FILL, INTERRUPT_FILL = MAP["scene"], MAP["ending"], MAP["interrupt"]
TEXT, MUTED, LINE, PHASE_FILL, NOTE_FILL = MAP["text"], MAP["muted"], MAP["line"], MAP["phase"], MAP["note"]



def w(key: str, lang: str, **kw: object) -> str:
    return gettext(f"graph.{key}", lang, **kw)


# -- structure shared with the statistics ---------------------------------------

def outcome_edges(choice: Choice) -> list[tuple[str, float]]:
    """(next, chance) for each outcome destination other than the choice's own
    ``next``; chances of outcomes with the same destination are added up."""
    out: dict[str, float] = {}
    for o in choice.outcomes:
        if o.next and o.next != choice.next:
            out[o.next] = out.get(o.next, 0.0) + o.chance
    return list(out.items())


def phases(sc: Scenario) -> list[tuple[str, list[str]]]:
    """Scenes grouped by phase, in phase order (numbers numerically), no-phase last."""
    groups: dict[str, list[str]] = {}
    for s in sc.scenes.values():
        groups.setdefault(str(s.phase or ""), []).append(s.id)

    def order(p: str) -> tuple:
        if p == "":
            return (2, 0, "")
        return (0, int(p), "") if p.isdigit() else (1, 0, p)

    return [(p, groups[p]) for p in sorted(groups, key=order)]


def phase_label(phase: str, lang: str) -> str:
    if not phase:
        return w("no-phase", lang)
    return w("phase", lang, n=phase)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    lines: list[str] = []
    for block in text.split("\n"):
        lines.extend(textwrap.wrap(block, width) or [""])
    return lines


def choice_tags(choice: Choice, lang: str) -> str:
    strategy = choice.strategy or w("neutral", lang)
    return f"{strategy} · {choice.agency}" if choice.agency else strategy


def choice_label_lines(choice: Choice, number: int, lang: str) -> list[str]:
    lines = _wrap(f"{number}. {choice.text.get(lang)}")
    lines.append(f"[{choice_tags(choice, lang)}]")
    if choice.condition is not None:
        lines.extend(_wrap(w("if", lang, c=choice.condition.source)))
    return lines


def event_lines(sc: Scenario, lang: str) -> list[str]:
    lines = []
    for ev in sc.events:
        title = ev.title.get(lang) if ev.title.nl else ev.id
        cond = w("if", lang, c=ev.condition.source) if ev.condition else w("always", lang)
        bits = [cond]
        if ev.chance < 1:
            bits.append(w("chance", lang, p=f"{ev.chance * 100:g}"))
        bits.append(w("once", lang) if ev.once else w("repeat", lang))
        lines.append(f"{ev.id}: {title}")
        lines.append(f"   ({', '.join(bits)})")
    return lines


def strategy_colour(choice: Choice) -> str:
    return STRATEGY_COLOURS[choice.strategy or "neutraal"]


# -- Graphviz DOT -----------------------------------------------------------------

def dot_string(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines as \\n."""
    s = text.replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{s}"'


def dot_left(lines: list[str]) -> str:
    """A DOT quoted string whose lines are left-aligned (\\l line ends)."""
    s = "".join(line.replace("\\", "\\\\").replace('"', '\\"') + "\\l" for line in lines)
    return f'"{s}"'


def _dot_id(kind: str, name: str) -> str:
    return dot_string(f"{kind}:{name}")


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def to_dot(sc: Scenario, lang: str = "nl", reach: Optional[Reach] = None, legend: bool = True) -> str:
    """The scenario as a Graphviz DOT graph."""
    reach = reach or reachability(sc)
    font = 'fontname="Helvetica,Arial,sans-serif"'
    out: list[str] = [
        f"digraph {dot_string(sc.id)} {{",
        f'  graph [{font}, rankdir=TB, newrank=true, nodesep=0.5, ranksep=0.7, '
        f'bgcolor="white", fontcolor="{TEXT}", labelloc=t, fontsize=20, '
        f'label={dot_string(sc.title.get(lang))}];',
        f'  node [{font}, fontsize=12, color="{MUTED}", fontcolor="{TEXT}", penwidth=1.2];',
        f'  edge [{font}, fontsize=10, penwidth=1.8, arrowsize=0.8];',
        "",
        f'  "start:" [shape=circle, width=0.55, fixedsize=true, style=filled, fillcolor="{TEXT}", '
        f'fontcolor="white", fontsize=10, label={dot_string(w("start", lang))}];',
    ]
    for i, (phase, ids) in enumerate(phases(sc), 1):
        out.append(f"  subgraph {dot_string(f'cluster_phase_{i}')} {{")
        out.append(f'    label={dot_string(phase_label(phase, lang))}; labeljust=l; fontsize=14; '
                   f'style="rounded,filled"; fillcolor="{PHASE_FILL}"; color="{LINE}";')
        for sid in ids:
            s = sc.scenes[sid]
            title = s.title.get(lang) if s.title.nl else sid
            lines = _wrap(title, 24) + [f"({sid})"]
            attrs = ['shape=box', f'fillcolor="{SCENE_FILL}"']
            style = ["rounded", "filled"]
            if sid == sc.start:
                attrs.append("penwidth=2.6")
            if sid not in reach.scenes:
                lines.append(w("unreachable", lang))
                style.append("dashed")
                attrs = ['shape=box', f'fillcolor="{UNREACHABLE_FILL}"', f'color="{UNREACHABLE_LINE}"',
                         f'fontcolor="{UNREACHABLE_LINE}"', "penwidth=2"]
            attrs.append(f'style="{",".join(style)}"')
            out.append(f"    {_dot_id('scene', sid)} [{', '.join(attrs)}, label={dot_string(chr(10).join(lines))}];")
        out.append("  }")
    out.append(f'  "start:" -> {_dot_id("scene", sc.start)} [color="{TEXT}", penwidth=1.4];')

    # endings
    finals = [e for e in sc.endings.values() if not e.interrupt]
    interrupts = [e for e in sc.endings.values() if e.interrupt]
    out.append(f"  subgraph {dot_string('cluster_endings')} {{")
    out.append(f'    label={dot_string(w("endings", lang))}; labeljust=l; fontsize=14; '
               f'style="rounded"; color="{LINE}";')
    for e in finals:
        lines = _wrap(e.title.get(lang), 24) + [f"({w('ending', lang)}: {e.id})"]
        attrs = ["shape=box", 'style="rounded,filled"', "peripheries=2", f'fillcolor="{ENDING_FILL}"']
        if e.id not in reach.endings:
            lines.append(w("unreachable", lang))
            attrs = ["shape=box", 'style="rounded,filled,dashed"', "peripheries=2",
                     f'fillcolor="{UNREACHABLE_FILL}"', f'color="{UNREACHABLE_LINE}"',
                     f'fontcolor="{UNREACHABLE_LINE}"']
        out.append(f"    {_dot_id('ending', e.id)} [{', '.join(attrs)}, label={dot_string(chr(10).join(lines))}];")
    if len(finals) > 1:  # all endings on one row, at the bottom
        out.append(f"    {{rank=same; {'; '.join(_dot_id('ending', e.id) for e in finals)}}}")
    out.append("  }")
    if interrupts:
        out.append(f"  subgraph {dot_string('cluster_interrupts')} {{")
        out.append(f'    label={dot_string(w("interrupts", lang))}; labeljust=l; fontsize=14; '
                   f'style="rounded,dashed"; color="{UNREACHABLE_LINE}";')
        for e in interrupts:
            lines = _wrap(e.title.get(lang), 24) + [f"({w('interrupt', lang)})"]
            if e.condition is not None:
                lines += _wrap(w("if", lang, c=e.condition.source), 26)
            out.append(f"    {_dot_id('ending', e.id)} [shape=octagon, style=filled, "
                       f'fillcolor="{INTERRUPT_FILL}", label={dot_string(chr(10).join(lines))}];')
        out.append("  }")

    uses_end = any(END in destinations(c) for c in sc.all_choices())
    if uses_end:
        out.append(f'  "end:" [shape=diamond, style=filled, fillcolor="{ENDING_FILL}", fontsize=10, '
                   f'label={dot_string(w("end-router", lang))}];')
        for e in finals[:len(end_targets(sc))]:
            label = w("if", lang, c=e.condition.source) if e.condition else w("otherwise", lang)
            out.append(f'  "end:" -> {_dot_id("ending", e.id)} [color="{MUTED}", fontcolor="{MUTED}", '
                       f'penwidth=1.2, label={dot_string(chr(10).join(_wrap(label, 24)))}];')

    # choices
    for s in sc.scenes.values():
        for n, c in enumerate(s.choices, 1):
            colour = strategy_colour(c)
            dest = '"end:"' if c.next == END else _dot_id("ending" if c.next in sc.endings else "scene", c.next)
            style = "dashed" if c.agency == "overnemen" else "solid"
            label = "\n".join(choice_label_lines(c, n, lang))
            out.append(f"  {_dot_id('scene', s.id)} -> {dest} [color=\"{colour}\", fontcolor=\"{colour}\", "
                       f"style={style}, label={dot_string(label)}];")
            for nxt, chance in outcome_edges(c):  # an uncertain outcome that goes elsewhere
                dest = '"end:"' if nxt == END else _dot_id("ending" if nxt in sc.endings else "scene", nxt)
                label = "\n".join(_wrap(w("outcome", lang, n=n, p=f"{chance * 100:g}")))
                out.append(f"  {_dot_id('scene', s.id)} -> {dest} [color=\"{colour}\", fontcolor=\"{colour}\", "
                           f"style=dotted, label={dot_string(label)}];")

    if sc.events:
        out.append(f'  "events:" [shape=note, style=filled, fillcolor="{NOTE_FILL}", fontsize=10, '
                   f'label={dot_left([w("events", lang) + ":"] + event_lines(sc, lang))}];')
    if legend:
        out.append(f'  "legend:" [shape=plain, fontsize=10, label=<{_legend_html(lang)}>];')
    out.append("}")
    return "\n".join(out) + "\n"


def _legend_html(lang: str) -> str:
    rows = [f'<tr><td align="left"><b>{_html(w("legend", lang))}</b></td></tr>']
    for name, colour in STRATEGY_COLOURS.items():
        label = w("neutral", lang) if name == "neutraal" else name
        rows.append(f'<tr><td align="left"><font color="{colour}"><b>&#8212;&#8212;&#8212;&#8594;</b> '
                    f'{_html(label)}</font></td></tr>')
    for key in ("legend-dashed", "legend-if", "legend-ending", "legend-unreachable"):
        rows.append(f'<tr><td align="left">{_html(w(key, lang))}</td></tr>')
    return (f'<table border="1" cellborder="0" cellspacing="1" cellpadding="3" color="{LINE}">'
            + "".join(rows) + "</table>")


# -- Mermaid ----------------------------------------------------------------------

_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;", "|": "#124;",
                    "&": "#amp;"}


def mermaid_text(text: str) -> str:
    """Label text for a quoted Mermaid label: entity codes for special characters,
    ``<br/>`` for new lines."""
    s = "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text.replace("\r\n", "\n").replace("\r", "\n"))
    return s.replace("\n", "<br/>")


def _mermaid_ids(sc: Scenario) -> dict[tuple[str, str], str]:
    """Opaque Mermaid node ids (``s1``, ``e1``, ...). Scenario ids are not used:
    Mermaid breaks on ids such as ``end``, ``x_end`` or ``a1TB`` (keywords after a
    non-letter); the labels show the scenario's own ids."""
    ids: dict[tuple[str, str], str] = {}
    for n, name in enumerate(sc.scenes, 1):
        ids[("scene", name)] = f"s{n}"
    for n, name in enumerate(sc.endings, 1):
        ids[("ending", name)] = f"e{n}"
    return ids


def to_mermaid(sc: Scenario, lang: str = "nl", reach: Optional[Reach] = None) -> str:
    """The scenario as a Mermaid flowchart."""
    reach = reach or reachability(sc)
    ids = _mermaid_ids(sc)
    out = [f"%% {mermaid_text(sc.title.get(lang))} ({sc.id})", "flowchart TB"]
    links: list[str] = []  # linkStyle lines, in edge order
    edge_count = 0

    def edge(a: str, b: str, label: str, colour: str, dashed: bool = False) -> None:
        nonlocal edge_count
        arrow = "-.->" if dashed else "-->"
        out.append(f'  {a} {arrow}|"{mermaid_text(label)}"| {b}')
        links.append(f"  linkStyle {edge_count} stroke:{colour},color:{colour},stroke-width:2px")
        edge_count += 1

    out.append(f'  go(("{mermaid_text(w("start", lang))}"))')
    for i, (phase, scene_ids) in enumerate(phases(sc), 1):
        out.append(f'  subgraph ph{i}["{mermaid_text(phase_label(phase, lang))}"]')
        for sid in scene_ids:
            s = sc.scenes[sid]
            title = s.title.get(lang) if s.title.nl else sid
            label = f"{title}\n({sid})"
            if sid not in reach.scenes:
                label += "\n" + w("unreachable", lang)
            out.append(f'    {ids[("scene", sid)]}["{mermaid_text(label)}"]')
        out.append("  end")
    finals = [e for e in sc.endings.values() if not e.interrupt]
    interrupts = [e for e in sc.endings.values() if e.interrupt]
    out.append(f'  subgraph fin["{mermaid_text(w("endings", lang))}"]')
    for e in finals:
        label = f"{e.title.get(lang)}\n({w('ending', lang)}: {e.id})"
        if e.id not in reach.endings:
            label += "\n" + w("unreachable", lang)
        out.append(f'    {ids[("ending", e.id)]}(["{mermaid_text(label)}"])')
    out.append("  end")
    if interrupts:
        out.append(f'  subgraph brk["{mermaid_text(w("interrupts", lang))}"]')
        for e in interrupts:
            label = f"{e.title.get(lang)}\n({w('interrupt', lang)})"
            if e.condition is not None:
                label += "\n" + w("if", lang, c=e.condition.source)
            out.append(f'    {ids[("ending", e.id)]}{{{{"{mermaid_text(label)}"}}}}')
        out.append("  end")
    uses_end = any(END in destinations(c) for c in sc.all_choices())
    if uses_end:
        out.append(f'  router{{"{mermaid_text(w("end-router", lang))}"}}')
    if sc.events:
        text = "\n".join([w("events", lang) + ":"] + [line.strip() for line in event_lines(sc, lang)])
        out.append(f'  notes["{mermaid_text(text)}"]')

    edge("go", ids[("scene", sc.start)], w("start", lang), TEXT)
    if uses_end:
        for e in finals[:len(end_targets(sc))]:
            label = w("if", lang, c=e.condition.source) if e.condition else w("otherwise", lang)
            edge("router", ids[("ending", e.id)], label, MUTED)
    for s in sc.scenes.values():
        for n, c in enumerate(s.choices, 1):
            dest = "router" if c.next == END else ids[("ending" if c.next in sc.endings else "scene", c.next)]
            edge(ids[("scene", s.id)], dest, "\n".join(choice_label_lines(c, n, lang)), strategy_colour(c),
                 dashed=c.agency == "overnemen")
            for nxt, chance in outcome_edges(c):  # an uncertain outcome that goes elsewhere
                dest = "router" if nxt == END else ids[("ending" if nxt in sc.endings else "scene", nxt)]
                edge(ids[("scene", s.id)], dest, w("outcome", lang, n=n, p=f"{chance * 100:g}"), strategy_colour(c),
                     dashed=c.agency == "overnemen")

    out.extend(links)
    out.append(f"  classDef scene fill:{SCENE_FILL},stroke:{MUTED},color:{TEXT}")
    out.append(f"  classDef ending fill:{ENDING_FILL},stroke:{TEXT},stroke-width:3px,color:{TEXT}")
    out.append(f"  classDef interrupt fill:{INTERRUPT_FILL},stroke:{UNREACHABLE_LINE},color:{TEXT}")
    out.append(f"  classDef unreachable fill:{UNREACHABLE_FILL},stroke:{UNREACHABLE_LINE},"
               f"stroke-dasharray:5 4,color:{UNREACHABLE_LINE}")
    out.append(f"  classDef note fill:{NOTE_FILL},stroke:{LINE},color:{TEXT},text-align:left")
    out.append(f"  classDef startnode fill:{TEXT},color:{SCENE_FILL},stroke:{TEXT}")
    out.append("  class go startnode")
    scene_ids = [ids[("scene", s)] for s in sc.scenes if s in reach.scenes]
    if scene_ids:
        out.append(f"  class {','.join(scene_ids)} scene")
    final_ids = [ids[("ending", e.id)] for e in finals if e.id in reach.endings]
    if final_ids:
        out.append(f"  class {','.join(final_ids)} ending")
    if interrupts:
        out.append(f"  class {','.join(ids[('ending', e.id)] for e in interrupts)} interrupt")
    bad = ([ids[("scene", s)] for s in sc.scenes if s not in reach.scenes]
           + [ids[("ending", e.id)] for e in finals if e.id not in reach.endings])
    if bad:
        out.append(f"  class {','.join(bad)} unreachable")
    if sc.events:
        out.append("  class notes note")
    return "\n".join(out) + "\n"


# -- images -----------------------------------------------------------------------

class GraphvizMissing(TegenmachtError):
    """The ``dot`` program is not installed."""


def render_image(dot_text: str, fmt: str, timeout: float = 120) -> bytes:
    """Draw DOT text as ``svg`` or ``png`` with Graphviz. Raises
    :class:`GraphvizMissing`, or RuntimeError with Graphviz's own message."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing()
    try:
        extra = ["-Gdpi=144"] if fmt == "png" else []  # sharp enough for a projector
        done = subprocess.run([exe, f"-T{fmt}", *extra], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(str(err)) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"dot stopped with code {done.returncode}")
    return done.stdout


# -- the command -----------------------------------------------------------------



def msg(key: str, lang: str, **kw: object) -> str:
    return gettext(f"graph-msg.{key}", lang, **kw)


def cmd_graph(args: argparse.Namespace) -> int:
    from game.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
    from game.tools.common import load_or_report

    lang = args.lang
    out_path = Path(args.output) if args.output else None
    ext = out_path.suffix.lower() if out_path else ".dot"
    if ext not in FORMATS:
        print(f"Error: {msg('bad-ext', lang, ext=ext or args.output)}", file=sys.stderr)
        return EXIT_USAGE
    if ext in (".svg", ".png") and shutil.which("dot") is None:
        print(f"Error: {msg('no-dot', lang, ext=ext)}", file=sys.stderr)
        return EXIT_PROBLEMS
    if out_path is not None:
        refused = _refuse_output(out_path, Path(args.path), bool(getattr(args, "force", False)), lang)
        if refused:
            print(f"Error: {refused}", file=sys.stderr)
            return EXIT_USAGE  # like an output that cannot be written
    scenario = load_or_report(args.path, lang)
    if scenario is None:
        return EXIT_PROBLEMS
    data: str | bytes
    if ext == ".mmd":
        data = to_mermaid(scenario, lang)
    else:
        data = to_dot(scenario, lang)
        if ext in (".svg", ".png"):
            try:
                data = render_image(data, ext[1:])
            except GraphvizMissing:
                print(f"Error: {msg('no-dot', lang, ext=ext)}", file=sys.stderr)
                return EXIT_PROBLEMS
            except RuntimeError as err:
                print(f"Error: {msg('dot-failed', lang, detail=err)}", file=sys.stderr)
                return EXIT_PROBLEMS
    if out_path is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8", "replace"))
        return EXIT_OK
    from game.safeio import atomic_write

    try:
        # atomically, next to the target: a crash leaves the old file or the new one; a symlink
        # at the target is replaced by the map (with --force), never written through
        atomic_write(out_path, data)
    except OSError as err:
        print(f"Error: {msg('cannot-write', lang, path=out_path, detail=err.strerror or err)}", file=sys.stderr)
        return EXIT_USAGE
    print(msg("written", lang, path=out_path), file=sys.stderr)
    return EXIT_OK


def _refuse_output(out: Path, scenario: Path, force: bool, lang: str) -> Optional[str]:
    """Why the map may not be written to ``out`` (one sentence), or None."""
    import os

    if out.is_dir():
        return msg("is-folder", lang, path=out)
    try:
        if out.resolve() == scenario.resolve():
            return msg("is-scenario", lang, path=out)
    except OSError:
        pass
    if not out.parent.is_dir():
        return msg("no-folder", lang, path=out.parent)
    if os.path.lexists(out) and not force:
        return msg("exists", lang, path=out)
    return None


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("graph", help="draw the scenario as a map (.dot, .mmd, .svg or .png)")
    p.add_argument("path", metavar="PATH", help="scenario file")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file; the extension picks the format: .dot, .mmd, .svg, .png "
                        "(svg/png need Graphviz). Without -o the DOT text is printed.")
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS, help="label language (default nl)")
    p.set_defaults(func=cmd_graph)
