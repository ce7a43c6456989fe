"""Projector mode: one game played by a whole class, which votes at every choice.

* :class:`ClassSetupScreen` — "Klassikaal spelen" from the title: pick a scenario, phones on or off.
* :class:`ClassSceneScreen` — the scene as usual, its choices labelled A, B, C …; Enter starts the vote.
* :class:`VoteScreen` — the vote: the trainer types the counts (digits, + and −, or the mouse), or
  the class votes from phones (the QR code, the address and the join code; the tally live). Enter
  closes the round; the majority goes on, a tie or an empty vote is for the trainer to decide.

The vote spread goes into the session with ``session.choose(choice, votes=counts)`` (see
``App.class_choose``); the coach card comes only after the vote.
"""
from __future__ import annotations

import io
import string
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

import pygame

from game.palette import QR
from game.ui import screens as S
from game.ui.widgets import Button, font, wrap

if TYPE_CHECKING:  # pragma: no cover
    from game.ui.app import App

LETTERS = string.ascii_uppercase
LETTER_KEYS = {getattr(pygame, f"K_{ch.lower()}"): i for i, ch in enumerate(LETTERS)}
DIGIT_KEYS = {getattr(pygame, f"K_{i}"): i for i in range(10)}
DIGIT_KEYS.update({getattr(pygame, f"K_KP{i}"): i for i in range(10)})
PLUS_KEYS = (pygame.K_PLUS, pygame.K_KP_PLUS, pygame.K_EQUALS)
MINUS_KEYS = (pygame.K_MINUS, pygame.K_KP_MINUS)
MAX_COUNT = 999
MINUS = "\u2212"


def letter(i: int) -> str:
    """A, B, … Z, then AA, AB … (a scenario never has that many choices, but it must not break)."""
    return LETTERS[i] if i < len(LETTERS) else LETTERS[i // len(LETTERS) - 1] + LETTERS[i % len(LETTERS)]


@lru_cache(maxsize=8)
def _qr_png(url: str) -> bytes:
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=1, border=2, dark=QR["dark"], light=QR["light"])
    return buf.getvalue()


def qr_surface(url: str, size: int) -> pygame.Surface:
    """The QR code of ``url``, as large as fits in ``size`` pixels with whole pixels per module."""
    surf = pygame.image.load(io.BytesIO(_qr_png(url)), "qr.png")
    n = surf.get_width()
    k = max(1, size // n)
    return pygame.transform.scale(surf, (n * k, n * k))


class SquareButton(Button):
    """A small square button with one sign in its middle (the − and + of a count)."""

    def draw(self, surface: pygame.Surface, style) -> None:
        self.lines = []
        super().draw(surface, style)
        img = style.h2.render(self.label, True, style.c["muted"] if not self.enabled else style.c["text"])
        surface.blit(img, img.get_rect(center=self.rect.center))


def fitting(st, text: str, width: int, start, smallest: Optional[int] = None):
    """``start`` (a bold font) or a smaller bold size in which ``text`` fits on one line of ``width``;
    None when even the small size (or ``smallest`` px) does not fit."""
    if start.size(text)[0] <= width:
        return start
    low = smallest or st.small_bold.get_height()
    size = start.get_height()
    while size > low:
        size -= 1
        f = font(st.fonts["bold"], size)
        if f.size(text)[0] <= width:
            return f
    return None


def decide(counts: dict[str, int]) -> tuple[Optional[str], list[str]]:
    """(the winner, []) when one choice has the most votes, else (None, the tied choices); with no
    votes at all every choice is a candidate."""
    if not counts:
        return None, []
    top = max(counts.values())
    best = [cid for cid, n in counts.items() if n == top]
    if top > 0 and len(best) == 1:
        return best[0], []
    return None, best


# ---------------------------------------------------------------------------------------
class ClassSetupScreen(S.Screen):
    """From the title: which scenario the class plays, and whether phones vote."""

    name = "class_setup"

    def __init__(self, app: "App"):
        super().__init__(app)
        self.phones = True

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        m = st.margin
        self.back_button(area, app.to_title)
        w = min(st.column_width(st.body, area.w - 2 * m), area.w - 2 * m - self.btns[-1].rect.w - st.gap)
        y = self.text(_("Play as a class"), st.h1, c["text"], m, m, w) + st.gap // 2
        y = self.text(_("One game on the projector; the class votes at every choice, and you close each vote."),
                      st.body, c["muted"], m, y, st.column_width(st.body, area.w - 2 * m)) + st.gap
        col = st.column_width(st.body, area.w - 2 * m)
        y = self.text(_("Votes from phones"), st.small_bold, c["muted"], m, y, col) + st.gap // 2
        x = m
        opt_w = min(round(300 * st.scale), (col - st.gap) // 2)
        bottom = y
        for value, label in ((True, _("phones vote")), (False, _("I type the counts"))):
            b = self.button(f"phones:{value}", label, (lambda v=value: self._phones(v)), kind="toggle",
                            selected=self.phones == value)
            bottom = max(bottom, b.place(st, x, y, opt_w))  # the taller of the two (a label may wrap)
            x += opt_w + st.gap
        y = bottom + st.gap
        y = self.text(_("Scenario"), st.small_bold, c["muted"], m, y, col) + st.gap // 2
        y = self.begin_view("list", pygame.Rect(m, y, col, self.hints_top() - st.gap - y))
        for pos, info in enumerate(app.scenario_infos()):
            b = self.button(f"scenario:{pos}", info["title"],
                            (lambda p=info["path"]: app.start_class(p, phones=self.phones)),
                            hint=str(pos + 1) if pos < 9 else "")
            y = b.place(st, m, y, col) + st.gap // 2
        self.end_view(y)
        self.hotkeys = {pygame.K_ESCAPE: app.to_title, pygame.K_t: lambda: self._phones(not self.phones)}
        self.hints = [("1–9", _("play scenario")), ("T", _("phones on or off")), ("Tab", _("next button")),
                      ("Esc", _("back"))]

    def _phones(self, value: bool) -> None:
        self.phones = value
        self.rebuild()


# ---------------------------------------------------------------------------------------
class ClassSceneScreen(S.SceneScreen):
    """The scene for the class: choices labelled A, B, C …; a choice or Enter opens the vote."""

    def choice_buttons(self, col: int) -> list[Button]:
        out = super().choice_buttons(col)
        n = 0
        for b in out:
            if b.id.startswith("choice:"):
                b.hint, b.action = letter(n), self.app.show_vote
                n += 1
        out.append(Button(id="vote", label=self._("Start the vote") + "  (Enter)", action=self.app.show_vote,
                          kind="primary"))
        return out

    def compose(self, area: pygame.Rect) -> None:
        super().compose(area)
        _ = self._
        self.hotkeys[pygame.K_RETURN] = self.app.show_vote
        self.hotkeys[pygame.K_KP_ENTER] = self.app.show_vote
        self.hints = [("Enter", _("start the vote")), ("Esc", _("menu")), ("P", _("power map")),
                      ("H", _("history")), ("Tab", _("next button"))]
        if self.views["scene"].overflow:
            self.hints.insert(1, ("PgDn", _("read on")))

    def handle(self, event: pygame.event.Event) -> bool:
        # Enter starts the vote even with no button focused (the guard against a double press stays)
        if (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
                and self.focus.current is None and self.app.now - self.shown_at >= self.GUARD_SECONDS
                and event.key not in self.stale_keys):
            self.app.show_vote()
            return True
        return super().handle(event)


# ---------------------------------------------------------------------------------------
class VoteScreen(S.Screen):
    """The vote before a choice. Counting (rows with counts), then deciding (a tie or no votes)."""

    name = "vote"
    GUARD_SECONDS = 0.35

    def __init__(self, app: "App"):
        super().__init__(app)
        s = app.session
        self.options = s.offered()
        self.offered = [o.choice for o in self.options if o.available]
        self.locked = [o for o in self.options if not o.available]
        self.letters = {ch.id: letter(i) for i, ch in enumerate(self.offered)}
        self.manual = {ch.id: 0 for ch in self.offered}  # typed counts (with phones: hands on top of phones)
        self.selected = 0
        self.fresh = True  # the next digit replaces the selected count (after selecting a row)
        self.server = app.votes
        self.phone_counts: dict[str, int] = {}
        self.frozen: Optional[dict[str, int]] = None  # the counts when the round was closed
        self.candidates: list[str] = []  # tied choices (or every choice, with no votes) for the trainer
        self.round_id = None
        self._seen = -1
        self.shown_at = app.now
        if self.server is not None:
            self.round_id = self.server.open_round([(ch.id, self.letters[ch.id], self.t(ch.text).strip())
                                                    for ch in self.offered])
            self._seen = self.server.version

    # -- the counts --------------------------------------------------------------------------
    @property
    def deciding(self) -> bool:
        return self.frozen is not None

    def counts(self) -> dict[str, int]:
        if self.frozen is not None:
            return dict(self.frozen)
        return {cid: self.manual[cid] + self.phone_counts.get(cid, 0) for cid in self.manual}

    def add(self, i: int, step: int) -> None:
        if self.deciding or not 0 <= i < len(self.offered):
            return
        cid = self.offered[i].id
        self.selected, self.fresh = i, True
        self.manual[cid] = max(0, min(MAX_COUNT, self.manual[cid] + step))
        self.rebuild()

    def type_digit(self, d: int) -> None:
        if self.deciding or not self.offered:
            return
        cid = self.offered[self.selected].id
        value = d if self.fresh else self.manual[cid] * 10 + d
        self.manual[cid] = min(MAX_COUNT, value)
        self.fresh = False
        self.rebuild()

    def backspace(self) -> None:
        if self.deciding or not self.offered:
            return
        cid = self.offered[self.selected].id
        self.manual[cid] //= 10
        self.fresh = False
        self.rebuild()

    def select(self, i: int) -> None:
        if 0 <= i < len(self.offered):
            self.selected, self.fresh = i, True
            self.rebuild()
            self.reveal_row(i)

    def reveal_row(self, i: int) -> None:
        """Scroll the rows so that row ``i`` is in sight (a letter key may pick a row out of view)."""
        v = self.views.get("rows")
        if v is None or not v.overflow or i >= len(self.row_rects):
            return
        r = self.row_rects[i].move(0, -v.offset)
        if r.top < v.rect.top:
            self.scroll_view("rows", r.top - v.rect.top)
        elif r.bottom > v.rect.bottom:
            self.scroll_view("rows", min(r.bottom - v.rect.bottom, r.top - v.rect.top))

    def close_vote(self) -> None:
        """Close the round: the majority goes on; a tie or no votes go to the trainer."""
        if self.deciding:
            return
        if self.server is not None:
            final = self.server.close_round()
            self.phone_counts = {cid: final.get(cid, 0) for cid in self.manual}
        counts = self.counts()
        self.frozen = counts
        winner, tied = decide(counts)
        if winner is not None:
            self.app.class_choose(winner, counts)
            return
        self.candidates = tied
        self._offsets["rows"] = 0  # the prompt at the top, in sight
        self.focus.clear()
        self.rebuild()

    def pick(self, cid: str) -> None:
        """The trainer breaks a tie (or picks when nobody voted)."""
        if self.deciding and cid in self.candidates:
            self.app.class_choose(cid, dict(self.frozen))

    def cancel(self) -> None:
        if self.server is not None and not self.deciding:
            self.server.close_round()
        self.app.back_to_scene()

    # -- life -----------------------------------------------------------------------------------
    def update(self, dt: float) -> bool:
        srv = self.server
        if srv is None or self.deciding or srv.version == self._seen:
            return False
        self._seen = srv.version
        self.phone_counts = srv.tally()
        self.rebuild()
        return True

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key not in self.stale_keys:
            k = event.key
            if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
                if self.app.now - self.shown_at < self.GUARD_SECONDS:
                    return True
                cur = self.focus.current
                if self.deciding:
                    if cur is not None and cur.id.startswith("pick:"):
                        self.activate(cur)
                    return True
                self.close_vote()  # Enter always closes the vote (Space presses a focused − or +)
                return True
            if k == pygame.K_ESCAPE:
                self.cancel()
                return True
            if k in LETTER_KEYS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
                i = LETTER_KEYS[k]
                if self.deciding:
                    if i < len(self.offered) and self.offered[i].id in self.candidates:
                        self.pick(self.offered[i].id)
                        return True
                elif i < len(self.offered):
                    self.select(i)
                    return True
            if not self.deciding:
                if k in DIGIT_KEYS:
                    self.type_digit(DIGIT_KEYS[k])
                    return True
                if k in PLUS_KEYS or getattr(event, "unicode", "") == "+":
                    self.add(self.selected, 1)
                    return True
                if k in MINUS_KEYS:
                    self.add(self.selected, -1)
                    return True
                if k == pygame.K_BACKSPACE:
                    self.backspace()
                    return True
                if k in (pygame.K_UP, pygame.K_DOWN) and self.offered:
                    self.select((self.selected + (1 if k == pygame.K_DOWN else -1)) % len(self.offered))
                    return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not self.deciding \
                and self.button_at(event.pos) is None:
            v = self.views.get("rows")
            for i, r in enumerate(self.row_rects):
                r = r.move(0, -v.offset) if v is not None else r
                if r.collidepoint(event.pos) and (v is None or v.rect.collidepoint(event.pos)):
                    self.select(i)
                    return True
        return super().handle(event)

    # -- layout -------------------------------------------------------------------------------------
    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        m, gap = st.margin, st.gap
        self.row_rects: list[pygame.Rect] = []
        self.bars: list[tuple[pygame.Rect, float]] = []
        url = self.server.url if self.server is not None else None
        panel_w = max(round(260 * st.scale), min(round(520 * st.scale), int(area.w * 0.28))) if url else 0
        left_w = area.w - 2 * m - (panel_w + m if url else 0)
        left_w = min(left_w, st.column_width(st.body, left_w, 90))
        bottom = self.hints_top() - gap
        title = self.t(s.scene.title).strip() or s.scene.id
        y = self.text(_("Vote · decision {n}", n=s.turns + 1), st.small, c["muted"], m, m, left_w)
        y = self.text(title, st.h2, c["text"], m, y, left_w) + gap
        counts = self.counts()
        total = sum(counts.values())
        # the bottom line: the close button and the total (or, deciding, nothing: the picks are the buttons)
        foot_h = round(st.body_px * 2.2)
        if not self.deciding:
            label = _("Close the vote") + "  (Enter)"
            bw = min(left_w, st.bold.size(label)[0] + 4 * gap)
            foot_y = bottom - foot_h
            self.button("close", label, self.close_vote, kind="primary").place(st, m, foot_y, bw)
            total_text = _("Total: {n} votes", n=total) if total != 1 else _("Total: 1 vote")
            room = left_w - bw - 2 * gap
            f = fitting(st, total_text, room, st.bold)
            if f is not None:
                self.text(total_text, f, c["text"], m + bw + 2 * gap, foot_y + (foot_h - st.line_height(f)) // 2, room)
                total_text = ""
            rows_bottom = foot_y - gap
        else:
            rows_bottom = bottom
        y = self.begin_view("rows", pygame.Rect(m, y, left_w, rows_bottom - y))
        if self.deciding:
            y = self._decide_rows(m, y, left_w, counts)
        else:
            y = self._count_rows(m, y, left_w, counts, total)
            if total_text:  # no room beside the button: under the rows
                y = self.text(total_text, st.bold, c["text"], m, y, left_w)
        self.end_view(y)
        if url:
            self._phone_panel(pygame.Rect(area.w - m - panel_w, m, panel_w, bottom - m), url)
        if self.deciding:
            self.hints = [(" / ".join(self.letters[cid] for cid in self.candidates), _("this choice goes on")),
                          ("Tab", _("next button")), ("Esc", _("back to the scene"))]
        else:
            n = len(self.offered)
            self.hints = [(f"A–{letter(n - 1)}" if n > 1 else "A", _("pick a row")), ("0–9", _("type the count")),
                          (f"+ {MINUS}", _("one more or less")), ("Enter", _("close the vote")),
                          ("Esc", _("back to the scene"))]
        if self.views["rows"].overflow:
            self.hints.insert(1, ("PgDn", _("read on")))

    def _count_rows(self, x: int, y: int, w: int, counts: dict[str, int], total: int) -> int:
        st, _, c = self.style, self._, self.style.c
        gap = st.gap
        letter_f = st.h2
        letter_w = letter_f.size("W")[0] + gap
        btn = st.line_height(st.body)
        count_w = st.h2.size("000")[0] + gap
        ctrl_w = 2 * btn + count_w + 2 * gap
        bar_h = max(6, round(8 * st.scale))
        for i, ch in enumerate(self.offered):
            cid = ch.id
            label = self.t(ch.text).strip()
            text_w = max(80, w - letter_w - ctrl_w - 2 * gap)
            longest = max((st.body.size(word)[0] for word in label.split()), default=0)
            below = longest > text_w  # a word too long beside the controls: the controls go under the text
            if below:
                text_w = w - letter_w
            lines = wrap(st.body, label, text_w)
            text_h = len(lines) * st.line_height(st.body)
            if below:
                cy = y + text_h
                text_h += btn
            else:
                text_h = max(text_h, btn)
                cy = y + (text_h - btn) // 2
            row = pygame.Rect(x, y, w, text_h + gap // 2 + bar_h)
            self.row_rects.append(row)
            self.text(self.letters[cid], letter_f, c["accent"], x + gap // 2, y, letter_w)
            self.text(label, st.body, c["text"], x + letter_w, y, text_w)
            cx = x + w - ctrl_w
            minus = self.add_button(SquareButton(f"minus:{cid}", MINUS, (lambda n=i: self.add(n, -1))))
            minus.rect = pygame.Rect(cx, cy, btn, btn)
            num = str(counts.get(cid, 0))
            nw = st.h2.size(num)[0]
            self.text(num, st.h2, c["text"], cx + btn + gap + (count_w - nw) // 2,
                      cy + (btn - st.line_height(st.h2)) // 2, count_w + gap)
            plus = self.add_button(SquareButton(f"plus:{cid}", "+", (lambda n=i: self.add(n, 1))))
            plus.rect = pygame.Rect(cx + btn + count_w + 2 * gap, cy, btn, btn)
            share = counts.get(cid, 0) / total if total else 0.0
            bar = pygame.Rect(x + letter_w, y + text_h + gap // 3, w - letter_w, bar_h)
            self.bars.append((bar, share))
            self.regions.append((f"bar:{cid}", bar))
            y = row.bottom + gap
        for o in self.locked:  # shown greyed, never votable
            label = _("{choice} — locked: {reason}", choice=self.t(o.choice.text).strip(), reason=self.t(o.reason))
            y = self.text(label, st.body, c["muted"], x + letter_w, y, w - letter_w) + gap
        return y

    def _decide_rows(self, x: int, y: int, w: int, counts: dict[str, int]) -> int:
        st, _, c = self.style, self._, self.style.c
        gap = st.gap
        names = [self.letters[cid] for cid in self.candidates]
        listed = _("{first} and {last}", first=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 else names[0]
        if sum(counts.values()) == 0:
            prompt = _("Nobody voted. You choose which choice goes on: {list}.", list=listed)
        else:
            prompt = _("A tie between {list}, with {n} votes each. You choose which one goes on.", list=listed,
                       n=counts[self.candidates[0]])
        y = self.text(prompt, st.h2, c["text"], x, y, w) + gap
        for cid in self.candidates:
            ch = next(ch for ch in self.offered if ch.id == cid)
            n = counts.get(cid, 0)
            votes = _("1 vote") if n == 1 else _("{n} votes", n=n)
            b = self.button(f"pick:{cid}", f"{self.t(ch.text).strip()} ({votes})", (lambda i=cid: self.pick(i)),
                            hint=self.letters[cid], kind="choice")
            y = b.place(st, x, y, w) + gap // 2
        others = [f"{self.letters[ch.id]}: {counts.get(ch.id, 0)}" for ch in self.offered if ch.id not in self.candidates]
        if others:
            y = self.text(_("The other choices: {list}", list=" · ".join(others)), st.small, c["muted"], x, y + gap,
                          w)
        return y

    def _phone_panel(self, panel: pygame.Rect, url: str) -> None:
        st, _, c = self.style, self._, self.style.c
        gap = st.gap
        x, w = panel.x, panel.w
        code_f = font(st.fonts["bold"], round(st.body_px * 2.2))
        address = self.server.short_url or ""
        af = fitting(st, address, w, st.bold, smallest=10) or st.small_bold
        lh = st.line_height
        head = _("Vote on your phone")
        code_label = _("Join code")
        n = self.server.voters() if not self.deciding else sum(self.phone_counts.values())
        voted = _("1 phone voted") if n == 1 else _("{n} phones voted", n=n)
        below = (lh(af) + lh(code_f) + len(wrap(st.small, voted, w)) * lh(st.small) + gap)
        y = self.text(head, st.small_bold, c["muted"], x, panel.y, w) + gap // 2
        side = min(w, panel.bottom - y - below - gap // 2)
        if side >= 100:  # too low a window: the address and the code alone
            qr = qr_surface(url, side)
            y = self.picture(qr, (x + (w - qr.get_width()) // 2, y), "qr").bottom + gap // 2
        y = self.text(address, af, c["text"], x, y, w)
        lw = st.small_bold.size(code_label)[0]
        code_h = lh(code_f)
        self.text(code_label, st.small_bold, c["muted"], x, y + (code_h - lh(st.small_bold)) // 2, lw + 1)
        y = self.text(self.server.code, code_f, c["accent"], x + lw + gap, y, max(40, w - lw - gap)) + gap // 2
        self.text(voted, st.small, c["text"], x, y, w)

    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        box = self.views["rows"].rect if "rows" in self.views else None
        off = self.views["rows"].offset if "rows" in self.views else 0
        if not self.deciding and self.offered and 0 <= self.selected < len(self.row_rects):
            r = self.row_rects[self.selected].move(0, -off).inflate(st.gap, st.gap // 2)
            if box is None or box.colliderect(r):
                clip = surface.get_clip()
                surface.set_clip(box)
                pygame.draw.rect(surface, st.c["panel"], r, border_radius=10)
                pygame.draw.rect(surface, st.c["accent"], r, width=3, border_radius=10)
                surface.set_clip(clip)
        for bar, share in self.bars:
            r = bar.move(0, -off)
            if box is not None and not box.contains(r):
                continue
            pygame.draw.rect(surface, st.c["bar_back"], r, border_radius=4)
            if share > 0:
                pygame.draw.rect(surface, st.c["accent"], pygame.Rect(r.x, r.y, max(4, round(r.w * share)), r.h),
                                 border_radius=4)
        super().draw(surface)

    def layout_rects(self) -> list[tuple[str, pygame.Rect]]:
        off = self.views["rows"].offset if "rows" in self.views else 0
        box = self.views["rows"].rect if "rows" in self.views else None
        out = [(n, r) for n, r in super().layout_rects() if not n.startswith("bar:")]
        for (bar, _s), (n, _r) in zip(self.bars, [x for x in self.regions if x[0].startswith("bar:")]):
            r = bar.move(0, -off)
            if box is None or box.contains(r):
                out.append((n, r))
        return out
