"""What is kept of play: settings, save slots and finished sessions (``store``), and the
results file a student hands in (``results``; ``export`` writes them, ``xapi`` turns one into
xAPI statements).

Imports ``game.play``, ``game.scenario`` and the base modules; no pygame.
"""
