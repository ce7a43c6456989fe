"""Projector mode in the window (game/ui/classroom.py), driven headless: a whole class game with
typed counts (a tie the trainer breaks, a round nobody voted in), votes from phones counted live,
the coach card only after the vote, the layout at 1024x600 and 1920x1080, and the vote server
stopping with the class."""
from __future__ import annotations

import json
import socket
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

pygame = pytest.importorskip("pygame")
pytest.importorskip("pygame_gui")
pytest.importorskip("aiohttp")

from game.classroom import votes as V  # noqa: E402
from game.ui import classroom as C  # noqa: E402
from game.ui.app import App, run_class  # noqa: E402
from game.classroom.votes import VoteServer  # noqa: E402
from test_ui_layout import problems_of  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "class"


@pytest.fixture(autouse=True)
def _window():
    yield
    pygame.display.quit()


@pytest.fixture
def room(monkeypatch):
    """A room network (a documentation address): the projector shows a QR code and the address."""
    monkeypatch.setattr(V, "room_address", lambda: "192.0.2.10")


def press(app: App, key: int, unicode: str = "") -> None:
    app.update(1.0)  # past the guard against a double press
    app.key(key, unicode=unicode)
    app.update(0.05)


def type_count(app: App, row: int, n: int) -> None:
    press(app, pygame.K_a + row)
    for d in str(n):
        press(app, pygame.K_0 + int(d), d)


def texts(app: App) -> str:
    return "\n".join(app.screen.visible_texts())


def through_cards(app: App) -> list[str]:
    seen = []
    while app.screen.name in ("coach", "event"):
        seen.append(app.screen.name)
        press(app, pygame.K_RETURN)
    return seen


def test_a_whole_class_game_with_typed_counts_a_tie_and_an_empty_vote(example_path):
    app = App(size=(1280, 720), seed=1)
    app.start_class(str(example_path), phones=False)
    assert app.class_mode and app.votes is None and app.settings.text_size == "xlarge"
    plan = []
    turn = 0
    while not app.session.finished:
        assert app.screen.name == "scene"
        hints = [b["hint"] for b in app.screen.buttons() if b["id"].startswith("choice:")]
        assert hints == [C.letter(i) for i in range(len(hints))]  # A, B, C … never 1, 2, 3
        press(app, pygame.K_RETURN)
        vote = app.screen
        assert vote.name == "vote" and app.session.turns == turn
        offered = [ch.id for ch in vote.offered]
        if vote.locked:  # shown greyed, never votable: no row, no letter, not in the vote
            assert all(o.choice.id not in offered for o in vote.locked)
            assert "op slot" in texts(app)
            press(app, pygame.K_a + len(offered))  # the locked choice's would-be letter: nothing happens
            assert vote.counts() == {cid: 0 for cid in offered}
        if turn == 0:  # a tie: the trainer breaks it
            type_count(app, 0, 3)
            type_count(app, 1, 3)
            press(app, pygame.K_RETURN)
            assert app.screen is vote and vote.deciding and app.session.turns == 0
            assert vote.candidates == offered[:2]
            assert "Gelijke stand tussen A en B, met elk 3 stemmen. Kies jij welke keuze doorgaat." in texts(app)
            assert {b["id"] for b in app.screen.buttons()} >= {f"pick:{offered[0]}", f"pick:{offered[1]}"}
            press(app, pygame.K_b)
            expected = ({offered[0]: 3, offered[1]: 3, **{c: 0 for c in offered[2:]}}, offered[1])
        elif turn == 1:  # nobody voted: the trainer picks
            press(app, pygame.K_RETURN)
            assert vote.deciding and vote.candidates == offered
            assert texts(app).count("Niemand heeft gestemd") == 1
            press(app, pygame.K_a)
            expected = ({c: 0 for c in offered}, offered[0])
        else:  # a majority for the last choice; the mouse adds one to the first
            type_count(app, len(offered) - 1, 12)
            press(app, pygame.K_BACKSPACE)  # 12 -> 1
            press(app, pygame.K_PLUS, "+")  # 1 -> 2
            press(app, pygame.K_PLUS, "+")  # 2 -> 3
            press(app, pygame.K_MINUS, "-")  # 3 -> 2
            plus = next(b for b in app.screen.buttons() if b["id"] == f"plus:{offered[0]}")
            app.click(plus["rect"].center)
            app.update(0.05)
            assert app.screen.counts()[offered[0]] == 1 and app.screen.counts()[offered[-1]] == 2
            assert "Totaal: 3 stemmen" in texts(app)
            assert app.session.turns == turn  # still nothing chosen, no coach card yet
            press(app, pygame.K_RETURN)
            expected = ({offered[0]: 1, offered[-1]: 2, **{c: 0 for c in offered[1:-1]}}, offered[-1])
        step = app.session.history[-1]
        assert app.session.turns == turn + 1
        assert (step.votes, step.choice) == expected
        plan.append(step.choice)
        scene = app.scenario.scenes[step.scene]
        choice = next(c for c in scene.choices if c.id == step.choice)
        cards = through_cards(app)
        if choice.coach and choice.coach.text:
            assert cards[:1] == ["coach"]  # the coach card, right after the vote
        turn += 1
    assert app.screen.name == "debrief" and turn >= 3
    saved = app.session.to_json()["history"]
    assert [h["votes"] for h in saved] == [h.votes for h in app.session.history]
    assert all(h.votes is not None for h in app.session.history)
    app.to_title()
    assert not app.class_mode and app.settings.text_size == "normal"  # the class's text size was for the class


def test_the_coach_card_comes_only_after_the_vote(example_path):
    app = App(size=(1280, 720), seed=1)
    app.start_class(str(example_path), phones=False)
    first, *others = app.session.available()
    assert first.coach and first.coach.text
    coach = first.coach.text.get("nl").strip()
    assert coach not in texts(app)
    press(app, pygame.K_RETURN)
    assert app.screen.name == "vote" and coach not in texts(app)
    type_count(app, 0, 5)
    assert app.screen.name == "vote" and app.session.turns == 0
    press(app, pygame.K_ESCAPE)  # back to the scene: the vote is dropped, nothing chosen
    assert app.screen.name == "scene" and app.session.turns == 0
    press(app, pygame.K_RETURN)
    assert app.screen.counts() == {c.id: 0 for c in app.session.available()}  # a new vote starts at zero
    type_count(app, 0, 5)
    press(app, pygame.K_RETURN)
    assert app.screen.name == "coach" and coach in texts(app)
    assert app.session.history[-1].votes == {first.id: 5, **{c.id: 0 for c in others}}


def _phone_vote(srv: VoteServer, choice: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    base = f"http://127.0.0.1:{srv.port}"
    opener.open(base + "/").read()
    st = json.loads(opener.open(f"{base}/state?c={srv.code}").read())
    req = urllib.request.Request(base + "/vote", data=json.dumps(
        {"code": srv.code, "round": st["round"], "choice": choice}).encode(), method="POST")
    return opener.open(req).status


def test_phones_vote_live_and_the_server_stops_with_the_class(example_path, room):
    app = App(size=(1280, 720), seed=1)
    app.start_class(str(example_path))  # from the title's "Klassikaal spelen": the App starts the server
    srv = app.votes
    assert srv is not None and srv.running and srv.url.startswith("http://192.0.2.10:")
    press(app, pygame.K_RETURN)
    vote = app.screen
    assert vote.name == "vote" and srv.round_id is not None
    assert srv.code in texts(app) and srv.short_url in texts(app)
    assert any(n == "picture:qr" for n, _r in vote.layout_rects())
    a, b = [ch.id for ch in vote.offered]
    for choice in (b, b, a):
        assert _phone_vote(srv, choice) == 200
    app.update(0.05)  # the tally is read live
    assert vote.counts() == {a: 1, b: 2}
    assert "3 telefoons hebben gestemd" in texts(app)
    press(app, pygame.K_a)
    press(app, pygame.K_PLUS, "+")  # a hand in the room, for A: a tie at 2
    press(app, pygame.K_RETURN)
    assert vote.deciding and vote.candidates == [a, b]
    press(app, pygame.K_a)
    assert app.session.history[-1].votes == {a: 2, b: 2} and app.session.history[-1].choice == a
    assert srv.round_id is None and srv.closed_tally(1) == {a: 1, b: 2}  # the phones' round was closed
    port = srv.port
    app.to_title()
    assert not srv.running and app.votes is None
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past the closed connections' TIME_WAIT
    try:
        s.bind(("0.0.0.0", port))  # nothing listens there any more
        s.listen()
    finally:
        s.close()


def test_the_server_stops_when_the_window_closes_or_crashes(example_path, room, monkeypatch):
    srv = VoteServer(port=0).start()
    monkeypatch.setattr(App, "loop", lambda self: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        run_class(str(example_path), server=srv)
    assert not srv.running
    srv2 = VoteServer(port=0).start()
    monkeypatch.setattr(App, "loop", lambda self: 0)
    assert run_class(str(example_path), server=srv2) == 0
    assert not srv2.running


def test_without_a_room_network_the_class_types_the_counts(example_path, monkeypatch):
    monkeypatch.setattr(V, "room_address", lambda: None)
    app = App(size=(1280, 720), seed=1)
    app.start_class(str(example_path))
    assert app.votes is None and app.class_mode
    assert app.notice_text == "Geen netwerk gevonden, dus telefoons kunnen niet stemmen; typ de aantallen in."
    press(app, pygame.K_RETURN)
    assert app.screen.name == "vote" and not any(n == "picture:qr" for n, _r in app.screen.layout_rects())


def test_the_title_opens_play_as_a_class(example_path, monkeypatch):
    import game.scenario.files

    monkeypatch.setattr(game.scenario.files, "shipped_scenarios", lambda: [example_path])
    app = App(size=(1280, 720), seed=1)
    assert "Klassikaal spelen  (K)" in texts(app)
    press(app, pygame.K_k)
    assert app.screen.name == "class_setup"
    app.screen.press("phones:False")
    press(app, pygame.K_1)
    assert app.class_mode and app.votes is None and app.screen.name == "scene"


@pytest.mark.parametrize("size", [(1024, 600), (1920, 1080)])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_element_leaves_the_window(size, lang, room):
    """The class screens at a netbook's and a projector's size, both languages, with the QR code."""
    path = str(Path(__file__).resolve().parent.parent / "scenarios" / "buurthuis.yaml")  # 5 choices, long texts
    app = App(size=size, seed=1, lang=lang)
    app.show_class_setup()
    assert problems_of(app.screen, size) == []
    app.start_class(path)
    assert app.votes is not None
    assert problems_of(app.screen, size) == [], "scene"
    press(app, pygame.K_RETURN)
    counting = app.screen
    for i in range(len(counting.offered)):
        type_count(app, i, 7 if i < 2 else i)
    assert problems_of(app.screen, size) == [], "vote"
    app.screenshot(ARTIFACTS / f"vote-{size[0]}x{size[1]}-{lang}.png")
    press(app, pygame.K_RETURN)
    assert app.screen.deciding
    assert problems_of(app.screen, size) == [], "tie"
    app.screenshot(ARTIFACTS / f"tie-{size[0]}x{size[1]}-{lang}.png")
    app.stop_class()
