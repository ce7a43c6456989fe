"""Small helpers several test files share."""
from __future__ import annotations


def finish(session, pick=1):
    """Play ``session`` to its end, always taking choice number ``pick``."""
    while not session.finished:
        session.choose(pick)
    return session


def one_sentence(text: str) -> bool:
    """One sentence: ends with a full stop, one line, no second sentence inside."""
    body = text.rstrip(".")
    return text.endswith(".") and "\n" not in text and ". " not in body


def play(story, keys: list[str], seed: int = 1):
    """A new session of ``story`` that takes ``keys`` (``scene.choice``); the session and its steps."""
    s = story.new_session(seed=seed)
    steps = [s.choose(k) for k in keys]
    return s, steps


def assert_validates_cleanly(path) -> None:
    """A shipped scenario: no errors, no missing translation, no missing image."""
    from game.scenario.validate import validate_file

    report = validate_file(path)
    assert report.ok
    assert not [p for p in report.problems if p.level == "error"]
    assert not [p for p in report.problems if p.code in ("missing-translation", "image-missing")]


def text_game(story, answers, store=None, lang="nl", seed=1, scenario_path=None):
    """A terminal game that reads ``answers`` one per prompt (then end of input); the game and its output."""
    import io

    from game.text.play import TextGame

    out = io.StringIO()
    feed = iter(answers)

    def read(prompt):
        out.write(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return TextGame(story, lang=lang, seed=seed, out=out, read=read, store=store, scenario_path=scenario_path), out


def make_app(**kw):
    """The window at 1280x720 with seed 1 unless told otherwise (headless: SDL's dummy driver)."""
    from game.ui.app import App

    kw.setdefault("size", (1280, 720))
    kw.setdefault("seed", 1)
    return App(**kw)


def play_to_the_end(app) -> None:
    """Take choice 1 until the game ends, then go through its cards to the debrief."""
    while not app.session.finished:
        app.choose(1)
    while app.screen.name in ("coach", "event"):
        app.next_moment()
