"""What is kept of play: settings, save slots and finished sessions (``store``), and the
results file a student hands in (``results``).

Imports ``game.play``, ``game.scenario`` and the base modules; no pygame.
"""
