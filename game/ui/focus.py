"""Keyboard focus: a tab order over the focusable elements of a screen, and a visible ring.

pygame_gui has no tab order, so the screens build their own: the order is the
order in which a screen lists its elements. Tab / Shift+Tab and the arrow keys
move the focus; the ring is a thick outline in the theme's focus colour.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import pygame

RING_WIDTH = 4
RING_GAP = 3


class Focus:
    def __init__(self, start_empty: bool = False) -> None:
        self.items: list[Any] = []
        self.index: int = -1 if start_empty else 0  # -1: nothing has the focus (until Tab or an arrow)

    def set_items(self, items: Sequence[Any], keep_id: Optional[str] = None) -> None:
        """Replace the focusable elements, keeping the focus on the element with ``keep_id`` if present."""
        self.items = list(items)
        if keep_id is not None:
            for i, it in enumerate(self.items):
                if getattr(it, "id", None) == keep_id:
                    self.index = i
                    return
        if self.index >= 0:
            self.index = min(self.index, max(0, len(self.items) - 1))

    def clear(self) -> None:
        """Nothing has the focus (Enter presses nothing until Tab, an arrow or the pointer picks one)."""
        self.index = -1

    @property
    def current(self) -> Optional[Any]:
        return self.items[self.index] if self.items and 0 <= self.index < len(self.items) else None

    def move(self, step: int) -> None:
        if self.items:
            if self.index < 0:  # from nothing: the first (or, backwards, the last) element
                self.index = 0 if step > 0 else len(self.items) - 1
            else:
                self.index = (self.index + step) % len(self.items)

    def focus_id(self, item_id: str) -> bool:
        for i, it in enumerate(self.items):
            if getattr(it, "id", None) == item_id:
                self.index = i
                return True
        return False

    def handle(self, event: pygame.event.Event) -> bool:
        """Move the focus for Tab, Shift+Tab and arrow keys. True if the event was used."""
        if event.type != pygame.KEYDOWN or not self.items:
            return False
        if event.key == pygame.K_TAB:
            self.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return True
        if event.key in (pygame.K_DOWN, pygame.K_RIGHT):
            self.move(1)
            return True
        if event.key in (pygame.K_UP, pygame.K_LEFT):
            self.move(-1)
            return True
        return False

    def draw(self, surface: pygame.Surface, colour: tuple[int, int, int]) -> None:
        item = self.current
        if item is None or not item.rect.w:
            return
        ring = item.rect.inflate(2 * (RING_GAP + RING_WIDTH), 2 * (RING_GAP + RING_WIDTH))
        pygame.draw.rect(surface, colour, ring, width=RING_WIDTH, border_radius=10)
