"""How the window learns the screen's scale (no window needed)."""
from __future__ import annotations

import pytest

pytest.importorskip("pygame")

from game.ui import display as D  # noqa: E402


@pytest.mark.parametrize("query, scale", [
    ("Xft.antialias:\t1\nXft.dpi:\t144\nXft.hinting:\t1\n", 1.5),
    ("Xft.dpi:\t96\n", 1.0),
    ("Xft.dpi: 192", 2.0),
    ("Xft.dpi:\t72\n", 1.0),      # smaller than 96 never shrinks the text
    ("Xft.dpi:\t999\n", 4.0),     # capped
    ("Xft.dpi:\tveel\n", 1.0),
    ("Xft.dpi:\t0\n", 1.0),
    ("Xcursor.size:\t48\n", 1.0),
    ("", 1.0),
    ("*Xft.dpi:\t144\n", 1.0),    # a pattern, not the resource itself
])
def test_the_x11_text_scaling_is_read_from_xft_dpi(query, scale):
    assert D.xft_dpi_scale(query) == scale


def test_no_x_display_means_no_scaling(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    assert D.xft_dpi_scale() == 1.0


def test_an_explicit_scale_wins_and_a_silly_one_is_ignored(monkeypatch):
    for var in ("TEGENMACHT_SCALE", "GDK_SCALE", "QT_SCALE_FACTOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(D, "xft_dpi_scale", lambda query=None: 1.25)
    monkeypatch.setattr(D.sys, "platform", "linux")
    assert D.dpi_scale() == 1.25
    monkeypatch.setenv("GDK_SCALE", "2")
    assert D.dpi_scale() == 2.0
    monkeypatch.setenv("TEGENMACHT_SCALE", "9")  # out of range: the next one counts
    assert D.dpi_scale() == 2.0
    monkeypatch.setenv("TEGENMACHT_SCALE", "0.5")
    assert D.dpi_scale() == 0.5
