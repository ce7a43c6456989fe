"""Colours, fonts and sizes shared by every screen, the debrief and exported PNGs.

The strategy colours are from the Okabe-Ito colour-blind-safe palette and are
always shown together with a label, never alone. The same names and colours
run through the window, the debrief, the scenario map and reports.
"""
from __future__ import annotations

from pathlib import Path

import importlib.util

# Every colour lives in game/palette.py, shared with non-pygame code (the map, the class report).
from game.palette import AGENCY_COLOURS, STRATEGY_COLOURS, THEMES  # noqa: F401

# pygame_gui's bundled Noto Sans (Dutch diacritics), found without importing pygame_gui (a quicker start)
FONT_DIR = Path(importlib.util.find_spec("pygame_gui").submodule_search_locations[0]).resolve() / "data"
FONT_REGULAR = FONT_DIR / "NotoSans-Regular.ttf"
FONT_BOLD = FONT_DIR / "NotoSans-Bold.ttf"
FONT_ITALIC = FONT_DIR / "NotoSans-Italic.ttf"

# Body text size in px per text-size setting (at least 20 px at 1280x720).
TEXT_SIZES = {"normal": 20, "large": 24, "xlarge": 30}
MAX_LINE_CHARS = 70
MIN_WINDOW = (1280, 720)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))

# Which way is good for each meter the design names (1: higher is better, -1: higher is worse,
# 0: neither). A scenario's own meters are 0 unless the model carries a ``direction``.
METER_DIRECTIONS = {"tegenmacht": 1, "eigenaarschap": 1, "afhankelijkheid": -1, "relatie": 1, "achterban": 1,
                    "energie": 1, "identiteit": 1, "effectiviteit": 1, "onrecht": 0}


def meter_direction(meter) -> int:
    """1 if a higher value of ``meter`` is better, -1 if worse, 0 if neither."""
    d = getattr(meter, "direction", None)
    if isinstance(d, str):
        d = {"up": 1, "higher": 1, "down": -1, "lower": -1}.get(d, 0)
    if isinstance(d, (int, float)) and not isinstance(d, bool):
        return (d > 0) - (d < 0)
    return METER_DIRECTIONS.get(getattr(meter, "id", meter), 0)
