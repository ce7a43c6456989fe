"""The trainer's tools, one command each: ``simulate``, ``check``, ``graph``, ``stats``, ``export``
(and ``common``, what they share). Each module has ``add_command(subparsers)``; the
command line lists them in a fixed table.

Imports ``game.records``, ``game.play``, ``game.scenario`` and the base modules; no pygame.
"""
