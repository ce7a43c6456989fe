"""Strategy and agency colours shared by every front end and export.

Okabe-Ito colour-blind-safe palette, as hex strings, so code without pygame
(the scenario map, reports) can use the same colours as the window. A colour
is always shown together with a label, never alone.
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
