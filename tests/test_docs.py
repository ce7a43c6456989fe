"""The docs stay in step with the code."""
import json
import re

from conftest import ROOT

from game.scenario.schema import json_schema


def test_committed_schema_is_current():
    committed = json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: python3 run.py schema > docs/scenario.schema.json"


def test_ci_runs_the_readme_test_command_word_for_word():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^    (python3 run\.py[^\n]*)$", readme, flags=re.M)
    assert "python3 run.py" in commands and "python3 run.py test" in commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "python3 run.py test" in [line.strip() for line in ci]


def test_every_code_in_the_catalogue_is_documented():
    from game.scenario.problems import MESSAGES

    doc = (ROOT / "docs" / "scenario-formaat.md").read_text(encoding="utf-8")
    missing = [code for code in MESSAGES if f"`{code}`" not in doc]
    assert not missing, f"undocumented problem codes: {missing}"
