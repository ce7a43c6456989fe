"""Playing a scenario: the turn rules (``turn``, written once), the engine around the
``transitions`` state machine (``engine``: Story and Session), scoring, the debrief, and the
play controller every front end uses after a choice (``controller``).

Imports only ``game.scenario`` and the base modules. Never imports pygame (a test checks).
"""
