"""Input bounds: only regular files are read, never more than the cap + 1 byte, and images
are measured from their header before anything decodes them."""
from __future__ import annotations

import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from game.scenario import images
from game.scenario import loader
from game.cli import main
from game.safeio import FileTooBig, NotRegularFile, read_regular
from game.scenario.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld.yaml"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def finishes(fn, seconds: float = 10.0):
    """Run ``fn`` in a daemon thread; its result, or a failure if it hangs (a FIFO would)."""
    box: dict = {}
    t = threading.Thread(target=lambda: box.setdefault("r", fn()), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "hangs"
    return box["r"]


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF))


def scenario_with_image(tmp_path: Path, image: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count("image: images/speeltuin.png") == 2  # the title illustration and the first scene
    path = tmp_path / "s" / "scenario.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    head, _, tail = text.rpartition("image: images/speeltuin.png")  # the first scene's image
    head = head.replace("\nimage: images/speeltuin.png\n", "\n", 1)  # no title illustration: one image to test
    path.write_text(head + f"image: {image}" + tail, encoding="utf-8")
    return path


# -- scenario files ----------------------------------------------------------------------------
@needs_fifo
def test_a_fifo_as_scenario_is_refused_without_hanging(tmp_path, capsys):
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    report = finishes(lambda: validate_file(fifo))
    [p] = report.problems
    assert p.code == "path-not-file" and "FIFO" in p.message("en") and "FIFO" in p.message("nl")
    for cmd in (["validate", str(fifo)], ["stats", str(fifo)], ["check", str(fifo)],
                ["graph", str(fifo), "-o", str(tmp_path / "k.dot")], ["play", "--text", str(fifo)]):
        assert finishes(lambda: main(["--lang", "en", *cmd])) == 1, cmd
        err = capsys.readouterr()
        assert "not a regular file" in err.out + err.err and "Traceback" not in err.err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_not_read_until_memory_runs_out():
    [p] = finishes(lambda: validate_file("/dev/zero")).problems
    assert p.code == "path-not-file" and "device" in p.message("en")


def test_a_folder_is_refused(tmp_path):
    assert [p.code for p in validate_file(tmp_path).problems] == ["path-is-folder"]


def test_at_most_cap_plus_one_byte_is_read(tmp_path, monkeypatch):
    big = tmp_path / "groot.yaml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(FileTooBig):
        read_regular(big, 100)
    assert read_regular(big, 101) == b"#" * 101
    # a file whose size says 0 but that holds more (like /proc files): still capped while reading
    real_fstat = os.fstat

    def lying_fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 0,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "fstat", lying_fstat)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(FileTooBig) as err:
        read_regular(big, 50)
    assert err.value.size == 51 and sum(reads) <= 51


def test_file_too_big_says_what_it_measures(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1024)
    big = tmp_path / "groot.yaml"
    big.write_bytes(b"a: 1\n" * 1000)
    [p] = validate_file(big).problems
    assert p.code == "file-too-big" and "5 KB of bytes on disk, at most 1 KB" in p.message("en")


def test_not_regular_file_error_names_the_kind(tmp_path):
    with pytest.raises(NotRegularFile) as err:
        read_regular(tmp_path, 10)
    assert err.value.kind == "folder"


# -- images ----------------------------------------------------------------------------------------
def test_image_sizes_come_from_the_header():
    assert images.image_size(png_header(30000, 30000)) == (30000, 30000)
    assert images.image_size(b"GIF89a" + struct.pack("<HH", 640, 480) + b"\0" * 10) == (640, 480)
    bmp = b"BM" + b"\0" * 12 + struct.pack("<I", 40) + struct.pack("<ii", 800, -600) + b"\0" * 30
    assert images.image_size(bmp) == (800, 600)
    jpeg = (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 1200, 1600) + b"\0" * 12)
    assert images.image_size(jpeg) == (1600, 1200)
    webp = b"RIFF" + b"\0" * 4 + b"WEBP" + b"VP8X" + b"\0" * 8 + (9999).to_bytes(3, "little") \
        + (4999).to_bytes(3, "little")
    assert images.image_size(webp) == (10000, 5000)
    assert images.image_size(b"niets bekends") is None


def test_real_images_measure_as_pygame_sees_them(tmp_path):
    pygame = pytest.importorskip("pygame")
    surf = pygame.Surface((123, 45))
    for ext in ("png", "jpg", "bmp"):
        path = tmp_path / f"a.{ext}"
        pygame.image.save(surf, str(path))
        assert images.image_size(path.read_bytes()[:images.HEAD_BYTES]) == (123, 45), ext
        assert images.check_image(str(path)) is None


def test_validate_warns_about_a_huge_image_and_an_image_outside_the_folder(tmp_path):
    path = scenario_with_image(tmp_path, "reus.png")
    (path.parent / "reus.png").write_bytes(png_header(30000, 30000) + b"\0" * 100)
    report = validate_file(path)
    [p] = [p for p in report.problems if p.code.startswith("image")]
    assert p.code == "image-too-big" and "30000×30000" in p.message("en") and "8000" in p.message("nl")
    assert p.line > 1 and report.scenario is not None  # a warning with its place; the scenario plays
    (tmp_path / "elders.png").write_bytes(png_header(10, 10))
    path = scenario_with_image(tmp_path, "../elders.png")
    codes = [p.code for p in validate_file(path).problems if p.code.startswith("image")]
    assert codes == ["image-outside"]


@needs_fifo
def test_a_fifo_as_image_does_not_hang(tmp_path):
    path = scenario_with_image(tmp_path, "pijp.png")
    os.mkfifo(path.parent / "pijp.png")
    report = finishes(lambda: validate_file(path))
    [p] = [p for p in report.problems if p.code.startswith("image")]
    assert p.code == "image-not-file" and "FIFO" in p.message("en")


def test_the_window_never_decodes_a_huge_image(tmp_path, monkeypatch):
    pygame = pytest.importorskip("pygame")
    pytest.importorskip("pygame_gui")
    from game.ui.app import App

    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    path = scenario_with_image(tmp_path, "reus.png")
    (path.parent / "reus.png").write_bytes(png_header(30000, 30000) + b"\0" * 100)
    decoded = []
    real_load = pygame.image.load
    monkeypatch.setattr(pygame.image, "load", lambda *a, **k: decoded.append(a) or real_load(*a, **k))
    try:
        app = App(path=str(path), size=(1280, 720), seed=1)
        assert app.screen.name == "scene"
        assert app.scene_image(app.session.scene) is None and decoded == []
        app.draw(force=True)
    finally:
        pygame.display.quit()


def test_svg_size_comes_from_width_height_or_the_viewbox(tmp_path):
    assert images.svg_size(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="320px" '
                           b'height="180" viewBox="0 0 1 1">') == (320, 180)
    assert images.svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0, 0, 1200, 675">') == (1200, 675)
    assert images.svg_size(b'<svg width="50%" height="50%">') is None  # no pixels and no viewBox: unknown
    assert images.svg_size(b"GIF89a....") is None
    huge = tmp_path / "reus.svg"
    huge.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="30000" height="30000"></svg>')
    assert images.check_image(str(huge))[0] == "image-too-big"
    ok = tmp_path / "ok.svg"
    ok.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675"><rect width="10" height="10"/></svg>')
    assert images.check_image(str(ok)) is None


def test_the_window_draws_an_svg_scene_image(tmp_path):
    pytest.importorskip("pygame")
    from game.ui.app import App
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "plaat.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675"><rect width="1200" height="675" '
        'fill="#B5654A"/></svg>', encoding="utf-8")
    path = scenario_with_image(tmp_path, "plaat.svg")
    app = App(size=(1280, 720), seed=1)
    app.start(str(path))
    surf = app.scene_image(app.session.scene)
    assert surf is not None and surf.get_size() == (1200, 675)
    assert surf.get_at((600, 300))[:3] == (0xB5, 0x65, 0x4A)
