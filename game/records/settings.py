"""The player's settings (``settings.json``): read with repairs, written atomically.

No pygame here.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from game.records import common
from game.records.common import FORMAT, LANGS, BadNumber, Part, Say, _Damaged, _err, _read_json, _shorten, say, say_n
from game.scenario.problems import SaveError

SETTINGS_FILE = "settings.json"
TEXT_SIZES = ("normal", "large", "xlarge")


@dataclass
class Settings:
    """What the player chose in the settings screen."""

    lang: str = "nl"
    text_size: str = "normal"  # normal | large | xlarge
    high_contrast: bool = False
    coach: bool = True
    fullscreen: bool = False
    window_w: int = 0  # the window's last size (0: fit the screen)
    window_h: int = 0
    show_tags: bool = False  # trainers: show each choice's strategy and agency before it is chosen

    def __post_init__(self) -> None:
        for f in fields(self):
            ok, _ = _check_setting(f.name, getattr(self, f.name))
            if not ok:
                raise ValueError(f"invalid setting {f.name}={getattr(self, f.name)!r}")

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}


def _check_setting(name: str, value: Any) -> tuple[bool, Any]:
    if name == "lang":
        return value in LANGS, value
    if name == "text_size":
        return value in TEXT_SIZES, value
    if name in ("window_w", "window_h"):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100_000, value
    return isinstance(value, bool), value



class SettingsFile(Part):
    """``settings.json`` in the Store's folder."""

    @property
    def path(self) -> Path:
        return self.root / SETTINGS_FILE

    def load(self) -> Settings:
        """The saved settings; defaults when there are none. Never raises for a bad file.

        A file that is not usable at all is set aside and the defaults are used. One bad
        value (``"coach": "nee"``, ``NaN``, a 5,000-digit number) falls back to its default
        alone: the other settings stay, and the file is rewritten with the repaired values,
        so the next start reads them without a word."""
        path = self.path
        if not path.exists() and not path.is_symlink():
            return Settings()
        try:
            data = _read_json(path, strict=False)
            if not isinstance(data, dict):
                raise _Damaged(say("store.not-object"))
            if data.get("format") != FORMAT:
                raise _Damaged(say("store.settings-format", format=_shorten(repr(data.get("format")))))
        except _Damaged as err:
            self._settings_damaged(path, err.reason)
            return Settings()
        except OSError as err:
            self._warn(say("store.settings-unreadable", detail=err.strerror or str(err)))
            return Settings()
        values: dict[str, Any] = {}
        bad: list[tuple[str, Any]] = []
        for f in fields(Settings):
            if f.name not in data:
                continue  # an older file without this setting: the default, no fuss
            ok, value = _check_setting(f.name, data[f.name])
            if ok:
                values[f.name] = value
            else:
                bad.append((f.name, data[f.name]))
        settings = Settings(**values)
        if bad:
            self._settings_repaired(settings, bad)
        return settings

    def _settings_repaired(self, settings: Settings, bad: list[tuple[str, Any]]) -> None:
        def shown(value: Any) -> Any:
            return _shorten(value.text if isinstance(value, BadNumber) else json.dumps(value, ensure_ascii=False,
                                                                                       default=repr), 20)

        def default(name: str) -> Any:
            value = getattr(Settings(), name)
            if isinstance(value, bool):
                return say("store.on") if value else say("store.off")
            return str(value)

        parts = [say("store.setting-becomes", name=name, value=shown(v), default=default(name)) for name, v in bad]
        try:
            self.save(settings)
            kept = say("store.settings-file-repaired")
        except SaveError:
            kept = say("store.settings-file-not-repaired")
        self._warn(say_n("store.settings-repaired", len(bad), parts=parts, kept=kept))

    def _settings_damaged(self, path: Path, reason: Say) -> None:
        moved = self._set_aside(path)
        if moved:
            self._warn(say("store.settings-damaged-moved", reason=reason, moved=moved.name))
        else:
            self._warn(say("store.settings-damaged-kept", reason=reason))

    def save(self, settings: Settings) -> None:
        """Write the settings atomically; SaveError (one sentence) if the disk refuses."""
        settings.__post_init__()  # a caller may have changed a field to something invalid
        text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2) + "\n"
        try:
            common.atomic_write(self.path, text)
        except OSError as err:
            raise _err(say("store.settings-not-saved", detail=err.strerror or str(err))) from None
