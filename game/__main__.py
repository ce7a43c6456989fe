"""``python -m game``: the same as the ``tegenmacht`` command."""
import sys

from game.cli import main

sys.exit(main())
