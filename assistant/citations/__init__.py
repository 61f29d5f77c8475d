"""Citation engine: find, normalise, resolve and check document citations in Vietnamese reports.

    from assistant.citations import check_text
    result = check_text(open("bao-cao.txt").read())
    for f in result.findings: print(f.severity, f.code, f.text, f.suggestion)

One verb per module: normalise (số/ký hiệu), find (citations with spans; own_number tells the
document's own "Số:" line apart), resolve (Registry), header (a document's own header), format
(NĐ 30/2020 citation style), titles (whose trích yếu is it), fields (lĩnh vực, ministries and
modes that tell sibling decrees apart: fields_in), lookalikes (Ð for Đ, – for -). check runs one
module per check: check_header, check_duplicates, check_registry (citations vs registry and
NĐ 30/2020), check_sums. Rule tables live in ./data/*.json.
"""
from .check import CheckResult, Finding, check_text
from .fields import fields_in
from .find import Citation, find_citations
from .format import format_citation
from .header import read_header
from .normalise import normalise_number, parse_number
from .resolve import Registry, RegistryEntry, load_registry

__all__ = [
    "CheckResult",
    "Citation",
    "Finding",
    "Registry",
    "RegistryEntry",
    "check_text",
    "fields_in",
    "find_citations",
    "format_citation",
    "load_registry",
    "normalise_number",
    "parse_number",
    "read_header",
]
