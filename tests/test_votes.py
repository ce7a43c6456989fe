"""Votes from phones (game/classroom/votes.py): the server's rules, a load of 60 phones, and a real browser
that votes through the page over loopback (Chromium, driven with the DevTools protocol)."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")

from game.classroom import votes as V  # noqa: E402
from game.classroom.votes import VoteServer, VoteServerError  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHOICES = [("deuren", "A", "Ga langs de deuren"), ("inloop", "B", "Organiseer een inloopavond"),
           ("bellen", "C", "Bel de gebiedsmanager")]


@pytest.fixture
def server():
    srv = VoteServer(lang="nl", port=0, code="2468").start()
    yield srv
    srv.stop()


def run(coro):
    return asyncio.run(coro)


def base(srv: VoteServer) -> str:
    return f"http://127.0.0.1:{srv.port}"


def phone() -> "aiohttp.ClientSession":
    # unsafe=True: keep cookies of an IP-address host (127.0.0.1), as a phone's browser does
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def join(session, srv: VoteServer) -> None:
    async with session.get(base(srv) + "/") as r:
        assert r.status == 200
        await r.read()


async def vote(session, srv: VoteServer, choice: str, code=None, round_id=None, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(
        {"code": srv.code if code is None else code, "round": srv.round_id if round_id is None else round_id,
         "choice": choice}).encode()
    async with session.post(base(srv) + "/vote", data=body, headers={"Content-Type": "application/json"}) as r:
        try:
            data = await r.json(content_type=None)
        except ValueError:
            data = None
        return r.status, data


async def state(session, srv: VoteServer, code=None):
    async with session.get(base(srv) + "/state", params={"c": srv.code if code is None else code}) as r:
        return r.status, await r.json(content_type=None)


# -- the rules ---------------------------------------------------------------------------------------
def test_a_vote_counts_once_and_a_repeat_is_refused(server):
    rid = server.open_round(CHOICES)

    async def go():
        async with phone() as s:
            await join(s, server)
            assert await state(s, server) == (200, {"round": rid, "open": True, "voted": False, "choices": [
                {"id": i, "letter": letter, "text": t} for i, letter, t in CHOICES]})
            assert await vote(s, server, "inloop") == (200, {"ok": True, "choice": "inloop"})
            status, data = await vote(s, server, "bellen")
            assert status == 409 and data["error"] == "already_voted" and data["reason"]
            assert (await state(s, server))[1]["voted"] is True
    run(go())
    assert server.tally() == {"deuren": 0, "inloop": 1, "bellen": 0}
    assert server.voters() == 1


def test_each_rejection_has_its_status_and_a_short_reason(server):
    server.open_round(CHOICES)

    async def go():
        async with phone() as s:
            await join(s, server)
            out = {
                "wrong code": await vote(s, server, "deuren", code="0000"),
                "code not a string": await vote(s, server, "deuren", code=2468),
                "unknown choice": await vote(s, server, "staken"),
                "old round": await vote(s, server, "deuren", round_id=server.round_id + 5),
                "garbage": await vote(s, server, "", raw=b"\x00\xffnot json"),
                "a list": await vote(s, server, "", raw=b"[1, 2]"),
                "no choice": await vote(s, server, "", raw=json.dumps({"code": server.code, "round": 1}).encode()),
                "round as bool": await vote(s, server, "", raw=json.dumps(
                    {"code": server.code, "round": True, "choice": "deuren"}).encode()),
                "too big": await vote(s, server, "", raw=b"{" + b" " * 4000 + b"}"),
            }
            async with s.post(base(server) + "/vote", data=_chunks(4000)) as r:  # no Content-Length
                out["too big, chunked"] = (r.status, await r.json(content_type=None))
            async with s.get(base(server) + "/nothing-here") as r:
                out["unknown address"] = (r.status, await r.json(content_type=None))
            out["state, wrong code"] = await state(s, server, code="1111")
        async with phone() as s:  # never opened the page: no device cookie
            out["no cookie"] = await vote(s, server, "deuren")
        async with aiohttp.ClientSession(cookies={V.COOKIE: "0" * 32 + "." + "f" * 32}) as s:
            out["forged cookie"] = await vote(s, server, "deuren")
        return out
    out = run(go())
    expected = {"wrong code": (403, "wrong_code"), "code not a string": (403, "wrong_code"),
                "unknown choice": (422, "unknown_choice"), "old round": (409, "closed"),
                "garbage": (400, "bad_request"), "a list": (400, "bad_request"), "no choice": (400, "bad_request"),
                "round as bool": (400, "bad_request"), "too big": (413, "too_big"),
                "too big, chunked": (413, "too_big"), "unknown address": (404, "http"),
                "state, wrong code": (403, "wrong_code"), "no cookie": (400, "no_device"),
                "forged cookie": (400, "no_device")}
    for name, (status, error) in expected.items():
        got_status, data = out[name]
        assert (got_status, data["error"]) == (status, error), name
        assert 0 < len(data["reason"]) < 100, name  # one short sentence
    assert data["reason"] == "Open de stempagina opnieuw (het cookie ontbreekt)."  # in the class language
    assert server.tally() == {"deuren": 0, "inloop": 0, "bellen": 0}  # none of them counted


async def _chunks(n: int):
    for _ in range(n // 100):
        yield b" " * 100


def test_only_choices_on_offer_in_the_open_round_count(server):
    """A locked choice is never offered, so never in the round; a closed round freezes its tally."""
    first = server.open_round(CHOICES[:2])  # "bellen" is locked in this scene

    async def go():
        async with phone() as a, phone() as b:
            await join(a, server)
            await join(b, server)
            assert (await vote(a, server, "bellen"))[0] == 422
            assert (await vote(a, server, "deuren"))[0] == 200
            frozen = server.close_round()
            assert frozen == {"deuren": 1, "inloop": 0}
            assert (await vote(b, server, "inloop", round_id=first))[1]["error"] == "closed"
            assert (await state(b, server))[1] == {"round": None, "open": False, "choices": [], "voted": False}
            second = server.open_round(CHOICES)
            assert (await vote(b, server, "inloop", round_id=first))[0] == 409  # the old round stays closed
            assert (await vote(a, server, "bellen", round_id=second))[0] == 200  # a new round: a new vote
            return frozen
    frozen = run(go())
    assert server.closed_tally(first) == frozen == {"deuren": 1, "inloop": 0}
    assert server.tally() == {"deuren": 0, "inloop": 0, "bellen": 1}
    assert server.close_round() == {"deuren": 0, "inloop": 0, "bellen": 1}
    assert server.close_round() == {} and server.tally() == {}


def test_too_many_devices_in_a_round_are_refused():
    with VoteServer(port=0, code="1357", max_devices=3) as srv:
        srv.open_round(CHOICES)

        async def go():
            statuses = []
            for _ in range(5):
                async with phone() as s:
                    await join(s, srv)
                    status, data = await vote(s, srv, "deuren")
                    statuses.append((status, data.get("error")))
            return statuses
        assert run(go()) == [(200, None)] * 3 + [(429, "too_many_devices")] * 2
        assert srv.tally()["deuren"] == 3


def test_a_flood_of_wrong_codes_is_slowed_down(server):
    server.open_round(CHOICES)

    async def go():
        async with phone() as s:
            await join(s, server)
            got = [(await vote(s, server, "deuren", code=f"{n:04d}"))[0] for n in range(V.WRONG_CODE_LIMIT + 3)
                   if f"{n:04d}" != server.code]
            right = await vote(s, server, "deuren")
            return got, right
    got, right = run(go())
    assert set(got[:V.WRONG_CODE_LIMIT - 1]) == {403} and got[-1] == 429
    assert right[0] == 200  # the right code still works


def test_closed_rounds_kept_are_capped():
    with VoteServer(port=0, max_rounds=3) as srv:
        ids = []
        for _ in range(5):
            ids.append(srv.open_round(CHOICES))
            srv.close_round()
        assert srv.closed_tally(ids[0]) is None and srv.closed_tally(ids[1]) is None
        assert srv.closed_tally(ids[4]) == {"deuren": 0, "inloop": 0, "bellen": 0}
        assert len(srv._closed) == 3


def test_the_page_is_self_contained_and_speaks_the_class_language(server):
    async def go(srv):
        async with phone() as s:
            async with s.get(base(srv) + "/?c=" + srv.code) as r:
                return r.status, dict(r.headers), await r.text(), r.cookies
    for lang, words in (("nl", "Wacht op de volgende vraag"), ("en", "Waiting for the next question")):
        with VoteServer(lang=lang, port=0) as srv:
            status, headers, html, cookies = run(go(srv))
            assert status == 200 and words in html and f'<html lang="{lang}">' in html
            assert "http://" not in html and "https://" not in html and "src=" not in html  # nothing from outside
            assert "default-src 'none'" in headers["Content-Security-Policy"]
            morsel = cookies[V.COOKIE]
            assert morsel["httponly"] and morsel["samesite"] == "Strict" and len(morsel.value) == 65


def test_stop_frees_the_port_and_a_taken_port_falls_back(monkeypatch):
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        monkeypatch.setattr(V, "DEFAULT_PORT", port)
        srv = VoteServer().start()  # the default port is taken: any free one
        assert srv.running and srv.port not in (None, port)
        with pytest.raises(VoteServerError) as err:  # a port asked for by name: no silent fallback
            VoteServer(port=port).start()
        assert str(err.value) == f"Poort {port} is al in gebruik; kies een andere met --port, of laat --port weg."
    finally:
        taken.close()
    used = srv.port
    srv.stop()
    srv.stop()  # twice is fine
    assert not srv.running
    again = socket.socket()
    try:
        again.bind(("0.0.0.0", used))  # free again
    finally:
        again.close()


def test_the_room_address_is_found_without_sending_anything(monkeypatch):
    addr = V.room_address()
    assert addr is None or (not addr.startswith("127.") and socket.inet_aton(addr))

    class NoNetwork:
        def __init__(self, *a):
            pass

        def connect(self, where):
            raise OSError("Network is unreachable")

        def close(self):
            pass
    with monkeypatch.context() as m:
        m.setattr(V.socket, "socket", NoNetwork)
        assert V.room_address() is None
    monkeypatch.setattr(V, "room_address", lambda: None)
    srv = VoteServer(port=0).start()
    try:
        assert srv.url is None and srv.short_url is None  # no room network: the projector says so
    finally:
        srv.stop()


def test_the_projector_sees_the_address_and_the_code_in_the_url(monkeypatch):
    monkeypatch.setattr(V, "room_address", lambda: "192.0.2.10")
    with VoteServer(port=0, code="0042") as srv:
        assert srv.url == f"http://192.0.2.10:{srv.port}/?c=0042"
        assert srv.short_url == f"http://192.0.2.10:{srv.port}"
    assert len(VoteServer().code) == 4 and VoteServer().code.isdigit()


# -- 60 phones at once -----------------------------------------------------------------------------
async def sixty_phones(srv: VoteServer, phones: int = 60, seed: int = 7) -> dict:
    """60 phones vote at once; each also repeats its vote, and some send a wrong code, an unknown
    choice or garbage first. Returns what they expect to be counted and what they were told."""
    rng = random.Random(seed)
    ids = [c[0] for c in CHOICES]
    plan = [rng.choice(ids) for _ in range(phones)]
    told: dict[str, list] = {"valid": [], "repeat": [], "wrong": [], "unknown": [], "garbage": []}
    timings: list[float] = []
    start = asyncio.Event()

    async def one(i: int, choice: str) -> None:
        async with phone() as s:
            await join(s, srv)
            await start.wait()

            async def timed(coro):
                t = time.perf_counter()
                out = await coro
                timings.append(time.perf_counter() - t)
                return out
            if i % 4 == 0:
                told["wrong"].append((await timed(vote(s, srv, choice, code="9999" if srv.code != "9999" else "1111")))[0])
            if i % 5 == 0:
                told["unknown"].append((await timed(vote(s, srv, "staken")))[0])
            if i % 6 == 0:
                told["garbage"].append((await timed(vote(s, srv, "", raw=b'{"code": ')))[0])
            await timed(state(s, srv))
            told["valid"].append((await timed(vote(s, srv, choice)))[0])
            told["repeat"].append((await timed(vote(s, srv, rng.choice(ids))))[0])

    tasks = [asyncio.create_task(one(i, c)) for i, c in enumerate(plan)]
    await asyncio.sleep(0.2)
    start.set()
    await asyncio.gather(*tasks)
    expected = {cid: plan.count(cid) for cid in ids}
    return {"expected": expected, "told": told, "timings": timings}


def test_sixty_phones_at_once_lose_no_vote_and_count_none_twice(server):
    server.open_round(CHOICES)
    out = run(sixty_phones(server))
    told = out["told"]
    assert told["valid"] == [200] * 60
    assert told["repeat"] == [409] * 60
    assert set(told["wrong"]) == {403} and set(told["unknown"]) == {422} and set(told["garbage"]) == {400}
    assert server.tally() == out["expected"] and sum(server.tally().values()) == 60
    assert server.voters() == 60


# -- a real browser --------------------------------------------------------------------------------
def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture
def chromium():
    """A headless Chromium with a DevTools port. Without one: skipped on a developer's machine,
    a failure in CI (CI must run this test)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed, and CI must run the browser test (.ci/run installs it)")
        pytest.skip("Chromium is not installed (CI installs it)")
    # Chromium's helper processes may still write into the profile while it closes: never fail on cleanup
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = Browser(path, profile)
        try:
            yield browser
        finally:
            browser.close()


class Browser:
    """Chromium --headless=new with --remote-debugging-port=0; the port is read from the profile."""

    def __init__(self, path: str, profile: str, size: tuple[int, int] = (390, 844)):
        args = [path, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--window-size={size[0]},{size[1]}", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marker = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (marker.exists() and marker.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        self.port = int(marker.read_text().split()[0])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Page:
    """One tab, spoken to with the Chrome DevTools Protocol over a websocket."""

    def __init__(self, ws):
        self.ws = ws
        self.n = 0

    @classmethod
    async def open(cls, session, browser: Browser) -> "Page":
        async with session.get(f"http://127.0.0.1:{browser.port}/json/list") as r:
            targets = await r.json(content_type=None)
        page = next(t for t in targets if t.get("type") == "page")
        ws = await session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        return cls(ws)

    async def send(self, method: str, **params):
        self.n += 1
        n = self.n
        await self.ws.send_json({"id": n, "method": method, "params": params})
        while True:
            msg = await asyncio.wait_for(self.ws.receive_json(), 20)
            if msg.get("id") == n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def js(self, expression: str):
        res = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return res.get("result", {}).get("value")

    async def wait_for(self, expression: str, seconds: float = 15):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = await self.js(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"the page never showed: {expression}; it says {await self.js('document.body.innerText')!r}")

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (pressed and released)."""
        box = await self.wait_for(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                                  " if (!e) return null; e.scrollIntoView({block: 'center'});"
                                  " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    async def screenshot(self, path: Path) -> Path:
        data = await self.send("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path


async def browser_votes(browser: Browser, srv: VoteServer, url: str, shot: Path | None = None) -> str:
    async with aiohttp.ClientSession() as session:
        page = await Page.open(session, browser)
        await page.send("Page.enable")
        await page.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        await page.send("Page.navigate", url=url)
        await page.wait_for("document.readyState === 'complete'")
        if await page.wait_for("(() => !document.getElementById('join').hidden"
                               " || document.querySelectorAll('button.choice').length > 0)()"):
            if await page.js("!document.getElementById('join').hidden"):  # the page asks for the code
                await page.click("#code")
                await page.send("Input.insertText", text=srv.code)
                await page.click("#go")
        await page.wait_for("document.querySelectorAll('button.choice').length === 3")
        letters = await page.js("[...document.querySelectorAll('button.choice .letter')].map(e => e.textContent)")
        assert letters == ["A", "B", "C"]
        assert await page.js("document.getElementById('join').offsetHeight") == 0  # the code form is gone
        heights = await page.js("[...document.querySelectorAll('button.choice')].map(e => e.offsetHeight)")
        assert min(heights) >= 64  # big tap targets
        if shot is not None:
            await page.screenshot(shot)
        await page.click("button.choice[data-choice='inloop']")
        said = await page.wait_for("(() => { const t = document.getElementById('msg').textContent;"
                                   " return t.includes(': B') ? t : null; })()")
        # the next round is picked up by polling; the vote closes and the page waits again
        srv.close_round()
        await page.wait_for("document.getElementById('msg').textContent.startsWith('Wacht op de volgende vraag')")
        srv.open_round(CHOICES[:2])
        await page.wait_for("document.querySelectorAll('button.choice').length === 2")
        await page.click("button.choice[data-choice='deuren']")
        await page.wait_for("document.getElementById('msg').textContent.includes(': A')")
        await page.ws.close()
        return said


def test_a_real_browser_votes_through_the_page(chromium, server):
    server.open_round(CHOICES)
    said = run(browser_votes(chromium, server, server.local_url(), ARTIFACTS / "votes" / "telefoon.png"))
    assert said == "Je stem is geteld: B"
    assert server.closed_tally(server.round_id - 1) == {"deuren": 0, "inloop": 1, "bellen": 0}
    assert server.tally() == {"deuren": 1, "inloop": 0}


def test_a_real_browser_gives_the_code_when_the_address_has_none(chromium, server):
    server.open_round(CHOICES)
    run(browser_votes(chromium, server, f"http://127.0.0.1:{server.port}/"))
    assert server.tally() == {"deuren": 1, "inloop": 0}


# -- the command -----------------------------------------------------------------------------------
def test_the_class_command_says_what_is_wrong_in_one_sentence(capsys, monkeypatch, example_path):
    from game.cli import main

    assert main(["class", str(example_path), "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "Error: --port moet een getal van 1 tot 65535 zijn, niet 70000"
    assert main(["--lang", "en", "class", str(example_path), "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "Error: --port must be a number from 1 to 65535, not 70000"
    assert main(["class", "nope.yaml"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().endswith("Het scenario heeft fouten; los ze eerst op.")
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        assert main(["class", str(example_path), "--port", str(port)]) == 1
    finally:
        taken.close()
    assert capsys.readouterr().err.strip() == (
        f"Error: Poort {port} is al in gebruik; kies een andere met --port, of laat --port weg.")


def test_the_class_command_starts_the_window_with_the_server_or_without_phones(capsys, monkeypatch, example_path):
    import game.ui.app as ui
    from game.cli import main

    seen = []

    def fake_run_class(path, server=None, lang=None, seed=None):
        seen.append((path, server is not None and server.running, lang, seed))
        if server is not None:
            server.stop()
        return 0
    monkeypatch.setattr(ui, "run_class", fake_run_class)
    monkeypatch.setattr(V, "room_address", lambda: "192.0.2.10")
    assert main(["class", str(example_path), "--lang", "en", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Voting by phone: http://192.0.2.10:") and "(code " in out
    assert main(["class", str(example_path), "--no-phones"]) == 0
    monkeypatch.setattr(V, "room_address", lambda: None)
    assert main(["class", str(example_path)]) == 0
    err = capsys.readouterr().err
    assert err.strip() == "Geen netwerk gevonden, dus telefoons kunnen niet stemmen; je typt de aantallen zelf in."
    assert seen == [(str(example_path), True, "en", 5), (str(example_path), False, "nl", None),
                    (str(example_path), False, "nl", None)]
