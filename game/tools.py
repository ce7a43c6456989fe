"""Registers the trainer tools (simulate, check, graph, stats) and ``export`` with the command line.

Each tool lives in its own module and exposes ``add_command(subparsers)``.
"""
from __future__ import annotations

import importlib

from .cli import _EXTRA_COMMANDS

for _name in ("simulate", "check", "graph", "stats", "export"):
    try:
        _module = importlib.import_module(f"game.{_name}")
    except ModuleNotFoundError as _err:
        if _err.name != f"game.{_name}":
            raise
        continue
    if _module.add_command not in _EXTRA_COMMANDS:
        _EXTRA_COMMANDS.append(_module.add_command)
