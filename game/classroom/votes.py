"""Votes from phones: a small web server for a class that plays one game together on the projector.

While a class runs, :class:`VoteServer` listens on the room's network (all interfaces, port 8765 or
a free one) and serves one self-contained page to phones. A student opens the address (a QR code on
the projector), gives the 4-digit join code when the address did not carry it, and taps a choice.
The projector reads the tally live; the trainer closes each round.

Safe by design:

* it listens only while a class runs (``start``/``stop``, or ``with VoteServer(...)``);
* every request needs the join code (wrong code: 403; after many wrong codes a minute: 429);
* a device is a random token in a cookie the server signs (HMAC): no account, no personal data,
  no IP address kept (the access log is off);
* one vote per device per round, only for a choice on offer in the round that is open now;
* every refusal is an HTTP status with a short JSON reason: 400 bad body, 403 wrong code,
  404 unknown address, 409 closed round or repeat vote, 413 body too big, 422 unknown choice,
  429 too many devices (or wrong codes);
* memory is bounded: devices per round, body size and the number of rounds kept are capped.

aiohttp runs its event loop in a background thread; the window calls the thread-safe methods
(``open_round``, ``close_round``, ``tally`` ...). No pygame here.
"""
from __future__ import annotations

import asyncio
import errno
import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Optional

from game.i18n import gettext
from game.palette import PHONE_DARK, THEMES

DEFAULT_PORT = 8765
MAX_BODY = 1024  # bytes: a vote is about 60
MAX_DEVICES = 300  # devices that may vote in one round (a class of 25, a lecture hall of 200)
MAX_ROUNDS = 100  # closed rounds kept (their tallies); older ones are forgotten
WRONG_CODE_LIMIT = 120  # wrong join codes per minute before every wrong try is answered with 429
COOKIE = "tm_device"
COOKIE_MAX_AGE = 12 * 3600
POLL_MS = 1500  # how often the phone page asks for the round


class VoteServerError(Exception):
    """The vote server cannot run (the port is taken, no network ...); the message is one sentence."""


@dataclass
class Round:
    id: int
    choices: list[dict[str, str]]  # {"id", "letter", "text"}: only the choices on offer
    open: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    voters: set[str] = field(default_factory=set)  # device tokens that voted (this round only)

    def __post_init__(self) -> None:
        self.counts = {c["id"]: 0 for c in self.choices}


def room_address() -> Optional[str]:
    """The address of this machine on the room's network, or None when there is none.

    The UDP-connect trick: connecting a datagram socket sends nothing, but makes the system pick
    the interface (and so the address) it would route through."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, no packet leaves
        addr = s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()
    if not addr or addr.startswith("127.") or addr == "0.0.0.0":
        return None
    return addr


def _json(status: int, **data: Any):
    from aiohttp import web

    return web.Response(status=status, body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
                        content_type="application/json", headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
        "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class VoteServer:
    """The class's vote server. ``start()`` binds and returns; ``stop()`` frees the port."""

    def __init__(self, lang: str = "nl", port: Optional[int] = None, host: str = "0.0.0.0",
                 max_devices: int = MAX_DEVICES, max_rounds: int = MAX_ROUNDS, code: Optional[str] = None):
        self.lang = lang if lang in ("nl", "en") else "nl"
        self.want_port = port  # None: 8765, or any free port when that is taken
        self.host = host
        self.max_devices = max_devices
        self.code = code or f"{secrets.randbelow(10000):04d}"
        self.port: Optional[int] = None
        self.address: Optional[str] = None  # the room address (None: no network, only this machine)
        self._secret = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._round: Optional[Round] = None
        self._closed: deque[Round] = deque(maxlen=max_rounds)
        self._next_id = 1
        self.version = 0  # goes up at every vote, open and close: the window redraws when it changes
        self._wrong: deque[float] = deque(maxlen=WRONG_CODE_LIMIT)
        self._state_cache: dict[tuple[int, bool], bytes] = {}
        self._page: Optional[bytes] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner = None

    # -- life ------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "VoteServer":
        """Bind and serve in a background thread. Raises :class:`VoteServerError` in one sentence."""
        if self.running:
            return self
        self.address = room_address()
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def main() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._bind())
            except BaseException as err:  # noqa: BLE001 - handed to start() as one sentence
                failure.append(err)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                try:
                    loop.run_until_complete(self._runner.cleanup())
                except Exception:  # noqa: BLE001 - stopping: nothing left to tell
                    pass
                loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=main, name="tegenmacht-votes", daemon=True)
        self._thread.start()
        if not ready.wait(15):
            self.stop()
            raise VoteServerError(self._("The vote server did not start in time."))
        if failure:
            self._thread.join(5)
            self._thread = None
            raise VoteServerError(self._bind_sentence(failure[0]))
        return self

    def _bind_sentence(self, err: BaseException) -> str:
        if isinstance(err, OSError) and err.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            return self._("Port {port} is already in use; choose another with --port, or leave --port out.",
                          port=self.want_port)
        if isinstance(err, OSError) and err.errno in (errno.EACCES, errno.EPERM):
            return self._("Port {port} may not be used by this program; choose a port above 1024 with --port.",
                          port=self.want_port)
        return self._("The vote server could not start ({reason}).", reason=str(err) or type(err).__name__)

    async def _bind(self) -> None:
        from aiohttp import web

        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._errors()])
        app.router.add_get("/", self._page_handler)
        app.router.add_get("/state", self._state_handler)
        app.router.add_post("/vote", self._vote_handler)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)  # no access log: no IPs kept
        await runner.setup()
        ports = [self.want_port] if self.want_port is not None else [DEFAULT_PORT, 0]
        last: Optional[OSError] = None
        for port in ports:
            site = web.TCPSite(runner, self.host, port, backlog=256)
            try:
                await site.start()
            except OSError as err:
                last = err
                continue
            self._runner = runner
            self.port = site._server.sockets[0].getsockname()[1]  # the port really bound (0 -> a free one)
            return
        await runner.cleanup()
        raise last  # type: ignore[misc]

    def stop(self) -> None:
        """Stop listening and free the port (safe to call twice, or after a failed start)."""
        loop, thread = self._loop, self._thread
        self._thread = None
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
        self._loop = None

    def __enter__(self) -> "VoteServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- what the projector shows -----------------------------------------------------------------
    def _(self, msgid: str, **kw: Any) -> str:
        return gettext(msgid, self.lang, **kw)

    @property
    def url(self) -> Optional[str]:
        """The address phones open (with the join code in it), or None without a room network."""
        if self.address is None or self.port is None:
            return None
        return f"http://{self.address}:{self.port}/?c={self.code}"

    @property
    def short_url(self) -> Optional[str]:
        """The address to type by hand (the page then asks for the code)."""
        if self.address is None or self.port is None:
            return None
        return f"http://{self.address}:{self.port}"

    def local_url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/?c={self.code}"

    # -- rounds (called from the window's thread) ---------------------------------------------------
    def open_round(self, choices: list[tuple[str, str, str]]) -> int:
        """Open a new round for ``choices`` ((id, letter, text) of the choices on offer); any round
        still open is closed first. Returns the round's id."""
        with self._lock:
            if self._round is not None:
                self._retire()
            rnd = Round(self._next_id, [{"id": str(i), "letter": str(letter), "text": str(text)}
                                        for i, letter, text in choices])
            self._next_id += 1
            self._round = rnd
            self.version += 1
            return rnd.id

    def _retire(self) -> None:
        rnd = self._round
        if rnd is not None:
            rnd.open = False
            rnd.voters = set()  # the tokens are no longer needed once the round is closed
            self._closed.append(rnd)
            self._round = None
            self._state_cache.clear()

    def close_round(self) -> dict[str, int]:
        """Close the open round; its tally is frozen and returned (choice id -> votes)."""
        with self._lock:
            rnd = self._round
            if rnd is None:
                return {}
            counts = dict(rnd.counts)
            self._retire()
            self.version += 1
            return counts

    def tally(self) -> dict[str, int]:
        """The votes of the open round so far (empty when no round is open)."""
        with self._lock:
            return dict(self._round.counts) if self._round is not None else {}

    def voters(self) -> int:
        with self._lock:
            return len(self._round.voters) if self._round is not None else 0

    def closed_tally(self, round_id: int) -> Optional[dict[str, int]]:
        with self._lock:
            for rnd in self._closed:
                if rnd.id == round_id:
                    return dict(rnd.counts)
        return None

    @property
    def round_id(self) -> Optional[int]:
        with self._lock:
            return self._round.id if self._round is not None else None

    # -- the device token ---------------------------------------------------------------------------
    def _sign(self, raw: str) -> str:
        return hmac.new(self._secret, raw.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def new_token(self) -> str:
        raw = secrets.token_hex(16)
        return f"{raw}.{self._sign(raw)}"

    def _device(self, request) -> Optional[str]:
        token = request.cookies.get(COOKIE, "")
        raw, _, sig = token.partition(".")
        if len(raw) != 32 or not hmac.compare_digest(sig, self._sign(raw) if raw.isascii() else ""):
            return None
        return token

    def _code_ok(self, code: Any) -> bool:
        return isinstance(code, str) and hmac.compare_digest(code.encode("utf-8"), self.code.encode("ascii"))

    def _wrong_code(self):
        """A wrong join code: 403, or 429 once too many wrong codes came in the last minute."""
        now = time.monotonic()
        with self._lock:
            self._wrong.append(now)
            flood = len(self._wrong) == self._wrong.maxlen and now - self._wrong[0] < 60
        if flood:
            return _json(429, error="too_many_wrong_codes", reason=self._("Too many wrong codes; wait a minute."))
        return _json(403, error="wrong_code", reason=self._("That is not the join code on the projector."))

    # -- handlers (the event loop's thread) ---------------------------------------------------------
    def _errors(self):
        from aiohttp import web

        @web.middleware
        async def errors(request, handler):
            try:
                return await handler(request)
            except web.HTTPException as exc:  # 404, 405, 413 from aiohttp itself: JSON too
                if exc.status == 413:
                    return _json(413, error="too_big", reason=self._("The request is too big."))
                return _json(exc.status, error="http", reason=exc.reason)
        return errors

    async def _page_handler(self, request):
        from aiohttp import web

        if self._page is None:
            self._page = phone_page(self.lang).encode("utf-8")
        headers = {**_NO_STORE, "Content-Security-Policy": _CSP}
        resp = web.Response(body=self._page, content_type="text/html", charset="utf-8", headers=headers)
        if self._device(request) is None:
            resp.set_cookie(COOKIE, self.new_token(), max_age=COOKIE_MAX_AGE, httponly=True, samesite="Strict",
                            path="/")
        return resp

    async def _state_handler(self, request):
        from aiohttp import web

        if not self._code_ok(request.query.get("c")):
            return self._wrong_code()
        device = self._device(request)
        with self._lock:
            rnd = self._round
            key = (rnd.id, True) if rnd is not None else (0, False)
            body = self._state_cache.get(key)
            if body is None:  # the round's part is made once per round: polling stays cheap
                data = {"round": rnd.id, "open": True, "choices": rnd.choices} if rnd is not None else {
                    "round": None, "open": False, "choices": []}
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")[:-1]
                self._state_cache[key] = body
            voted = rnd is not None and device is not None and device in rnd.voters
        return web.Response(body=body + (b',"voted":true}' if voted else b',"voted":false}'),
                            content_type="application/json", headers=_NO_STORE)

    async def _vote_handler(self, request):
        length = request.content_length
        if length is not None and length > MAX_BODY:
            return _json(413, error="too_big", reason=self._("The request is too big."))
        raw = b""
        while len(raw) <= MAX_BODY:  # a chunked body has no length: read no more than one byte too many
            chunk = await request.content.read(MAX_BODY + 1 - len(raw))
            if not chunk:
                break
            raw += chunk
        if len(raw) > MAX_BODY:
            return _json(413, error="too_big", reason=self._("The request is too big."))
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError
            code, round_id, choice = data.get("code"), data.get("round"), data.get("choice")
            if not isinstance(choice, str) or isinstance(round_id, bool) or not isinstance(round_id, int):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return _json(400, error="bad_request", reason=self._("The vote could not be read."))
        if not self._code_ok(code):
            return self._wrong_code()
        device = self._device(request)
        if device is None:
            return _json(400, error="no_device", reason=self._("Open the voting page again (its cookie is missing)."))
        with self._lock:
            rnd = self._round
            if rnd is None or rnd.id != round_id:
                return _json(409, error="closed", reason=self._("This vote is closed."))
            if device in rnd.voters:
                return _json(409, error="already_voted", reason=self._("You have already voted in this round."))
            if choice not in rnd.counts:
                return _json(422, error="unknown_choice", reason=self._("That choice is not on offer."))
            if len(rnd.voters) >= self.max_devices:
                return _json(429, error="too_many_devices", reason=self._("Too many phones vote at once."))
            rnd.voters.add(device)
            rnd.counts[choice] += 1
            self.version += 1
        return _json(200, ok=True, choice=choice)


def phone_page(lang: str) -> str:
    """The one page phones load: HTML, CSS and script in one file, no external resource."""
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731
    words = {
        "title": _("Vote"), "code": _("Join code"), "join": _("Join"), "codeHint": _("The 4 digits on the projector"),
        "wait": _("Waiting for the next question…"), "pick": _("Tap your choice"),
        "counted": _("Your vote counts: {letter}"), "already": _("You have already voted in this round."),
        "closed": _("This vote is closed."), "wrong": _("That is not the join code on the projector."),
        "offline": _("No connection with the projector; trying again…"), "sending": _("Sending…"),
    }
    return (_PAGE.replace("__LANG__", lang).replace("__TITLE__", _html(words["title"]))
            .replace("__WORDS__", json.dumps(words, ensure_ascii=False).replace("<", "\\u003c"))
            .replace("__POLL__", str(POLL_MS)).replace("__COLOURS__", _colours()))


def _colours() -> str:
    """CSS variables from game.palette: the window's light theme, and a dark one for phones set to dark."""
    def block(c: dict[str, str]) -> str:
        return "".join(f"--{k}:{v};" for k, v in c.items())

    light = THEMES["normal"]
    day = {"bg": light["background"], "panel": light["panel"], "text": light["text"], "muted": light["muted"],
           "border": light["border"], "accent": light["accent"], "focus": light["focus"], "on-accent": light["panel"]}
    return (":root{" + block(day) + "}\n@media (prefers-color-scheme: dark){:root{" + block(PHONE_DARK) + "}}")


def _html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_PAGE = """<!doctype html>
<html lang="__LANG__"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tegenmacht · __TITLE__</title>
<style>
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text);
font-size:20px;line-height:1.35}
main{max-width:560px;margin:0 auto;padding:20px 16px 32px}
h1{font-size:22px;margin:0 0 16px;color:var(--muted);font-weight:600}
#msg{font-size:24px;font-weight:600;margin:24px 0;min-height:1.4em}
.choice{display:flex;gap:14px;align-items:center;width:100%;min-height:72px;margin:0 0 14px;padding:16px;
font:inherit;text-align:left;background:var(--panel);color:var(--text);border:2px solid var(--border);border-radius:12px;cursor:pointer}
.choice:active,.choice:focus{border-color:var(--accent);outline:3px solid var(--focus);outline-offset:2px}
.letter{flex:0 0 44px;height:44px;border-radius:22px;background:var(--accent);color:var(--on-accent);font-weight:700;font-size:24px;
display:flex;align-items:center;justify-content:center}
form{display:flex;flex-direction:column;gap:12px}
label{font-weight:600}
input{font:inherit;font-size:36px;letter-spacing:12px;text-align:center;padding:12px;border:2px solid var(--border);
border-radius:12px;width:100%}
.go{font:inherit;font-weight:700;min-height:64px;border:0;border-radius:12px;background:var(--accent);color:var(--on-accent)}
.muted{color:var(--muted);font-size:18px}
input{background:var(--panel);color:var(--text)}
__COLOURS__
</style></head>
<body><main>
<h1>Tegenmacht · __TITLE__</h1>
<form id="join" hidden><label for="code"></label>
<input id="code" inputmode="numeric" pattern="[0-9]*" maxlength="4" autocomplete="off">
<div class="muted" id="codeHint"></div><button class="go" id="go" type="submit"></button></form>
<div id="msg" role="status" aria-live="polite"></div>
<div id="choices"></div>
</main>
<script>
"use strict";
const W = __WORDS__;
const POLL = __POLL__;
const $ = (id) => document.getElementById(id);
let code = new URLSearchParams(location.search).get("c") || sessionStorage.getItem("tm_code") || "";
let round = null, shown = null, mine = null, busy = false, timer = null;
$("join").querySelector("label").textContent = W.code;
$("codeHint").textContent = W.codeHint;
$("go").textContent = W.join;
function say(t){ $("msg").textContent = t; }
function askCode(wrong){
  $("join").hidden = false; $("choices").replaceChildren(); round = null; shown = null;
  say(wrong ? W.wrong : "");
  $("code").focus();
}
$("join").addEventListener("submit", (e) => {
  e.preventDefault(); code = $("code").value.trim(); $("join").hidden = true; say(W.wait); poll();
});
function draw(st){
  const box = $("choices");
  if (!st.open){ box.replaceChildren(); shown = null; say(W.wait); return; }
  if (st.voted){ box.replaceChildren(); shown = null; say(mine ? W.counted.replace("{letter}", mine) : W.already); return; }
  if (shown === st.round) return;
  shown = st.round; box.replaceChildren(); say(W.pick);
  for (const c of st.choices){
    const b = document.createElement("button");
    b.className = "choice"; b.type = "button"; b.dataset.choice = c.id;
    const l = document.createElement("span"); l.className = "letter"; l.textContent = c.letter;
    const t = document.createElement("span"); t.textContent = c.text;
    b.append(l, t); b.addEventListener("click", () => vote(c)); box.append(b);
  }
}
async function poll(){
  clearTimeout(timer);
  if (!code){ askCode(false); return; }
  try {
    const r = await fetch("/state?c=" + encodeURIComponent(code), {cache: "no-store", credentials: "same-origin"});
    if (r.status === 403){ sessionStorage.removeItem("tm_code"); code = ""; askCode(true); return; }
    if (r.ok){
      sessionStorage.setItem("tm_code", code);
      const st = await r.json();
      if (st.round !== round){ round = st.round; mine = null; shown = null; }
      if (!busy) draw(st);
    } else { say(W.offline); }
  } catch (e) { say(W.offline); }
  timer = setTimeout(poll, document.hidden ? POLL * 3 : POLL);
}
async function vote(c){
  if (busy) return; busy = true; say(W.sending);
  try {
    const r = await fetch("/vote", {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({code, round, choice: c.id})});
    const res = await r.json().catch(() => ({}));
    if (r.ok){ mine = c.letter; $("choices").replaceChildren(); shown = null; say(W.counted.replace("{letter}", c.letter)); }
    else if (r.status === 403){ code = ""; askCode(true); }
    else if (res.error === "already_voted" || res.error === "closed"){
      $("choices").replaceChildren(); shown = null; say(res.error === "closed" ? W.closed : W.already); }
    else { say(res.reason || W.offline); }
  } catch (e) { say(W.offline); }
  busy = false;
}
document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(); });
poll();
</script></body></html>
"""
