"""The game window (pygame-ce + pygame_gui). The only package that imports pygame."""
