"""Answer times of the vote server under a class of phones (prints figures; no asserts).

    .venv/bin/python bench/bench_votes.py                 # 60 phones, 20 rounds
    .venv/bin/python bench/bench_votes.py --phones 200 --rounds 5

The server runs in a process of its own, as beside the projector's window (its event loop in a
background thread); the phones are aiohttp clients in this process. In every round all phones
vote at once: each opens the page (the first round only), asks for the round, votes, and votes
again (409); every 4th also sends a wrong code, every 5th an unknown choice, every 6th garbage.
Printed: p50, p99 and max over every answer, and over the votes alone. Target: p99 within 200 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHOICES = [("deuren", "A", "Ga langs de deuren"), ("inloop", "B", "Organiseer een inloopavond"),
           ("bellen", "C", "Bel de gebiedsmanager"), ("wachten", "D", "Wacht af")]
TARGET_P99 = 0.200


def serve(conn) -> None:
    """The child process: a vote server, opening and closing rounds when told."""
    from game.classroom.votes import VoteServer

    srv = VoteServer(port=0, code="2468").start()
    conn.send(srv.port)
    while True:
        cmd = conn.recv()
        if cmd == "open":
            conn.send(srv.open_round(CHOICES))
        elif cmd == "close":
            conn.send(srv.close_round())
        else:
            srv.stop()
            conn.send(None)
            return


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


async def class_of(port: int, phones: int, rounds: int, conn) -> tuple[dict[str, list[float]], int, int]:
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    times: dict[str, list[float]] = {"all": [], "vote": []}
    lost = twice = 0
    rng = random.Random(1)
    sessions = [  # each phone its own session: its own cookie and connection
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(phones)]
    try:
        for s in sessions:
            async with s.get(base + "/") as r:
                await r.read()
        for _ in range(rounds):
            conn.send("open")
            rid = conn.recv()
            plan = [rng.choice(CHOICES)[0] for _ in range(phones)]
            go = asyncio.Event()

            async def timed(kind: str, coro):
                t = time.perf_counter()
                async with coro as r:
                    await r.read()
                    status = r.status
                dt = time.perf_counter() - t
                times["all"].append(dt)
                if kind == "vote":
                    times["vote"].append(dt)
                return status

            async def phone(i: int, s, choice: str) -> int:
                await go.wait()
                post = lambda body: s.post(base + "/vote", data=body)  # noqa: E731
                if i % 4 == 0:
                    await timed("bad", post(json.dumps({"code": "0000", "round": rid, "choice": choice})))
                if i % 5 == 0:
                    await timed("bad", post(json.dumps({"code": "2468", "round": rid, "choice": "staken"})))
                if i % 6 == 0:
                    await timed("bad", post(b'{"code": '))
                await timed("state", s.get(base + "/state", params={"c": "2468"}))
                ok = await timed("vote", post(json.dumps({"code": "2468", "round": rid, "choice": choice})))
                await timed("vote", post(json.dumps({"code": "2468", "round": rid, "choice": choice})))
                return ok

            tasks = [asyncio.create_task(phone(i, s, c)) for i, (s, c) in enumerate(zip(sessions, plan))]
            await asyncio.sleep(0.05)
            go.set()
            oks = await asyncio.gather(*tasks)
            conn.send("close")
            tally = conn.recv()
            want = {cid: plan.count(cid) for cid, _l, _t in CHOICES}
            lost += sum(max(0, want[c] - tally.get(c, 0)) for c in want) + oks.count(0)
            twice += sum(max(0, tally.get(c, 0) - want[c]) for c in want)
    finally:
        for s in sessions:
            await s.close()
    return times, lost, twice


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=60)
    p.add_argument("--rounds", type=int, default=20)
    args = p.parse_args()
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}; "
          f"{args.phones} phones at once, {args.rounds} rounds")
    parent, child = mp.Pipe()
    proc = mp.Process(target=serve, args=(child,), daemon=True)
    proc.start()
    try:
        port = parent.recv()
        times, lost, twice = asyncio.run(class_of(port, args.phones, args.rounds, parent))
    finally:
        parent.send("stop")
        parent.recv()
        proc.join(10)
    for name, xs in (("every answer", times["all"]), ("votes", times["vote"])):
        print(f"{name:>13}: n={len(xs):5d}  p50 {pct(xs, 50) * 1000:6.1f} ms  p99 {pct(xs, 99) * 1000:6.1f} ms  "
              f"max {max(xs) * 1000:6.1f} ms")
    p99 = pct(times["all"], 99)
    print(f"target p99 <= {TARGET_P99 * 1000:.0f} ms: {'met' if p99 <= TARGET_P99 else 'NOT met'}; "
          f"votes lost: {lost}, counted twice: {twice}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
