"""Play in the terminal (``play``, also the route for screen readers) and live reloading
of a scenario while it is written (``watch``, used by the terminal and the window).

Imports ``game.records``, ``game.play``, ``game.scenario`` and the base modules; no pygame.
"""
