"""Drafting a report section: plan by parts, gather each part's facts, write each part from its facts,
then check each part — one module per step.

    from assistant.drafting import draft
    answer = draft("Soạn mục 1.3 Phân quyền, phân cấp, ủy quyền", unit="xã Bình Thành")
    for part in answer.parts: print(part["heading"], part["text"])

request (what is asked) → planning (the outline) → facts (citations, tasks, figures, passages) →
writing (the system's sentences, the model's, the checks) · citing (citations from the registry).
"""
from .request import SectionRequest, parse_request
from .writing import draft, draft_chain, draft_events

__all__ = ["SectionRequest", "draft", "draft_chain", "draft_events", "parse_request"]
