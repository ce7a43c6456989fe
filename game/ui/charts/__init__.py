"""The debrief drawings: pure pygame functions that draw into a rect of a surface.

Every module here draws; none owns a window, an event loop or game rules.
Screens call them for the end screen and the power-map overlay, and
:func:`save_debrief_png` writes the one-page class debrief as a PNG.

* :func:`axes_plot` — tegenmacht (x) × eigenaarschap (y) with the four
  archetype quadrants, the player's path and final point.
* :func:`meters_chart` — every meter over the turns, one line per meter,
  each with its own dash pattern, marker and end label (never colour alone).
* :func:`profile_bars` — strategy and agency shares as two stacked bars.
* :func:`power_map` — actors by stance and power, before (hollow) and after
  (filled), with an arrow between.
* :func:`render_debrief` / :func:`save_debrief_png` — all of it on one page,
  with the archetype, the theory behind the choices and the discussion
  questions.

Fonts come only from :mod:`game.ui.theme` (bundled Noto Sans); colours from
its palettes. Text in charts is at least 18 px.

The package: ``draw`` (primitives), one module per chart (``axes``, ``meters``, ``profile``,
``power``) and ``page`` (the PNG). This module is its front: screens call ``charts.axes_plot`` etc.
"""
from __future__ import annotations

from game.ui.charts.draw import MIN_TEXT, palette, series_colour, strategy_colour, text_box, wrap_lines
from game.ui.charts.axes import (
    axes_plot, axes_plot_area, axes_plot_height, axes_plot_layout, axes_point, marker_colour,
)
from game.ui.charts.meters import meters_chart
from game.ui.charts.profile import profile_bars, profile_bars_height
from game.ui.charts.power import power_map, power_map_area
from game.ui.charts.page import outcome_text, render_debrief, save_debrief_png, theory_lines, theory_references

__all__ = [
    "MIN_TEXT", "axes_plot", "axes_plot_area", "axes_plot_height", "axes_plot_layout", "axes_point",
    "marker_colour", "meters_chart", "outcome_text", "palette", "power_map", "power_map_area", "profile_bars",
    "profile_bars_height", "render_debrief", "save_debrief_png", "series_colour", "strategy_colour",
    "text_box", "theory_lines", "theory_references", "wrap_lines",
]
