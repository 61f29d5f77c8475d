"""Labels and the highlighter shared by the app and the Word export."""
from __future__ import annotations

from dataclasses import dataclass

from assistant.labels import counts_phrase, message_text, segments, severity_label, status_label


@dataclass
class Finding:
    start: int | None
    end: int | None
    severity: str = "info"
    message: str = ""


def test_segments_cut_at_every_span_and_take_the_strongest_severity():
    text = "Căn cứ Nghị định số 01/2099/NĐ-CP ngày 01/01/2099."
    number = text.index("01/2099")
    date = text.index("01/01/2099")
    findings = [{"start": number, "end": len(text) - 1, "severity": "warning", "message": "a"},
                {"start": date, "end": len(text) - 1, "severity": "error", "message": "b"}]
    segs = segments(text, findings)
    assert "".join(text[s.start:s.end] for s in segs) == text  # the pieces rebuild the text
    assert [(text[s.start:s.end], s.severity) for s in segs] == [
        ("Căn cứ Nghị định số ", None), ("01/2099/NĐ-CP ngày ", "warning"), ("01/01/2099", "error"), (".", None)]
    assert [f["message"] for f in segs[2].findings] == ["a", "b"]


def test_segments_accept_objects_and_leave_out_spans_outside_the_text():
    text = "abcdef"
    findings = [Finding(1, 3, "info"), Finding(None, 2), Finding(4, 99), Finding(3, 3), Finding(-1, 2)]
    assert [(s.start, s.end, s.severity) for s in segments(text, findings)] == [
        (0, 1, None), (1, 3, "info"), (3, 6, None)]


def test_segments_of_one_line_keep_spans_that_cross_it():
    text = "dòng một\ndòng hai"
    line_two = text.index("dòng hai")
    findings = [{"start": 5, "end": line_two + 4, "severity": "error"}]  # from line one into line two
    segs = segments(text, findings, line_two, len(text))
    assert [(text[s.start:s.end], s.severity) for s in segs] == [("dòng", "error"), (" hai", None)]


def test_labels_and_counts_are_vietnamese():
    assert severity_label("error") == "Lỗi" and severity_label("other") == "other" and severity_label(None) == ""
    assert status_label("unknown") == "Chưa có trong danh mục" and status_label(None) == ""
    findings = [{"severity": "error"}, {"severity": "info"}, Finding(0, 1, "info")]
    assert counts_phrase(findings) == "1 lỗi, 0 cảnh báo, 2 ghi chú"


def test_message_text_reads_gradio_parts():
    assert message_text("xin chào") == "xin chào"
    assert message_text([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "ab"
    assert message_text(None) == ""
