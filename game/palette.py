"""Every colour of the game, in one place: the window's two themes, the strategy and
agency colours, the chart series and the scenario map's.

Hex strings (Okabe-Ito colour-blind-safe where it matters), so code without pygame
(the scenario map, the class report) uses the same colours as the window. A colour
is always shown together with a label, never alone. ``assets/theme*.json`` (pygame_gui's
theme files) may only use colours of their theme here; a test checks.
"""
from __future__ import annotations

STRATEGY_COLOURS = {
    "polderen": "#0072B2",      # blue
    "coalitie": "#009E73",      # bluish green
    "confrontatie": "#D55E00",  # vermillion
    "neutraal": "#7A7A7A",
}
AGENCY_COLOURS = {
    "organiseren": "#CC79A7",   # reddish purple
    "mobiliseren": "#E69F00",   # orange
    "overnemen": "#56B4E9",     # sky blue
    "neutraal": "#7A7A7A",
}

# The window's themes (read by game.ui.theme)
THEMES = {
    "normal": {
        "background": "#F5F3EE", "panel": "#FFFFFF", "text": "#1F2328", "muted": "#5A6068",
        "accent": "#0072B2", "focus": "#D55E00", "border": "#C9C4B8", "bar_back": "#E3DFD6",
        "good": "#009E73", "bad": "#D55E00",
    },
    "high_contrast": {
        "background": "#000000", "panel": "#000000", "text": "#FFFFFF", "muted": "#FFFF00",
        "accent": "#FFFF00", "focus": "#00FFFF", "border": "#FFFFFF", "bar_back": "#333333",
        "good": "#00FF7F", "bad": "#FF6E40",
    },
}

# Line colours for meters and actors in charts (Okabe-Ito order, then extras); high contrast gets bright ones.
SERIES = {
    "normal": ["#1F2328", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D31"],
    "high_contrast": ["#FFFFFF", "#FFFF00", "#00FFFF", "#00FF7F", "#FF80FF", "#FFA040", "#80C0FF", "#C0C0C0"],
}

# The scenario map (game.tools.graph): paper-like, printable
MAP = {
    "text": THEMES["normal"]["text"], "muted": THEMES["normal"]["muted"], "line": THEMES["normal"]["border"],
    "scene": "#FFFFFF", "ending": THEMES["normal"]["background"], "interrupt": "#FBE9E2",
    "unreachable_fill": "#F2F2F2", "unreachable_line": "#A0281E", "phase": "#FAF9F6", "note": "#FFFDF5",
}

# The phone vote page when the phone is set to dark (CSS variables of game.classroom.votes)
PHONE_DARK = {"bg": "#111111", "panel": "#1C1C1C", "text": "#EEEEEE", "muted": "#BBBBBB", "border": "#5A6068"}

# QR codes stay black on white in every theme: phone cameras read that best
QR = {"dark": "#000000", "light": "#FFFFFF"}
