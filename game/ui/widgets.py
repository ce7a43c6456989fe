"""Drawing helpers and small widgets: fonts, wrapped text, buttons, meter bars, the text field.

Everything is drawn with the bundled Noto Sans fonts (never system fonts). Note the
bundled Noto Sans has no arrow glyphs: arrows are drawn as small triangles.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import pygame

from game.ui import theme as T

if TYPE_CHECKING:  # pragma: no cover
    import pygame_gui

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MINUS = "\u2212"  # a real minus sign (Noto Sans has it)


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else (f"{MINUS}{-n}" if n < 0 else "0")


@lru_cache(maxsize=64)
def font(path: str, size: int) -> pygame.font.Font:
    return pygame.font.Font(path, size)


def theme_file(name: str) -> Path:
    return ASSETS / ("theme_high_contrast.json" if name == "high_contrast" else "theme.json")


def theme_fonts(data: dict) -> dict[str, str]:
    """Font files named in a pygame_gui theme JSON (``defaults.font.*_resource`` or ``*_path``),
    falling back to the bundled Noto Sans of theme.py. Never a system font."""
    fonts = {"regular": str(T.FONT_REGULAR), "bold": str(T.FONT_BOLD), "italic": str(T.FONT_ITALIC)}
    spec = data.get("defaults", {}).get("font", {}) if isinstance(data, dict) else {}
    for kind in fonts:
        try:
            res = spec.get(f"{kind}_resource")
            if isinstance(res, dict):
                pkg = str(res["package"])
                if pkg == "pygame_gui.data":  # the fonts pygame_gui ships: found without importing it
                    path = T.FONT_DIR / res["resource"]
                else:
                    import importlib.resources

                    path = Path(str(importlib.resources.files(pkg) / res["resource"]))
            elif spec.get(f"{kind}_path"):
                path = (ASSETS / spec[f"{kind}_path"]).resolve()
            else:
                continue
            if path.is_file():
                fonts[kind] = str(path)
        except (KeyError, TypeError, ModuleNotFoundError, OSError):
            continue
    return fonts


class Style:
    """Colours and fonts for one theme, text-size setting and window size."""

    def __init__(self, theme_name: str = "normal", text_size: str = "normal", window: tuple[int, int] = T.MIN_WINDOW,
                 dpi: float = 1.0):
        self.theme_name = theme_name if theme_name in T.THEMES else "normal"
        colours = dict(T.THEMES[self.theme_name])
        data: dict = {}
        try:  # the pygame_gui theme JSON names the fonts and may tune colours; theme.py is the fallback
            data = json.loads(theme_file(self.theme_name).read_text(encoding="utf-8"))
            colours.update(data.get("tegenmacht", {}).get("colours", {}))
        except (OSError, ValueError, AttributeError):
            data = {}
        self.fonts = theme_fonts(data)
        self.hex = colours
        self.c = {k: T.rgb(v) for k, v in colours.items()}
        w, h = window
        # everything scales with the window (1.0 at 1280x720: a projector gets bigger text, a
        # 1024x600 netbook a little smaller, never below 0.8); a dense screen (DPI) a little more
        fit = min(w / T.MIN_WINDOW[0], h / T.MIN_WINDOW[1])
        self.scale = max(0.8, fit, min(dpi, fit * 1.25))
        base = T.TEXT_SIZES.get(text_size, T.TEXT_SIZES["normal"])
        self.body_px = round(base * self.scale)
        reg, bold, italic = self.fonts["regular"], self.fonts["bold"], self.fonts["italic"]
        self.body = font(reg, self.body_px)
        self.bold = font(bold, self.body_px)
        self.italic = font(italic, self.body_px)
        self.small = font(reg, max(16, round(self.body_px * 0.8)))
        self.small_bold = font(bold, max(16, round(self.body_px * 0.8)))
        self.h2 = font(bold, round(self.body_px * 1.2))
        self.h1 = font(bold, round(self.body_px * 1.6))
        self.margin = round(32 * self.scale)
        self.gap = round(12 * self.scale)
        self.radius = 8
        self.focus_width = 4

    def line_height(self, f: pygame.font.Font) -> int:
        return round(f.get_linesize() * 1.15)

    def column_width(self, f: pygame.font.Font, available: int, chars: int = T.MAX_LINE_CHARS) -> int:
        """Width of a text column: at most ``chars`` average characters, at most ``available``."""
        sample = "Sinds maart staat er een hek om de speeltuin aan de Lindelaan."
        avg = f.size(sample)[0] / len(sample)
        return int(min(available, avg * chars))

    def strategy_colour(self, tag: Optional[str]) -> tuple[int, int, int]:
        return T.rgb(T.STRATEGY_COLOURS.get(tag or "neutraal", T.STRATEGY_COLOURS["neutraal"]))


def wrap(f: pygame.font.Font, text: str, width: int) -> list[str]:
    """Greedy word wrap to a pixel width; keeps blank lines between paragraphs."""
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            lines.append("")
            continue
        line = ""
        for w in words:
            trial = f"{line} {w}" if line else w
            if f.size(trial)[0] <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            line = w
            while f.size(line)[0] > width and len(line) > 1:  # one very long word: hard break
                cut = len(line)
                while cut > 1 and f.size(line[:cut])[0] > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def draw_lines(surface: pygame.Surface, lines: list[str], f: pygame.font.Font, colour, x: int, y: int,
               line_h: int) -> int:
    for line in lines:
        if line:
            surface.blit(f.render(line, True, colour), (x, y))
        y += line_h
    return y


def draw_arrow(surface: pygame.Surface, colour, x: int, cy: int, size: int, up: bool) -> None:
    h = size
    if up:
        pts = [(x, cy + h // 2), (x + size, cy + h // 2), (x + size // 2, cy - h // 2)]
    else:
        pts = [(x, cy - h // 2), (x + size, cy - h // 2), (x + size // 2, cy + h // 2)]
    pygame.draw.polygon(surface, colour, pts)


@dataclass
class Button:
    """A clickable, focusable button. ``hint`` is its key (shown on the button)."""

    id: str
    label: str
    action: Callable[[], None]
    hint: str = ""
    kind: str = "normal"  # normal | primary | choice | toggle | tab
    selected: bool = False  # toggles and tabs
    tag: Optional[str] = None  # strategy tag: a coloured stripe plus a label, never colour alone
    tag_label: str = ""
    enabled: bool = True
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    lines: list[str] = field(default_factory=list)
    hover: bool = False
    view: Optional[str] = None  # the scrolled view it lives in (None: fixed on the screen)
    note: str = ""  # a reason shown under the label (e.g. why a choice is locked)

    def measure(self, style: Style, width: int) -> int:
        """Lay the label out for ``width``; return the height needed."""
        pad = style.gap
        hint_w = style.bold.size("00")[0] + pad if self.hint else 0
        stripe = 8 if self.tag else 0
        inner = max(40, width - 2 * pad - hint_w - stripe)
        self.lines = wrap(style.bold if self.kind == "primary" else style.body, self.label, inner)
        h = len(self.lines) * style.line_height(style.body)
        if self.tag_label:
            h += style.line_height(style.small)
        return max(h + 2 * pad - 4, round(style.body_px * 2.2))

    def place(self, style: Style, x: int, y: int, width: int) -> int:
        h = self.measure(style, width)
        self.rect = pygame.Rect(x, y, width, h)
        return y + h

    def draw(self, surface: pygame.Surface, style: Style) -> None:
        c = style.c
        r = self.rect
        if self.kind == "primary":
            bg, fg, border = c["accent"], (c["background"] if style.theme_name == "high_contrast" else (255, 255, 255)), c["accent"]
        elif self.selected:
            bg, fg, border = c["accent"], (c["background"] if style.theme_name == "high_contrast" else (255, 255, 255)), c["accent"]
        else:
            bg, fg, border = c["panel"], c["text"], c["border"]
        if not self.enabled:
            fg = c["muted"]
        if self.hover and self.enabled and not self.selected and self.kind != "primary":
            bg = c["bar_back"]  # hover and the focus ring go together (the screen moves the focus)
        pygame.draw.rect(surface, bg, r, border_radius=style.radius)
        pygame.draw.rect(surface, border, r, width=2, border_radius=style.radius)
        pad = style.gap
        x = r.x + pad
        if self.tag:
            stripe = pygame.Rect(r.x + 2, r.y + 2, 8, r.h - 4)
            pygame.draw.rect(surface, style.strategy_colour(self.tag), stripe,
                             border_top_left_radius=style.radius, border_bottom_left_radius=style.radius)
            x += 8
        lh = style.line_height(style.body)
        text_h = len(self.lines) * lh + (style.line_height(style.small) if self.tag_label else 0)
        y = r.y + (r.h - text_h) // 2
        if self.hint:
            hs = style.bold.render(self.hint, True, fg if self.kind == "primary" or self.selected else c["accent"])
            surface.blit(hs, (x, y))
            x += style.bold.size("00")[0] + pad
        f = style.bold if self.kind == "primary" else style.body
        y = draw_lines(surface, self.lines, f, fg, x, y, lh)
        if self.tag_label:
            surface.blit(style.small.render(self.tag_label, True, fg if self.selected else c["muted"]), (x, y))


def entry_theme(theme_name: str, body_px: int) -> dict:
    """Theme data for pygame_gui's text entry line at the body text size: the ``text_entry_line``
    block of the theme JSON with its font size set to ``body_px`` (the JSON holds the 1280x720 size)."""
    try:
        data = json.loads(theme_file(theme_name).read_text(encoding="utf-8"))
        block = dict(data["text_entry_line"])
        block["font"] = {**block["font"], "size": str(int(body_px))}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {"text_entry_line": block}


class TextEntry:
    """A one-line text field (folder path, save name): pygame_gui's ``UITextEntryLine`` in the
    App's ``UIManager``, with what the screens' focus ring needs (``id``, ``rect``, ``value``).

    The screen's focus ring decides which element has the focus; when the ring is on this
    field it gets the keyboard focus (``focus()``), and loses it when the ring moves on.
    The pygame_gui element is made when the field is first placed and lives until the
    App kills it (when its screen leaves the stack)."""

    def __init__(self, manager_source: Callable[[], "pygame_gui.UIManager"], id: str, value: str = "",
                 on_enter: Optional[Callable[[str], None]] = None):
        self.id = id
        self.on_enter = on_enter
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._manager = manager_source
        self._value = value
        self.element = None  # the UITextEntryLine, made in place()

    # the text ------------------------------------------------------------------------
    @property
    def value(self) -> str:
        return self.element.get_text() if self.element is not None else self._value

    @value.setter
    def value(self, text: str) -> None:
        self._value = text
        if self.element is not None:
            self.element.set_text(text)

    @property
    def label(self) -> str:
        return self.value

    # layout and life -------------------------------------------------------------------
    def place(self, style: Style, x: int, y: int, width: int) -> int:
        self.rect = pygame.Rect(x, y, width, round(style.body_px * 2.2))
        if self.element is None or not self.element.alive():
            import pygame_gui

            self.element = pygame_gui.elements.UITextEntryLine(
                self.rect, manager=self._manager(), initial_text=self._value, object_id=f"#{self.id}")
        else:
            self.element.set_relative_position(self.rect.topleft)
            self.element.set_dimensions(self.rect.size)
        return self.rect.bottom

    def kill(self) -> None:
        if self.element is not None:
            self._value = self.element.get_text()
            self.element.kill()
            self.element = None

    def show(self, visible: bool) -> None:
        if self.element is None:
            return
        if visible and not self.element.visible:
            self.element.show()
        elif not visible and self.element.visible:
            self.set_focused(False)
            self.element.hide()

    # keyboard focus (the screen's focus ring is the one truth) --------------------------------
    @property
    def focused(self) -> bool:
        return self.element is not None and self.element.is_focused

    def set_focused(self, on: bool) -> None:
        if self.element is None or on == self.element.is_focused:
            return
        manager = self._manager()
        if on:
            manager.set_focus_set(self.element)  # focus() on the element, unfocus() on the others
            self.element.set_text(self.element.get_text())  # the caret at the end, ready to type on
        elif manager.get_focus_set() and self.element in manager.get_focus_set():
            manager.set_focus_set(None)
        else:
            self.element.unfocus()

    def owns(self, element) -> bool:
        return element is not None and element is self.element

    def signature(self) -> tuple:
        """What the field shows: a change means the window must be drawn again (caret blink, text)."""
        e = self.element
        if e is None or not e.visible:
            return ()
        return (e.get_text(), e.is_focused, e.cursor_on, e.edit_position, tuple(e.select_range), e.hovered)


def change_colour(style: Style, delta: int, direction: int) -> tuple[int, int, int]:
    """Green for a change for the better, orange for the worse, the text colour when neither."""
    good = delta * direction
    return style.c["good"] if good > 0 else (style.c["bad"] if good < 0 else style.c["text"])


def draw_meter(surface: pygame.Surface, style: Style, rect: pygame.Rect, label: str, value: int, lo: int, hi: int,
               delta: int = 0, highlight: float = 0.0, bar_value: Optional[float] = None, direction: int = 1,
               compact: bool = False) -> None:
    """A labelled bar with its number; ``delta`` shows the last change with an arrow (green when it is
    for the better given the meter's ``direction``), ``highlight`` (0..1) tints the row while the change
    is new; ``bar_value`` is where the bar is drawn while it grows to ``value``. A meter where higher is
    worse has a striped bar; ``compact`` puts label and bar on one line."""
    c = style.c
    tone = change_colour(style, delta, direction)
    if highlight > 0 and delta:
        tint = tone if tone != c["text"] else c["accent"]
        bg = tuple(int(b + (t - b) * 0.25 * highlight) for b, t in zip(c["panel"], tint))
        pygame.draw.rect(surface, bg, rect.inflate(8, 4), border_radius=6)
    lf = style.small
    surface.blit(lf.render(label, True, c["text"]), (rect.x, rect.y))
    num = style.small_bold.render(f"{value}", True, c["text"])
    nx = rect.right - num.get_width()
    dx = nx
    if delta:
        ds = style.small_bold.render(signed(delta), True, tone)
        dx = nx - ds.get_width() - style.gap
        surface.blit(ds, (dx, rect.y))
        size = max(8, lf.get_height() // 2)
        dx -= size + 4
        draw_arrow(surface, tone, dx, rect.y + lf.get_height() // 2, size, delta > 0)
    surface.blit(num, (nx, rect.y))
    bar_h = max(8, round(10 * style.scale))
    if compact:  # a thin bar right under the label
        bar_h = max(4, bar_h // 2)
        bar = pygame.Rect(rect.x, rect.y + lf.get_linesize(), rect.w, bar_h)
    else:
        bar = pygame.Rect(rect.x, rect.y + lf.get_linesize() + 2, rect.w, bar_h)
    pygame.draw.rect(surface, c["bar_back"], bar, border_radius=4)
    span = max(1, hi - lo)
    fill = bar.copy()
    fill.w = round(bar.w * max(0, min(1, ((value if bar_value is None else bar_value) - lo) / span)))
    if fill.w:
        colour = c["accent"] if direction >= 0 else c["bad"]
        pygame.draw.rect(surface, colour, fill, border_radius=4)
        if direction < 0:  # higher is worse: stripes, so it never rests on colour alone
            clip = surface.get_clip()
            surface.set_clip(fill.clip(clip) if clip else fill)
            for x in range(fill.x - bar_h, fill.right, max(6, bar_h)):
                pygame.draw.line(surface, c["panel"], (x, fill.bottom), (x + bar_h, fill.y), 2)
            surface.set_clip(clip)
    if style.theme_name == "high_contrast":
        pygame.draw.rect(surface, c["border"], bar, width=1, border_radius=4)


def meter_height(style: Style, compact: bool = False) -> int:
    if compact:
        return style.small.get_linesize() + max(4, max(8, round(10 * style.scale)) // 2) + style.gap // 2 + 2
    return style.small.get_linesize() + 2 + max(8, round(10 * style.scale)) + style.gap
