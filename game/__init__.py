"""Tegenmacht — tussen polderen en protesteren.

A teaching game and training simulator for social workers, in layers; a module imports
only from its own layer's package and the layers below it (``tests/test_layers.py``):

1. base modules: ``errors`` (the exception tree, exit codes), ``i18n``, ``safeio``,
   ``perf``, ``palette``;
2. ``scenario``: reading, checking and modelling a scenario;
3. ``play``: the turn rules, the engine, scoring, the debrief;
4. ``records``: settings, saves, finished sessions, results files;
5. ``tools`` (simulate, check, graph, stats), ``text`` (terminal play, live reload) and
   ``classroom`` (votes from phones, the class report);
6. ``cli`` (the command line) and ``ui`` (the window, the only package that imports pygame).
"""

__version__ = "0.1.0"
