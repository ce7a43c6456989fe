"""What the screen offers: is there a display at all, how much of the desktop a window may
use (without the taskbar, dock or menu bar), and how dense its pixels are.

pygame-ce 2.5 has no call for the usable desktop or the DPI; SDL has
(``SDL_GetDisplayUsableBounds``, ``SDL_GetDisplayDPI``). They are read through ctypes
from the SDL library pygame itself loaded; when that fails the desktop size is used.
"""
from __future__ import annotations

import ctypes
import glob
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional

import pygame

from game.errors import TegenmachtError
from game.i18n import gettext

FIT = 0.9  # a new window takes at most this share of the usable desktop
MIN_SIZE = (800, 500)  # the window cannot be dragged smaller
INIT_TIMEOUT = 4.0  # seconds SDL may take to find a display before we say there is none


class NoDisplay(TegenmachtError):
    """There is no screen to open a window on."""


def prepare_environment() -> None:
    """SDL hints that must be set before the display starts: the window's class name
    (X11 shows "Tegenmacht", not "__main__.py"), a centred window and DPI awareness on Windows."""
    # importing pygame sets the class to the script's name ("__main__.py") unless it was set: a
    # class a user chose stays, pygame's guess does not
    guess = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.environ.get("SDL_VIDEO_X11_WMCLASS", guess) in (guess, ""):
        os.environ["SDL_VIDEO_X11_WMCLASS"] = "Tegenmacht"
    os.environ.setdefault("SDL_VIDEO_WAYLAND_WMCLASS", "Tegenmacht")
    os.environ.setdefault("SDL_APP_NAME", "Tegenmacht")
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    os.environ.setdefault("SDL_WINDOWS_DPI_AWARENESS", "permonitorv2")
    # the window surface straight to the screen, without an OpenGL renderer behind it: on X11 that
    # renderer loads Mesa (about 90 MB) and doubles the start time, for a window that draws in 2D
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


def no_display_reason() -> Optional[str]:
    """Why no window can open, known before SDL tries (and, without a display, may hang
    probing one video driver after another); None if a display may be there."""
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver:
        return None
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            return "no DISPLAY or WAYLAND_DISPLAY"
    return None


def init_display() -> None:
    """``pygame.display.init()`` that gives up after INIT_TIMEOUT seconds; NoDisplay if it fails."""
    reason = no_display_reason()
    if reason:
        raise NoDisplay(reason)
    prepare_environment()
    done = threading.Event()
    failed: list[BaseException] = []

    def watchdog() -> None:
        if not done.wait(INIT_TIMEOUT):  # SDL is stuck looking for a display: say so and stop
            sys.stderr.write(_no_display_sentence("timeout") + "\n")
            sys.stderr.flush()
            os._exit(1)

    t = threading.Thread(target=watchdog, daemon=True)
    t.start()
    try:
        pygame.display.init()
    except pygame.error as err:
        failed.append(err)
    finally:
        done.set()
    if failed:
        raise NoDisplay(str(failed[0]))


def _no_display_sentence(reason: str, lang: str = "nl") -> str:
    return "Error: " + gettext("window.no-display", lang, reason=reason)


no_display_sentence = _no_display_sentence


class _Rect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("w", ctypes.c_int), ("h", ctypes.c_int)]


_sdl = None


def _sdl_lib():
    """The SDL2 library pygame loaded (the same process-wide state), or None."""
    global _sdl
    if _sdl is not None:
        return _sdl or None
    here = Path(pygame.__file__).resolve().parent
    names = [*glob.glob(str(here.parent / "pygame_ce.libs" / "libSDL2-*.so*")),
             *glob.glob(str(here / "SDL2.dll")), *glob.glob(str(here / ".dylibs" / "libSDL2*.dylib")),
             *glob.glob(str(here / "libSDL2*.dylib"))]
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            lib.SDL_GetDisplayUsableBounds.argtypes = [ctypes.c_int, ctypes.POINTER(_Rect)]
            lib.SDL_GetDisplayDPI.argtypes = [ctypes.c_int, *[ctypes.POINTER(ctypes.c_float)] * 3]
            _sdl = lib
            return lib
        except (OSError, AttributeError):
            continue
    _sdl = False
    return None


def usable_desktop(display: int = 0) -> Optional[tuple[int, int]]:
    """The desktop size a window may use (taskbar and menu bar left out), or None."""
    lib = _sdl_lib()
    if lib is not None:
        r = _Rect()
        try:
            if lib.SDL_GetDisplayUsableBounds(display, ctypes.byref(r)) == 0 and r.w > 0 and r.h > 0:
                return (r.w, r.h)
        except Exception:
            pass
    try:
        sizes = pygame.display.get_desktop_sizes()
    except pygame.error:
        return None
    if not sizes:
        return None
    w, h = sizes[min(display, len(sizes) - 1)]
    return (w, h - 48)  # a guess for the taskbar when SDL cannot say


def dpi_scale(display: int = 0) -> float:
    """How much larger than 96 dpi the screen's pixels are (1.0 if unknown): TEGENMACHT_SCALE,
    GDK_SCALE or QT_SCALE_FACTOR when set; on Windows the display's DPI (DPI awareness on); on
    X11 the desktop's text scaling (``Xft.dpi``); macOS scales the window itself."""
    for var in ("TEGENMACHT_SCALE", "GDK_SCALE", "QT_SCALE_FACTOR"):
        try:
            v = float(os.environ.get(var, ""))
            if 0.5 <= v <= 4:
                return v
        except ValueError:
            continue
    if sys.platform != "win32":
        return xft_dpi_scale()
    lib = _sdl_lib()
    if lib is None:
        return 1.0
    d, hz, vt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    try:
        if lib.SDL_GetDisplayDPI(display, ctypes.byref(d), ctypes.byref(hz), ctypes.byref(vt)) == 0 and d.value > 0:
            return max(1.0, min(4.0, d.value / 96.0))
    except Exception:
        pass
    return 1.0


def xft_dpi_scale(query: Optional[str] = None) -> float:
    """On X11 desktops (GNOME, KDE, Xfce) the text scaling the user chose is the ``Xft.dpi``
    resource (144 = 150 %). 1.0 when there is no X display, no ``xrdb`` or no such resource."""
    if query is None:
        if not os.environ.get("DISPLAY") or shutil.which("xrdb") is None:
            return 1.0
        try:
            query = subprocess.run(["xrdb", "-query"], capture_output=True, text=True, timeout=1.0).stdout
        except (OSError, subprocess.SubprocessError, ValueError):
            return 1.0
    for line in query.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "Xft.dpi":
            try:
                dpi = float(value.strip())
            except ValueError:
                return 1.0
            return max(1.0, min(4.0, dpi / 96.0)) if dpi > 0 else 1.0
    return 1.0


def fit_window(saved: Optional[tuple[int, int]] = None, usable: Optional[tuple[int, int]] = None
               ) -> tuple[int, int]:
    """The size a new window opens at: the saved size if it still fits, else 90 % of the usable
    desktop (not wider than 16:9 asks for), never larger than the usable desktop."""
    if usable is None:
        usable = usable_desktop() or (1280, 760)
    uw, uh = usable
    max_w, max_h = max(320, int(uw * FIT)), max(240, int(uh * FIT))
    if saved and saved[0] > 0 and saved[1] > 0:
        return (min(saved[0], max_w), min(saved[1], max_h))
    w, h = max_w, max_h
    w = min(w, round(h * 16 / 9)) if w > h * 16 / 9 else w
    return (w, h)
