"""Reading scenarios: the YAML loader, the model, conditions and effects (``rules``), the
problem catalogue, the JSON Schema, the validator, the play state conditions are tested
against, and where the shipped scenarios are.

The lowest layer of the game: it imports only the base modules (``game.errors``,
``game.safeio``, ``game.perf``). Pure: no pygame, no printing.
"""
