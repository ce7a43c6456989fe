"""The scenario map: DOT, Mermaid, and images through Graphviz."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.scenario import paths
from game.tools import graph
from game.cli import main
from game.palette import STRATEGY_COLOURS
from game.scenario.validate import load_scenario

TRICKY = '''\
id: proef
title: {nl: 'Proef "met" <tekens> & #hash', en: "Test map"}
scenes:
  a:
    title: "Begin | pipe `tick` back\\\\slash"
    phase: 1
    text: "Tekst"
    choices:
      - id: x
        text: "Naar b \\"quote\\"\\nregel twee; [haak] {accolade}"
        strategy: confrontatie
        agency: mobiliseren
        next: b
      - id: y
        text: "Direct klaar"
        strategy: polderen
        agency: overnemen
        next: klaar
  b:
    phase: 2
    text: "B"
    choices:
      - id: terug
        text: "Terug naar a"
        if: "energie > 10"
        next: a
      - id: stop
        text: "Stop"
        strategy: coalitie
        next: end
  weg:
    text: "Nergens vandaan"
    choices:
      - id: z
        text: "z"
        next: end
endings:
  klaar:
    title: "Klaar"
    text: "Klaar."
  nooit:
    title: "Nooit"
    text: "Nooit."
'''


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    p = tmp_path / "proef.yaml"
    p.write_text(TRICKY, encoding="utf-8")
    return p


def dot_statements(dot: str) -> list[str]:
    return [line.strip() for line in dot.splitlines()]


def edge_lines(dot: str) -> list[str]:
    return [line for line in dot_statements(dot) if " -> " in line]


def test_dot_clusters_per_phase(example):
    dot = graph.to_dot(example)
    for n in (1, 2, 3):
        assert f'subgraph "cluster_phase_{n}"' in dot
        assert f'label="Fase {n}"' in dot
    # each scene sits inside the cluster of its phase
    blocks = re.findall(r'subgraph "cluster_phase_\d+" \{(.*?)\n  \}', dot, re.S)
    assert ['"scene:start"' in b for b in blocks] == [True, False, False]
    assert '"scene:actie"' in blocks[2]


def test_dot_edges_coloured_and_labelled_with_strategy(example):
    edges = edge_lines(graph.to_dot(example))
    protest = next(e for e in edges if "picknick" in e)
    assert f'color="{STRATEGY_COLOURS["confrontatie"]}"' in protest
    assert "confrontatie" in protest  # the name, never colour alone
    for scene in example.scenes.values():
        for n, choice in enumerate(scene.choices, 1):
            line = next(e for e in edges if e.startswith(f'"scene:{scene.id}" ->') and f'label="{n}. ' in e)
            colour = STRATEGY_COLOURS[choice.strategy or "neutraal"]
            assert f'color="{colour}"' in line
            assert (choice.strategy or "neutraal") in line
            assert ("style=dashed" in line) == (choice.agency == "overnemen")
            if choice.condition is not None:
                assert f"als: {choice.condition.source}" in line.replace("\\n", " ")


def test_dot_endings_start_events_and_end_router(example):
    dot = graph.to_dot(example)
    open_line = next(line for line in dot_statements(dot) if line.startswith('"ending:open" ['))
    assert "peripheries=2" in open_line
    interrupt = next(line for line in dot_statements(dot) if line.startswith('"ending:uitgeput" ['))
    assert "shape=octagon" in interrupt and "energie <= 0" in interrupt
    assert '"start:" -> "scene:start"' in dot
    assert "shape=note" in dot and "buurtapp" in dot and "kans 50%" in dot
    assert '"end:" -> "ending:open"' in dot and "tegenmacht >= 30" in dot
    assert '"end:" -> "ending:wachten"' in dot and "anders (vangnet)" in dot
    nodes = [line for line in dot_statements(dot) if line.startswith(('"scene:', '"ending:')) and "->" not in line]
    assert len(nodes) == 8 and not any("ONBEREIKBAAR" in line for line in nodes)  # 3 scenes, 5 endings
    assert '"end:" -> "ending:opgeslokt"' in dot and '"end:" -> "ending:uitgeput"' not in dot


def test_dot_highlights_unreachable(tricky):
    sc = load_scenario(tricky)
    dot = graph.to_dot(sc)
    lines = dot_statements(dot)
    weg = next(line for line in lines if line.startswith('"scene:weg" ['))
    nooit = next(line for line in lines if line.startswith('"ending:nooit" ['))
    klaar = next(line for line in lines if line.startswith('"ending:klaar" ['))
    for line in (weg, nooit):
        assert "ONBEREIKBAAR" in line and "dashed" in line and graph.UNREACHABLE_LINE in line
    assert "ONBEREIKBAAR" not in klaar
    assert "Zonder fase" in dot  # a scene without a phase gets its own group
    reach = paths.reachability(sc)
    assert reach.unreachable_scenes(sc) == ["weg"]
    assert reach.unreachable_endings(sc) == ["nooit"]


def test_dot_escapes_quotes_newlines_and_backslashes(tricky):
    dot = graph.to_dot(load_scenario(tricky))
    assert r'Naar b \"quote\"\nregel twee' in dot
    assert r"back\\slash" in dot
    for line in dot.splitlines():  # every quote is escaped or paired
        unescaped = re.sub(r"\\.", "", line).count('"')
        assert unescaped % 2 == 0, line
    assert graph.dot_string('a "b"\nc\\d') == r'"a \"b\"\nc\\d"'


def test_dot_in_english(example):
    dot = graph.to_dot(example, lang="en")
    assert 'label="Phase 1"' in dot and "if: eigenaarschap >= 25" in dot
    assert "Hold one-to-ones" in dot and "Fase" not in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_the_dot(tricky, example):
    for sc in (load_scenario(tricky), example):
        done = subprocess.run(["dot", "-Tsvg"], input=graph.to_dot(sc).encode(), capture_output=True)
        assert done.returncode == 0, done.stderr.decode()
        assert b"<svg" in done.stdout


# -- Mermaid -------------------------------------------------------------------------

def mermaid_check(text: str) -> dict:
    """A small structural parse: subgraph/end balance, declared nodes, edges, link styles."""
    depth = 0
    declared: set[str] = set()
    edges: list[tuple[str, str]] = []
    styles: list[int] = []
    lines = text.splitlines()
    assert lines[1].startswith("flowchart")
    for raw in lines[2:]:
        line = raw.strip()
        if line.startswith("subgraph "):
            depth += 1
            continue
        if line == "end":
            depth -= 1
            assert depth >= 0
            continue
        if line.startswith(("classDef ", "class ", "%%")):
            continue
        m = re.match(r"linkStyle (\d+) ", line)
        if m:
            styles.append(int(m.group(1)))
            continue
        m = re.match(r'^(\w+) (-->|-\.->)\|"([^"]*)"\| (\w+)$', line)
        if m:
            edges.append((m.group(1), m.group(4)))
            continue
        m = re.match(r'^(\w+)(\(\(|\(\[|\{\{|\[|\{)"([^"]*)"(\)\)|\]\)|\}\}|\]|\})$', line)
        assert m, f"cannot parse: {line!r}"
        assert m.group(1) != "end"
        declared.add(m.group(1))
    assert depth == 0
    return {"declared": declared, "edges": edges, "styles": styles}


def test_mermaid_structure(example):
    mmd = graph.to_mermaid(example)
    parsed = mermaid_check(mmd)
    assert mmd.count("subgraph ") == 5  # three phases, endings, interrupts
    assert 'subgraph ph1["Fase 1"]' in mmd
    for a, b in parsed["edges"]:
        assert a in parsed["declared"] and b in parsed["declared"]
    assert parsed["styles"] == list(range(len(parsed["edges"])))
    # start, end router (opgeslokt, open, wachten), choices; no outcome of the example has its own next
    assert len(parsed["edges"]) == 1 + 4 + len(example.all_choices())
    assert f"stroke:{STRATEGY_COLOURS['coalitie']}" in mmd
    assert "-.->" in mmd  # overnemen
    assert "[coalitie · organiseren]" in mmd
    assert "{{" in mmd and "energie #lt;= 0" in mmd


def test_mermaid_escapes_and_unreachable(tricky):
    mmd = graph.to_mermaid(load_scenario(tricky))
    mermaid_check(mmd)
    assert "#quot;quote#quot;<br/>regel twee" in mmd
    assert "#124; pipe #96;tick#96;" in mmd
    assert "#lt;tekens#gt; #amp; #35;hash" in mmd
    assert "class s3,e2 unreachable" in mmd  # weg, nooit
    assert "energie #gt; 10" in mmd


OUTCOMES = TRICKY.replace('''      - id: y
        text: "Direct klaar"
        strategy: polderen
        agency: overnemen
        next: klaar
''', '''      - id: y
        text: "Direct klaar"
        strategy: polderen
        agency: overnemen
        next: klaar
        outcomes:
          - chance: 0.75
            text: "Het lukt."
          - chance: 0.25
            text: "Het loopt anders."
            next: weg
''')


def test_an_outcome_with_its_own_next_is_an_edge(tmp_path):
    p = tmp_path / "uitkomst.yaml"
    p.write_text(OUTCOMES, encoding="utf-8")
    sc = load_scenario(p)
    assert paths.targets(sc, sc.choice("a.y")) == ["klaar", "weg"]
    reach = paths.reachability(sc)
    assert reach.unreachable_scenes(sc) == []  # 'weg' is reached through the outcome
    edges = edge_lines(graph.to_dot(sc))
    weg = [e for e in edges if e.startswith('"scene:a" -> "scene:weg"')]
    assert len(weg) == 1 and "uitkomst van 2, kans 25%" in weg[0] and "style=dotted" in weg[0]
    assert sum(e.startswith('"scene:a" -> "ending:klaar"') for e in edges) == 1  # the choice's own arrow
    mmd = graph.to_mermaid(sc)
    parsed = mermaid_check(mmd)
    assert ("s1", "s3") in parsed["edges"] and "uitkomst van 2, kans 25%" in mmd
    assert parsed["styles"] == list(range(len(parsed["edges"])))


def test_mermaid_ids_are_safe():
    assert graph.mermaid_text('a"b\nc') == "a#quot;b<br/>c"


# -- the command ------------------------------------------------------------------

@pytest.mark.parametrize("ext,needle", [(".dot", "digraph"), (".mmd", "flowchart TB")])
def test_cli_writes_text_formats(example_path, tmp_path, capsys, ext, needle):
    out = tmp_path / f"kaart{ext}"
    assert main(["graph", str(example_path), "-o", str(out)]) == 0
    assert needle in out.read_text(encoding="utf-8")
    assert "Kaart geschreven" in capsys.readouterr().err


def test_cli_english_labels(example_path, tmp_path):
    out = tmp_path / "map.dot"
    assert main(["graph", str(example_path), "-o", str(out), "--lang", "en"]) == 0
    assert "Phase 2" in out.read_text(encoding="utf-8")


def test_cli_without_output_prints_dot(example_path, capsys):
    assert main(["graph", str(example_path)]) == 0
    assert capsys.readouterr().out.startswith('digraph "voorbeeld"')


def test_cli_unknown_extension_is_usage_error(example_path, tmp_path, capsys):
    assert main(["graph", str(example_path), "-o", str(tmp_path / "kaart.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and ".pdf" in err and ".mmd" in err
    assert not (tmp_path / "kaart.pdf").exists()


def test_cli_broken_scenario_exit_1(tmp_path, capsys):
    bad = tmp_path / "kapot.yaml"
    bad.write_text(TRICKY.replace("strategy: coalitie", "strategy: coalitiee"), encoding="utf-8")
    out = tmp_path / "k.dot"
    assert main(["graph", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"kapot\.yaml:\d+:\d+: error:", err)
    assert "Traceback" not in err and not out.exists()


def test_cli_image_without_graphviz(example_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    assert main(["graph", str(example_path), "-o", str(tmp_path / "k.png")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and ".dot" in err and ".mmd" in err and "Graphviz" in err


def test_cli_unwritable_output(example_path, tmp_path, capsys):
    assert main(["graph", str(example_path), "-o", str(tmp_path / "nope" / "k.dot")]) == 2
    err = capsys.readouterr().err
    assert "bestaat niet" in err and err.count("\n") == 1 and not (tmp_path / "nope").exists()
    (tmp_path / "map.dot").mkdir()
    assert main(["graph", str(example_path), "-o", str(tmp_path / "map.dot"), "--force"]) == 2
    assert "is een map" in capsys.readouterr().err


def test_cli_output_is_never_overwritten_without_force(example_path, tmp_path, capsys):
    out = tmp_path / "kaart.mmd"
    out.write_text("mijn eigen kaart", encoding="utf-8")
    assert main(["--lang", "en", "graph", str(example_path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and err.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "mijn eigen kaart"
    assert main(["graph", str(example_path), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("%%")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaart.mmd"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_cli_output_through_a_symlink_replaces_the_link_not_its_target(example_path, tmp_path, capsys):
    image = tmp_path / "scenario-images" / "scene.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG de afbeelding van het scenario")
    link = tmp_path / "kaart.dot"
    link.symlink_to(image)
    assert main(["graph", str(example_path), "-o", str(link)]) == 2  # exists (a link counts)
    assert main(["graph", str(example_path), "-o", str(link), "--force"]) == 0
    assert image.read_bytes() == b"\x89PNG de afbeelding van het scenario"
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("digraph")


def test_cli_output_is_never_the_scenario_itself(example_path, tmp_path, capsys):
    copy = tmp_path / "s.dot"
    copy.write_text(example_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["graph", str(copy), "-o", str(copy), "--force"]) == 2
    assert "scenariobestand zelf" in capsys.readouterr().err
    assert copy.read_text(encoding="utf-8") == example_path.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("ext,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_cli_images_with_graphviz(example_path, tmp_path, ext, magic):
    out = tmp_path / f"kaart{ext}"
    assert main(["graph", str(example_path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


def test_mermaid_node_ids_avoid_keywords(tricky, example):
    for sc in (load_scenario(tricky), example):
        mmd = graph.to_mermaid(sc)
        ids = set(mermaid_check(mmd)["declared"])
        assert all(re.fullmatch(r"[se]\d+|go|router|notes", i) for i in ids), ids
