"""Raw files → decoded text: encodings, bad files, order."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from govnews.errors import GovnewsError
from govnews.ingest.load import load_raw_files

TEXT = "沟赵办事处锐意进取，开拓创新。\n枫杨办事处辖区58条道路。\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),  # little-endian with BOM on this machine
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_encodings_are_detected_and_decoded(raw_dir: Path, encoded: bytes, encoding: str) -> None:
    (raw_dir / "page.txt").write_bytes(encoded)
    files, rejected = load_raw_files(raw_dir)
    assert files[0].text == TEXT
    assert files[0].encoding == encoding
    assert rejected.empty


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "file is empty"),
        (b"  \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks binary"),
        ("沟赵办事处".encode()[:-1] + b"\xff\xfe\xfa", "cannot decode"),
    ],
)
def test_bad_files_stop_the_build_naming_the_file(raw_dir: Path, content: bytes, problem: str) -> None:
    (raw_dir / "bad page.txt").write_bytes(content)
    with pytest.raises(GovnewsError) as error:
        load_raw_files(raw_dir)
    assert "bad page.txt" in error.value.message
    assert problem in error.value.message


def test_skip_bad_lists_the_file_in_rejected(raw_dir: Path) -> None:
    (raw_dir / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw_dir / "b.txt").write_bytes(b"")
    files, rejected = load_raw_files(raw_dir, skip_bad=True)
    assert [f.source for f in files] == ["a.txt"]
    assert rejected["source"].tolist() == ["b.txt"]
    assert rejected["reason"].iloc[0] == "file is empty; nothing to read"


def test_files_are_read_in_sorted_order_including_subfolders(raw_dir: Path) -> None:
    (raw_dir / "sub").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.md"):
        (raw_dir / name).write_text(TEXT, encoding="utf-8")
    files, _ = load_raw_files(raw_dir)
    assert [f.source for f in files] == ["a.txt", "b.txt", "sub/c.txt"]


def test_folder_without_txt_files_is_an_error(raw_dir: Path) -> None:
    (raw_dir / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(GovnewsError, match=r"no \.txt files"):
        load_raw_files(raw_dir)


def test_symlink_loop_does_not_hang(raw_dir: Path) -> None:
    (raw_dir / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw_dir / "loop").symlink_to(raw_dir, target_is_directory=True)
    files, _ = load_raw_files(raw_dir)
    assert [f.source for f in files] == ["a.txt"]
