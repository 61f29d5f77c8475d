"""Loaders on real files made by tests/fixtures/makefiles.py (no mocks)."""
from __future__ import annotations

import hashlib
import os
import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import makefiles as mk

from assistant import tcvn3
from assistant.loaders import SUPPORTED, LoadError, load, load_bytes, ocr_available

SHARED = Path(__file__).resolve().parents[2] / "shared"
FONT = mk.dejavu_font()
needs_font = pytest.mark.skipif(FONT is None, reason="DejaVuSans.ttf not found (apt-get install fonts-dejavu-core)")


def _err(path, **kw) -> LoadError:
    with pytest.raises(LoadError) as ei:
        load(path, **kw)
    e = ei.value
    assert e.message and str(e) == e.message
    return e


def _nfc(s: str) -> bool:
    return unicodedata.normalize("NFC", s) == s


# ---------------------------------------------------------------- PDF


@needs_font
def test_pdf_vietnamese_text_layer(tmp_path):
    p = mk.make_text_pdf(tmp_path / "bao-cao.pdf", [mk.PANGRAM, "Trang hai: Đảng ủy, Hội đồng nhân dân xã."], FONT)
    d = load(p)
    assert d.format == "pdf" and [pg.number for pg in d.pages] == [1, 2]
    t1 = " ".join(d.pages[0].text.split())
    assert "chữ tài chữ mệnh khéo là ghét nhau" in t1
    assert "Nghị định số 120/2025/NĐ-CP" in t1 and "98,5%" in t1
    assert "Đảng ủy, Hội đồng nhân dân" in d.pages[1].text
    assert _nfc(d.text) and d.warnings == []
    assert d.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert d.source == str(p)


@needs_font
def test_pdf_load_bytes_same_path(tmp_path):
    p = mk.make_text_pdf(tmp_path / "x.pdf", [mk.PANGRAM], FONT)
    d = load_bytes(p.read_bytes(), "tai-len.pdf")
    assert d.source == "tai-len.pdf" and d.format == "pdf"
    assert d.pages[0].text == load(p).pages[0].text


@needs_font
def test_pdf_encrypted_with_password(tmp_path):
    p = mk.make_text_pdf(tmp_path / "mat.pdf", [mk.PANGRAM], FONT, encrypt="bi-mat")
    e = _err(p)
    assert e.code == "encrypted" and "mat.pdf" in e.message and "mật khẩu" in e.message


@needs_font
def test_pdf_encrypted_empty_user_password_opens(tmp_path):
    p = mk.make_text_pdf(tmp_path / "bao-ve.pdf", [mk.PANGRAM], FONT, encrypt="")
    d = load(p)
    assert "chữ tài chữ mệnh" in " ".join(d.text.split())
    assert d.warnings  # says it was protected


@needs_font
def test_pdfium_fallback_for_aes_without_cryptography(tmp_path):
    # pypdf needs the 'cryptography' package for AES; the loader then reads through PDFium.
    from assistant.loaders import _pdfium_texts

    open_pdf = mk.make_text_pdf(tmp_path / "a.pdf", [mk.PANGRAM, "Trang hai"], FONT, encrypt="")
    texts = _pdfium_texts(open_pdf.read_bytes(), "a.pdf", None)
    assert len(texts) == 2 and "chữ tài chữ mệnh" in texts[0]
    locked = mk.make_text_pdf(tmp_path / "b.pdf", [mk.PANGRAM], FONT, encrypt="bi-mat")
    with pytest.raises(LoadError) as ei:
        _pdfium_texts(locked.read_bytes(), "b.pdf", None)
    assert ei.value.code == "encrypted"


@needs_font
def test_pdf_truncated_is_corrupt(tmp_path):
    p = mk.make_text_pdf(tmp_path / "full.pdf", [mk.PANGRAM] * 3, FONT)
    data = p.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    assert _err(cut).code == "corrupt"


def test_random_bytes_pdf_and_docx_are_corrupt(tmp_path):
    rnd = os.urandom(4096)
    for name in ("rac.pdf", "rac.docx"):
        (tmp_path / name).write_bytes(rnd)
        e = _err(tmp_path / name)
        assert e.code == "corrupt" and name in e.message
    # a PDF header followed by garbage
    (tmp_path / "hdr.pdf").write_bytes(b"%PDF-1.7\n" + rnd + b"\n%%EOF\n")
    assert _err(tmp_path / "hdr.pdf").code in {"corrupt", "empty"}


def test_a_docx_whose_damaged_header_reads_as_an_unknown_zip_version_is_corrupt(tmp_path):
    good = mk.make_docx(tmp_path / "goc.docx", [("p", "Báo cáo kết quả công tác tư pháp.")]).read_bytes()
    at = good.index(b"PK\x01\x02")  # the first central directory entry; "version needed" is at +6
    bad = tmp_path / "hong.docx"
    bad.write_bytes(good[:at + 6] + bytes([64, 0]) + good[at + 8:])  # 6.4: zipfile raises NotImplementedError
    e = _err(bad)
    assert e.code == "corrupt" and "hong.docx" in e.message


def _scanned(tmp_path):
    lines = ["BÁO CÁO KẾT QUẢ CÔNG TÁC TƯ PHÁP", "Ủy ban nhân dân xã Bình Thành",
             "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025", "Hộ tịch, chứng thực, hòa giải ở cơ sở"]
    return mk.make_scanned_pdf(tmp_path / "scan.pdf", lines, FONT)


@needs_font
def test_scanned_pdf_without_ocr_is_refused(tmp_path):
    e = _err(_scanned(tmp_path), ocr=False)
    assert e.code == "scanned" and "scan.pdf" in e.message and "Cách khắc phục" in e.message


@needs_font
@pytest.mark.slow
def test_scanned_pdf_ocr(tmp_path):
    p = _scanned(tmp_path)
    if not ocr_available():
        e = _err(p)
        assert e.code == "scanned" and "tesseract-ocr-vie" in e.message
        pytest.skip("Tesseract with Vietnamese data not installed (apt-get install tesseract-ocr tesseract-ocr-vie); "
                    "checked the 'scanned' error instead")
    d = load(p)
    text = " ".join(d.text.split())
    for word in ("BÁO CÁO", "Ủy ban nhân dân", "Bình Thành", "hòa giải", "120/2025"):
        assert word in text, (word, text)
    assert any("OCR" in w for w in d.warnings)
    assert d.meta.get("ocr_pages") == [1]


# ---------------------------------------------------------------- DOCX


def test_docx_headings_table_order_no_header_footer(tmp_path):
    p = mk.make_docx(tmp_path / "bao-cao.docx", [
        ("title", "BÁO CÁO TỔNG KẾT"),
        ("h1", "I. KẾT QUẢ THỰC HIỆN"),
        ("p", "Ủy ban nhân dân xã đã hoàn thành các chỉ tiêu."),
        ("table", [["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Hồ sơ đúng hạn", "95%", "98,5%"]]),
        ("h2", "1. Công tác hộ tịch"),
        ("p", "Đăng ký khai sinh 120 trường hợp."),
        ("pagebreak", None),
        ("p", "Trang sau: kiến nghị, đề xuất."),
    ])
    d = load(p)
    assert d.format == "docx"
    text = d.text
    assert "ĐẦU TRANG" not in text and "CHÂN TRANG" not in text
    order = ["BÁO CÁO TỔNG KẾT", "I. KẾT QUẢ THỰC HIỆN", "Ủy ban nhân dân xã", "Chỉ tiêu | Kế hoạch | Thực hiện",
             "Hồ sơ đúng hạn | 95% | 98,5%", "1. Công tác hộ tịch", "Đăng ký khai sinh", "kiến nghị"]
    pos = [text.index(s) for s in order]
    assert pos == sorted(pos)
    lines = text.split("\n")
    assert "# I. KẾT QUẢ THỰC HIỆN" in lines and "## 1. Công tác hộ tịch" in lines
    assert len(d.pages) == 2 and d.pages[1].number == 2 and "kiến nghị" in d.pages[1].text
    assert _nfc(text)


def test_docx_zip_bomb_is_too_large(tmp_path):
    # 60 MB of zeros deflate to ~60 KB: with a 100 KB upload limit the 2 MB inflate limit trips.
    p = mk.make_zip_bomb(tmp_path / "bom.docx", 60 * 1024 * 1024)
    assert p.stat().st_size < 100_000
    e = _err(p, max_bytes=100_000)
    assert e.code == "too-large" and "bom.docx" in e.message


def test_docx_lying_declared_size_rejected_without_inflating(tmp_path):
    # The directory claims ~4 GB; nothing is inflated to find out.
    p = mk.make_zip_bomb(tmp_path / "bom2.docx", 1000, declared=0xFFFFFF00)
    e = _err(p)
    assert e.code == "too-large"


def test_zip_that_is_not_docx_is_corrupt(tmp_path):
    import zipfile

    p = tmp_path / "khong-phai.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    assert _err(p).code == "corrupt"


# ---------------------------------------------------------------- text encodings


def test_txt_utf8_and_form_feed_pages(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Trang một: Báo cáo.\r\n\fTrang hai: Kiến nghị.", encoding="utf-8")
    d = load(p)
    assert d.format == "txt" and [pg.number for pg in d.pages] == [1, 2]
    assert d.pages[1].text == "Trang hai: Kiến nghị." and "\r" not in d.text


def test_txt_nfd_input_is_nfc(tmp_path):
    p = tmp_path / "nfd.txt"
    p.write_bytes(unicodedata.normalize("NFD", mk.PANGRAM).encode("utf-8"))
    assert load(p).pages[0].text == mk.PANGRAM


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_txt_unicode_encodings(tmp_path, codec):
    p = tmp_path / f"{codec}.txt"
    p.write_bytes(mk.PANGRAM.encode(codec))
    assert load(p).pages[0].text == mk.PANGRAM


def test_txt_windows_1258(tmp_path):
    data = mk.encode_cp1258(mk.PANGRAM + "\nĐồng bằng, ổ gà, ưng ửng, quỹ đạo.")
    assert b"\xcc" in data or b"\xec" in data  # really uses combining tone marks
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    p = tmp_path / "cp1258.txt"
    p.write_bytes(data)
    d = load(p)
    assert d.pages[0].text == mk.PANGRAM + "\nĐồng bằng, ổ gà, ưng ửng, quỹ đạo."
    assert d.meta["encoding"] == "cp1258"


def test_tcvn3_table_round_trip():
    pangram = ("trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau. đồng bằng ổ gà ưng ửng "
               "khuỷu tay quỹ đạo thuở ấy ngỡ ngàng rộn rã kỳ lạ giữ gìn mỹ lệ họp mặt ghẹ nghỉ nghĩ lưỡi "
               "vữa ợ ở ờ ụ ũ ủ ỷ ỵ ỳ ý ặ ẳ ẵ ắ ằ ẩ ẫ ấ ầ ậ ẻ ẽ ẹ é è ể ễ ế ề ệ ị ỉ ĩ í ì ọ ỏ õ ó ò ổ ỗ ố ồ ộ "
               "ợ ở ỡ ớ ờ ừ ử ữ ứ ự ù ú ủ ũ ụ ả ã á à ạ ă â ê ô ơ ư đ")
    legacy = tcvn3.from_unicode(pangram)
    assert all(ord(c) < 256 for c in legacy)
    assert tcvn3.to_unicode(legacy) == pangram
    values = set(tcvn3.CHAR_MAP.values())
    assert len(values) == len(tcvn3.CHAR_MAP) == 60 + 7 + 7  # 12 vowels x 5 tones, ăâêôơưđ, ĂÂÊÔƠƯĐ
    for base in "aăâeêioôơuưy":
        for tone in "\u0300\u0309\u0303\u0301\u0323":
            assert unicodedata.normalize("NFC", base + tone) in values


def test_tcvn3_known_strings():
    assert tcvn3.to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert tcvn3.to_unicode("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert tcvn3.to_unicode("CéNG HOµ") == "CỘNG HOÀ"  # .VnTimeH capitals
    assert not tcvn3.looks_like_tcvn3(mk.PANGRAM)
    assert not tcvn3.looks_like_tcvn3("Müller und Größe über die Straße; Café à la française, élève.")


@pytest.mark.parametrize("as_bytes", ["latin-1", "utf-8"])
def test_txt_tcvn3_converted(tmp_path, as_bytes):
    legacy = ("Uû ban nh©n d©n x· B×nh Thµnh\nB¸o c¸o kÕt qu¶ c«ng t¸c t\u00ad ph¸p n¨m 2020, "
              "thùc hiÖn NghÞ ®Þnh sè 23/2015/N§-CP.")
    p = tmp_path / "cu.txt"
    p.write_bytes(legacy.encode(as_bytes))
    d = load(p)
    assert d.pages[0].text == ("Uỷ ban nhân dân xã Bình Thành\nBáo cáo kết quả công tác tư pháp năm 2020, "
                               "thực hiện Nghị định số 23/2015/NĐ-CP.")
    assert d.meta["encoding"] == "tcvn3" and any("TCVN3" in w for w in d.warnings)


def test_txt_vni_is_legacy_encoding_error(tmp_path):
    p = tmp_path / "vni.txt"
    p.write_bytes("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Baùo caùo cuûa UÛy ban nhaân daân xaõ.".encode("cp1252"))
    e = _err(p)
    assert e.code == "legacy-encoding" and "VNI" in e.message and "Unikey" in e.message


def test_md_front_matter_kept_out_of_text(tmp_path):
    p = tmp_path / "nd.md"
    p.write_text("---\nso_hieu: 120/2025/NĐ-CP\nloai: Nghị định\nngay_ban_hanh: 11/06/2025\n---\n\n"
                 "# Nghị định số 120/2025/NĐ-CP\n\n### Điều 1. Phạm vi điều chỉnh\n\nNội dung.\n", encoding="utf-8")
    d = load(p)
    assert d.format == "md"
    assert d.meta["front_matter"] == {"so_hieu": "120/2025/NĐ-CP", "loai": "Nghị định", "ngay_ban_hanh": "11/06/2025"}
    assert "so_hieu" not in d.text and d.text.startswith("# Nghị định số 120/2025/NĐ-CP")


def test_md_shared_decree(tmp_path):
    src = SHARED / "data" / "decrees" / "nd-120-2025-nd-cp-phan-dinh-tham-quyen-tu-phap.md"
    if not src.is_file():
        pytest.skip(f"shared samples not found at {src}")
    d = load(src)
    assert d.meta["front_matter"]["so_hieu"] == "120/2025/NĐ-CP"
    assert "### Điều 7." in d.text and not d.text.startswith("---")


# ---------------------------------------------------------------- generic errors


def test_zero_byte_is_empty(tmp_path):
    for name in ("rong.txt", "rong.pdf", "rong.docx", "rong.md"):
        (tmp_path / name).write_bytes(b"")
        e = _err(tmp_path / name)
        assert e.code == "empty" and name in e.message


def test_whitespace_only_is_empty(tmp_path):
    (tmp_path / "trang.txt").write_text(" \n\n\t \n", encoding="utf-8")
    assert _err(tmp_path / "trang.txt").code == "empty"


def test_too_large_names_limit_and_setting(tmp_path):
    p = tmp_path / "lon.txt"
    p.write_text("Báo cáo. " * 500, encoding="utf-8")
    e = _err(p, max_bytes=1024)
    assert e.code == "too-large" and "lon.txt" in e.message
    assert "MB" in e.message and "ASSISTANT_MAX_UPLOAD_MB" in e.message
    with pytest.raises(LoadError) as ei:
        load_bytes(p.read_bytes(), "lon.txt", max_bytes=1024)
    assert ei.value.code == "too-large"


def test_unsupported_lists_supported(tmp_path):
    p = tmp_path / "cu.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    e = _err(p)
    assert e.code == "unsupported" and all(ext in e.message for ext in SUPPORTED) and ".docx" in e.message


def test_not_found(tmp_path):
    e = _err(tmp_path / "khong-co.pdf")
    assert e.code == "not-found" and "khong-co.pdf" in e.message
