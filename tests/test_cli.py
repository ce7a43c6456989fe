"""The command line: exit codes, validate (text and --json), schema, play --text."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

BROKEN = Path(__file__).resolve().parent / "data" / "broken"


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


@pytest.mark.parametrize("argv", [
    ["--bestaatniet"], ["validate"], ["validate", "--wat", "x.yaml"], ["--lang", "fr", "validate", "x.yaml"],
    ["onbekend-commando"], ["play", "--seed", "abc", "--text"],
])
def test_wrong_use_exits_2_with_one_error_line(capsys, argv):
    rc, out, err = run(capsys, *argv)
    assert rc == EXIT_USAGE
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert out == ""


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "validate" in capsys.readouterr().out


def test_validate_the_example(capsys, example_path):
    rc, out, err = run(capsys, "validate", str(example_path))
    assert rc == EXIT_OK and out == ""
    assert "0 fouten, 0 waarschuwingen in 1 bestand." in err
    rc, out, err = run(capsys, "--lang", "en", "validate", str(example_path))
    assert "0 errors, 0 warnings in 1 file." in err


def test_validate_several_files(capsys, example_path):
    rc, out, err = run(capsys, "validate", "--lang", "en", str(example_path), str(BROKEN / "bad_id.yaml"),
                       str(BROKEN / "unreachable_scene.yaml"))
    assert rc == EXIT_PROBLEMS
    assert "1 error, 1 warning in 3 files." in err
    assert len(out.splitlines()) == 2


def test_validate_warnings_only_exits_0(capsys):
    rc, out, err = run(capsys, "validate", str(BROKEN / "unreachable_scene.yaml"))
    assert rc == EXIT_OK and ": warning: " in out


def test_validate_json(capsys, example_path):
    paths = [str(example_path), str(BROKEN / "unknown_meter_condition.yaml"), str(BROKEN / "empty.yaml")]
    rc, out, err = run(capsys, "--lang", "en", "validate", "--json", *paths)
    assert rc == EXIT_PROBLEMS
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == paths
    example, broken, empty = data["files"]
    assert example["problems"] == []
    assert set(example["stats"]) >= {"scenes", "choices", "endings", "events", "actors", "words_nl", "words_en"}
    assert example["stats"]["scenes"] == 3 and example["stats"]["choices"] == 9
    assert all(isinstance(v, int) for v in example["stats"].values())
    (p,) = broken["problems"]
    assert set(p) == {"line", "column", "level", "code", "message"}
    assert (p["line"], p["column"], p["level"], p["code"]) == (21, 31, "error", "unknown-meter")
    assert "did you mean 'relatie'" in p["message"]
    assert empty["problems"][0]["code"] == "file-empty" and isinstance(empty["stats"], dict)


def test_validate_json_in_dutch(capsys):
    rc, out, err = run(capsys, "validate", "--json", "--lang", "nl", str(BROKEN / "bad_strategy.yaml"))
    data = json.loads(out)
    assert "bedoel je 'confrontatie'" in data["files"][0]["problems"][0]["message"]


def test_schema_is_a_valid_json_schema_and_accepts_the_example(capsys, example_path):
    rc, out, err = run(capsys, "schema")
    assert rc == EXIT_OK
    schema = json.loads(out)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    example = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    validator_class(schema).validate(example)


@pytest.mark.parametrize("name", ["bad_strategy.yaml", "actor_power_150.yaml", "unknown_key_choises.yaml",
                                  "wrong_type_power.yaml", "chance_1_5.yaml", "bad_id.yaml"])
def test_schema_rejects_shape_mistakes(capsys, name):
    main(["schema"])
    schema = json.loads(capsys.readouterr().out)
    data = yaml.safe_load((BROKEN / name).read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def play_text(capsys, monkeypatch, answers, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(a + "\n" for a in answers)))
    return run(capsys, *argv)


def test_play_text_to_the_end(capsys, monkeypatch, example_path):
    rc, out, err = play_text(capsys, monkeypatch, ["m", "a", "x", "1", "1", "1"],
                             "play", str(example_path), "--text", "--seed", "3")
    assert rc == EXIT_OK
    assert "De speeltuin aan de Lindelaan" in out
    # one-to-ones, the grant, residents at the table: the talks ending, scored in the debrief
    assert "Einde: Nog even geduld" in out and "Nabespreking:" in out
    assert "Uitkomst: Gezellig, maar zonder urgentie" in out and "tegenmacht 23 · eigenaarschap 58" in out
    assert "Typ een nummer" in out  # 'x' was refused politely
    assert "Meters:" in out and "Actoren" in out


def test_play_text_in_english(capsys, monkeypatch, example_path):
    rc, out, err = play_text(capsys, monkeypatch, ["1", "1", "1"],
                             "--lang", "en", "play", str(example_path), "--text", "--seed", "3", "--no-coach")
    assert rc == EXIT_OK
    assert "The playground on Lindelaan" in out and "Ending: A little more patience" in out and "Debrief:" in out
    assert "Outcome: Cosy, but without urgency" in out and "ownership 58" in out
    assert "Coach:" not in out


def test_play_text_same_seed_same_game(capsys, monkeypatch, example_path):
    outs = []
    for _ in range(2):
        rc, out, err = play_text(capsys, monkeypatch, ["1", "3", "1"], "play", str(example_path), "--text",
                                 "--seed", "12")
        outs.append(out)
    assert outs[0] == outs[1]


def test_play_text_stops_on_end_of_input(capsys, monkeypatch, example_path):
    rc, out, err = play_text(capsys, monkeypatch, ["1"], "play", str(example_path), "--text", "--seed", "1")
    assert rc == EXIT_OK and "Gestopt" in out


def test_play_a_broken_scenario_exits_1(capsys, monkeypatch):
    rc, out, err = play_text(capsys, monkeypatch, [], "--lang", "en", "play",
                             str(BROKEN / "unknown_next_scene.yaml"), "--text")
    assert rc == EXIT_PROBLEMS
    assert ":11:15: error: " in err and "Error: The scenario has errors" in err


def test_play_a_missing_file_exits_1(capsys, monkeypatch, tmp_path):
    rc, out, err = play_text(capsys, monkeypatch, [], "play", str(tmp_path / "nee.yaml"), "--text")
    assert rc == EXIT_PROBLEMS and "bestaat niet" in err
