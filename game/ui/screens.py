"""The screens of the game window. Each screen reads the session and calls the App;
none owns game rules. Every screen lists its buttons (for focus, tests and the
mouse) and the texts it shows (``visible_texts``)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import pygame

from game.play.debrief import moment_changes
from game.scenario.model import Text
from game.ui import charts
from game.ui.focus import Focus
from game.ui.theme import meter_direction
from game.ui.widgets import Button, TextEntry, change_colour, draw_lines, draw_meter, meter_height, signed, wrap

if TYPE_CHECKING:  # pragma: no cover
    from game.ui.app import App

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
    view: Optional[str] = None  # the scrolled view it lives in (None: fixed on the screen)

    def line_rects(self) -> list[pygame.Rect]:
        """Where each non-empty line is drawn."""
        out = []
        for i, ln in enumerate(self.lines):
            if ln:
                w, h = self.font.size(ln)
                out.append(pygame.Rect(self.x, self.y + i * self.lh, w, min(h, self.lh)))
        return out


@dataclass
class View:
    """A scrolled part of a screen: what lies inside ``rect`` moves by ``offset``."""

    rect: pygame.Rect
    content_h: int = 0
    offset: int = 0

    @property
    def overflow(self) -> int:
        return max(0, self.content_h - self.rect.h)


# keys named in the hint bar, so a click on a hint does what the key does
HINT_KEYS = {"Esc": pygame.K_ESCAPE, "Tab": pygame.K_TAB, "Enter": pygame.K_RETURN, "PgDn": pygame.K_PAGEDOWN,
             "PgUp": pygame.K_PAGEUP, "F11": pygame.K_F11, "P": pygame.K_p, "H": pygame.K_h, "S": pygame.K_s,
             "B": pygame.K_b, "R": pygame.K_r, "T": pygame.K_t, "V": pygame.K_v, "O": pygame.K_o, "L": pygame.K_l,
             "Q": pygame.K_q, "K": pygame.K_k}


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
        self.views: dict[str, View] = {}  # scrolled parts, by name (see begin_view)
        self._offsets: dict[str, int] = {}  # how far each view is scrolled (kept across layouts)
        self._view: Optional[str] = None  # the view compose is filling now
        self.regions: list[tuple[str, pygame.Rect]] = []  # drawn areas that are not text or buttons
        self.pictures: list[list] = []  # [surface, rect, view]: images (a view's scroll with it)
        self.hint_items: list[tuple[pygame.Rect, str, str, Optional[int]]] = []  # (rect, key, what, keycode)
        # keys held down when this screen appeared (an Enter that closed a card): ignored until released
        self.stale_keys: set[int] = set(getattr(app, "held", ()))

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
        self.blocks.append(Block(s, lines, f, colour, x, y, lh, self._view))
        return y + lh * len(lines)

    def entry(self, id: str, value: str, on_enter: Callable[[str], None]) -> TextEntry:
        """A pygame_gui text field in the App's UI manager; place it in ``compose`` and add it
        to ``self.inputs`` to show it (Enter in the field calls ``on_enter(text)``)."""
        e = TextEntry(lambda: self.app.ui, id, value, on_enter)
        self.owned.append(e)
        return e

    def button(self, id: str, label: str, action: Callable[[], None], **kw) -> Button:
        b = Button(id=id, label=label, action=action, **kw)
        b.view = self._view
        self.btns.append(b)
        return b

    def add_button(self, b: Button) -> Button:
        """Add a button made elsewhere (in the view being filled)."""
        b.view = self._view
        self.btns.append(b)
        return b

    # -- scrolled views ------------------------------------------------------------
    def begin_view(self, name: str, rect: pygame.Rect) -> int:
        """Lay out what follows in the scrolled view ``name`` inside ``rect`` (in unscrolled
        coordinates, as if it were as tall as it needs); returns the y to start at."""
        self.views[name] = View(pygame.Rect(rect), 0, self._offsets.get(name, 0))
        self._view = name
        return rect.top

    def end_view(self, bottom: int) -> None:
        """The view's content ends at ``bottom``: clamp the scroll and move its elements."""
        name, self._view = self._view, None
        v = self.views[name]
        v.content_h = bottom - v.rect.top
        v.offset = max(0, min(v.offset, v.overflow))
        self._offsets[name] = v.offset
        if v.offset:
            for blk in self.blocks:
                if blk.view == name:
                    blk.y -= v.offset
            for b in self.btns:
                if b.view == name:
                    b.rect = b.rect.move(0, -v.offset)
            for pic in self.pictures:
                if pic[2] == name:
                    pic[1] = pic[1].move(0, -v.offset)

    def picture(self, surf: pygame.Surface, pos: tuple[int, int], name: str = "image") -> pygame.Rect:
        """Show an image at ``pos`` (in the view being filled, if any)."""
        rect = pygame.Rect(pos, surf.get_size())
        self.pictures.append([surf, rect, self._view, name])
        return rect

    def in_sight(self, item: Any) -> bool:
        """Is the element wholly inside its view (or fixed)?"""
        name = getattr(item, "view", None)
        return name is None or name not in self.views or self.views[name].rect.contains(item.rect)

    def scroll_view(self, name: str, dy: int) -> bool:
        v = self.views.get(name)
        if v is None:
            return False
        new = max(0, min(v.overflow, v.offset + dy))
        if new == v.offset:
            return False
        self._offsets[name] = new
        self.rebuild()
        return True

    def reveal(self, item: Any) -> bool:
        """Scroll the element's view so all of it is in sight (after a focus move)."""
        name = getattr(item, "view", None)
        if item is None or name not in self.views or self.in_sight(item):
            return False
        v = self.views[name]
        if item.rect.top < v.rect.top:
            dy = item.rect.top - v.rect.top
        else:
            dy = min(item.rect.bottom - v.rect.bottom, item.rect.top - v.rect.top)
        keep = item.id
        changed = self.scroll_view(name, dy)
        self.focus.focus_id(keep)
        return changed

    def view_at(self, pos) -> Optional[str]:
        for name, v in self.views.items():
            if v.overflow and v.rect.collidepoint(pos):
                return name
        return None

    def main_view(self) -> Optional[str]:
        """The view PgUp/PgDn move (the first that overflows)."""
        return next((n for n, v in self.views.items() if v.overflow), None)

    def scrollbar(self, name: str) -> Optional[tuple[pygame.Rect, pygame.Rect]]:
        """The track and thumb drawn right of a view that overflows."""
        v = self.views.get(name)
        if v is None or not v.overflow:
            return None
        w = max(6, round(8 * self.style.scale))
        track = pygame.Rect(v.rect.right + max(2, self.style.gap // 2), v.rect.top, w, v.rect.h)
        th = max(2 * w, round(v.rect.h * v.rect.h / v.content_h))
        ty = v.rect.top + round((v.rect.h - th) * v.offset / v.overflow)
        return track, pygame.Rect(track.x, ty, w, th)

    # -- life cycle ----------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay the screen out again (entering, resize, a setting changed)."""
        keep = self.focus.current.id if self.focus.current is not None else None
        self.blocks, self.btns, self.inputs, self.hotkeys, self.hints, self.extra_draw = [], [], [], {}, [], []
        self.rows: dict[str, int] = {}
        self.views, self.regions, self.pictures, self._view = {}, [], [], None
        w, h = self.app.size
        self.compose(pygame.Rect(0, 0, w, h))
        self.layout_hints()
        self.focus.set_items(self.focusables(), keep_id=keep)

    def compose(self, area: pygame.Rect) -> None:  # pragma: no cover - every screen overrides
        raise NotImplementedError

    def focusables(self) -> list[Any]:
        """The tab order: fields, then the buttons as laid out; the corner buttons (Menu, Back) last."""
        btns = [b for b in self.btns if b.enabled]
        return [*self.inputs, *[b for b in btns if b.id not in ("menu", "back")],
                *[b for b in btns if b.id in ("menu", "back")]]

    def after_key(self) -> None:
        """The focus moved by a key: bring the focused element into sight."""
        self.reveal(self.focus.current)

    def update(self, dt: float) -> bool:
        return False

    @property
    def animating(self) -> bool:
        return False

    # -- input -------------------------------------------------------------------
    def button_at(self, pos) -> Optional[Button]:
        for b in self.btns:
            if b.enabled and b.rect.collidepoint(pos) and self.in_sight(b):
                return b
        return None

    def hint_at(self, pos) -> Optional[int]:
        for rect, _k, _w, code in self.hint_items:
            if code is not None and rect.collidepoint(pos):
                return code
        return None

    def press_key(self, code: int) -> bool:
        """What a click on a key hint does: the same as the key."""
        if code == pygame.K_F11:
            self.app.toggle_fullscreen()
            return True
        return self.handle(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0))

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
        if event.type == pygame.KEYUP:
            self.stale_keys.discard(event.key)
            return False
        if event.type == pygame.KEYDOWN and event.key in self.stale_keys:
            return True  # still the press that closed the screen before: it chooses nothing here
        if self.list_scroll(event):
            return True
        if event.type == pygame.MOUSEMOTION:
            # one highlight: the pointer moves the focus ring to the button under it
            b = self.button_at(event.pos)
            changed = False
            for x in self.btns:
                hov = x is b
                changed |= hov != x.hover
                x.hover = hov
            if b is not None and b is not cur and not isinstance(cur, TextEntry):
                self.focus.focus_id(b.id)
                changed = True
            return changed
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._pressed = self.button_at(event.pos)
            if self._pressed is None:
                code = self.hint_at(event.pos)
                if code is not None:
                    return self.press_key(code)
                return self.click_scrollbar(event.pos)
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            b = self.button_at(event.pos)
            pressed, self._pressed = self._pressed, None
            if b is not None and b is pressed:
                self.focus.focus_id(b.id)
                self.activate(b)
                return True
            return False
        if event.type == pygame.MOUSEWHEEL:
            pos = pygame.mouse.get_pos() if pygame.mouse.get_focused() else None
            name = (self.view_at(pos) if pos else None) or self.main_view()
            if name is not None and self.total_rows <= 1:
                return self.scroll_view(name, -event.y * 3 * self.style.line_height(self.style.body))
            return self.scroll(-event.y)
        if event.type != pygame.KEYDOWN:
            return False
        if self.focus.handle(event):
            self.after_key()
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
        if event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            step = 1 if event.key == pygame.K_PAGEDOWN else -1
            name = self.main_view()
            if name is not None and self.total_rows <= 1:
                v = self.views[name]
                return self.scroll_view(name, step * max(40, v.rect.h - 2 * self.style.line_height(self.style.body)))
            return self.scroll(step)
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

    def list_rows(self, total: int, make_row: Callable[[int], list[tuple[Button, int, int]]],
                  y: int, bottom: int) -> int:
        """The one scrolled list of buttons: rows ``self.first`` … from ``y`` down to ``bottom`` (at least one).

        ``make_row(pos)`` gives the buttons of row ``pos`` as (button, x, width); a row is as high as its
        tallest button. The window of rows follows the focus, PgUp/PgDn and the wheel. Returns the y below."""
        st = self.style
        for pos in range(self.first_row(total), total):
            cells = make_row(pos)
            h = max(b.measure(st, cw) for b, _x, cw in cells)
            if y + h > bottom and pos > self.first:
                break
            for b, x, cw in cells:
                b.rect = pygame.Rect(x, y, cw, h)
                self.add_button(self.row(b, pos))
            y += h + st.gap // 2
        return y

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

    def click_scrollbar(self, pos) -> bool:
        """A click on a scrollbar's track pages the view up or down."""
        for name, v in self.views.items():
            bar = self.scrollbar(name)
            if bar is not None and bar[0].inflate(12, 0).collidepoint(pos):
                step = max(40, v.rect.h - 2 * self.style.line_height(self.style.body))
                return self.scroll_view(name, step if pos[1] > bar[1].centery else -step)
        return False

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
            if blk.view is None or blk.view not in self.views:
                draw_lines(surface, blk.lines, blk.font, blk.colour, blk.x, blk.y, blk.lh)
                continue
            box = self.views[blk.view].rect
            for i, ln in enumerate(blk.lines):  # only whole lines, inside the view
                y = blk.y + i * blk.lh
                if ln and y >= box.top and y + blk.font.get_height() <= box.bottom:
                    surface.blit(blk.font.render(ln, True, blk.colour), (blk.x, y))
        for surf, rect, view, _n in self.pictures:
            box = self.views[view].rect if view in self.views else None
            if box is None:
                surface.blit(surf, rect)
            elif box.colliderect(rect):  # a picture may be partly in sight while the view scrolls
                clip = surface.get_clip()
                surface.set_clip(box)
                surface.blit(surf, rect)
                surface.set_clip(clip)
        for fn in self.extra_draw:
            fn(surface)
        for b in self.btns:
            if self.in_sight(b):
                b.draw(surface, st)
        for name in self.views:
            bar = self.scrollbar(name)
            if bar is not None:
                pygame.draw.rect(surface, st.c["bar_back"], bar[0], border_radius=4)
                pygame.draw.rect(surface, st.c["muted"], bar[1], border_radius=4)
        self.draw_hints(surface)  # the text fields are pygame_gui elements: the App draws them
        cur = self.focus.current
        if cur is not None and self.in_sight(cur):
            self.focus.draw(surface, st.c["focus"])

    def layout_hints(self) -> None:
        """Place the key hints along the bottom; a hint whose key does something is clickable.
        Hints that do not fit are left out (the first ones matter most), never drawn over."""
        self.hint_items = []
        if not self.hints:
            return
        st = self.style
        w = self.app.size[0]
        x = st.margin
        y = self.app.size[1] - st.small.get_linesize() - st.gap
        pad = max(3, st.gap // 3)
        for key, what in self.hints:
            kw, ww = st.small_bold.size(key)[0], st.small.size(what)[0]
            sp = max(6, st.gap // 2)  # between the key and what it does
            rect = pygame.Rect(x - pad, y - 1, kw + sp + ww + 2 * pad, st.small.get_linesize() + 2)
            if rect.right > w - st.margin + pad:
                break
            code = HINT_KEYS.get(key)
            self.hint_items.append((rect, key, what, code))
            x = rect.right + pad + st.gap

    def draw_hints(self, surface: pygame.Surface) -> None:
        if not self.hint_items:
            return
        st = self.style
        y = self.hint_items[0][0].y + 1
        pygame.draw.line(surface, st.c["border"], (st.margin, y - st.gap // 2),
                         (surface.get_width() - st.margin, y - st.gap // 2))
        for rect, key, what, code in self.hint_items:
            if code is not None:  # clickable: a key cap
                pygame.draw.rect(surface, st.c["border"], rect, width=1, border_radius=4)
            ks = st.small_bold.render(key, True, st.c["muted"])
            surface.blit(ks, (rect.x + max(3, st.gap // 3), y))
            surface.blit(st.small.render(what, True, st.c["muted"]),
                         (rect.x + max(3, st.gap // 3) + ks.get_width() + max(6, st.gap // 2), y))

    def hints_top(self) -> int:
        """The y where the key-hint bar starts."""
        st = self.style
        return self.app.size[1] - st.small.get_linesize() - 2 * st.gap

    def menu_button(self, area: pygame.Rect) -> Button:
        """'Menu (Esc)' in the top-right corner: the mouse's way to saving, settings, quitting."""
        st = self.style
        label = self._("Menu") + "  (Esc)"
        w = st.body.size(label)[0] + 3 * st.gap
        b = self.button("menu", label, self.app.show_menu)
        b.place(st, area.w - st.margin - w, st.margin, w)
        return b

    # -- geometry, for tests ------------------------------------------------------------
    def layout_rects(self) -> list[tuple[str, pygame.Rect]]:
        """Everything this screen draws, as (name, rect): text lines, buttons, fields, hints and
        other regions. Elements of a scrolled view count only while wholly in sight."""
        out: list[tuple[str, pygame.Rect]] = []
        for blk in self.blocks:
            box = self.views[blk.view].rect if blk.view in self.views else None
            for i, r in enumerate(blk.line_rects()):
                if box is None or box.contains(r):
                    out.append((f"text:{blk.text[:30]}", r))
        for b in self.btns:
            if self.in_sight(b):
                out.append((f"button:{b.id}", pygame.Rect(b.rect)))
        for e in self.inputs:
            out.append((f"field:{e.id}", pygame.Rect(e.rect)))
        for rect, key, _w, _c in self.hint_items:
            out.append((f"hint:{key}", pygame.Rect(rect)))
        for name in self.views:
            bar = self.scrollbar(name)
            if bar is not None:
                out.append((f"scrollbar:{name}", bar[0]))
        out.extend((n, pygame.Rect(r)) for n, r in self.regions)
        for _s, rect, view, name in self.pictures:
            if view not in self.views or self.views[view].rect.contains(rect):
                out.append((f"picture:{name}", pygame.Rect(rect)))
        return out

    def cut_texts(self) -> list[str]:
        """Texts whose lines are wider than the window or do not hold all their words."""
        bad = []
        for blk in self.blocks:
            if " ".join(" ".join(blk.lines).split()) != " ".join(blk.text.split()) and not getattr(blk, "paged", False):
                bad.append(blk.text[:40])
        for b in self.btns:
            if b.lines and " ".join(" ".join(b.lines).split()) != " ".join(b.label.split()):
                bad.append(b.label[:40])
        return bad

    # -- queries for tests -------------------------------------------------------------
    def visible_texts(self) -> list[str]:
        return [b.text for b in self.blocks] + [b.label for b in self.btns] + [b.tag_label for b in self.btns
                                                                               if b.tag_label]

    def buttons(self) -> list[dict]:
        cur = self.focus.current
        return [{"id": b.id, "label": b.label, "hint": b.hint, "focused": b is cur, "selected": b.selected,
                 "enabled": b.enabled, "rect": pygame.Rect(b.rect), "in_sight": self.in_sight(b)} for b in self.btns]

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
        first_h = Button("x", self.infos[0]["title"] if self.infos else "x", lambda: None, hint="1").measure(st, left_w)
        if grid_top - st.gap - y < first_h:  # no room for even one scenario above the tools: the list and the
            # tools share one view that scrolls (with the focus, the wheel and PgDn)
            y = self.begin_view("left", pygame.Rect(m, y, left_w, self.hints_top() - st.gap - y))
            for pos, info in enumerate(self.infos):
                b = Button(id=f"scenario:{pos}", label=info["title"], action=(lambda p=info["path"]: app.start(p)),
                           hint=str(pos + 1) if pos < 9 else "")
                y = self.add_button(b).place(st, m, y, left_w) + st.gap // 2
            y += st.gap
            for n, b in enumerate(tools):
                b.measure(st, cell_w)
                b.rect = pygame.Rect(m + (n % cols) * (cell_w + st.gap), y + (n // cols) * (cell_h + st.gap // 2),
                                     cell_w, cell_h)
                self.add_button(b)
            self.end_view(y + rows_n * (cell_h + st.gap // 2))
            self.total_rows, self.first = 0, 0
            tools = []
        if tools:  # the scenarios above the tools; when they do not all fit, the list scrolls (with a scrollbar)
            made = [Button(id=f"scenario:{pos}", label=info["title"], action=(lambda p=info["path"]: app.start(p)),
                           hint=str(pos + 1) if pos < 9 else "") for pos, info in enumerate(self.infos)]
            heights = [b.measure(st, left_w) for b in made]
            room = grid_top - st.gap - y
            if sum(heights) + st.gap // 2 * (len(made) - 1) > room:
                y = self.begin_view("list", pygame.Rect(m, y, left_w, room))
            for b, h in zip(made, heights):
                b.rect = pygame.Rect(m, y, left_w, h)
                self.add_button(b)
                y += h + st.gap // 2
            if "list" in self.views:
                self.end_view(y - st.gap // 2)
            self.total_rows, self.first = 0, 0
        for n, b in enumerate(tools):
            b.rect = pygame.Rect(m + (n % cols) * (cell_w + st.gap), grid_top + (n // cols) * (cell_h + st.gap // 2),
                                 cell_w, cell_h)
            self.btns.append(b)
        self.latest = latest
        self.hotkeys.update({pygame.K_k: app.show_class_setup, pygame.K_o: app.show_open_folder, pygame.K_l: app.show_saves,
                             pygame.K_s: app.show_settings, pygame.K_q: app.quit})
        bar = max(6, round(8 * st.scale)) + st.gap if self.views else 0  # the list's scrollbar
        self.divider_x = m + left_w + bar + m // 2
        self.detail_x = self.divider_x + m // 2 + st.gap
        self.detail_w = st.column_width(st.body, area.w - self.detail_x - m)
        # projector mode, top right above the details (last in the tab order)
        label = _("Play as a class") + "  (K)"
        cw = min(area.w - m - self.detail_x, st.body.size(label)[0] + 3 * st.gap)
        klass = self.button("class", label, app.show_class_setup)
        klass.place(st, area.w - m - cw, m, cw)
        self.detail_top = klass.rect.bottom + st.gap
        self.hints = [("1–9", _("play scenario")), ("Tab", _("next button")), ("Enter", _("choose")),
                      ("S", _("settings")), ("F11", _("full screen"))]
        if "list" in self.views and self.views["list"].overflow:
            self.hints.insert(1, ("PgDn", _("more scenarios")))
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
        limit = self.hints_top() - st.gap
        for body in (st.body, st.small):  # a long description in smaller type rather than cut off
            blocks: list[Block] = []
            y = self.detail_top

            def add(s: str, f, colour, gap: int = 0) -> None:
                nonlocal y
                lh = st.line_height(f)
                lines = wrap(f, s, w)
                blocks.append(Block(s, lines, f, colour, x, y, lh))
                y += lh * len(lines) + gap

            add(info["title"], st.h2 if body is st.body else st.bold, c["text"], st.gap // 2)
            if info.get("problems"):
                add(_("This scenario has errors; choose it to see them."), body, c["bad"], st.gap)
            else:
                if info.get("minutes"):
                    add(_("About {n} minutes", n=info["minutes"]), st.small, c["muted"], st.gap // 2)
                if info.get("summary"):
                    add(info["summary"], body, c["text"], st.gap)
                found = info.get("found", [])
                add(_("Endings you found: {n} of {total}", n=len(found), total=info.get("endings", 0)),
                    st.small_bold, c["text"])
                for title in found:
                    add(f"•  {title}", st.small, c["text"])
                y += st.gap
                if info.get("goals"):
                    add(_("Learning goals"), st.small_bold, c["text"])
                    for g in info["goals"]:
                        add(f"•  {g}", body, c["text"])
            if y <= limit:
                break
        top = self.detail_top
        if y > limit:  # still too long: the panel scrolls (the wheel, its scrollbar)
            v = View(pygame.Rect(x, top, w, limit - top), y - top, self._offsets.get("detail", 0))
            v.offset = max(0, min(v.offset, v.overflow))
            self.views["detail"] = v
            for blk in blocks:
                blk.view = "detail"
                blk.y -= v.offset
        self._detail_for, self._details = info["path"], blocks
        return blocks

    def layout_rects(self) -> list[tuple[str, pygame.Rect]]:
        blocks = self._detail_blocks()  # (makes the details' view when they scroll)
        box = self.views["detail"].rect if "detail" in self.views else None
        return super().layout_rects() + [(f"text:{b.text[:30]}", r) for b in blocks
                                         for r in b.line_rects() if box is None or box.contains(r)]

    def cut_texts(self) -> list[str]:
        return super().cut_texts() + [b.text[:40] for b in self._detail_blocks()
                                      if " ".join(b.lines).split() != b.text.split()]

    def visible_texts(self) -> list[str]:
        return super().visible_texts() + [b.text for b in self._detail_blocks()]

    def draw(self, surface: pygame.Surface) -> None:
        st = self.style
        pygame.draw.line(surface, st.c["border"], (self.divider_x, st.margin),
                         (self.divider_x, self.hints_top() - st.gap))
        blocks = self._detail_blocks()
        box = self.views["detail"].rect if "detail" in self.views else None
        for blk in blocks:
            for i, ln in enumerate(blk.lines):
                y = blk.y + i * blk.lh
                if ln and (box is None or (y >= box.top and y + blk.font.get_height() <= box.bottom)):
                    surface.blit(blk.font.render(ln, True, blk.colour), (blk.x, y))
        super().draw(surface)


# ---------------------------------------------------------------------------------------
def problem_pages(problems: list[tuple[str, list[str]]], per_page: int) -> list[list[tuple[str, list[str]]]]:
    """Problems (text, wrapped lines) on pages of ``per_page`` lines: a page breaks between
    problems, never inside one, unless one problem alone is longer than a page."""
    pages: list[list[tuple[str, list[str]]]] = [[]]
    used = 0
    for text, lines in problems:
        while lines:
            if used and used + len(lines) > per_page:  # does not fit after the ones above: a new page
                pages.append([])
                used = 0
            part = lines[:per_page]
            pages[-1].append((text, part))
            used += len(part)
            lines = lines[per_page:]
    return pages


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
        self.pages = pages = problem_pages([(p, wrap(st.small, p, w)) for p in self.problems], per_page)
        self.page = min(self.page, len(pages) - 1)
        for full, lines in pages[self.page]:
            self.blocks.append(Block(full, lines, st.small, c["text"], m, y, lh))
            y += lh * len(lines)
        pages = len(pages)
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


def typeset(text: str) -> str:
    """A real minus sign before a number ("-4" → "−4"), no stray spaces."""
    import re

    return re.sub(r"(^|[\s(])-(?=\d)", lambda m: m.group(1) + "\u2212", " ".join(text.split(" ")).strip())


def font_for(st, text: str, width: int):
    """The bold font that fits ``text`` in ``width`` (the small one, or smaller for a tiny disc)."""
    from game.ui.widgets import font as load

    size = st.small_bold.get_height()
    f = st.small_bold
    while f.size(text)[0] > width and size > 9:
        size -= 1
        f = load(st.fonts["bold"], size)
    return f


def name_font(st, name: str, width: int):
    """The small font, or a smaller size (down to 13 px) when one word of ``name`` is wider than
    ``width``: a name is never broken inside a word ("Moskeebestuu/r")."""
    from game.ui.widgets import font as load

    longest = max(name.split(), key=lambda w: st.small.size(w)[0], default="")
    f, size = st.small, max(16, round(st.body_px * 0.8))  # the small font's own size (see Style)
    while f.size(longest)[0] > width and size > 13:
        size -= 1
        f = load(st.fonts["regular"], size)
    return f


class MeterItem:
    """A meter in the scene's side panel: focusable (Tab, hover) to show what it means."""

    enabled = True
    view = None
    label = ""

    def __init__(self, id: str, rect: pygame.Rect):
        self.id, self.rect = id, rect


class SceneScreen(GameScreen):
    name = "scene"

    GUARD_SECONDS = 0.35  # Enter/Space right after the scene appears is ignored (a double press picks nothing)
    FADE_SECONDS = 0.25  # a new scene fades in, gently

    def __init__(self, app: "App"):
        super().__init__(app)
        self.page = 0
        self.shown_at = app.now
        self.fade = 0.0
        self.focus.clear()  # no choice is preselected: Enter chooses nothing until one is picked
        self.meter_items: list[MeterItem] = []

    def handle(self, event: pygame.event.Event) -> bool:
        if (event.type == pygame.KEYDOWN and event.key in ACTIVATE_KEYS
                and self.app.now - self.shown_at < self.GUARD_SECONDS):
            return True
        if event.type == pygame.MOUSEMOTION:  # a meter under the pointer shows what it means
            for it in self.meter_items:
                if it.rect.collidepoint(event.pos):
                    if self.focus.current is not it:
                        self.focus.focus_id(it.id)
                        return True
                    return False
        return super().handle(event)

    def focusables(self) -> list[Any]:
        return [*super().focusables(), *self.meter_items]

    def update(self, dt: float) -> bool:
        if self.fade < 1.0:
            self.fade = min(1.0, self.fade + dt / self.FADE_SECONDS)
            return True
        return False

    @property
    def animating(self) -> bool:
        return self.app.flash_level() > 0 or self.fade < 1.0

    def choice_buttons(self, col: int) -> list[Button]:
        """The offered choices as buttons. Their strategy and agency stay hidden (the dilemma stays a
        dilemma) unless a trainer switched "show strategy before choosing" on."""
        app, _ = self.app, self._
        tags = bool(getattr(app.settings, "show_tags", False))
        out = []
        for i, ch in enumerate(app.session.available(), 1):
            tag_label = " · ".join(x for x in (_(ch.strategy) if ch.strategy else "",
                                               _(ch.agency) if ch.agency else "") if x) if tags else ""
            out.append(Button(id=f"choice:{ch.id}", label=self.t(ch.text).strip(), action=(lambda n=i: app.choose(n)),
                              hint=str(i) if i <= 9 else "", kind="choice",
                              tag=ch.strategy if tags else None, tag_label=tag_label))
        offered = getattr(app.session, "offered", None)
        for option in (offered() if offered is not None else ()):  # locked choices: greyed, with the reason
            if not option.available:
                ch = option.choice
                out.append(Button(id=f"locked:{ch.id}", label=_("{choice} — locked: {reason}", choice=self.t(ch.text),
                                                                reason=self.t(ch.show_locked)),
                                  action=None, kind="choice", enabled=False))
        return out

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        scene = s.scene
        m = st.margin
        menu = self.menu_button(area)
        bar_w = max(6, round(8 * st.scale)) + st.gap  # room for the scrollbar
        side_w = max(240, min(int(area.w * 0.3), round(520 * st.scale)))
        side_x = area.w - m - side_w
        main_w = side_x - m - m - bar_w
        col = min(main_w, st.column_width(st.body, main_w))
        bottom = self.hints_top() - st.gap
        # the scene: subtitle, title, text, then the choices, in one view that scrolls when it is long
        y = self.begin_view("scene", pygame.Rect(m, m, main_w, bottom - m))
        img = app.scene_image(scene) or app.cover_image()
        if img is not None:  # the illustration across the top of the scene, as in a picture book
            iw, ih = img.get_size()
            scale = min(col / iw, (area.h * (0.3 if area.h >= 700 else 0.22)) / ih)
            # the picture gives way first: it shrinks (or goes) so that the text and the choices fit in
            # the first view whenever they could fit without it
            lines = lambda f, t: self.style.line_height(f) * len(wrap(f, t, col))  # noqa: E731
            words = (lines(st.small, self.t(app.scenario.title)) + lines(st.h1, self.t(scene.title) or scene.id)
                     + lines(st.body, self.t(scene.text).strip()) + lines(st.small_bold, _("What do you do?"))
                     + 4 * st.gap + sum(b.measure(st, col) + st.gap // 2 for b in self.choice_buttons(col)))
            room = (bottom - m) - words - st.gap
            if room < ih * scale:
                scale = max(0.0, room / ih)
            if ih * scale >= 60:
                surf = pygame.transform.smoothscale(img, (max(1, int(iw * scale)), max(1, int(ih * scale))))
                y = self.picture(surf, (m, y), "scene").bottom + st.gap
        sub = _("{scenario} · phase {phase} · decision {n}", scenario=self.t(app.scenario.title), phase=scene.phase,
                n=s.turns + 1) if scene.phase else _("{scenario} · decision {n}", scenario=self.t(app.scenario.title),
                                                          n=s.turns + 1)
        y = self.text(sub, st.small, c["muted"], m, y, col)
        y = self.text(self.t(scene.title).strip() or scene.id, st.h1, c["text"], m, y, col) + st.gap
        y = self.text(self.t(scene.text).strip(), st.body, c["text"], m, y, col) + 2 * st.gap
        choices = self.choice_buttons(col)
        self.pages, self.page = 1, 0
        y = self.text(_("What do you do?"), st.small_bold, c["muted"], m, y, col) + st.gap // 2
        for b in choices:
            y = self.add_button(b).place(st, m, y, col) + st.gap // 2
        self.end_view(y)
        # the side panel: the illustration, who is involved, the meters
        self.side = pygame.Rect(side_x, menu.rect.bottom + st.gap, side_w, bottom - menu.rect.bottom - st.gap)
        self.actor_texts: list[str] = []
        self._side_panel(scene)
        self.game_keys()
        n = len(choices)
        self.hints = [(f"1–{n}" if n > 1 else "1", _("choose")), ("Esc", _("menu")), ("P", _("power map")),
                      ("H", _("history")), ("Tab", _("next button"))]
        if self.views["scene"].overflow:
            self.hints.insert(1, ("PgDn", _("read on")))

    def _side_panel(self, scene) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        side = self.side
        rows = self.meter_rows()
        head = st.line_height(st.small_bold)
        full_h, compact_h = meter_height(st), meter_height(st, compact=True)
        self.compact = side.h < head + len(rows) * full_h + st.gap
        mh = compact_h if self.compact else full_h
        meters_h = head + len(rows) * mh
        free = side.h - meters_h - st.gap
        sy = side.y
        # actors: small cards, made here (initials on a coloured disc, name, where they stand)
        actors = list(app.scenario.actors.values())
        card_w = max(round(96 * st.scale), st.small.size("Wethouder")[0])
        per_row = max(1, min(len(actors), (side.w + st.gap) // (card_w + st.gap)))
        card_w = (side.w - (per_row - 1) * st.gap) // per_row
        self.disc = min(round(card_w * 0.4), round(64 * st.scale)) // 2
        card_h = 2 * self.disc + st.gap // 3 + 2 * st.line_height(st.small)
        actors_h = (head + -(-len(actors) // per_row) * (card_h + st.gap)) if actors else 0
        # when the cards do not fit: one line per actor, a small disc beside the name, in two columns
        lh_s = st.line_height(st.small)
        cols2 = 2 if side.w >= round(360 * st.scale) else 1
        row_w = (side.w - (cols2 - 1) * st.gap) // cols2
        rows_h = head + -(-len(actors) // cols2) * (2 * lh_s + st.gap // 2)
        if actors and actors_h <= free:
            sy = self.text(_("Who is involved"), st.small_bold, c["muted"], side.x, sy, side.w)
            for i, a in enumerate(actors):
                r = pygame.Rect(side.x + (i % per_row) * (card_w + st.gap), sy + (i // per_row) * (card_h + st.gap),
                                card_w, card_h)
                self._actor_card(i, a, r)
            sy += -(-len(actors) // per_row) * (card_h + st.gap)
        elif actors and rows_h <= free:
            sy = self.text(_("Who is involved"), st.small_bold, c["muted"], side.x, sy, side.w)
            self.disc = max(8, lh_s // 2)
            for i, a in enumerate(actors):
                r = pygame.Rect(side.x + (i % cols2) * (row_w + st.gap), sy + (i // cols2) * (2 * lh_s + st.gap // 2),
                                row_w, 2 * lh_s)
                self._actor_card(i, a, r, row=True)
            sy += -(-len(actors) // cols2) * (2 * lh_s + st.gap // 2)
        sy = self.text(_("Meters"), st.small_bold, c["muted"], side.x, sy, side.w)
        self.meter_top = sy
        self.meter_items = []
        for i, row in enumerate(rows):
            self.meter_items.append(MeterItem(f"meter:{row[0]}", pygame.Rect(side.x, sy + i * mh, side.w, mh - st.gap // 2)))
            self.regions.append((f"meter:{row[0]}", self.meter_items[-1].rect))
        self.meters_bottom = sy + len(rows) * mh

    def _actor_card(self, i: int, actor, r: pygame.Rect, row: bool = False) -> None:
        """A small portrait card: a disc with the actor's initials in its own colour, the name below."""
        st, c, s = self.style, self.style.c, self.app.session
        colour = charts.series_colour(st.theme_name, i + 1)
        name = self.t(actor.name).strip()
        words = [w for w in name.replace("(", " ").replace(")", " ").split() if w[:1].isalpha()]
        initials = "".join(w[0].upper() for w in words[:2]) or "?"
        disc = self.disc
        text_w = r.w - (2 * disc + st.gap // 2 if row else 0)
        f = name_font(st, name, text_w)  # a word too long for the card: a smaller size, never a break inside it
        lines = wrap(f, name, text_w)[:2]
        if len(wrap(f, name, text_w)) > 2:  # a long name: its first words, whole
            lines = wrap(f, name.split("(")[0].strip(), text_w)[:2]
        stance = s.actors.get(actor.id, {}).get("stance", actor.stance)
        where = self._("for") if stance > 20 else (self._("against") if stance < -20 else self._("undecided"))

        def draw(surface: pygame.Surface) -> None:
            cx, cy = (r.x + disc, r.centery) if row else (r.centerx, r.y + disc)
            pygame.draw.circle(surface, colour, (cx, cy), disc)
            pygame.draw.circle(surface, c["border"], (cx, cy), disc, 2)
            lum = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
            ink = (0, 0, 0) if lum > 140 else (255, 255, 255)
            img = (st.small_bold if not row else font_for(st, initials, 2 * disc - 2)).render(initials, True, ink)
            surface.blit(img, img.get_rect(center=(cx, cy)))
            y = r.y + 2 * disc + st.gap // 3
            lh = round(f.get_linesize() * 1.1)
            if row:
                y = r.centery - len(lines) * lh // 2
            for ln in lines:
                im = f.render(ln, True, c["text"])
                if row:
                    surface.blit(im, (r.x + 2 * disc + st.gap // 2, y))
                else:
                    surface.blit(im, im.get_rect(midtop=(cx, y)))
                y += lh
        self.extra_draw.append(draw)
        self.regions.append((f"actor:{actor.id}", r))
        self.actor_texts.append(f"{name} ({where})")

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

    def meter_tip(self) -> Optional[tuple[pygame.Rect, list[tuple[str, Any, Any]]]]:
        """The explanation of the focused (or hovered) meter: its description and which way is good."""
        cur = self.focus.current
        if not isinstance(cur, MeterItem):
            return None
        st, _, c = self.style, self._, self.style.c
        mid = cur.id.split(":", 1)[1]
        meter = self.app.scenario.meters.get(mid)
        if meter is None:
            return None
        d = meter_direction(meter)
        way = _("Higher is better.") if d > 0 else (_("Higher is worse.") if d < 0 else
                                                     _("Neither higher nor lower is simply better."))
        w = min(round(420 * st.scale), self.side.x - 2 * st.margin)
        items = [(self.t(meter.label), st.small_bold, c["text"])]
        if meter.description and self.t(meter.description):
            items.append((self.t(meter.description).strip(), st.small, c["text"]))
        items.append((way, st.small, c["muted"]))
        lines = [(ln, f, col) for text, f, col in items for ln in wrap(f, text, w - 2 * st.gap)]
        h = sum(st.line_height(f) for _l, f, _c in lines) + 2 * st.gap
        box = pygame.Rect(self.side.x - st.gap - w, min(cur.rect.y, self.hints_top() - st.gap - h), w, h)
        return box, lines

    def rebuild(self) -> None:
        self._fade_base = None
        super().rebuild()

    def draw(self, surface: pygame.Surface) -> None:
        if self.fade < 1.0 and getattr(self, "_fade_base", None) is not None \
                and self._fade_base.get_size() == surface.get_size():
            surface.blit(self._fade_base, (0, 0))  # while fading in: the scene drawn once, a thinner veil
            self._veil(surface)
            return
        self._draw_scene(surface)
        if self.fade < 1.0:
            self._fade_base = surface.copy()
            self._veil(surface)
        else:
            self._fade_base = None

    def _veil(self, surface: pygame.Surface) -> None:
        veil = pygame.Surface(surface.get_size())
        veil.fill(self.style.c["background"])
        veil.set_alpha(round(255 * (1.0 - self.fade) ** 2))
        surface.blit(veil, (0, 0))

    def _draw_scene(self, surface: pygame.Surface) -> None:
        st, app = self.style, self.app
        hl = app.flash_level()
        grow = app.flash_progress()
        meters = app.scenario.meters
        for item, (mid, label, value, lo, hi, delta) in zip(self.meter_items, self.meter_rows()):
            bar = value - delta + delta * grow if delta else value
            draw_meter(surface, st, item.rect, label, value, lo, hi, delta, hl if delta else 0.0, bar,
                       direction=meter_direction(meters[mid]), compact=self.compact)
        app.draw_watch_problems(surface, pygame.Rect(self.side.x, self.meters_bottom + st.gap, self.side.w,
                                                     self.side.bottom - self.meters_bottom - st.gap))
        super().draw(surface)
        tip = self.meter_tip()
        if tip is not None:
            box, lines = tip
            pygame.draw.rect(surface, st.c["panel"], box, border_radius=8)
            pygame.draw.rect(surface, st.c["accent"], box, width=2, border_radius=8)
            y = box.y + st.gap
            for ln, f, col in lines:
                surface.blit(f.render(ln, True, col), (box.x + st.gap, y))
                y += st.line_height(f)


# ---------------------------------------------------------------------------------------
class MomentScreen(GameScreen):
    """Coach feedback after a choice, or an event: a calm card with a title and text."""

    def __init__(self, app: "App", kind: str, title: str, text: str, theory: str = "", coach: str = "",
                 changes: Optional[dict[str, int]] = None, chosen: str = "", tags: tuple = (),
                 rules: Optional[list[str]] = None):
        super().__init__(app)
        self.name = kind  # "coach" | "event"
        self.kind, self.title, self.body, self.theory, self.coach_text = kind, title, text, theory, coach
        self.changes, self.chosen = changes or {}, chosen
        self.tags = tuple(t for t in tags if t)  # strategy, agency: shown after the choice, not before
        self.rules = rules or []  # the rules that fired this turn, one line each

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        menu = self.menu_button(area)
        w = min(st.column_width(st.body, area.w - 4 * st.margin), area.w - 2 * st.margin - 2 * st.gap)
        x = (area.w - w) // 2
        top_min = menu.rect.bottom + st.gap + st.margin
        y = top_min + getattr(self, "_shift", 0)
        bottom = self.hints_top() - st.gap - st.margin
        y = self.begin_view("card", pygame.Rect(x, top_min, w, bottom - top_min))
        y += getattr(self, "_shift", 0)
        top = y
        label = _("Coach") if self.kind == "coach" else _("Event")
        y = self.text(label.upper(), st.small_bold, c["accent"], x, y, w)
        y = self.text(self.title, st.h1, c["text"], x, y, w) + st.gap
        if self.chosen:
            y = self.text(_("You chose: {choice}", choice=self.chosen), st.italic, c["muted"], x, y, w) + st.gap
        if self.tags:
            names = " · ".join(_(t) for t in self.tags)
            y = self.text(_("Strategy of this choice: {tags}", tags=names), st.small_bold, c["text"], x, y, w) + st.gap
        if self.body:
            y = self.text(self.body, st.body, c["text"], x, y, w) + st.gap
        if self.coach_text:
            y = self.text(self.coach_text, st.body, c["text"], x, y, w) + st.gap
        if self.theory:
            y = self.text(_("Theory: {ref}", ref=self.theory), st.small_bold, c["text"], x, y, w) + st.gap
        for line in self.rules:
            y = self.text(f"•  {typeset(line)}", st.small, c["text"], x, y, w)
        if self.rules:
            y += st.gap
        if self.changes:
            y = self._changes(x, y, w) + st.gap
        y += st.gap
        label = _("Continue") + "  (Enter)"
        end = self.button("continue", label, app.next_moment, kind="primary").place(
            st, x, y, min(w, st.bold.size(label)[0] + 4 * st.gap))
        self.end_view(end)
        v = self.views["card"]
        shift = max(0, (v.rect.h - v.content_h) // 2 - st.margin) if not v.overflow else 0
        if getattr(self, "_shift", 0) == 0 and shift > 0:  # centre the card vertically (one more pass)
            self._shift = shift
            self.blocks, self.btns, self.views, self.hotkeys = [], [], {}, {}
            return self.compose(area)
        vis = v.rect.clip(pygame.Rect(x, top - v.offset, w, v.content_h))
        self.card = vis.inflate(2 * st.margin, 2 * st.margin)
        self.game_keys()
        self.hints = [("Enter", _("continue")), ("H", _("history")), ("P", _("power map")), ("Esc", _("menu"))]

    def _changes(self, x: int, y: int, w: int) -> int:
        """The changes, one coloured item each (green for the better, orange for the worse)."""
        app, st, _ = self.app, self.style, self._
        y = self.text(_("Changes"), st.small_bold, st.c["muted"], x, y, w)
        cx = x
        lh = st.line_height(st.small_bold)
        for mid, d in self.changes.items():
            meter = app.scenario.meters.get(mid)
            item = f"{self.t(meter.label) if meter else mid} {signed(d)}"
            iw = st.small_bold.size(item)[0]
            if cx > x and cx + iw > x + w:
                cx, y = x, y + lh
            colour = change_colour(st, d, meter_direction(meter) if meter else 0)
            self.blocks.append(Block(item, [item], st.small_bold, colour, cx, y, lh, self._view))
            cx += iw + 2 * st.gap
        return y + lh

    def rebuild(self) -> None:
        self._shift = 0
        super().rebuild()

    def visible_texts(self) -> list[str]:
        texts = super().visible_texts()
        if self.changes:  # the changes as one line, as a screen reader would say them
            parts = [f"{self.t(m.label) if (m := self.app.scenario.meters.get(k)) else k} {signed(d)}"
                     for k, d in self.changes.items()]
            texts.append(self._("Changes: {list}", list=", ".join(parts)))
        return texts

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
        self.low = False
        self.content_end = 0

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        ending = s.ending
        m = st.margin
        menu = self.menu_button(area)
        y = m
        low = getattr(self, "_low", False)  # a low window or large text: the whole page scrolls as one
        self.low = low
        if low:
            bar = max(6, round(8 * st.scale)) + st.gap
            y = self.begin_view("page", pygame.Rect(m, menu.rect.bottom + st.gap, area.w - 2 * m - bar,
                                                    self.hints_top() - 2 * st.gap - menu.rect.bottom))
            area = pygame.Rect(0, 0, area.w - bar, area.h)
        y = self.text(_("Ending: {title}", title=self.t(ending.title)), st.h1, c["text"], m, y,
                      area.w - 2 * m if low else area.w - 3 * m - menu.rect.w)
        y = (y if low else max(y, menu.rect.bottom)) + st.gap
        # tabs, on two rows if one is too narrow
        x = m
        row_h = 0
        for i, key in enumerate(self.TABS):
            label = _(key)
            tw = min(area.w - 2 * m, st.body.size(label)[0] + st.bold.size("00")[0] + 3 * st.gap + 8)
            if x > m and x + tw > area.w - m:
                x, y = m, y + row_h + st.gap // 2
            b = self.button(f"tab:{i}", label, (lambda i=i: self.set_tab(i)), hint=str(i + 1), kind="tab",
                            selected=i == self.tab)
            b.place(st, x, y, tw)
            row_h = max(row_h, b.rect.h)
            x += tw + st.gap
        y += row_h + 2 * st.gap
        # actions along the bottom, their key on the button (two rows when a word would not fit)
        actions = [("result", _("Save result"), app.show_save_result, "E"),
                   ("png", _("Save as PNG"), app.save_debrief_png, "B"),
                   ("again", _("Play again"), app.play_again, "R"),
                   ("history", _("History"), app.show_history, "H"),
                   ("title", _("Back to title"), app.to_title, "T")]
        every = [Button(id=id_, label=label, action=fn, hint=k) for id_, label, fn, k in actions]
        # all five in one row; in a narrower window History leaves the row (H and the menu keep it)
        # so that the chart keeps its room; narrower still, two columns
        for action_btns, cols in ((every, 5), (every[:3] + every[4:], 4), (every[:3] + every[4:], 2)):
            bw = (area.w - 2 * m - (cols - 1) * st.gap) // cols
            inner = bw - 3 * st.gap - st.bold.size("00")[0]
            if not any(st.body.size(w)[0] > inner for b in action_btns for w in b.label.split()):
                break
        bh = max(b.measure(st, bw) for b in action_btns)
        rows_n = -(-len(action_btns) // cols)
        by = self.hints_top() - st.gap - rows_n * bh - (rows_n - 1) * (st.gap // 2)
        bottom = by - st.gap
        if not low and bottom - y < max(area.h * 0.45, 260 * st.scale):  # too little room for a chart
            self._low = True
            self.blocks, self.btns, self.views, self.pictures, self.regions, self.hotkeys = [], [], {}, [], [], {}
            return self.compose(pygame.Rect(0, 0, *self.app.size))
        if low:
            bottom = y + self.views["page"].rect.h - st.gap
        if self.saved_to:  # where the picture went: above the actions (at the top of a scrolled page)
            note = _("Saved as PNG: {path}", path=self.saved_to)
            if low:
                y = self.text(note, st.small, c["muted"], m, y, area.w - 2 * m) + st.gap
            else:
                n = len(wrap(st.small, note, area.w - 2 * m))
                bottom -= n * st.line_height(st.small)
                self.text(note, st.small, c["muted"], m, bottom, area.w - 2 * m)
                bottom -= st.gap
        self.content = pygame.Rect(m, y, area.w - 2 * m, bottom - y)
        self.content_end = bottom
        getattr(self, f"_tab{self.tab}")(self.content)
        if low:
            by = self.content_end + 2 * st.gap
        for n, b in enumerate(action_btns):
            b.rect = pygame.Rect(m + (n % cols) * (bw + st.gap), by + (n // cols) * (bh + st.gap // 2), bw, bh)
            self.add_button(b)
        if low:
            self.end_view(by + rows_n * (bh + st.gap // 2))
        self.hotkeys.update({pygame.K_b: app.save_debrief_png, pygame.K_r: app.play_again, pygame.K_t: app.to_title,
                             pygame.K_e: app.show_save_result})
        self.game_keys()
        self.hints = [("1–4", _("tabs")), ("Esc", _("menu")), ("E", _("save result")), ("B", _("save as PNG")),
                      ("Tab", _("next button"))]
        if self.main_view() is not None:
            self.hints.insert(1, ("PgDn", _("read on")))

    def set_tab(self, i: int) -> None:
        self.tab = i
        self.page = 0
        self._offsets.pop("debrief", None)
        self.rebuild()

    def rebuild(self) -> None:
        self._low = False
        super().rebuild()

    def flow(self, columns: list[tuple[int, int, list[tuple[str, Any, Any, int]]]], top: int, bottom: int) -> None:
        """Lay text items out in columns [(x, width, [(text, font, colour, gap_after)])] in one view
        that scrolls (PgDn, the wheel) when they are longer than the room: never cut, never split."""
        st = self.style
        left = min(x for x, _w, _i in columns)
        right = max(x + w for x, w, _i in columns)
        y_end = top
        self.pages, self.page = 1, 0
        if self.low:  # the page scrolls already: the columns one below the other
            y = top
            for _x, _w, items in columns:
                for text, f, colour, gap in items:
                    y = self.text(text, f, colour, left, y, min(right - left, st.column_width(f, right - left))) + gap
                y += st.gap
            self.content_end = max(self.content_end if self.content_end > top else top, y)
            return y
        self.begin_view("debrief", pygame.Rect(left, top, right - left, bottom - top))
        for x, w, items in columns:
            y = top
            for text, f, colour, gap in items:
                y = self.text(text, f, colour, x, y, w) + gap
            y_end = max(y_end, y)
        self.end_view(y_end)
        return y_end

    def _chart(self, kind: str, rect: pygame.Rect, *args, **kw) -> None:
        """Draw a chart from game.ui.charts into a cached surface (drawn once per layout)."""
        st = self.style
        key = (kind, rect.size, st.theme_name, self.lang, st.body_px, tuple(sorted(kw.items())))
        surf = self._chart_cache.get(key)
        if surf is None:
            surf = pygame.Surface(rect.size)
            surf.fill(st.c["background"])
            try:
                getattr(charts, kind)(surf, surf.get_rect(), *args, self.lang, st.theme_name, **kw)
            except pygame.error:  # a surface SDL cannot make (memory) leaves a note, not a crash
                surf.fill(st.c["background"])
                msg = st.small.render(self._("This chart is not available."), True, st.c["muted"])
                surf.blit(msg, (8, 8))
            self._chart_cache[key] = surf
        self.picture(surf, rect.topleft, f"chart:{kind}")
        if self.low:
            self.content_end = max(self.content_end, rect.bottom)

    def _tab0(self, r: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        s = app.session
        ending, d = s.ending, app.debrief()
        sc = d.score
        w = min(st.column_width(st.body, r.w // 2), r.w // 2 - st.gap) if not self.low else r.w
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
        end = self.flow([(r.x, w, items)], r.y, r.bottom)
        if self.low:  # the plot below the text, as large as the view allows
            side = min(r.w, self.views["page"].rect.h - st.gap)
            chart = pygame.Rect(r.x, end + st.gap, side, side)
        else:
            chart = pygame.Rect(r.x + w + 2 * st.gap, r.y, r.w - w - 2 * st.gap, r.h)
        self._chart("axes_plot", chart, s, previous=app.previous_attempt())

    def _tab1(self, r: pygame.Rect) -> None:
        s = self.app.session
        self.pages = 1
        left = pygame.Rect(r.x, r.y, int(r.w * 0.6) - self.style.gap, r.h)
        right = pygame.Rect(left.right + 2 * self.style.gap, r.y, r.right - left.right - 2 * self.style.gap, r.h)
        if self.low:  # one below the other, each as tall as the view
            h = self.views["page"].rect.h - self.style.gap
            left = pygame.Rect(r.x, r.y, r.w, h)
            right = pygame.Rect(r.x, left.bottom + self.style.gap, r.w, h)
        self._chart("meters_chart", left, s)
        self._chart("profile_bars", right, self.app.score())

    def _tab2(self, r: pygame.Rect) -> None:
        s = self.app.session
        self.pages = 1
        if self.low:
            r = pygame.Rect(r.x, r.y, r.w, self.views["page"].rect.h - self.style.gap)
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
        items = [("continue", _("Continue"), app.close_overlay), ("history", _("History"), app.show_history),
                 ("save", _("Save game"), app.show_saves), ("settings", _("Settings"), app.show_settings),
                 ("power_map", _("Power map"), app.show_power_map),
                 ("title", _("Back to title"), app.to_title), ("quit", _("Quit"), app.quit)]
        if app.session is None:
            items = [it for it in items if it[0] not in ("history", "save", "power_map")]
        w = min(area.w - 4 * st.margin, max(round(420 * st.scale),
                                             max(st.body.size(lbl)[0] for _i, lbl, _f in items) + 6 * st.gap))
        btns = [Button(id=id_, label=label, action=fn, hint=str(i)) for i, (id_, label, fn) in enumerate(items, 1)]
        room = self.hints_top() - 2 * st.margin - st.gap
        cols = 1
        heights = [b.measure(st, w) for b in btns]
        total = st.line_height(st.h2) + st.gap + sum(heights) + (len(btns) - 1) * (st.gap // 2)
        if total > room:  # a low window or large text: two columns
            cols = 2
            w = min((area.w - 4 * st.margin - st.gap) // 2, w)
            heights = [b.measure(st, w) for b in btns]
            per = -(-len(btns) // 2)
            total = st.line_height(st.h2) + st.gap + max(
                sum(heights[:per]) + (per - 1) * (st.gap // 2), sum(heights[per:]) + (len(btns) - per - 1) * (st.gap // 2))
        full_w = cols * w + (cols - 1) * st.gap
        x = (area.w - full_w) // 2
        y = max(st.margin, (self.hints_top() - total) // 2)
        top = y
        y = self.text(_("Menu"), st.h2, c["text"], x, y, full_w) + st.gap
        per = -(-len(btns) // cols)
        y0, y_end = y, y
        for n, (b, h) in enumerate(zip(btns, heights)):
            if n == per:
                y = y0
            b.rect = pygame.Rect(x + (n // per) * (w + st.gap), y, w, h)
            self.add_button(b)
            y += h + st.gap // 2
            y_end = max(y_end, y)
        self.card = pygame.Rect(x - st.margin, top - st.margin, full_w + 2 * st.margin,
                                y_end - st.gap // 2 - top + 2 * st.margin)
        self.hotkeys = {pygame.K_ESCAPE: app.close_overlay, pygame.K_h: app.show_history,
                        pygame.K_s: app.show_settings, pygame.K_p: app.show_power_map}
        self.hints = [(f"1–{len(btns)}", _("choose")), ("Tab", _("next button")), ("Esc", _("close menu"))]

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
        try:
            charts.power_map(surf, surf.get_rect(), app.scenario, s.start_actors, s.actors, self.lang, st.theme_name)
        except pygame.error:  # SDL could not draw it: the figures as text
            surf.fill(c["background"])
            yy = 0
            for aid, a in app.scenario.actors.items():
                v = s.actors[aid]
                line = _("{name}: power {power}, stance {stance}", name=self.t(a.name), power=v["power"],
                         stance=signed(v["stance"]))
                surf.blit(st.body.render(line, True, c["text"]), (0, yy))
                yy += st.line_height(st.body)
        self.extra_draw.append(lambda s_: s_.blit(surf, rect.topleft))
        self.regions.append(("chart:power_map", pygame.Rect(rect)))
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
        self.list_rows(len(rows), lambda pos: [(rows[pos], m, w)], y, bottom)
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
        w = min(area.w - 2 * m, round(900 * st.scale))
        dw = max(round(200 * st.scale), st.body.size(_("Really delete?"))[0] + 3 * st.gap)
        y = self.text(_("Saved games"), st.h1, c["text"], m, m, w) + st.gap
        if app.session is not None and not app.session.finished:
            y = self.text(_("Save this game under a name:"), st.small_bold, c["text"], m, y, w)
            self.inputs.append(self.name_input)
            sw = max(round(220 * st.scale), st.body.size(_("Save"))[0] + 4 * st.gap)
            self.name_input.place(st, m, y, w - sw - st.gap)
            self.button("save", _("Save"), lambda: self._save(self.name_input.value)).place(
                st, m + w - sw, y, sw)
            y = self.name_input.rect.bottom + st.gap
        if self.message:
            y = self.text(self.message, st.small_bold, c["accent"], m, y, w) + st.gap // 2
        y = self.text(_("Load or delete"), st.small_bold, c["text"], m, y + st.gap // 2, w)
        bottom = self.hints_top() - st.gap
        slots = app.slots()
        if not slots:
            y = self.text(_("No saved games yet."), st.body, c["muted"], m, y, w)
        def slot_row(pos: int) -> list[tuple[Button, int, int]]:
            info = slots[pos]
            title = info.title_en if self.lang == "en" and info.title_en else info.title_nl
            status = _("finished") if info.finished else (
                _("1 decision") if info.turns == 1 else _("{n} decisions", n=info.turns))
            label = f"{_('Autosave') if info.slot.startswith('autosave') else info.slot} — {title}"
            load = Button(id=f"load:{info.slot}", label=label, action=(lambda sl=info.slot: app.load_slot(sl)),
                          tag_label=f"{status} · {str(info.saved_at)[:16].replace('T', ' ')}")
            sure = self.confirm == info.slot  # the second press deletes; anything else cancels
            delete = Button(id=f"delete:{info.slot}", label=_("Really delete?") if sure else _("Delete"),
                            action=(lambda sl=info.slot: self._delete(sl)), kind="primary" if sure else "normal")
            return [(load, m, w - dw - st.gap), (delete, m + w - dw, dw)]

        y = self.list_rows(len(slots), slot_row, y, bottom)
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Tab", _("next button")), ("Enter", _("choose")), ("Esc", _("back"))]
        self.list_hint()

    confirm: Optional[str] = None  # the slot whose Delete was pressed once

    def _delete(self, slot: str) -> None:
        if self.confirm != slot:  # first press: ask
            self.confirm = slot
            self.message = self._("Press Delete again to delete '{name}'; anything else keeps it.", name=slot)
            self.rebuild()
            self.focus.focus_id(f"delete:{slot}")
            return
        self.confirm = None
        self.message = self.app.delete_slot(slot)
        self.rebuild()

    def handle(self, event: pygame.event.Event) -> bool:
        if self.confirm is not None and (
                (event.type == pygame.KEYDOWN and event.key not in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE))
                or (event.type == pygame.MOUSEBUTTONDOWN and not any(
                    b.id == f"delete:{self.confirm}" and b.rect.collidepoint(event.pos) for b in self.btns))):
            self.confirm, self.message = None, ""  # anything but the same button again cancels the delete
            self.rebuild()
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                return True
        return super().handle(event)


class ResultScreen(Screen):
    """Save the results file a student hands in: an optional nickname, then Save. Says where the
    file goes before it is written, and where it went (or why not) after."""

    name = "result"

    def __init__(self, app: "App"):
        super().__init__(app)
        self.nick_input = self.entry("nickname", "", self._save)
        self.message = ""

    def _save(self, value: str) -> None:
        self.message = self.app.save_result(value)
        self.rebuild()

    def path_text(self, s: str, f, colour, x: int, y: int, width: int) -> int:
        """Like :meth:`text`, but a path too long for a line breaks after a ``/`` or ``\\`` (shown whole,
        never cut), so a student can read where the file went."""
        tokens: list[tuple[str, bool]] = []
        for word in s.split():
            parts = re.split(r"(?<=[/\\])", word) if f.size(word)[0] > width else [word]
            tokens += [(part, i == 0) for i, part in enumerate(parts) if part]
        lines: list[str] = []
        line = ""
        for part, spaced in tokens:
            trial = line + (" " if spaced and line else "") + part
            if line and f.size(trial)[0] > width:
                lines.append(line)
                line = part
            else:
                line = trial
        lines.append(line)
        lines = [piece for ln in lines for piece in wrap(f, ln, width)]  # a segment wider than the line
        lh = self.style.line_height(f)
        self.blocks.append(Block(" ".join(lines), lines, f, colour, x, y, lh, self._view))
        return y + lh * len(lines)

    def compose(self, area: pygame.Rect) -> None:
        app, st, _, c = self.app, self.style, self._, self.style.c
        m = st.margin
        self.back_button(area)
        w = min(area.w - 2 * m, round(900 * st.scale))
        y = self.text(_("Save result"), st.h1, c["text"], m, m, min(w, area.w - 3 * m - self.btns[-1].rect.w))
        y = max(y, self.btns[-1].rect.bottom) + st.gap
        if not self.message:  # once saved, the message (with the whole path) takes this room
            intro = _("A small file to hand in: upload it to your learning environment. A nickname is optional; your real name is not needed.")  # noqa: E501
            y = self.text(intro, st.body, c["muted"], m, y, st.column_width(st.body, w)) + st.gap
        y = self.text(_("Nickname (optional, at most 40 characters):"), st.small_bold, c["text"], m, y, w)
        self.inputs.append(self.nick_input)
        sw = max(round(220 * st.scale), st.body.size(_("Save"))[0] + 4 * st.gap)
        self.nick_input.place(st, m, y, w - sw - st.gap)
        if self.nick_input.element is not None:
            self.nick_input.element.set_text_length_limit(40)  # results.NICKNAME_MAX
        self.button("save_result", _("Save"), lambda: self._save(self.nick_input.value)).place(
            st, m + w - sw, y, sw)
        y = max(self.nick_input.rect.bottom, self.btns[-1].rect.bottom) + st.gap
        if self.message:
            self.path_text(self.message, st.small_bold, c["accent"], m, y, w)
        else:
            self.path_text(_("Folder: {path}", path=str(app.results_folder())), st.small, c["muted"], m, y, w)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Enter", _("save")), ("Tab", _("next button")), ("Esc", _("back"))]


# ---------------------------------------------------------------------------------------
class SettingsScreen(Screen):
    """Every setting takes effect at once. The layout does not move under the pointer: rows are
    as tall as the largest text size and the longer language need, so a click that changes the
    text size or the language leaves every button where it was."""

    name = "settings"

    def setting_rows(self, tr) -> list:
        s = self.app.settings
        return [
            ("lang", tr("Language"), [("nl", "Nederlands"), ("en", "English")], s.lang),
            ("text_size", tr("Text size"), [("normal", tr("normal")), ("large", tr("large")),
                                            ("xlarge", tr("extra large"))], s.text_size),
            ("high_contrast", tr("High contrast"), [(False, tr("off")), (True, tr("on"))], s.high_contrast),
            ("coach", tr("Coach (feedback after each choice)"), [(False, tr("off")), (True, tr("on"))], s.coach),
            ("show_tags", tr("Show each choice's strategy before choosing (for trainers)"),
             [(False, tr("off")), (True, tr("on"))], bool(getattr(s, "show_tags", False))),
            ("fullscreen", tr("Full screen (F11)"), [(False, tr("off")), (True, tr("on"))], s.fullscreen),
        ]

    def compose(self, area: pygame.Rect) -> None:
        from game.i18n import Translator
        from game.ui.widgets import Style

        app, st, _, c = self.app, self.style, self._, self.style.c
        m = st.margin
        # measure with the largest text size, in both languages: the layout every setting shares
        big = Style(st.theme_name, "xlarge", app.size, dpi=getattr(app, "dpi", 1.0))
        label_w = min(round(360 * st.scale), int(area.w * 0.3))
        opt_w = min(round(240 * st.scale), (area.w - 2 * m - label_w - 3 * st.gap) // 3 - st.gap)
        pitch = []
        langs = [Translator(lang) for lang in ("nl", "en")]
        per_lang = [self.setting_rows(tr) for tr in langs]
        for i in range(len(per_lang[0])):
            label_h = max(len(wrap(big.body, rows[i][1], label_w)) for rows in per_lang) * big.line_height(big.body)
            opt_h = max(Button("x", text, lambda: None).measure(big, opt_w) for rows in per_lang
                        for _v, text in rows[i][2])
            pitch.append(max(label_h, opt_h) + st.gap)
        self.back_button(area)
        y = m + big.line_height(big.h1) + st.gap
        self.text(_("Settings"), st.h1, c["text"], m, m, area.w - 2 * m - self.btns[-1].rect.w - st.gap)
        y = self.begin_view("settings", pygame.Rect(m, y, area.w - 2 * m, self.hints_top() - st.gap - y))
        for (field_, label, options, current), h in zip(self.setting_rows(_), pitch):
            lines = wrap(st.body, label, label_w)
            self.blocks.append(Block(label, lines, st.body, c["text"], m, y, st.line_height(st.body), self._view))
            x = m + label_w + st.gap
            for value, text in options:
                b = self.button(f"{field_}:{value}", text, (lambda f=field_, v=value: app.change_setting(f, v)),
                                kind="toggle", selected=value == current)
                b.place(st, x, y, opt_w)
                x += opt_w + st.gap
            y += h
        y += st.gap
        y = self.text(_("For class use, switch the coach off: the group discusses the choices itself."),
                      st.small, c["muted"], m, y, st.column_width(st.small, area.w - 2 * m))
        self.end_view(y)
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
        files = self.files
        y = self.list_rows(len(files), lambda pos: [(Button(id=f"file:{pos + 1}", label=files[pos].name,
                                                            action=(lambda f=files[pos]: app.start(str(f))),
                                                            tag_label=str(files[pos].parent)), m, w)], y, bottom)
        self.back_button(area)
        self.hotkeys = {pygame.K_ESCAPE: app.back}
        self.hints = [("Enter", _("open")), ("Tab", _("next button")), ("Esc", _("back"))]
        self.list_hint()
