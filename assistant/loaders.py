"""Document loaders: PDF (text layer or OCR), DOCX, Markdown and plain text -> `Document`.

Every failure is a `LoadError` with a stable `code` and a Vietnamese `message` that names the file
and says how to fix it. Text is always NFC (`assistant.text.nfc`).
"""
from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from assistant import tcvn3
from assistant.config import get_settings
from assistant.documents import Document, Page
from assistant.errors import LoadError
from assistant.text import nfc

log = logging.getLogger(__name__)

SUPPORTED = {".pdf", ".docx", ".md", ".txt"}
_SUPPORTED_LIST = ", ".join(sorted(SUPPORTED))
_MB = 1024 * 1024
_ZIP_LIMIT = 500 * _MB      # uncompressed DOCX content, whatever max_bytes is
_ZIP_FACTOR = 20            # ... and at most 20 x the upload limit
_MIN_PAGE_CHARS = 16        # fewer letters/digits than this on a PDF page = no text layer
_OCR_DPI = 300
_OCR_TIMEOUT = 180          # seconds per page

CODES = ("unsupported", "empty", "too-large", "encrypted", "corrupt", "scanned", "encoding",
         "legacy-encoding", "not-found")


# --------------------------------------------------------------------------- entry points


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks (the identity of an indexed file, a model's checksum)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Supported files under the given paths (folders recursively, hidden files skipped), sorted."""
    for raw in paths:
        p = Path(raw).resolve()
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and f.suffix.lower() in SUPPORTED and not any(
                        part.startswith(".") for part in rel.parts) and f.name.lower() != "readme.md":
                    yield f
        else:
            yield p




def load(path: str | Path, *, max_bytes: int | None = None, ocr: bool = True) -> Document:
    """Load a file from disk. `max_bytes=None` uses ASSISTANT_MAX_UPLOAD_MB."""
    p = Path(path)
    name = p.name
    _check_extension(name)
    if not p.is_file():
        raise LoadError("not-found", f"Không tìm thấy tệp '{p}'. Cách khắc phục: kiểm tra lại đường dẫn "
                                     "và tên tệp (kể cả phần mở rộng).")
    limit = _limit(max_bytes)
    size = p.stat().st_size
    _check_size(name, size, limit)
    data = p.read_bytes()
    return _load(data, name, str(path), limit, ocr)


def load_bytes(data: bytes, name: str, *, max_bytes: int | None = None, ocr: bool = True,
               source: str | None = None) -> Document:
    """Load an upload held in memory; `name` gives the extension and is shown in messages."""
    display = Path(name).name or name
    _check_extension(display)
    limit = _limit(max_bytes)
    _check_size(display, len(data), limit)
    return _load(data, display, source or name, limit, ocr)


def _load(data: bytes, name: str, source: str, limit: int, ocr: bool) -> Document:
    ext = Path(name).suffix.lower()
    if ext == ".pdf":
        fmt, pages, meta, warnings = "pdf", *_load_pdf(data, name, ocr)
    elif ext == ".docx":
        fmt, pages, meta, warnings = "docx", *_load_docx(data, name, limit)
    else:
        fmt = ext[1:]
        pages, meta, warnings = _load_text(data, name, markdown=(ext == ".md"))
    pages = [Page(pg.number, pg.text) for pg in pages if pg.text.strip()]
    if not pages:
        raise LoadError("empty", f"Tệp '{name}' không có nội dung chữ nào đọc được. Cách khắc phục: mở tệp "
                                 "kiểm tra lại; nếu là bản scan, hãy dùng bản PDF xuất từ Word.")
    return Document(source=source, sha256=hashlib.sha256(data).hexdigest(), format=fmt, pages=pages,
                    meta=meta, warnings=warnings)


def _limit(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return int(max_bytes)
    return int(get_settings().max_upload_mb * _MB)


def _mb(n: float) -> str:
    v = n / _MB
    s = f"{v:.1f}" if v >= 0.1 else f"{v:.3f}"
    return s.rstrip("0").rstrip(".").replace(".", ",") or "0"


def _check_extension(name: str) -> None:
    ext = Path(name).suffix.lower()
    if ext in SUPPORTED:
        return
    hint = ""
    if ext in {".doc", ".rtf", ".odt"}:
        hint = " Với tệp Word cũ (.doc), hãy mở bằng Word và chọn Lưu thành (Save As) định dạng .docx."
    elif ext in {".xls", ".xlsx"}:
        hint = " Với bảng tính, hãy xuất ra PDF hoặc chép nội dung sang .docx."
    raise LoadError("unsupported", f"Tệp '{name}' có định dạng không được hỗ trợ ({ext or 'không có phần mở rộng'}). "
                                   f"Các định dạng hỗ trợ: {_SUPPORTED_LIST}.{hint}")


def _check_size(name: str, size: int, limit: int) -> None:
    if size == 0:
        raise LoadError("empty", f"Tệp '{name}' rỗng (0 byte). Cách khắc phục: kiểm tra lại tệp gốc và tải lên lại.")
    if size > limit:
        raise LoadError("too-large", f"Tệp '{name}' có dung lượng {_mb(size)} MB, vượt giới hạn {_mb(limit)} MB. "
                                     "Cách khắc phục: tách hoặc nén tệp cho nhỏ hơn, hoặc tăng giới hạn bằng biến "
                                     "môi trường ASSISTANT_MAX_UPLOAD_MB.")


def _corrupt(name: str, what: str) -> LoadError:
    return LoadError("corrupt", f"Tệp '{name}' bị hỏng hoặc không phải tệp {what} hợp lệ. Cách khắc phục: mở tệp "
                                f"bằng phần mềm gốc để kiểm tra, rồi lưu/xuất lại thành {what} và tải lên lại.")


# --------------------------------------------------------------------------- PDF


def _load_pdf(data: bytes, name: str, ocr: bool) -> tuple[list[Page], dict, list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise _corrupt(name, "PDF")
    if b"%%EOF" not in data[-2048:]:
        raise LoadError("corrupt", f"Tệp '{name}' không đầy đủ (bị cắt cụt khi tải hoặc sao chép). "
                                   "Cách khắc phục: tải lại hoặc xuất lại tệp PDF từ bản gốc.")
    warnings: list[str] = []
    meta: dict = {}
    pypdf_log = logging.getLogger("pypdf")
    old_level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # broken-but-readable PDFs log noise for every object
    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                ok = reader.decrypt("")  # DependencyError (AES without 'cryptography') -> PDFium below
                if not ok:
                    raise LoadError("encrypted", f"Tệp '{name}' được bảo vệ bằng mật khẩu nên không đọc được. "
                                                 "Cách khắc phục: mở bằng mật khẩu rồi lưu lại bản không mật khẩu "
                                                 "(hoặc xuất lại PDF từ Word không đặt mật khẩu).")
                warnings.append(f"Tệp '{name}' có đặt bảo vệ nhưng mở được với mật khẩu rỗng.")
            pdf_pages = list(reader.pages)
            texts = []
            for page in pdf_pages:
                try:
                    texts.append(page.extract_text() or "")
                except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, NotImplementedError) as e:
                    # (a damaged stream names a filter pypdf does not know: NotImplementedError)
                    log.debug("page text failed: %s", e)
                    texts.append("")
            try:
                info = reader.metadata
                if info and info.title:
                    meta["pdf_title"] = nfc(str(info.title))
            except Exception as e:  # noqa: BLE001 - metadata is optional
                log.debug("pdf metadata unreadable: %s", e)
        except LoadError:
            raise
        except DependencyError as e:
            # AES-encrypted and the 'cryptography' package is missing: PDFium decrypts on its own.
            texts = _pdfium_texts(data, name, e)
            warnings.append(f"Tệp '{name}' được mã hóa AES (mật khẩu rỗng); đã đọc bằng PDFium.")
        except FileNotDecryptedError as e:
            raise LoadError("encrypted", f"Tệp '{name}' được bảo vệ bằng mật khẩu nên không đọc được. "
                                         "Cách khắc phục: lưu lại bản không mật khẩu.") from e
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError, OSError, AssertionError, NotImplementedError) as e:
            raise _corrupt(name, "PDF") from e
    finally:
        pypdf_log.setLevel(old_level)

    if not texts:
        raise LoadError("empty", f"Tệp '{name}' không có trang nào. Cách khắc phục: xuất lại PDF từ bản gốc.")
    texts = [_clean_pdf_text(t) for t in texts]
    blank = [i for i, t in enumerate(texts) if not _has_text(t)]
    if blank:
        most = len(blank) * 2 >= len(texts)
        engine = ocr_available() if ocr else None
        if engine:
            try:
                for i, text in _ocr_pdf(data, blank):
                    texts[i] = text
            except Exception as e:
                raise LoadError("scanned", f"Tệp '{name}' là bản scan và nhận dạng chữ (OCR) bị lỗi: {e}. "
                                           "Cách khắc phục: dùng bản PDF xuất từ Word.") from e
            pages_txt = _page_list(i + 1 for i in blank)
            warnings.append(f"Tệp '{name}': {'toàn bộ' if len(blank) == len(texts) else 'một số'} trang là ảnh scan, "
                            f"đã nhận dạng chữ bằng OCR (trang {pages_txt}); hãy đối chiếu số liệu với bản gốc.")
            meta["ocr_pages"] = [i + 1 for i in blank]
        elif most:
            if not ocr:
                fix = "bật OCR (ASSISTANT_OCR=true), hoặc dùng bản PDF xuất từ Word."
                why = "và chức năng nhận dạng chữ (OCR) đang tắt"
            else:
                fix = "cài gói tesseract-ocr và tesseract-ocr-vie, hoặc dùng bản PDF xuất từ Word."
                why = "và máy chưa cài Tesseract OCR (kèm dữ liệu tiếng Việt)"
            raise LoadError("scanned", f"Tệp '{name}' là bản scan (không có lớp chữ) {why}. Cách khắc phục: {fix}")
        else:
            warnings.append(f"Tệp '{name}': trang {_page_list(i + 1 for i in blank)} không có lớp chữ "
                            "(ảnh scan hoặc trang trắng) nên bị bỏ qua.")
    pages = [Page(i + 1, t) for i, t in enumerate(texts)]
    return pages, meta, warnings


def _pdfium_texts(data: bytes, name: str, cause: Exception) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as e:
        raise LoadError("encrypted", f"Tệp '{name}' được mã hóa AES và không mở được (cần mật khẩu hoặc gói "
                                     "Python 'cryptography'). Cách khắc phục: lưu lại bản PDF không đặt mật khẩu.") from e
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            texts.append(tp.get_text_range())
            tp.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _page_list(nums) -> str:
    nums = list(nums)
    return ", ".join(str(n) for n in nums[:20]) + ("…" if len(nums) > 20 else "")


_PUA = re.compile(r"[\ue000-\uf8ff\ufffd]")


def _clean_pdf_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if tcvn3.looks_like_tcvn3(text):  # PDFs printed from .VnTime documents without Unicode mapping
        text = tcvn3.to_unicode(text)
    text = nfc(text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _has_text(text: str) -> bool:
    good = sum(1 for c in text if c.isalnum())
    if good < _MIN_PAGE_CHARS:
        return False
    return len(_PUA.findall(text)) < good  # a glyph soup of private-use codes is no text layer


@lru_cache(maxsize=1)
def ocr_available() -> str | None:
    """'tesseract' when Tesseract with Vietnamese data can be used, else None."""
    if not shutil.which("tesseract"):
        return None
    try:
        import pytesseract

        if "vie" not in pytesseract.get_languages(config=""):
            return None
    except Exception:  # noqa: BLE001
        return None
    return "tesseract"


def _ocr_pdf(data: bytes, indices: list[int]):
    import pypdfium2 as pdfium
    import pytesseract

    pdf = pdfium.PdfDocument(data)
    try:
        for i in indices:
            page = pdf[i]
            image = page.render(scale=_OCR_DPI / 72).to_pil()
            page.close()
            text = pytesseract.image_to_string(image, lang="vie", config="--psm 3", timeout=_OCR_TIMEOUT)
            yield i, nfc(text).strip()
    finally:
        pdf.close()


# --------------------------------------------------------------------------- DOCX


def _load_docx(data: bytes, name: str, limit: int) -> tuple[list[Page], dict, list[str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
        # NotImplementedError: a damaged header reads as an unknown zip version ("zip file version 6.4")
        raise _corrupt(name, "Word .docx") from e
    total = sum(i.file_size for i in infos)
    zip_limit = min(_ZIP_LIMIT, _ZIP_FACTOR * limit)
    if total > zip_limit:
        raise LoadError("too-large", f"Tệp '{name}' khi giải nén chiếm {_mb(total)} MB, vượt giới hạn {_mb(zip_limit)} MB "
                                     "(có thể là tệp độc hại dạng 'zip bomb' hoặc chứa ảnh quá lớn). Cách khắc phục: "
                                     "lưu lại tệp trong Word, nén ảnh (File > Compress Pictures), hoặc tăng giới hạn "
                                     "bằng biến môi trường ASSISTANT_MAX_UPLOAD_MB.")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise _corrupt(name, "Word .docx")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(io.BytesIO(data))
        pages: list[list[str]] = [[]]

        def emit(line: str) -> None:
            pages[-1].append(line)

        for block in d.iter_inner_content():
            if isinstance(block, Paragraph):
                text, breaks_before, breaks_after = _docx_paragraph(block)
                for _ in range(breaks_before):
                    pages.append([])
                if text.strip():
                    emit(text)
                for _ in range(breaks_after):
                    pages.append([])
            elif isinstance(block, Table):
                for row in _docx_table_rows(block):
                    emit(row)
        core = d.core_properties
        meta = {}
        if core.title:
            meta["docx_title"] = nfc(core.title)
    except LoadError:
        raise
    except Exception as e:
        raise _corrupt(name, "Word .docx") from e
    result = [Page(n + 1, nfc("\n\n".join(lines))) for n, lines in enumerate(pages)]
    return result, meta, []


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _heading_level(paragraph) -> int:
    try:
        style = paragraph.style
        sname = (style.name or "") if style is not None else ""
    except Exception:  # noqa: BLE001
        sname = ""
    low = sname.lower()
    if low == "title":
        return 1
    m = re.match(r"(heading|tiêu đề|đề mục)\s*(\d)", low)
    if m:
        return max(1, min(6, int(m.group(2))))
    # outline level set directly on the paragraph
    ppr = paragraph._p.pPr
    if ppr is not None:
        lvl = ppr.find(f"{_W}outlineLvl")
        if lvl is not None:
            try:
                v = int(lvl.get(f"{_W}val"))
                if 0 <= v < 6:
                    return v + 1
            except (TypeError, ValueError):
                pass
    return 0


def _docx_paragraph(paragraph) -> tuple[str, int, int]:
    """Text of a paragraph (headings marked '#'), page breaks before and after it."""
    text = paragraph.text.replace("\r", "\n")
    level = _heading_level(paragraph)
    if level and text.strip():
        text = "#" * level + " " + " ".join(text.split())
    before = after = 0
    p = paragraph._p
    seen_text = False
    for el in p.iter():
        tag = el.tag
        if tag == f"{_W}t" and el.text and el.text.strip():
            seen_text = True
        elif tag == f"{_W}lastRenderedPageBreak" or (tag == f"{_W}br" and el.get(f"{_W}type") == "page"):
            if seen_text:
                after = 1
            else:
                before = 1
    ppr = p.pPr
    if ppr is not None and ppr.find(f"{_W}pageBreakBefore") is not None:
        before = 1
    return text, before, after


def _docx_table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = []
        last = None
        try:
            row_cells = row.cells
        except Exception as e:  # noqa: BLE001 - malformed spans
            log.debug("table row skipped: %s", e)
            continue
        for cell in row_cells:
            if last is not None and cell._tc is last:  # a merged cell repeats
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    # Table rows are one block: consecutive lines, no blank line between them.
    return ["\n".join(rows)] if rows else []


# --------------------------------------------------------------------------- text and Markdown


def _load_text(data: bytes, name: str, markdown: bool) -> tuple[list[Page], dict, list[str]]:
    text, encoding = decode_text(data, name)
    warnings = []
    meta: dict = {"encoding": encoding}
    if encoding == "tcvn3":
        warnings.append(f"Tệp '{name}' dùng bảng mã cũ TCVN3 (ABC, phông .VnTime); đã tự chuyển sang Unicode. "
                        "Hãy kiểm tra chữ hoa có dấu.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        fm, text = split_front_matter(text)
        if fm is not None:
            meta["front_matter"] = fm
    text = nfc(text)
    parts = text.split("\f") if "\f" in text else [text]
    pages = [Page(i + 1, part.strip("\n")) for i, part in enumerate(parts)]
    return pages, meta, warnings


_VNI_WORDS = re.compile(r"\b(?:vieät|coäng|nhaân|daân|ñoàng|tænh|huyeän|xaõ|ñaûng|thöïc|cuûa|vaø|caùc|nhöõng|"
                        r"ñöôïc|ngaøy|thaùng|naêm|baùo|caùo|quyeát|ñònh)\b", re.IGNORECASE)


def decode_text(data: bytes, name: str = "tệp") -> tuple[str, str]:
    """Bytes of a .txt/.md -> (Unicode NFC text, encoding name). 'tcvn3' when converted from TCVN3."""
    text, enc = _decode(data, name)
    text = unicodedata.normalize("NFC", text)
    if tcvn3.looks_like_tcvn3(text):
        return unicodedata.normalize("NFC", tcvn3.to_unicode(text)), "tcvn3"
    if len(_VNI_WORDS.findall(text)) >= 3:
        raise LoadError("legacy-encoding", f"Tệp '{name}' dùng bảng mã cũ VNI (phông VNI-Times), chưa tự chuyển được. "
                                           "Cách khắc phục: mở tệp bằng Unikey > Công cụ chuyển mã (Ctrl+Shift+F6), "
                                           "chuyển từ VNI Windows sang Unicode, lưu lại rồi tải lên.")
    return text, enc


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise _encoding_error(name) from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    # Legacy single-byte: TCVN3 bytes (seen as Latin-1) or Windows-1258.
    latin = data.decode("latin-1")
    if tcvn3.looks_like_tcvn3(latin):
        return latin, "latin-1"
    try:
        cp = unicodedata.normalize("NFC", data.decode("cp1258"))
        if _plausible_vietnamese(cp):
            return cp, "cp1258"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    except Exception as e:  # noqa: BLE001
        log.debug("charset-normalizer failed: %s", e)
    raise _encoding_error(name)


def _encoding_error(name: str) -> LoadError:
    return LoadError("encoding", f"Không nhận ra bảng mã chữ của tệp '{name}'. Cách khắc phục: mở tệp bằng Notepad "
                                 "hoặc Word và lưu lại với bảng mã UTF-8 (Unicode), rồi tải lên lại.")


def _guess_utf16(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:20000]
    even = sample[0::2]
    odd = sample[1::2]
    n = len(even)
    z_even = even.count(0) / n
    z_odd = odd.count(0) / n
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    return None


_VIET_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                           r"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]")


def _plausible_vietnamese(text: str) -> bool:
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return False
    loose_marks = len(re.findall(r"[\u0300-\u036f]", text))
    viet = len(_VIET_LETTERS.findall(text))
    return viet >= 0.05 * letters and loose_marks <= 0.01 * letters


_FM = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict | None, str]:
    """YAML front-matter of a Markdown text -> (dict or None, the rest)."""
    m = _FM.match(text)
    if not m:
        return None, text
    raw = m.group(1)
    data = None
    try:
        import yaml

        loaded = yaml.safe_load(raw)
        if isinstance(loaded, dict):
            data = loaded
    except Exception:  # noqa: BLE001 - fall back to key: value lines
        data = None
    if data is None:
        data = {}
        for line in raw.split("\n"):
            k, sep, v = line.partition(":")
            if sep and k.strip() and not line.startswith((" ", "\t", "-")):
                data[k.strip()] = v.strip().strip("'\"")
    return {str(k): _plain(v) for k, v in data.items()}, text[m.end():]


def _plain(v):
    if v is None:
        return ""
    if isinstance(v, bool | int | float):
        return v
    if isinstance(v, str):
        return nfc(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return nfc(str(v))
