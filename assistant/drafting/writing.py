"""Write a planned section part by part: the system states the facts it knows, the model writes the
sentences around the facts it is handed, and each part is checked before the next begins.

A mandate part opens with what the system can know without the model — "Đối với lĩnh vực tư pháp:
thực hiện theo quy định tại <citation from the registry> …; <decree> giao cho cấp xã 21 nhiệm vụ:
hộ tịch (07 nhiệm vụ, Điều 4, 5, 7, 8, 24), …" — and the model continues with what the unit did,
from the unit's own reports. A fact the section needs and the index lacks is a visible
"[cần bổ sung: …]", never an invention.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableGenerator, RunnableLambda

from .. import llm, prompts
from ..answers import Answer, Event, source_entries
from ..citations import Registry, format_citation
from ..config import get_settings
from ..documents import Hit
from ..errors import LLMUnavailable
from ..figures import extract_figures, periods_in
from ..index import get_index, registry_with_corpus
from ..replies import is_garbled, leaks_scaffolding, strip_scaffolding
from ..replies import stream_reply as guarded
from ..tasks import TaskRegister
from ..text import GAP, GAP_OPEN, GAP_RUN, MARKER, figures_with_units, fold, nfc, sentences
from ..verify import draft_findings, mark_unverified
from .citing import canonical_citations, fix_repeated_words
from .facts import HEADING_LINE, PartFacts, Sources, gather
from .planning import PartPlan, plan_section
from .request import SectionRequest, parse_request

CHARS_PER_TOKEN = 3.0       # measured: 6,000 characters of the seed report = 1,930 Qwen2.5 tokens
TOKENS_PER_WORD = 1.5       # Vietnamese words with markers and figures, Qwen2.5 tokenizer (bench/draft_eval.py)
LENGTH_SLACK = 1.3          # the token cap leaves this much room over the words asked
MIN_MODEL_WORDS = 20
LONGEST = 1.25              # a part is trimmed to this many times its length
FACT_MIN_WORDS = 5          # a passage sentence this long is a fact worth completing a part with
MIN_LINE_LETTERS = 8        # a shorter model line is a stray outline number or mark, not an idea
FIGURE_LABEL_WORDS = (2, 14)  # a figure's label this long says what it counts (shorter: a verb; longer: a run-on)
ATTACH_MIN_SHARE = 0.6      # an unmarked line is tied to the passage holding this share of its words
MAX_PART_TOKENS = 320
RETRY_TEMPERATURE = 0.4     # a garbled part is written once more, sampled differently
LEAD_TOKENS = 24            # what the model writes from the start of a part's facts before reading them all
LEAD_WORTH = 1.3            # facts shorter than this many lead lengths are read whole in one call
_LETTERS = "abcdefghiklmnopqrstuvxy"
INLINE_ITEM = re.compile(r"(?<=[:;.])[ \t]+(?=[-+][ \t]+\w)")  # "…: - Đăng ký khai sinh: 214 …; - Đăng ký khai tử …"


def words(text: str) -> int:
    """Words of report text: markers and "[cần bổ sung: …]" placeholders do not count."""
    return len(MARKER.sub("", GAP_RUN.sub("", text)).split())


@dataclass
class WrittenPart:
    plan: PartPlan
    text: str = ""
    system_spans: list[tuple[int, int]] = field(default_factory=list)  # offsets the system wrote
    markers: list[int] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


def _areas(reg: TaskRegister) -> str:
    """"hộ tịch (07), nuôi con nuôi (04), …": the areas and their counts; the articles are in the appendix."""
    return ", ".join(f"{name[:1].lower() + name[1:]} ({len(tasks):02d})" for name, tasks in reg.by_field().items())


def _register_hit(reg: TaskRegister) -> Hit:
    """The register as a source: the document, with the clauses that give the commune its tasks."""
    index = get_index()
    number = reg.document.get("number")
    rec = next((d for d in index.documents() if d.number == number), None)
    text = reg.table()  # "21 nhiệm vụ của cấp xã trong 5 lĩnh vực", each field's count, each task
    return Hit(doc_id=rec.doc_id if rec else f"register:{number}", source=rec.source if rec else reg.source,
               title=reg.document.get("title") or "", number=number or "", page=None,
               section="Danh mục nhiệm vụ của cấp xã", score=0.0, text=text,
               meta={"chunk_id": f"register:{number}", "register": True, "kind": reg.document.get("doc_type")})


def mandate_opening(facts: PartFacts, sources: Sources, cited: set[str]) -> tuple[str, list[int]]:
    """The sentence(s) the system writes for a mandate part, with the markers they use."""
    part = facts.plan
    name = part.heading[len("Lĩnh vực "):] if part.heading.lower().startswith("lĩnh vực ") else (
        part.field.name if part.field else part.heading)
    markers: list[int] = []
    if facts.governing:
        cites = []
        for entry in facts.governing:
            n = sources.registry_source(entry)
            markers.append(n)
            cites.append(f"{format_citation(entry, first=entry.number not in cited)} [{n}]")
            cited.add(entry.number)
        text = f"Đối với lĩnh vực {name}: thực hiện theo quy định tại " + "; ".join(cites) + "."
    else:
        text = f"Đối với lĩnh vực {name}:"
    for reg in facts.registers:
        n = sources.add(_register_hit(reg))
        markers.append(n)
        text += (f" Theo {reg.short_name}, cấp xã được giao {len(reg.tasks):02d} nhiệm vụ: {_areas(reg)} "
                 f"(chi tiết tại Phụ lục kèm theo) [{n}].")
    return text, markers


_HEADER_LINE = re.compile(r"^\s*(?:(?:BÁO CÁO|KẾ HOẠCH|TỜ TRÌNH|QUYẾT ĐỊNH|NGHỊ QUYẾT|THÔNG BÁO)\b|Số\s*:|[^\d,]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\s*$)")


def _header_line(line: str) -> bool:
    """A line of a document's header (issuer block, "Số: …", the place and date line, "BÁO CÁO"):
    nothing a section is written from."""
    letters = [c for c in line if c.isalpha()]
    return bool(_HEADER_LINE.match(line)) or (len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters))


def _fact_lines(facts: PartFacts, sources: Sources) -> str:
    """The unit's passages as numbered facts; numbering them makes them sources of the draft."""
    lines = []
    for hit in facts.passages:
        n = sources.add(hit)
        excerpt = hit.meta.get("excerpt") or hit.text
        heading = hit.text.split("\n", 1)[0]
        if excerpt.startswith(heading + "\n") and hit.meta.get("body_offset"):
            excerpt = excerpt[len(heading) + 1:]  # the heading path is a label, not a fact to copy
        kept = [ln for ln in excerpt.split("\n") if ln.strip() and not HEADING_LINE.match(ln)
                and not _header_line(ln)]
        lines.append(f"[{n}] " + " ".join(" ".join(kept).split()))
    return "\n".join(lines)


def _clean_model_text(text: str, heading: str, *, final: bool = True) -> str:
    """The model's continuation as report lines: scaffolding removed, a copied heading dropped, each
    idea on its own "-" line. While the model is still writing (not final) the line it is on shows
    as it grows; at the end a last sentence the token cap cut is dropped."""
    text = INLINE_ITEM.sub("\n", strip_scaffolding(text))  # a list copied inline: one item a line
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if heading and s.rstrip(":").lower() == heading.lower():
            continue
        if sum(c.isalpha() for c in s) < MIN_LINE_LETTERS:
            continue  # "- 2." and the like: an outline number left alone
        if not s.startswith(("-", "+", "•")):
            s = "- " + s
        lines.append(s)
    if final and lines and not lines[-1].rstrip().endswith((".", ";", "!", "?", ")", "]", ":")):
        # the token cap cut the last sentence: keep what ends, drop the fragment
        last = lines.pop()
        cut = max(last.rfind(". "), last.rfind("]. "), last.rfind("; "))
        if cut > 2:
            lines.append(last[:cut + 1])
    return "\n".join(lines)


def attach_markers(body: str, passages: list[Hit], sources: Sources) -> str:
    """A line the model left without a marker gets the marker of the one passage it was written
    from — the passage holding all its figures and most of its words — so that each figure is tied
    to its own source and checked against it; a line no passage clearly holds stays unmarked (and
    is flagged)."""
    if not passages:
        return body
    texts = [(sources.add(h), nfc(h.meta.get("excerpt") or h.text)) for h in passages]
    out = []
    for line in body.split("\n"):
        if not line.strip() or MARKER.search(line) or line.lstrip().startswith(GAP_OPEN):
            out.append(line)
            continue
        figures = [v for v, _ in figures_with_units(line)]
        words_ = {w for w in fold(line).split() if len(w) > 2}
        best, best_share = None, 0.0
        for n, t in texts:
            if any(v not in t for v in figures):
                continue
            tw = set(fold(t).split())
            share = len(words_ & tw) / max(1, len(words_))
            if share > best_share:
                best, best_share = n, share
        if best is not None and best_share >= ATTACH_MIN_SHARE:
            stripped = line.rstrip()
            end = stripped[-1] if stripped[-1:] in ".;" else ""
            line = f"{stripped[:len(stripped) - len(end)]} [{best}]{end}"
        out.append(line)
    return "\n".join(out)


def _holders(value: str, unit: str | None, sources: Sources, among: list[int]) -> list[int]:
    out = []
    for n in among:
        text = nfc(sources.hits[n - 1].meta.get("excerpt") or sources.hits[n - 1].text)
        if any(v == value and (unit is None or u is None or u == unit) for v, u in figures_with_units(text)):
            out.append(n)
    return out


def repoint_markers(body: str, sources: Sources, part_sources: list[int]) -> str:
    """A line whose figures its marker's source does not hold, but the part's other sources do (two
    chunks of one section, numbered [1] and [2]), is re-pointed to the sources that hold them: the
    model writes the sentence, the system ties each figure to its own source."""
    out = []
    for line in body.split("\n"):
        markers = [int(m) for m in MARKER.findall(line)]
        figures = figures_with_units(MARKER.sub("", line))
        if not markers or not figures:
            out.append(line)
            continue
        held = [h for h in (_holders(v, u, sources, part_sources) for v, u in figures) if h]
        if not held or all(any(n in h for n in markers) for h in held):
            out.append(line)  # already right, or no source holds them (verification flags the figures)
            continue
        wanted = []
        for h in held:
            pick = next((n for n in h if n in markers), h[0])
            if pick not in wanted:
                wanted.append(pick)
        run = "".join(f"[{n}]" for n in sorted(wanted))
        first = MARKER.search(line)
        line = MARKER.sub("", line[:first.start()]) + run + MARKER.sub("", line[first.start():])
        out.append(line)
    return "\n".join(out)


def attach_periods(body: str, sources: Sources) -> str:
    """A line whose figures all belong to one period in their sources, but which does not say so,
    gets that period in front ("- Năm 2025, tiếp nhận 02 đơn …"): a figure never travels without the
    period it counts."""
    out = []
    for line in body.split("\n"):
        markers = [int(m) for m in MARKER.findall(line)]
        figures = figures_with_units(MARKER.sub("", line))
        if not markers or not figures or periods_in(line) or line.lstrip().startswith(GAP_OPEN):
            out.append(line)
            continue
        periods = set()
        for value, unit in figures:
            for n in markers:
                if 1 <= n <= len(sources.hits):
                    hit = sources.hits[n - 1]
                    for r in extract_figures(nfc(hit.text)):  # the whole chunk: its lead-in lines say the period
                        if r.value == value and (unit is None or (r.unit or "").split()[:1] == [unit]):
                            periods.add(r.period)
        if len(periods) == 1 and None not in periods:
            period = periods.pop()
            bullet, rest = (line[:2], line[2:]) if line.startswith("- ") else ("", line)
            line = f"{bullet}{period}, {rest[:1].lower() + rest[1:]}" if rest[:2] != rest[:2].upper() else \
                f"{bullet}{period}, {rest}"
        out.append(line)
    return "\n".join(out)


def figure_lines(passages: list[Hit], written: str, sources: Sources, words_left: int) -> str:
    """The unit's figures the prose left out, written by the system from their records — one line per
    period and source ("- Năm 2025: Cấp bản sao trích lục hộ tịch: 153 trường hợp; … [2].") — while
    the part's length allows: figures are facts the system knows, so they are not left to the model."""
    have = {v for v, _ in figures_with_units(written)}
    groups: dict[tuple[str, int], list[str]] = {}
    for hit in passages:
        n = sources.add(hit)
        for r in extract_figures(nfc(hit.meta.get("excerpt") or hit.text)):
            label_words = len(r.label.split())
            if r.value in have or not r.period or not (FIGURE_LABEL_WORDS[0] <= label_words <= FIGURE_LABEL_WORDS[1]):
                continue
            amount = f"{r.value}%" if r.unit == "%" else f"{r.value} {r.unit}"
            groups.setdefault((r.period, n), []).append(f"{r.label}: {amount}")
            have.add(r.value)
    lines = []
    for (period, n), items in groups.items():
        line = f"- {period}: {'; '.join(items)} [{n}]."
        if words(line) > words_left:
            break
        lines.append(line)
        words_left -= words(line)
    return "\n".join(lines)


def fact_sentences(passages: list[Hit], written: str, sources: Sources, words_left: int) -> str:
    """Sentences of the unit's passages the text does not carry yet (most of their words absent),
    written as they stand, each with its source's marker, while the part's length allows: a list of
    difficulties or proposals the model shortened is completed from the facts, not invented."""
    have = set(fold(MARKER.sub("", written)).split())
    lines = []
    own = [h for h in passages if h.meta.get("same_section")]
    for hit in own or passages:  # the same section of the last report, when there is one
        n = sources.add(hit)
        for line in (hit.meta.get("excerpt") or hit.text).split("\n"):
            if HEADING_LINE.match(line) or _header_line(line) or line.rstrip().endswith(":"):
                continue
            for sentence in sentences(line.strip(" -+•")):
                words_ = [w for w in fold(sentence).split() if len(w) > 2]
                if len(words_) < FACT_MIN_WORDS or sum(w in have for w in words_) >= 0.5 * len(words_):
                    continue
                text = sentence.rstrip(" .;")
                line_out = f"- {text[:1].upper() + text[1:]} [{n}]."
                if words(line_out) > words_left:
                    return "\n".join(lines)
                lines.append(line_out)
                words_left -= words(line_out)
                have.update(words_)
    return "\n".join(lines)


def trim_to_length(body: str, opening: str, want: int) -> str:
    """Drop the model's last lines while the part runs past LONGEST × its length (keeping one)."""
    lines = body.split("\n")
    while len(lines) > 1 and words(_join(opening, "\n".join(lines), "")) > LONGEST * want:
        lines.pop()
    return "\n".join(lines)


def _model_words(part: PartPlan, opening: str) -> int:
    """What is left of the part's length for the model once the system has written its facts."""
    return part.words - words(opening)


def _lead_facts(fact_text: str, limit: int) -> str | None:
    """The start of the facts a part's opening lines are written from: at most `limit` characters,
    ended at a sentence or word; None when the facts are short enough to be read whole at once.
    It is a prefix of the whole, so the model's reading of it is reused by the call that follows."""
    if limit <= 0 or len(fact_text) <= limit * LEAD_WORTH:
        return None
    cut = max(fact_text.rfind(". ", 0, limit), fact_text.rfind("; ", 0, limit), fact_text.rfind("\n", 0, limit))
    if cut < limit // 2:
        cut = fact_text.rfind(" ", 0, limit)
    return fact_text[:cut + 1].rstrip() if cut > 0 else None


def _part_prompt(heading: str, written: str, fact_text: str, want: int):
    return prompts.template("draft_part").invoke({
        "heading": heading, "written": MARKER.sub("", written).strip() or "(chưa có)",
        "facts": fact_text, "words": str(want)})


def _max_tokens(want: int) -> int:
    return min(MAX_PART_TOKENS, int(want * TOKENS_PER_WORD * LENGTH_SLACK) + 20)


def _without_echo(pieces: Iterator[str], prefill: str) -> Iterator[str]:
    """A continued reply's own pieces: llama.cpp sends the prefilled start back before its
    continuation; another server may not."""
    head = ""
    for piece in pieces:
        if head is None:
            yield piece
            continue
        head += piece
        if len(head) >= len(prefill) or not prefill.startswith(head):
            yield head[len(prefill):] if head.startswith(prefill) else head
            head = None
    if head:
        yield head[len(prefill):] if head.startswith(prefill) else head


def _lead_then_rest(heading: str, opening: str, fact_text: str, lead: str, want: int,
                    temperature: float | None) -> Iterator[str]:
    """The model's pieces: first from the start of the facts, then — its start prefilled as the
    reply so far — from all of them."""
    started = ""
    first = llm.stream_chat(_part_prompt(heading, opening, lead, want), max_tokens=LEAD_TOKENS,
                            temperature=temperature)
    try:
        for piece in first:
            started += piece
            yield piece
    finally:
        first.close()  # a reader that stops (the loop guard) stops the server at once
    if not started.strip():
        return
    prompt = _part_prompt(heading, opening, fact_text, want).to_messages() + [AIMessage(content=started)]
    rest = llm.stream_chat(prompt, max_tokens=max(_max_tokens(want) - LEAD_TOKENS, LEAD_TOKENS),
                           temperature=temperature)
    try:
        yield from _without_echo(rest, started)
    finally:
        rest.close()


def write_part_stream(facts: PartFacts, opening: str, sources: Sources, *,
                      temperature: float | None = None) -> Iterator[tuple[str, bool]]:
    """The model's continuation of a part as it grows, and whether the loop guard cut it.

    On a slow reader (the embedded model on CPU) a part with long facts is written in two calls so
    that its first words come after reading a few hundred characters, not all of them
    (Settings.lead_chars): the reply starts from the start of the facts; after LEAD_TOKENS it is
    continued — the words so far prefilled as the reply's start, which llama.cpp's server supports —
    from all of them, the first call's reading reused from the model's prompt cache."""
    part = facts.plan
    heading = part.heading or "Nội dung mục"
    want = _model_words(part, opening)
    fact_text = _fact_lines(facts, sources)
    lead = _lead_facts(fact_text, get_settings().part_lead_chars)
    if lead is None:
        pieces = llm.stream_chat(_part_prompt(heading, opening, fact_text, want), max_tokens=_max_tokens(want),
                                 temperature=temperature)
    else:
        pieces = _lead_then_rest(heading, opening, fact_text, lead, want, temperature)
    yield from guarded(pieces)


def _model_failed(label: str) -> str:
    return GAP.format(f"nội dung {label.lower()} — mô hình không viết được đoạn đạt yêu cầu, cần soạn tay")


def _placeholders(facts: PartFacts) -> str:
    return " ".join(GAP.format(m) for m in facts.missing)


def _join(opening: str, body: str, holes: str) -> str:
    out = opening.strip()
    if body:
        out = f"{out}\n{body}" if out else body
    if holes:
        out = f"{out}\n{holes}" if out else holes
    return out


def draft_events(req: SectionRequest, report_date: date | None = None) -> Iterator[Event]:
    """Plan, gather, write and check the section; yields events as it goes."""
    answer = Answer()
    index = get_index()
    registry = registry_with_corpus(index)
    answer.progress = "Lập dàn ý…"
    plan = plan_section(req, index, report_date)
    sources = Sources()
    budget = get_settings().prompt_source_chars
    heading = req.heading
    answer.parts = [{"heading": p.heading, "text": "", "sources": [], "findings": []} for p in plan.parts]
    answer.text = heading
    yield Event("plan", answer)
    written: list[WrittenPart] = []
    cited: set[str] = set()
    multi = len(plan.parts) > 1
    for i, part in enumerate(plan.parts):
        label = part.heading or req.title or "nội dung"
        answer.progress = f"Phần {i + 1}/{len(plan.parts)}: {label[:1].lower() + label[1:]}" if multi else \
            "Đang soạn…"
        yield Event("part", answer)
        facts = gather(plan, part, registry, budget, report_date)
        opening, markers = mandate_opening(facts, sources, cited) if part.kind == "mandate" else ("", [])
        if part.kind != "mandate" and multi and part.heading:
            opening = f"{_LETTERS[i % len(_LETTERS)]}) {part.heading}:"
        wp = WrittenPart(plan=part, markers=markers)
        holes = _placeholders(facts)
        body = ""
        prefix = _assembled(heading, written)
        answer.text = _join_text(prefix, opening)
        answer.hits = list(sources.hits)
        answer.sources = source_entries(sources.hits)
        yield Event("token", answer)  # the system's facts show at once; the model's words follow
        if facts.passages and _model_words(part, opening) >= MIN_MODEL_WORDS:
            try:
                for attempt in range(2):
                    raw, cut = "", False
                    for raw, cut in write_part_stream(facts, opening, sources,
                                                      temperature=None if attempt == 0 else RETRY_TEMPERATURE):
                        shown = _clean_model_text(raw, part.heading, final=False)
                        answer.text = _join_text(prefix, _join(opening, shown, ""))
                        yield Event("token", answer)
                    body = _clean_model_text(raw, part.heading)
                    if not cut and not is_garbled(body) and not leaks_scaffolding(raw):
                        break  # a reply the loop guard had to stop is garbled too
                    answer.parts[i].setdefault("garbled", []).append("loop" if cut else "garbled")
                    body = ""
                if not body and part.kind != "mandate":
                    # (a mandate part is whole with the system's facts; its prose is a bonus)
                    holes = " ".join(x for x in (holes, _model_failed(label)) if x)
            except LLMUnavailable as exc:
                answer.error = str(exc)
                holes = " ".join(x for x in (holes, GAP.format(f"nội dung {label.lower()}")) if x)
        part_sources = [sources.add(h) for h in facts.passages]
        body = attach_markers(body, facts.passages, sources) if body else ""
        body = attach_periods(repoint_markers(body, sources, part_sources), sources) if body else ""
        if body:
            body = trim_to_length(body, opening, part.words)
        if part.kind == "topic" and facts.passages:
            for fill in (figure_lines, fact_sentences):
                extra = fill(facts.passages, body, sources, part.words - words(_join(opening, body, "")))
                if extra:
                    body = f"{body}\n{extra}" if body else extra
                    holes = holes.replace(_model_failed(label), "").strip()
        body = canonical_citations(fix_repeated_words(body), sources.hits, registry, cited) if body else ""
        wp.text = nfc(_join(opening, body, holes))
        wp.system_spans = [(0, len(nfc(opening)))] if part.kind == "mandate" else []
        written.append(wp)
        answer.text = _assembled(heading, written)
        answer.parts[i]["text"] = wp.text
        yield Event("token", answer)
    _check(answer, heading, written, sources, registry, req, report_date)
    answer.progress = ""
    yield Event("done", answer)


def _assembled(heading: str, parts: list[WrittenPart]) -> str:
    return "\n".join(x for x in [heading, *(p.text for p in parts)] if x)


def _join_text(prefix: str, current: str) -> str:
    return f"{prefix}\n{current}" if prefix else current


def _check(answer: Answer, heading: str, written: list[WrittenPart], sources: Sources, registry: Registry,
           req: SectionRequest, report_date: date | None) -> None:
    """Verify each part against the sources (each marker for itself), mark what fails in place, and
    assemble the section with findings carrying offsets into the final text."""
    offset = len(heading) + 1 if heading else 0
    all_findings = []
    for i, wp in enumerate(written):
        found = draft_findings(wp.text, sources.hits, unit=req.unit, report_date=report_date,
                               trusted_spans=wp.system_spans)
        wp.text = mark_unverified(wp.text, found)
        wp.findings = draft_findings(wp.text, sources.hits, unit=req.unit, report_date=report_date,
                                     trusted_spans=_shifted_spans(wp, found))
        used = sorted({int(m.group(1)) for m in MARKER.finditer(wp.text)})
        shifted = [dict(f, start=(f["start"] or 0) + offset, end=(f["end"] or 0) + offset, part=i)
                   for f in wp.findings]
        answer.parts[i].update(text=wp.text, sources=[f"[{n}]" for n in used], findings=shifted,
                               start=offset, end=offset + len(wp.text))
        all_findings += shifted
        offset += len(wp.text) + 1
    answer.text = _assembled(heading, written)
    answer.findings = all_findings
    answer.hits = list(sources.hits)
    answer.sources = source_entries(sources.hits)


def _shifted_spans(wp: WrittenPart, findings: list[dict]) -> list[tuple[int, int]]:
    """The system's spans after "(chưa xác minh)" marks were inserted before or inside them."""
    marks = sorted(f["end"] for f in findings if f.get("end") is not None)
    out = []
    for s, e in wp.system_spans:
        shift_s = sum(1 for m in marks if m <= s) * len(" (chưa xác minh)")
        shift_e = sum(1 for m in marks if m <= e) * len(" (chưa xác minh)")
        out.append((s + shift_s, e + shift_e))
    return out


def _plan_step(args: dict) -> dict:
    report_date = args.get("report_date")
    if isinstance(report_date, str):
        report_date = date.fromisoformat(report_date) if report_date else None
    return {"request": parse_request(args["request"], args.get("unit")), "report_date": report_date}


def _write_step(inputs: Iterator[dict]) -> Iterator[Event]:
    for args in inputs:
        yield from draft_events(args["request"], args.get("report_date"))


def draft_chain():
    """The drafting job as a LangChain runnable: request → plan → (per part: facts → prompt → chat
    model → checks) → events. Input: {"request", "unit", "report_date" (ISO)}; `.stream()` yields
    `Event`s; the CLI and the app run exactly this."""
    return RunnableLambda(_plan_step).with_config(run_name="plan") | RunnableGenerator(_write_step).with_config(
        run_name="write")


def draft(request: str, report_date: date | None = None, unit: str | None = None) -> Answer:
    answer = Answer()
    for event in draft_chain().stream({"request": request, "unit": unit,
                                       "report_date": report_date.isoformat() if report_date else None}):
        answer = event.answer
    return answer

