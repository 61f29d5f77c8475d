import hashlib
import sys

import pytest

from assistant.models import ModelError, PackagedModel, assemble, catalogue


def _fake_parts(tmp_path, monkeypatch, contents: list[bytes]) -> str:
    """Registry-style part packages on sys.path: fakepartN/data/partNN.bin."""
    root = tmp_path / "site"
    for n, blob in enumerate(contents, 1):
        pkg = root / f"fakepart{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(blob)
    monkeypatch.syspath_prepend(str(root))
    for n in range(1, len(contents) + 1):
        sys.modules.pop(f"fakepart{n}", None)
    return "fakepart{n}"


def _model(pattern, parts, sha):
    return PackagedModel(name="t", description="thử", packages=pattern, parts=parts, part_file="part{n:02d}.bin",
                         sha256=sha, file="t.gguf", install="pip install thử")


def test_assembles_parts_in_order_and_verifies(tmp_path, monkeypatch):
    blobs = [b"GGUF-part-one|", b"part-two|", b"three"]
    pattern = _fake_parts(tmp_path, monkeypatch, blobs)
    sha = hashlib.sha256(b"".join(blobs)).hexdigest()
    path = assemble(_model(pattern, 3, sha), tmp_path / "cache")
    assert path.read_bytes() == b"".join(blobs)
    # second call reuses the verified file
    mtime = path.stat().st_mtime_ns
    assert assemble(_model(pattern, 3, sha), tmp_path / "cache").stat().st_mtime_ns == mtime


def test_checksum_mismatch_is_refused(tmp_path, monkeypatch):
    pattern = _fake_parts(tmp_path, monkeypatch, [b"abc", b"def"])
    with pytest.raises(ModelError, match="sha256"):
        assemble(_model(pattern, 2, "0" * 64), tmp_path / "cache")
    assert not (tmp_path / "cache" / "t.gguf").exists()


def test_missing_package_names_the_fix(tmp_path):
    with pytest.raises(ModelError, match="pip install"):
        assemble(_model("khong_co_goi_nay_{n}", 1, "0" * 64), tmp_path / "cache")


def test_catalogue_has_both_models():
    cat = catalogue()
    assert cat["default"].parts == 22 and cat["small"].parts == 6
    assert len(cat["default"].sha256) == 64
