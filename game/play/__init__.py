"""Playing a scenario: the turn rules (``turn``, written once), the engine around the
``transitions`` state machine (``engine``: Story and Session), scoring and the debrief.

Imports only ``game.scenario`` and the base modules. Never imports pygame (a test checks).
"""
