from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

from guides.check import compare, differing_share, disappeared_labels


def picture(dot: bool = False, block: bool = False) -> bytes:
    image = Image.new("RGB", (200, 100), "white")
    draw = ImageDraw.Draw(image)
    if dot:
        draw.point((5, 5), fill="black")
    if block:
        draw.rectangle((0, 0, 99, 99), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def guide(folder: Path, steps: list[tuple[str, str, bytes]]) -> None:
    (folder / "g.en").mkdir(parents=True)
    entries = []
    for number, words, image in steps:
        (folder / "g.en" / f"{number}.png").write_bytes(image)
        entries.append(
            {
                "number": number,
                "text": words,
                "image": f"g.en/{number}.png",
                "sha256": str(hash(image)),
                "size": [200, 100],
                "boxes": [],
            }
        )
    (folder / "g.en.json").write_text(json.dumps({"steps": entries}))


def test_small_differences_are_noise_and_large_ones_a_change() -> None:
    assert differing_share(picture(), picture(dot=True)) < 0.001
    assert differing_share(picture(), picture(block=True)) == 0.5


def test_changed_words_and_screens_are_reported_by_step(tmp_path: Path) -> None:
    guide(
        tmp_path / "last",
        [
            ("4", "Click on **Registar** (Register)", picture()),
            ("5", "Click on **Li e aceito os termos e condições**", picture()),
        ],
    )
    guide(
        tmp_path / "new",
        [
            ("4", "Click on **Efetuar Registo** (Register)", picture()),
            ("5", "Click on **Li e aceito os termos e condições**", picture(block=True)),
        ],
    )
    changes = [str(c) for c in compare(tmp_path / "last", tmp_path / "new", "g.en")]
    assert changes == [
        "g.en: step 4: words: 'Click on **Registar** (Register)' -> "
        "'Click on **Efetuar Registo** (Register)'",
        "g.en: step 5: screen: 50.0% of the picture",
    ]
    assert disappeared_labels(tmp_path / "last", tmp_path / "new", "g.en") == ["Registar"]


def test_the_same_guide_twice_has_no_changes(tmp_path: Path) -> None:
    for name in ("last", "new"):
        guide(tmp_path / name, [("1", "Open **Portal da Segurança Social**", picture(dot=True))])
    assert compare(tmp_path / "last", tmp_path / "new", "g.en") == []
