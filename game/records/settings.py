"""The player's settings (``settings.json``): read with repairs, written atomically.

No pygame here.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from game.records import common
from game.records.common import FORMAT, LANGS, BadNumber, Part, _Damaged, _err, _read_json, _shorten
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
                raise _Damaged("het is geen JSON-object", "it is not a JSON object")
            if data.get("format") != FORMAT:
                raise _Damaged(f"het formaat {_shorten(repr(data.get('format')))} is onbekend",
                               f"its format {_shorten(repr(data.get('format')))} is unknown")
        except _Damaged as err:
            self._settings_damaged(path, *err.reason)
            return Settings()
        except OSError as err:
            self._warn(f"Het bestand met instellingen kan nu niet gelezen worden ({err.strerror or err}), dus de "
                       f"standaardinstellingen gelden; het bestand blijft staan.",
                       f"The settings file cannot be read now ({err.strerror or err}), so the default settings "
                       f"are used; the file is left in place.")
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
        def shown(value: Any) -> str:
            return _shorten(value.text if isinstance(value, BadNumber) else json.dumps(value, ensure_ascii=False,
                                                                                       default=repr), 20)

        def default(name: str, lang: str) -> str:
            value = getattr(Settings(), name)
            if isinstance(value, bool):
                return ("aan" if value else "uit") if lang == "nl" else ("on" if value else "off")
            return str(value)

        parts_nl = ", ".join(f"{name} ({shown(v)} wordt {default(name, 'nl')})" for name, v in bad)
        parts_en = ", ".join(f"{name} ({shown(v)} becomes {default(name, 'en')})" for name, v in bad)
        try:
            self.save(settings)
            kept_nl, kept_en = "het bestand is hersteld", "the file has been repaired"
        except SaveError:
            kept_nl, kept_en = "het bestand kon niet hersteld worden", "the file could not be repaired"
        one = len(bad) == 1
        self._warn(f"{'Een instelling klopte' if one else 'Enkele instellingen klopten'} niet en "
                   f"{'krijgt' if one else 'krijgen'} de standaardwaarde: {parts_nl}; de andere instellingen "
                   f"blijven en {kept_nl}.",
                   f"{'A setting was' if one else 'Some settings were'} wrong and fall back to the default: "
                   f"{parts_en}; the other settings stay and {kept_en}.")

    def _settings_damaged(self, path: Path, nl: str, en: str) -> None:
        moved = self._set_aside(path)
        where_nl = f"het oude bestand staat opzij als {moved.name}" if moved else "het oude bestand is blijven staan"
        where_en = f"the old file was set aside as {moved.name}" if moved else "the old file was left in place"
        self._warn(f"Het bestand met instellingen was beschadigd ({nl}), dus de standaardinstellingen worden "
                   f"gebruikt en {where_nl}.",
                   f"The settings file was damaged ({en}), so the default settings are used and {where_en}.")

    def save(self, settings: Settings) -> None:
        """Write the settings atomically; SaveError (one sentence) if the disk refuses."""
        settings.__post_init__()  # a caller may have changed a field to something invalid
        text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2) + "\n"
        try:
            common.atomic_write(self.path, text)
        except OSError as err:
            raise _err(f"De instellingen konden niet bewaard worden ({err.strerror or err}).",
                       f"The settings could not be saved ({err.strerror or err}).") from None
