"""The screens of the game window. Each screen reads the session and calls the App;
none owns game rules. Every screen lists its buttons (for focus, tests and the
mouse) and the texts it shows (``visible_texts``)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import pygame

from ..debrief import moment_changes
from ..model import Text
from .focus import Focus
from .widgets import Button, TextEntry, draw_lines, draw_meter, meter_height, signed, wrap

if TYPE_CHECKING:  # pragma: no cover
    from .app import App

NUMBER_KEYS = {getattr(pygame, f"K_{i}"): i for i in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{i}"): i for i in range(1, 10)})
ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


@dataclass
class Block:
    text: str
    lines: list[str]
    font: Any
    colour: tuple[int, int, int]
    x: int
    y: int
    lh: int


def charts():
    """The charts module (built in parallel); None if it is not there."""
    try:
        from . import charts as c  # noqa: PLC0415
        return c
    except ImportError:
        return None


class Screen:
    """Base screen: blocks of text, buttons, focus ring, key hints."""

    name = "screen"
    overlay = False  # drawn over the screen below it, dimmed

    def __init__(self, app: "App"):
        self.app = app
        self.focus = Focus()
        self.blocks: list[Block] = []
        self.btns: list[Button] = []
        self.inputs: list[TextEntry] = []  # the text fields laid out now (in the tab order first)
        self.owned: list[TextEntry] = []  # every text field this screen made (the App kills them when it goes)
        self.hotkeys: dict[int, Callable[[], None]] = {}
        self.hints: list[tuple[str, str]] = []
        self.extra_draw: list[Callable[[pygame.Surface], None]] = []
        self._pressed: Optional[Button] = None
        self.rows: dict[str, int] = {}  # button id -> row of a scrolled list (see list_scroll)

    # -- helpers ---------------------------------------------------------------
    @property
    def _(self):
        return self.app._

    @property
    def style(self):
        return self.app.style

    @property
    def lang(self) -> str:
        return self.app.lang

    def t(self, text: Text | str | None) -> str:
        if text is None:
            return ""
        return text.get(self.lang) if isinstance(text, Text) else str(text)

    def text(self, s: str, f, colour, x: int, y: int, width: int, max_lines: Optional[int] = None) -> int:
        lines = wrap(f, s, width)
        if max_lines is not None:
            lines = lines[:max_lines]
        lh = self.style.line_height(f)
        self.blocks.append(Block(s, lines, f, colour, x, y, lh))
        return y + lh * len(lines)

    def entry(self, id: str, value: str, on_enter: Callable[[str], None]) -> TextEntry:
        """A pygame_gui text field in the App's UI manager; place it in ``compose`` and add it
        to ``self.inputs`` to show it (Enter in the field calls ``on_enter(text)``)."""
        e = TextEntry(lambda: self.app.ui, id, value, on_enter)
        self.owned.append(e)
        return e

    def button(self, id: str, label: str, action: Callable[[], None], **kw) -> Button:
        b = Button(id=id, label=label, action=action, **kw)
        self.btns.append(b)
        return b

    # -- life cycle ----------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay the screen out again (entering, resize, a setting changed)."""
        keep = self.focus.current.id if self.focus.current is not None else None
        self.blocks, self.btns, self.inputs, self.hotkeys, self.hints, self.extra_draw = [], [], [], {}, [], []
        self.rows: dict[str, int] = {}
        w, h = self.app.size
        self.compose(pygame.Rect(0, 0, w, h))
        self.focus.set_items(self.focusables(), keep_id=keep)

    def compose(self, area: pygame.Rect) -> None:  # pragma: no cover - every screen overrides
        raise NotImplementedError

    def focusables(self) -> list[Any]:
        return [*self.inputs, *[b for b in self.btns if b.enabled]]

    def update(self, dt: float) -> bool:
        return False

    @property
    def animating(self) -> bool:
        return False

    # -- input -------------------------------------------------------------------
    def button_at(self, pos) -> Optional[Button]:
        for b in self.btns:
            if b.enabled and b.rect.collidepoint(pos):
                return b
        return None

    def activate(self, b: Any) -> None:
        if isinstance(b, Button) and b.enabled:
            b.action()
        elif isinstance(b, TextEntry) and b.on_enter:
            b.on_enter(b.value)

    # text fields: pygame_gui edits them; the focus ring says which one has the keyboard
    def sync_entries(self, top: bool) -> None:
        """Show the fields laid out now (only on the top screen); the field under the focus
        ring has the keyboard focus, no other."""
        cur = self.focus.current
        for e in self.owned:
            e.show(top and e in self.inputs)
            e.set_focused(top and e is cur and e in self.inputs)

    def follow_ui_focus(self) -> None:
        """A click put pygame_gui's focus in a field: the ring follows."""
        for e in self.inputs:
            if e.focused and self.focus.current is not e:
                self.focus.focus_id(e.id)

    def entry_finished(self, element, text: str) -> bool:
        """Enter in a field (pygame_gui's UI_TEXT_ENTRY_FINISHED)."""
        for e in self.inputs:
            if e.owns(element) and e.on_enter:
                e.on_enter(text)
                return True
        return False

    def handle(self, event: pygame.event.Event) -> bool:
        """Keys and clicks the text fields did not use (the App gives pygame_gui every event first)."""
        cur = self.focus.current
        if self.list_scroll(event):
            return True
        if event.type == pygame.MOUSEMOTION:
            changed = False
            for b in self.btns:
                hov = b.rect.collidepoint(event.pos)
                changed |= hov != b.hover
                b.hover = hov
            return changed
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._pressed = self.button_at(event.pos)
            return self._pressed is not None
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            b = self.button_at(event.pos)
            pressed, self._pressed = self._pressed, None
            if b is not None and b is pressed:
                self.focus.focus_id(b.id)
                self.activate(b)
                return True
            return False
        if event.type == pygame.MOUSEWHEEL:
            return self.scroll(-event.y)
        if event.type != pygame.KEYDOWN:
            return False
        if self.focus.handle(event):
            return True
        if event.key in ACTIVATE_KEYS and self.focus.current is not None:
            if isinstance(cur, TextEntry):  # the field posts UI_TEXT_ENTRY_FINISHED for Enter; space is text
                return False
            self.activate(self.focus.current)
            return True
        if event.key in NUMBER_KEYS and not isinstance(cur, TextEntry):
            n = str(NUMBER_KEYS[event.key])
            for b in self.btns:
                if b.hint == n and b.enabled:
                    self.focus.focus_id(b.id)
                    self.activate(b)
                    return True
        if event.key == pygame.K_PAGEDOWN:
            return self.scroll(1)
        if event.key == pygame.K_PAGEUP:
            return self.scroll(-1)
        if isinstance(cur, TextEntry) and event.key != pygame.K_ESCAPE:
            return False
        action = self.hotkeys.get(event.key)
        if action is not None:
            action()
            return True
        return False

    # a list longer than the screen shows a window of rows that follows the focus
    list_prefix = ""  # row buttons with ids f"{list_prefix}{position}" (0-based), or rows registered in self.rows
    first = 0  # the position of the first row shown
    total_rows = 0  # how many rows the list has (set in compose)

    def row(self, b: Button, pos: int) -> Button:
        """Register ``b`` as a button of row ``pos`` of the scrolled list (a row may hold several)."""
        self.rows[b.id] = pos
        return b

    def row_of(self, b: Any) -> Optional[int]:
        if b is None:
            return None
        if b.id in self.rows:
            return self.rows[b.id]
        if self.list_prefix and b.id.startswith(self.list_prefix):
            try:
                return int(b.id[len(self.list_prefix):])
            except ValueError:
                return None
        return None

    def first_row(self, total: int) -> int:
        """Clamp ``self.first`` to a list of ``total`` rows (in compose) and return it."""
        self.total_rows = total
        self.first = max(0, min(self.first, total - 1))
        return self.first

    def list_scroll(self, event: pygame.event.Event) -> bool:
        """Move the window of a long list one row when the focus would leave it: Tab, Shift+Tab
        or an arrow from the last (first) button of the last (first) row shown."""
        if event.type != pygame.KEYDOWN or event.key not in (
                pygame.K_DOWN, pygame.K_UP, pygame.K_TAB, pygame.K_RIGHT, pygame.K_LEFT):
            return False
        cur = self.focus.current
        row = self.row_of(cur)
        shown = sorted({r for b in self.btns if (r := self.row_of(b)) is not None})
        if row is None or not shown:
            return False
        down = event.key in (pygame.K_DOWN, pygame.K_RIGHT) or (
            event.key == pygame.K_TAB and not event.mod & pygame.KMOD_SHIFT)
        items = self.focus.items
        step = 1 if down else -1
        neighbour = items[(items.index(cur) + step) % len(items)]
        if self.row_of(neighbour) == row:  # still inside this row (load -> delete)
            return False
        if down and row == shown[-1] and row < self.total_rows - 1:
            self.first += 1
        elif not down and row == shown[0] and row > 0:
            self.first -= 1
        else:
            return False
        self.rebuild()
        target = [b for b in self.focus.items if self.row_of(b) == row + step]
        if target:
            self.focus.focus_id((target[0] if down else target[-1]).id)
        return True

    def list_hint(self) -> None:
        """Say PgDn pages on when the list has rows out of view (call at the end of compose)."""
        shown = {r for b in self.btns if (r := self.row_of(b)) is not None}
        if self.total_rows > len(shown):
            self.hints.insert(1, ("PgDn", self._("next page")))

    def scroll(self, pages: int) -> bool:
        """PgUp/PgDn and the mouse wheel move a long list three rows at a time."""
        if self.total_rows <= 1:
            return False
        new = max(0, min(self.total_rows - 1, self.first + pages * 3))
        if new == self.first:
            return False
        self.first = new
        self.rebuild()
        return True

    def back_button(self, area: pygame.Rect, action: Optional[Callable[[], None]] = None) -> Button:
        """'Terug (Esc)' in the top-right corner (last in the tab order)."""
        st = self.style
        label = self._("Back") + "  (Esc)"
        w = st.body.size(label)[0] + 3 * st.gap
        b = self.button("back", label, action or self.app.back)
        b.place(st, area.w - st.margin - w, st.margin, w)
        return b

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        for blk in self.blocks:
            draw_lines(surface, blk.lines, blk.font, blk.colour, blk.x, blk.y, blk.lh)
        for fn in self.extra_draw:
            fn(surface)
        for b in self.btns:
            b.draw(surface, st)
        self.draw_hints(surface)  # the text fields are pygame_gui elements: the App draws them
        self.focus.draw(surface, st.c["focus"])

    def draw_hints(self, surface: pygame.Surface) -> None:
        if not self.hints:
            return
        st = self.style
        x = st.margin
        y = surface.get_height() - st.small.get_linesize() - st.gap
        pygame.draw.line(surface, st.c["border"], (st.margin, y - st.gap // 2), (surface.get_width() - st.margin, y - st.gap // 2))
        for key, what in self.hints:
            ks = st.small_bold.render(key, True, st.c["muted"])
            ws = st.small.render(what, True, st.c["muted"])
            if x + ks.get_width() + ws.get_width() > surface.get_width() - st.margin:
                break
            surface.blit(ks, (x, y))
            surface.blit(ws, (x + ks.get_width() + 6, y))
            x += ks.get_width() + ws.get_width() + 6 + 2 * st.gap

    def hints_top(self) -> int:
        """The y where the key-hint bar starts."""
        st = self.style
        return self.app.size[1] - st.small.get_linesize() - 2 * st.gap

    # -- queries for tests -------------------------------------------------------------
    def visible_texts(self) -> list[str]:
        return [b.text for b in self.blocks] + [b.label for b in self.btns] + [b.tag_label for b in self.btns
                                                                               if b.tag_label]

    def buttons(self) -> list[dict]:
        cur = self.focus.current
        return [{"id": b.id, "label": b.label, "hint": b.hint, "focused": b is cur, "selected": b.selected,
                 "enabled": b.enabled, "rect": pygame.Rect(b.rect)} for b in self.btns]

    def press(self, button_id: str) -> None:
        """Activate a button by id (tests and scripted use)."""
        for b in self.btns:
            if b.id == button_id:
                self.activate(b)
                return
        raise KeyError(button_id)


# ---------------------------------------------------------------------------------------
class TitleScreen(Screen):
    name = "title"

    def compose(self, area: pygame.Rect) -> None:
        app, st, _ = self.app, self.style, self._
        c = st.c
        m = st.margin
        left_w = min(max(500, round(st.body_px * 20)), int(area.w * 0.42))
        y = m
        y = self.text("Tegenmacht", st.h1, c["text"], m, y, left_w)
        y = self.text(_("between consensus and protest"), st.italic, c["muted"], m, y, left_w) + st.gap * 2
        latest = app.latest_slot()
        if latest is not None:
            y = self.button("resume", _("Continue playing"), app.resume_latest, kind="primary", hint="V").place(
                st, m, y, left_w) + st.gap
            self.hotkeys[pygame.K_v] = app.resume_latest
        y = self.text(_("Scenarios"), st.h2, c["text"], m, y, left_w) + st.gap // 2
        self.infos = app.scenario_infos()
        # the four tools sit in a 2x2 grid at the bottom; the scenario list gets the room between
        row = [("open", _("Open folder…"), app.show_open_folder, "O"),
               ("saves", _("Saved games"), app.show_saves, "L"),
               ("settings", _("Settings"), app.show_settings, "S"),
               ("quit", _("Quit"), app.quit, "Q")]
        cols = 2
        cell_w = (left_w - st.gap) // 2
        tools = [Button(id=id_, label=label, action=fn, hint=key) for id_, label, fn, key in row]
        cell_h = max(b.measure(st, cell_w) for b in tools)
        inner = cell_w - 3 * st.gap - st.bold.size("00")[0]
        if any(st.body.size(w)[0] > inner for b in tools for w in b.label.split()):  # a word would break: one column
            cols, cell_w = 1, left_w
            cell_h = max(b.measure(st, cell_w) for b in tools)
        rows_n = -(-len(tools) // cols)
        grid_top = self.hints_top() - st.gap - rows_n * cell_h - (rows_n - 1) * (st.gap // 2)
        for pos, info in enumerate(self.infos[self.first_row(len(self.infos)):], self.first):
            i = pos + 1
            b = Button(id=f"scenario:{pos}", label=info["title"], action=(lambda p=info["path"]: app.start(p)),
                       hint=str(i) if i <= 9 else "")
            h = b.measure(st, left_w)
            if y + h > grid_top - st.gap and pos > self.first:
                break
            b.rect = pygame.Rect(m, y, left_w, h)
            self.btns.append(b)
            y += h + st.gap // 2
        for n, b in enumerate(tools):
            b.rect = pygame.Rect(m + (n % cols) * (cell_w + st.gap), grid_top + (n // cols) * (cell_h + st.gap // 2),
                                 cell_w, cell_h)
            self.btns.append(b)
        self.hotkeys.update({pygame.K_o: app.show_open_folder, pygame.K_l: app.show_saves,
                             pygame.K_s: app.show_settings, pygame.K_q: app.quit})
        self.detail_x = m + left_w + 2 * m
        self.detail_w = st.column_width(st.body, area.w - self.detail_x - m)
        self.hints = [("1–9", _("play scenario")), ("Tab", _("next button")), ("Enter", _("choose")),
                      ("S", _("settings")), ("F11", _("full screen"))]
        self._detail_for = None

    list_prefix = "scenario:"

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in NUMBER_KEYS:  # 1-9 also reach scenarios scrolled away
            n = NUMBER_KEYS[event.key]
            if n <= len(self.infos) and not any(b.id == f"scenario:{n - 1}" for b in self.btns):
                self.app.start(self.infos[n - 1]["path"])
                return True
        return super().handle(event)

    def _detail_blocks(self) -> list[Block]:
        """The right-hand panel describes the focused (or first) scenario."""
        cur = self.focus.current
        idx = 0
        if cur is not None and cur.id.startswith("scenario:"):
            idx = int(cur.id.split(":")[1])
        if not self.infos:
            return []
        info = self.infos[min(idx, len(self.infos) - 1)]
        if self._detail_for == info["path"]:
            return self._details
        st, _, c = self.style, self._, self.style.c
        x, w = self.detail_x, self.detail_w
        blocks: list[Block] = []
        y = st.margin + st.h1.get_linesize() + st.gap

        def add(s: str, f, colour, gap: int = 0) -> None:
            nonlocal y
            lines = wrap(f, s, w)
            lh = st.line_height(f)
            if y + lh * len(lines) > self.hints_top() - st.gap:
                lines = lines[: max(0, (self.hints_top() - st.gap - y) // lh)]
            blocks.append(Block(s, lines, f, colour, x, y, lh))
            y += lh * len(lines) + gap

        add(info["title"], st.h2, c["text"], st.gap // 2)
        if info.get("problems"):
            add(_("This scenario has errors; choose it to see them."), st.body, c["bad"], st.gap)
        else:
            if info.get("minutes"):
                add(_("About {n} minutes", n=info["minutes"]), st.small, c["muted"], st.gap // 2)
            if info.get("summary"):
                add(info["summary"], st.body, c["text"], st.gap)
            if info.get("goals"):
                add(_("Learning goals"), st.small_bold, c["text"])
                for g in info["goals"]:
                    add(f"•  {g}", st.body, c["text"])
                y += st.gap
            found = info.get("found", [])
            add(_("Endings you found: {n} of {total}", n=len(found), total=info.get("endings", 0)),
                st.small_bold, c["text"])
            for title in found:
                add(f"•  {title}", st.small, c["text"])
        self._detail_for, self._details = info["path"], blocks
        return blocks

    def visible_texts(self) -> list[str]:
        return super().visible_texts() + [b.text for b in self._detail_blocks()]

    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        pygame.draw.line(surface, st.c["border"], (self.detail_x - st.margin, st.margin),
                         (self.detail_x - st.margin, self.hints_top() - st.gap))
        for blk in self._detail_blocks():
            draw_lines(surface, blk.lines, blk.font, blk.colour, blk.x, blk.y, blk.lh)
        super().draw(surface)


# ---------------------------------------------------------------------------------------
class ProblemsScreen(Screen):
    """A scenario that failed validation: its problems, never a crash."""

    name = "problems"

    def __init__(self, app: "App", path: str, problems: list[str]):
        super().__init__(app)
        self.path, self.problems, self.page = path, problems, 0

    def compose(self, area: pygame.Rect) -> None:
        st, _, c, app = self.style, self._, self.style.c, self.app
        m = st.margin
        w = area.w - 2 * m
        y = self.text(_("This scenario cannot be played yet"), st.h1, c["text"], m, m, w)
        y = self.text(_("Fix these problems in the file and choose Reload. The line and column say where."),
                      st.body, c["muted"], m, y + st.gap // 2, st.column_width(st.body, w)) + st.gap
        bottom = self.hints_top() - round(st.body_px * 2.2) - 2 * st.gap
        lh = st.line_height(st.small)
        per_page = max(1, (bottom - y) // lh)
        lines: list[tuple[str, str]] = []
        for p in self.problems:
            for i, ln in enumerate(wrap(st.small, p, w)):
                lines.append((p, ln))
        pages = max(1, -(-len(lines) // per_page))
        self.page = min(self.page, pages - 1)
        shown = lines[self.page * per_page:(self.page + 1) * per_page]
        seen: list[str] = []
        for full, ln in shown:
            if full not in seen:
                seen.append(full)
        self.blocks.append(Block("\n".join(seen), [ln for _f, ln in shown], st.small, c["text"], m, y, lh))
        y = bottom + st.gap
        x = m
        for id_, label, fn in (("reload", _("Reload") + "  (R)", lambda: app.start(self.path)),
                               ("title", _("Back to title") + "  (Esc)", app.to_title)):
            b = self.button(id_, label, fn)
            b.place(st, x, y, 320)
            x += 320 + st.gap
        if pages > 1:
            self.text(_("Page {n} of {total} (PgUp/PgDn)", n=self.page + 1, total=pages), st.small, c["muted"], x, y,
                      400)
        self.hotkeys = {pygame.K_r: lambda: app.start(self.path), pygame.K_ESCAPE: app.to_title}
        self.hints = [("R", _("reload")), ("Esc", _("back to title")), ("PgDn", _("next page"))]

    def scroll(self, pages: int) -> bool:
        self.page = max(0, self.page + pages)
        self.rebuild()
        return True


# ---------------------------------------------------------------------------------------
class GameScreen(Screen):
    """Common keys of the screens during play, and paging of long text."""

    page = 0
    pages = 1

    def scroll(self, pages: int) -> bool:
        new = max(0, min(self.pages - 1, self.page + pages))
        if new == self.page:
            return False
        self.page = new
        self.rebuild()
        return True

    def game_keys(self) -> None:
        app, _ = self.app, self._
        self.hotkeys.update({pygame.K_ESCAPE: app.show_menu, pygame.K_h: app.show_history,
                             pygame.K_p: app.show_power_map, pygame.K_s: app.show_settings})


class SceneScreen(GameScreen):
    name = "scene"

    GUARD_SECONDS = 0.35  # Enter/Space right after the scene appears is ignored (a double press picks nothing)

    def __init__(self, app: "App"):
        super().__init__(app)
        self.page = 0
        self.shown_at = app.now

    def handle(self, event: pygame.event.Event) -> bool:
        if (event.type == pygame.KEYDOWN and event.key in ACTIVATE_KEYS
                and self.app.now - self.shown_at < self.GUARD_SECONDS):
            return True
        return super().handle(event)

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        scene = s.scene
        m = st.margin
        side_w = max(280, int(area.w * 0.25))
        side_x = area.w - m - side_w
        main_w = side_x - 2 * m
        col = st.column_width(st.body, main_w)
        y = m
        sub = _("{scenario} · phase {phase} · decision {n}", scenario=self.t(app.scenario.title), phase=scene.phase,
                n=s.turns + 1) if scene.phase else _("{scenario} · decision {n}", scenario=self.t(app.scenario.title),
                                                          n=s.turns + 1)
        y = self.text(sub, st.small, c["muted"], m, y, main_w)
        y = self.text(self.t(scene.title) or scene.id, st.h1, c["text"], m, y, main_w) + st.gap
        # Choices follow the text. Text that does not fit above the choices is paged: the
        # pages before the last use the full height and end in "Lees verder"; the last
        # page holds the rest of the text and the choices. Nothing is ever cut off.
        offered = s.available()
        bottom = self.hints_top() - st.gap
        choice_btns = []
        for i, ch in enumerate(offered, 1):
            tag_label = " · ".join(x for x in (_(ch.strategy) if ch.strategy else "",
                                               _(ch.agency) if ch.agency else "") if x) if app.settings.coach else ""
            choice_btns.append(Button(id=f"choice:{ch.id}", label=self.t(ch.text), action=(lambda n=i: app.choose(n)),
                                      hint=str(i) if i <= 9 else "", kind="choice",
                                      tag=ch.strategy if app.settings.coach else None, tag_label=tag_label))
        for option in s.offered():  # locked choices: greyed, with the reason (what the rules cost you)
            if not option.available:
                ch = option.choice
                choice_btns.append(Button(id=f"locked:{ch.id}", label=_("{choice} — locked: {reason}",
                                                                        choice=self.t(ch.text), reason=self.t(ch.show_locked)),
                                          action=None, kind="choice", enabled=False))
        heights = [b.measure(st, col) for b in choice_btns]
        choices_h = sum(heights) + st.gap // 2 * max(0, len(heights) - 1)
        label_h = st.line_height(st.small_bold)
        lh = st.line_height(st.body)
        nav_h = st.line_height(st.small_bold) + st.gap // 2
        lines = wrap(st.body, self.t(scene.text), col)
        room_last = bottom - choices_h - label_h - 2 * st.gap - y  # text room above the choices
        room_full = bottom - round(st.body_px * 2.2) - 2 * st.gap - nav_h - y  # text room on a reading page
        n_last = max(0, room_last // lh)
        if len(lines) <= n_last:
            pages = [lines]
        else:
            n_last = max(0, (room_last - nav_h) // lh)
            n_full = max(1, room_full // lh)
            pages, rest = [], lines
            while len(rest) > n_last:
                pages.append(rest[:n_full])
                rest = rest[n_full:]
            pages.append(rest)
        self.pages = len(pages)
        self.page = min(self.page, self.pages - 1)
        shown = pages[self.page]
        full = self.t(scene.text)
        self.blocks.append(Block(full if self.pages == 1 else "\n".join(shown), shown, st.body, c["text"], m, y, lh))
        y += lh * len(shown)
        if self.pages > 1:
            y = self.text(_("Page {n} of {total} — PgDn reads on, PgUp goes back", n=self.page + 1, total=self.pages),
                          st.small_bold, c["accent"], m, y + st.gap // 2, col)
        last = self.page == self.pages - 1
        if last:
            cy = y + 2 * st.gap + label_h
            self.text(_("What do you do?"), st.small_bold, c["muted"], m, cy - label_h - st.gap // 2, col)
            for b, h in zip(choice_btns, heights):
                b.rect = pygame.Rect(m, cy, col, h)
                self.btns.append(b)
                cy += h + st.gap // 2
        else:
            self.button("read_on", _("Read on") + "  (PgDn)", lambda: self.scroll(1), kind="primary").place(
                st, m, y + st.gap, min(col, st.bold.size(_("Read on") + "  (PgDn)")[0] + 4 * st.gap))
        # the side panel: image, meters, watch problems
        self.side = pygame.Rect(side_x, m, side_w, bottom - m)
        sy = m
        img = app.scene_image(scene)
        if img is not None:
            iw, ih = img.get_size()
            scale = min(side_w / iw, (area.h * 0.25) / ih)
            surf = pygame.transform.smoothscale(img, (max(1, int(iw * scale)), max(1, int(ih * scale))))
            pos = (side_x, sy)
            self.extra_draw.append(lambda s_, surf=surf, pos=pos: s_.blit(surf, pos))
            sy += surf.get_height() + st.gap
        sy = self.text(_("Meters"), st.small_bold, c["muted"], side_x, sy, side_w)
        self.meter_top = sy
        self.hotkeys[pygame.K_m] = lambda: None
        self.game_keys()
        self.hints = [(f"1–{len(offered)}", _("choose")), ("Tab", _("next button")), ("P", _("power map")),
                      ("H", _("history")), ("Esc", _("menu"))]
        if self.pages > 1:
            self.hints.insert(1, ("PgDn", _("read on")))

    def meter_rows(self) -> list[tuple[str, str, int, int, int, int]]:
        app = self.app
        s = app.session
        rows = []
        for mid, meter in app.scenario.meters.items():
            delta = app.flash_changes.get(mid, 0)
            rows.append((mid, self.t(meter.label) or mid, s.meters[mid], meter.min, meter.max, delta))
        return rows

    def visible_texts(self) -> list[str]:
        rows = [f"{label}: {value}" + (f" ({signed(d)})" if d else "") for _m, label, value, _l, _h, d in
                self.meter_rows()]
        return super().visible_texts() + rows + self.app.watch_texts()

    def meter_values(self) -> dict[str, int]:
        return {mid: v for mid, _l, v, _a, _b, _d in self.meter_rows()}

    def draw(self, surface: pygame.Surface) -> None:
        st, app = self.style, self.app
        y = self.meter_top
        hl = app.flash_level()
        grow = app.flash_progress()
        for mid, label, value, lo, hi, delta in self.meter_rows():
            bar = value - delta + delta * grow if delta else value
            if y + meter_height(st) > self.side.bottom:
                break
            draw_meter(surface, st, pygame.Rect(self.side.x, y, self.side.w, meter_height(st)), label, value, lo, hi,
                       delta, hl if delta else 0.0, bar)
            y += meter_height(st)
        app.draw_watch_problems(surface, pygame.Rect(self.side.x, y + st.gap, self.side.w, self.side.bottom - y))
        super().draw(surface)

    @property
    def animating(self) -> bool:
        return self.app.flash_level() > 0


# ---------------------------------------------------------------------------------------
class MomentScreen(GameScreen):
    """Coach feedback after a choice, or an event: a calm card with a title and text."""

    def __init__(self, app: "App", kind: str, title: str, text: str, theory: str = "", coach: str = "",
                 changes: Optional[dict[str, int]] = None, chosen: str = "", rules: Optional[list[str]] = None):
        super().__init__(app)
        self.name = kind  # "coach" | "event"
        self.kind, self.title, self.body, self.theory, self.coach_text = kind, title, text, theory, coach
        self.changes, self.chosen = changes or {}, chosen
        self.rules = rules or []  # the rules that fired this turn, one line each

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        w = st.column_width(st.body, area.w - 4 * st.margin)
        x = (area.w - w) // 2
        y = st.margin * 2 + getattr(self, "_shift", 0)
        label = _("Coach") if self.kind == "coach" else _("Event — action provokes reaction")
        y = self.text(label.upper(), st.small_bold, c["accent"], x, y, w)
        y = self.text(self.title, st.h1, c["text"], x, y, w) + st.gap
        if self.chosen:
            y = self.text(_("You chose: {choice}", choice=self.chosen), st.italic, c["muted"], x, y, w) + st.gap
        if self.body:
            y = self.text(self.body, st.body, c["text"], x, y, w) + st.gap
        if self.coach_text:
            y = self.text(self.coach_text, st.body, c["text"], x, y, w) + st.gap
        if self.theory:
            y = self.text(_("Theory: {ref}", ref=self.theory), st.small_bold, c["text"], x, y, w) + st.gap
        for line in self.rules:
            y = self.text(f"•  {line}", st.small, c["text"], x, y, w)
        if self.rules:
            y += st.gap
        if self.changes:
            parts = []
            for mid, d in self.changes.items():
                meter = app.scenario.meters.get(mid)
                parts.append(f"{self.t(meter.label) if meter else mid} {signed(d)}")
            y = self.text(_("Changes: {list}", list=", ".join(parts)), st.small, c["muted"], x, y, w) + st.gap
        y = max(y + st.gap, 0)
        top = st.margin * 2 + getattr(self, "_shift", 0)
        end = self.button("continue", _("Continue") + "  (Enter)", app.next_moment, kind="primary").place(st, x, y, 300)
        self.card = pygame.Rect(x - st.margin, top - st.margin, w + 2 * st.margin, end - top + 2 * st.margin)
        shift = max(0, (self.hints_top() - (end - top)) // 2 - st.margin * 2)
        if getattr(self, "_shift", 0) == 0 and shift > 0:  # centre the card vertically (one more pass)
            self._shift = shift
            self.blocks, self.btns = [], []
            return self.compose(area)
        self.game_keys()
        self.hints = [("Enter", _("continue")), ("H", _("history")), ("P", _("power map")), ("Esc", _("menu"))]

    def rebuild(self) -> None:
        self._shift = 0
        super().rebuild()

    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        pygame.draw.rect(surface, st.c["panel"], self.card, border_radius=12)
        pygame.draw.rect(surface, st.c["border"], self.card, width=2, border_radius=12)
        stripe = pygame.Rect(self.card.x, self.card.y, 8, self.card.h)
        pygame.draw.rect(surface, st.c["accent"] if self.kind == "coach" else st.c["bad"], stripe,
                         border_top_left_radius=12, border_bottom_left_radius=12)
        super().draw(surface)


# ---------------------------------------------------------------------------------------
class DebriefScreen(GameScreen):
    """The end: the ending, the result on the axes, meters over time, profile,
    power map before/after, the theory behind the choices, questions."""

    name = "debrief"
    TABS = ("Outcome", "Course", "Power map", "Theory and questions")

    def __init__(self, app: "App"):
        super().__init__(app)
        self.tab = 0
        self.page = 0
        self.pages = 1
        self.saved_to: Optional[str] = None
        self._chart_cache: dict = {}

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        ending = s.ending
        m = st.margin
        y = m
        y = self.text(_("Ending: {title}", title=self.t(ending.title)), st.h1, c["text"], m, y, area.w - 2 * m) + st.gap
        # tabs
        x = m
        for i, key in enumerate(self.TABS):
            label = _(key)
            tw = st.body.size(label)[0] + st.bold.size("00")[0] + 3 * st.gap + 8
            b = self.button(f"tab:{i}", label, (lambda i=i: self.set_tab(i)), hint=str(i + 1), kind="tab",
                            selected=i == self.tab)
            b.place(st, x, y, tw)
            x += tw + st.gap
        y += round(st.body_px * 2.2) + 2 * st.gap
        # actions along the bottom, their key on the button
        actions = [("png", _("Save as PNG"), app.save_debrief_png, "B"),
                   ("again", _("Play again"), app.play_again, "R"),
                   ("history", _("History"), app.show_history, "H"),
                   ("title", _("Back to title"), app.to_title, "T")]
        bw = (area.w - 2 * m - 3 * st.gap) // 4
        action_btns = [Button(id=id_, label=label, action=fn, hint=k) for id_, label, fn, k in actions]
        bh = max(b.measure(st, bw) for b in action_btns)
        by = self.hints_top() - st.gap - bh
        bottom = by - st.gap
        if self.saved_to:
            bottom = self.text(_("Saved as PNG: {path}", path=self.saved_to), st.small, c["muted"], m,
                               bottom - st.line_height(st.small), area.w - 2 * m) - st.line_height(st.small) - st.gap
        self.content = pygame.Rect(m, y, area.w - 2 * m, bottom - y)
        getattr(self, f"_tab{self.tab}")(self.content)
        x = m
        for b in action_btns:
            b.rect = pygame.Rect(x, by, bw, bh)
            self.btns.append(b)
            x += bw + st.gap
        self.hotkeys.update({pygame.K_b: app.save_debrief_png, pygame.K_r: app.play_again, pygame.K_t: app.to_title})
        self.game_keys()
        self.hints = [("1–4", _("tabs")), ("Tab", _("next button")), ("B", _("save as PNG")), ("Esc", _("menu"))]
        if self.pages > 1:
            self.hints.insert(1, ("PgDn", _("read on")))

    def set_tab(self, i: int) -> None:
        self.tab = i
        self.page = 0
        self.rebuild()

    def flow(self, columns: list[tuple[int, int, list[tuple[str, Any, Any, int]]]], top: int, bottom: int) -> None:
        """Lay text items out in columns [(x, width, [(text, font, colour, gap_after)])], paged
        together so nothing is cut off; shows page ``self.page`` and a page note if needed."""
        st = self.style
        note_h = st.line_height(st.small_bold) + st.gap // 2
        laid: list[list[list[Block]]] = []
        for x, w, items in columns:
            pages: list[list[Block]] = [[]]
            for limit in (bottom, bottom - note_h):
                pages, y = [[]], top
                for text, f, colour, gap in items:
                    lh = st.line_height(f)
                    lines = wrap(f, text, w)
                    chunk: list[str] = []
                    start = y
                    for ln in lines:
                        if y + lh > limit and (chunk or pages[-1]):
                            if chunk:
                                pages[-1].append(Block(text, chunk, f, colour, x, start, lh))
                            pages.append([])
                            chunk, y, start = [], top, top
                        chunk.append(ln)
                        y += lh
                    if chunk:
                        pages[-1].append(Block(text, chunk, f, colour, x, start, lh))
                    y += gap
                if len(pages) == 1:
                    break
            laid.append(pages)
        self.pages = max(len(p) for p in laid)
        self.page = min(self.page, self.pages - 1)
        for pages in laid:
            if self.page < len(pages):
                self.blocks.extend(pages[self.page])
        if self.pages > 1:
            self.text(self._("Page {n} of {total} — PgDn reads on, PgUp goes back", n=self.page + 1, total=self.pages),
                      st.small_bold, st.c["accent"], columns[0][0], bottom - note_h + st.gap // 2, columns[0][1])

    def _chart(self, kind: str, rect: pygame.Rect, *args) -> None:
        """Draw a chart from game.ui.charts into a cached surface (drawn once per layout)."""
        st = self.style
        key = (kind, rect.size, st.theme_name, self.lang, st.body_px)
        surf = self._chart_cache.get(key)
        if surf is None:
            surf = pygame.Surface(rect.size)
            surf.fill(st.c["background"])
            mod = charts()
            try:
                if mod is None:
                    raise RuntimeError("charts")
                getattr(mod, kind)(surf, surf.get_rect(), *args, self.lang, st.theme_name)
            except Exception:  # a chart that cannot draw must not take the debrief down
                surf.fill(st.c["background"])
                msg = st.small.render(self._("This chart is not available."), True, st.c["muted"])
                surf.blit(msg, (8, 8))
            self._chart_cache[key] = surf
        self.extra_draw.append(lambda s_, surf=surf, pos=rect.topleft: s_.blit(surf, pos))

    def _tab0(self, r: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        ending, d = s.ending, app.debrief()
        sc = d.score
        w = min(st.column_width(st.body, r.w // 2), r.w // 2 - st.gap)
        items = [(self.t(ending.text), st.body, c["text"], st.gap)]
        for text in d.texts:
            items.append((self.t(text), st.italic, c["text"], st.gap))
        items.append((_("Outcome: {name}", name=self.t(sc.outcome.name)), st.h2, c["text"], 0))
        if sc.outcome.description and sc.outcome.description.nl:
            items.append((self.t(sc.outcome.description), st.body, c["text"], st.gap))
        if d.mismatch.nl:
            items.append((self.t(d.mismatch), st.small, c["muted"], st.gap))
        items.append((_("Counter-power {t} of 100, ownership {e} of 100.", t=round(sc.tegenmacht),
                        e=round(sc.eigenaarschap)), st.small_bold, c["text"], 0 if d.previous else st.gap))
        if d.previous is not None:
            items.append((_("Previous attempt: counter-power {t}, ownership {e} ({ending}).", t=round(d.previous.tegenmacht),
                            e=round(d.previous.eigenaarschap), ending=self.t(d.previous.outcome) or d.previous.ending),
                           st.small, c["muted"], st.gap))
        if d.turning_points:
            items.append((_("Turning points"), st.small_bold, c["text"], 0))
            for m in d.turning_points:
                items.append((_("turn {n}: {what} ({changes})", n=m.turn, what=self.t(m.title),
                                changes=moment_changes(m, app.lang)), st.small, c["text"], 0))
        for m in d.late:
            items.append((_("Late consequence, turn {n}: {what} (from turn {cause}: {why})", n=m.turn,
                            what=self.t(m.title), cause=m.cause_turn, why=self.t(m.cause)), st.small, c["muted"], 0))
        for x in d.locked:
            items.append((_("Locked at turn {n}: {choice} — {reason}", n=x.turn, choice=self.t(x.choice),
                            reason=self.t(x.reason)), st.small, c["muted"], 0))
        self.flow([(r.x, w, items)], r.y, r.bottom)
        chart = pygame.Rect(r.x + w + 2 * st.gap, r.y, r.w - w - 2 * st.gap, r.h)
        self._chart("axes_plot", chart, s)

    def _tab1(self, r: pygame.Rect) -> None:
        s = self.app.session
        self.pages = 1
        left = pygame.Rect(r.x, r.y, int(r.w * 0.6) - self.style.gap, r.h)
        right = pygame.Rect(left.right + 2 * self.style.gap, r.y, r.right - left.right - 2 * self.style.gap, r.h)
        self._chart("meters_chart", left, s)
        self._chart("profile_bars", right, self.app.score())

    def _tab2(self, r: pygame.Rect) -> None:
        s = self.app.session
        self.pages = 1
        self._chart("power_map", r, self.app.scenario, s.start_actors, s.actors)

    def _tab3(self, r: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        half = r.w // 2 - st.gap
        left = [(_("The theory behind your choices"), st.h2, c["text"], st.gap // 2)]
        d = app.debrief()
        lines = [f"•  {self.t(x.what)} — {self.t(x.theory)}" for x in d.theory]
        if not lines:
            lines = [_("Your choices carried no theory notes.")]
        left += [(ln, st.body, c["text"], st.gap // 2) for ln in lines]
        right = [(_("Questions for discussion"), st.h2, c["text"], st.gap // 2)]
        qs = [self.t(q) for q in d.questions] or [_("What would you do differently next time, and why?")]
        right += [(f"{i}. {q}", st.body, c["text"], st.gap // 2) for i, q in enumerate(qs, 1)]
        self.flow([(r.x, half, left), (r.x + half + 2 * st.gap, half, right)], r.y, r.bottom)


# ---------------------------------------------------------------------------------------
class MenuScreen(Screen):
    name = "menu"
    overlay = True

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        w = 420
        items = [("continue", _("Continue"), app.close_overlay), ("history", _("History"), app.show_history),
                 ("save", _("Save game"), app.show_saves), ("settings", _("Settings"), app.show_settings),
                 ("title", _("Back to title"), app.to_title), ("quit", _("Quit"), app.quit)]
        total = st.h2.get_linesize() + st.gap + len(items) * (round(st.body_px * 2.2) + st.gap // 2)
        x = (area.w - w) // 2
        y = max(st.margin, (area.h - total) // 2)
        self.card = pygame.Rect(x - st.margin, y - st.margin, w + 2 * st.margin, total + 2 * st.margin)
        y = self.text(_("Menu"), st.h2, c["text"], x, y, w) + st.gap
        for i, (id_, label, fn) in enumerate(items, 1):
            y = self.button(id_, label, fn, hint=str(i)).place(st, x, y, w) + st.gap // 2
        self.hotkeys = {pygame.K_ESCAPE: app.close_overlay, pygame.K_h: app.show_history,
                        pygame.K_s: app.show_settings}
        self.hints = [("1–6", _("choose")), ("Tab", _("next button")), ("Esc", _("close menu"))]

    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        pygame.draw.rect(surface, st.c["panel"], self.card, border_radius=12)
        pygame.draw.rect(surface, st.c["border"], self.card, width=2, border_radius=12)
        super().draw(surface)


# ---------------------------------------------------------------------------------------
class PowerMapScreen(Screen):
    name = "power_map"

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        m = st.margin
        y = self.text(_("Power map"), st.h1, c["text"], m, m, area.w - 2 * m)
        y = self.text(_("Who has power, and where do they stand? Start and now."), st.body, c["muted"], m, y,
                      area.w - 2 * m) + st.gap
        bottom = self.hints_top() - st.gap
        rect = pygame.Rect(m, y, area.w - 2 * m, bottom - y)
        surf = pygame.Surface(rect.size)
        surf.fill(c["background"])
        mod = charts()
        try:
            if mod is None:
                raise RuntimeError("charts")
            mod.power_map(surf, surf.get_rect(), app.scenario, s.start_actors, s.actors, self.lang, st.theme_name)
        except Exception:
            surf.fill(c["background"])
            yy = 0
            for aid, a in app.scenario.actors.items():
                v = s.actors[aid]
                line = _("{name}: power {power}, stance {stance}", name=self.t(a.name), power=v["power"],
                         stance=signed(v["stance"]))
                surf.blit(st.body.render(line, True, c["text"]), (0, yy))
                yy += st.line_height(st.body)
        self.extra_draw.append(lambda s_: s_.blit(surf, rect.topleft))
        self.texts_extra = [f"{self.t(a.name)}: {s.actors[aid]['power']}, {s.actors[aid]['stance']}"
                            for aid, a in app.scenario.actors.items()]
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back, pygame.K_p: app.back}
        self.hints = [("Esc", _("back")), ("P", _("close power map"))]

    def visible_texts(self) -> list[str]:
        return super().visible_texts() + self.texts_extra


# ---------------------------------------------------------------------------------------
class HistoryScreen(Screen):
    name = "history"

    def __init__(self, app: "App"):
        super().__init__(app)
        self.first = 0

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        m = st.margin
        w = min(area.w - 2 * m, st.column_width(st.body, area.w - 2 * m, 90))
        y = self.text(_("History"), st.h1, c["text"], m, m, w)
        y = self.text(_("Your decisions so far. Choose one to play again from that decision."), st.body,
                      c["muted"], m, y, w) + st.gap
        bottom = self.hints_top() - st.gap
        rows: list[Button] = []
        for i, h in enumerate(s.history):
            scene = app.scenario.scenes.get(h.scene)
            try:
                ch = app.scenario.choice(f"{h.scene}.{h.choice}")
                ch_text = self.t(ch.text)
            except (KeyError, AttributeError):
                ch_text = h.choice
            changes = ", ".join(f"{self.t(app.scenario.meters[k].label) if k in app.scenario.meters else k} {signed(v)}"
                                for k, v in h.changes.items())
            label = f"{i + 1}. {self.t(scene.title) if scene else h.scene}: {ch_text}"
            tag = (changes + "  ·  " if changes else "") + _("play again from here")
            if h.replay:
                tag = _("(replay)") + "  " + tag
            rows.append(Button(id=f"turn:{i}", label=label, action=(lambda i=i: app.rewind(i)), tag_label=tag))
        if not rows:
            y = self.text(_("No decisions yet."), st.body, c["text"], m, y, w)
        yy = y
        for pos, b in enumerate(rows[self.first_row(len(rows)):], self.first):
            h = b.measure(st, w)
            if yy + h > bottom and pos > self.first:
                break
            b.rect = pygame.Rect(m, yy, w, h)
            self.btns.append(b)
            yy += h + st.gap // 2
        self.all_rows = rows
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back, pygame.K_h: app.back}
        self.hints = [(_("arrows"), _("move")), ("Enter", _("play again from here")), ("Esc", _("back"))]

    list_prefix = "turn:"



# ---------------------------------------------------------------------------------------
class SavesScreen(Screen):
    name = "saves"

    def __init__(self, app: "App"):
        super().__init__(app)
        self.name_input = self.entry("slot_name", app.suggest_slot_name(), self._save)
        self.message = ""

    def _save(self, value: str) -> None:
        self.message = self.app.save_slot(value)
        self.rebuild()

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        m = st.margin
        w = min(area.w - 2 * m, 900)
        y = self.text(_("Saved games"), st.h1, c["text"], m, m, w) + st.gap
        if app.session is not None and not app.session.finished:
            y = self.text(_("Save this game under a name:"), st.small_bold, c["text"], m, y, w)
            self.inputs.append(self.name_input)
            self.name_input.place(st, m, y, w - 220 - st.gap)
            self.button("save", _("Save"), lambda: self._save(self.name_input.value)).place(
                st, m + w - 220, y, 220)
            y = self.name_input.rect.bottom + st.gap
        if self.message:
            y = self.text(self.message, st.small_bold, c["accent"], m, y, w) + st.gap // 2
        y = self.text(_("Load or delete"), st.small_bold, c["text"], m, y + st.gap // 2, w)
        bottom = self.hints_top() - st.gap
        slots = app.slots()
        if not slots:
            y = self.text(_("No saved games yet."), st.body, c["muted"], m, y, w)
        for pos, info in enumerate(slots[self.first_row(len(slots)):], self.first):
            title = info.title_en if self.lang == "en" and info.title_en else info.title_nl
            status = _("finished") if info.finished else _("{n} decisions", n=info.turns)
            label = f"{_('Autosave') if info.slot == 'autosave' else info.slot} — {title}"
            b = Button(id=f"load:{info.slot}", label=label, action=(lambda sl=info.slot: app.load_slot(sl)),
                       tag_label=f"{status} · {str(info.saved_at)[:16].replace('T', ' ')}")
            h = b.measure(st, w - 200 - st.gap)
            if y + h > bottom and pos > self.first:
                break
            b.rect = pygame.Rect(m, y, w - 200 - st.gap, h)
            self.btns.append(self.row(b, pos))
            d = self.row(self.button(f"delete:{info.slot}", _("Delete"), (lambda sl=info.slot: self._delete(sl))), pos)
            d.measure(st, 200)
            d.rect = pygame.Rect(m + w - 200, y, 200, h)
            y += h + st.gap // 2
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Tab", _("next button")), ("Enter", _("choose")), ("Esc", _("back"))]
        self.list_hint()

    def _delete(self, slot: str) -> None:
        self.message = self.app.delete_slot(slot)
        self.rebuild()


# ---------------------------------------------------------------------------------------
class SettingsScreen(Screen):
    name = "settings"

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.settings
        m = st.margin
        y = self.text(_("Settings"), st.h1, c["text"], m, m, area.w - 2 * m) + st.gap
        label_w = min(360, int(area.w * 0.3))
        opt_w = min(240, (area.w - 2 * m - label_w - 3 * st.gap) // 3)
        rows = [
            ("lang", _("Language"), [("nl", "Nederlands"), ("en", "English")], s.lang),
            ("text_size", _("Text size"), [("normal", _("normal")), ("large", _("large")), ("xlarge", _("extra large"))],
             s.text_size),
            ("high_contrast", _("High contrast"), [(False, _("off")), (True, _("on"))], s.high_contrast),
            ("coach", _("Coach (feedback after each choice)"), [(False, _("off")), (True, _("on"))], s.coach),
            ("fullscreen", _("Full screen (F11)"), [(False, _("off")), (True, _("on"))], s.fullscreen),
        ]
        bh = round(st.body_px * 2.2)
        for field_, label, options, current in rows:
            lines = wrap(st.body, label, label_w)
            self.blocks.append(Block(label, lines, st.body, c["text"], m, y + (bh - st.line_height(st.body)) // 2,
                                     st.line_height(st.body)))
            x = m + label_w + st.gap
            for value, text in options:
                b = self.button(f"{field_}:{value}", text, (lambda f=field_, v=value: app.change_setting(f, v)),
                                kind="toggle", selected=value == current)
                b.place(st, x, y, opt_w)
                x += opt_w + st.gap
            y += max(bh, len(lines) * st.line_height(st.body)) + st.gap
        y += st.gap
        y = self.text(_("For class use, switch the coach off: the group discusses the choices itself."),
                      st.small, c["muted"], m, y, st.column_width(st.small, area.w - 2 * m))
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Tab", _("next button")), ("Enter", _("choose")), ("Esc", _("back")), ("F11", _("full screen"))]


# ---------------------------------------------------------------------------------------
class OpenFolderScreen(Screen):
    name = "open_folder"

    def __init__(self, app: "App", folder: str = ""):
        super().__init__(app)
        self.input = self.entry("folder", folder or str(Path.cwd()), self._open)
        self.files: list[Path] = []
        self.message = ""
        self._open(self.input.value, quiet=True)

    def _open(self, value: str, quiet: bool = False) -> None:
        _ = self._
        p = Path(os.path.expanduser(value.strip() or "."))
        self.files, self.first = [], 0
        if p.is_file():
            self.app.start(str(p))
            return
        if not p.is_dir():
            self.message = _("That folder does not exist: {path}", path=str(p))
        else:
            self.files = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            self.message = "" if self.files else _("No scenario files (.yaml) in {path}.", path=str(p))
        if not quiet:
            self.rebuild()

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        m = st.margin
        w = min(area.w - 2 * m, 1000)
        y = self.text(_("Open folder"), st.h1, c["text"], m, m, w)
        y = self.text(_("Type the path of a folder with scenario files (or of one file) and press Enter."), st.body,
                      c["muted"], m, y, st.column_width(st.body, w)) + st.gap
        self.inputs.append(self.input)
        y = self.input.place(st, m, y, w) + st.gap
        if self.message:
            y = self.text(self.message, st.body, c["bad"], m, y, w) + st.gap
        bottom = self.hints_top() - st.gap
        for pos, f in enumerate(self.files[self.first_row(len(self.files)):], self.first):
            b = Button(id=f"file:{pos + 1}", label=f.name, action=(lambda f=f: app.start(str(f))),
                       tag_label=str(f.parent))
            h = b.measure(st, w)
            if y + h > bottom and pos > self.first:
                break
            b.rect = pygame.Rect(m, y, w, h)
            self.btns.append(self.row(b, pos))
            y += h + st.gap // 2
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Enter", _("open")), ("Tab", _("next button")), ("Esc", _("back"))]
        self.list_hint()
