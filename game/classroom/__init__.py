"""The classroom: votes from phones while a class plays on the projector (``votes``: a small
web server, no pygame), and the class report built from the results files students hand in.

Imports ``game.records``, ``game.play``, ``game.scenario`` and the base modules; no pygame.
"""
