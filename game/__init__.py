"""Tegenmacht — tussen polderen en protesteren.

A teaching game and training simulator for social workers. The engine
(:mod:`game.loader`, :mod:`game.validate`, :mod:`game.rules`,
:mod:`game.engine`, :mod:`game.scoring`) never imports pygame; only
:mod:`game.ui` does.
"""

__version__ = "0.1.0"
