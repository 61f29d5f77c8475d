"""Extraction: the Điều / khoản / điểm of a legal text that give the commune level a task.

A clause counts when a commune actor (data/actors.json) is the one who acts — the subject of a task
verb ("Ủy ban nhân dân cấp xã có trách nhiệm …"), the holder of a competence ("… thuộc thẩm quyền
của Chủ tịch Ủy ban nhân dân cấp xã", "… do Ủy ban nhân dân cấp xã thực hiện"), the body designated
("… bao gồm: Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã") or the receiver of work handed over
("chuyển giao cho Ủy ban nhân dân cấp xã"). A mention as owner, place, partner or addressee ("cộng
tác viên của …", "tại …", "phối hợp với …", "báo cáo …"), inside a condition ("Trường hợp … tại Ủy
ban nhân dân cấp xã, …") or in a scope/definition article is not a task (data/negatives.json).

A khoản whose lead-in gives the task ("Ủy ban nhân dân cấp xã có trách nhiệm:") lists one task per
điểm; a khoản or điểm that opens with its verb ("2. Tổ chức thực hiện …") takes its actor from the
article's lead-in or title ("Nhiệm vụ, quyền hạn của Chủ tịch Ủy ban nhân dân cấp xã").
"""
from __future__ import annotations

import re
from datetime import date

from assistant.citations import RegistryEntry, format_citation, normalise_number, read_header
from assistant.citations.resolve import Registry, default_registry
from assistant.documents import Document
from assistant.text import CLAUSE_BREAK, fold

from .register import Task, TaskRegister
from .rules import Rules, field_rules, fold_keep_offsets, lower_keep_offsets, rules_for
from .structure import Article, Clause, Heading, parse_legal

# Where the words after an actor stop counting: the end of its sentence or clause.
AFTER_STOP = re.compile(r"[;:\n]|\.(?:\s|$)")
FIELD_SEPARATORS = re.compile(r"\s*[,;]\s*")
EDGE_PUNCTUATION = " .,:;-–—()"


# ---------------------------------------------------------------------------- the actor of a clause


def task_actor(text: str, rules: Rules) -> str | None:
    """The commune actor given a task in `text`, as written; None when no commune actor acts there."""
    folded = fold_keep_offsets(text)
    lowered = None
    for m in rules.actor.finditer(folded):
        lowered = lowered if lowered is not None else lower_keep_offsets(text)
        if _acts(folded, lowered, m.start(), m.end(), rules):
            return text[m.start():m.end()]
    return None


LIST_WINDOW = 220  # how far back an actor further down a list looks for the word governing the list
# The previous list item must end on a body: "…, Ủy ban nhân dân cấp huyện, …" (not "… của Ủy ban nhân dân
# cấp xã trong phạm vi cả nước, Ủy ban nhân dân cấp xã có trách nhiệm …", where the comma ends a phrase).
LIST_ITEM_TAIL = 25


def _acts(folded: str, lowered: str, start: int, end: int, rules: Rules) -> bool:
    """Whether the actor at [start, end) is the one given the task (see the module docstring)."""
    lo = max(0, start - LIST_WINDOW)
    window = lowered[lo:start]
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(window)]
    seg_start = breaks[-1] if breaks else 0
    segment = window[seg_start:]
    # A condition ("Trường hợp … tại Ủy ban nhân dân cấp xã …") still open before the actor.
    conditions = list(rules.condition.finditer(segment))
    if conditions and not rules.condition_end.search(segment, conditions[-1].end()):
        return False
    if rules.definition_before.search(segment):
        return False
    before = window[-rules.window_before:]
    m = rules.indirect_before.search(before)
    if m:
        return not rules.negation.search(before, max(0, m.start() - 8), m.start())
    if rules.designation_before.search(before):
        return True
    if rules.blocked_before.search(before):
        return False
    role = _list_role(segment, folded[lo + seg_start:start], rules)
    if role is not None:
        return role
    after, after_low = folded[end:end + rules.window_after], lowered[end:end + rules.window_after]
    stop = AFTER_STOP.search(after)
    if stop:
        after = after[:stop.start()]
    for verb in rules.verb.finditer(after):
        if rules.not_predicate_before.search(after_low, 0, verb.start()):
            continue  # "… nơi thực hiện dự án", "Ban Chỉ đạo": a place or a name, not what the actor does
        return not rules.negation.search(after_low, max(0, verb.start() - rules.negation_reach), verb.start())
    return False


def _list_role(segment: str, folded_segment: str, rules: Rules) -> bool | None:
    """An actor further down a list ("gửi đến Sở …, Ủy ban nhân dân cấp huyện, Ủy ban nhân dân cấp xã") shares
    the role of the word governing the list; None when it is not in a list of bodies or nothing governs it."""
    sep = rules.list_separator.search(segment)
    if not sep:
        return None
    head = segment[:sep.start()]
    items = rules.list_split.split(head)
    bodies = list(rules.list_item.finditer(items[-1]))
    if not bodies or len(items[-1]) - bodies[-1].end() > LIST_ITEM_TAIL:
        return None
    trigger = None
    for trigger in rules.list_trigger.finditer(head):
        pass
    if trigger is None or rules.verb.search(folded_segment, trigger.end(), sep.start()):
        return None
    upto = head[:trigger.end()] + " "
    if rules.indirect_before.search(upto):
        return True
    if rules.designation_before.search(upto):
        return True
    return False


def _title_actor(title: str, rules: Rules) -> str | None:
    """'Nhiệm vụ, quyền hạn của Chủ tịch Ủy ban nhân dân cấp xã' -> the actor its khoản share."""
    folded = fold_keep_offsets(title)
    for m in rules.actor.finditer(folded):
        if rules.title_owner_before.search(folded, 0, m.start()):
            return title[m.start():m.end()]
    return None


def _opens_with_verb(text: str, rules: Rules) -> bool:
    return bool(rules.verb_at_start.match(fold_keep_offsets(text[:80])))


# ---------------------------------------------------------------------------- fields


def _sentence_case(text: str) -> str:
    text = " ".join(text.split()).strip(EDGE_PUNCTUATION)
    if text and sum(c.isupper() for c in text) >= 0.9 * sum(c.isalpha() for c in text):
        text = text.lower()
    return text[:1].upper() + text[1:]


def heading_fields(title: str) -> list[str]:
    """'… TRONG LĨNH VỰC HÒA GIẢI Ở CƠ SỞ, BỒI THƯỜNG NHÀ NƯỚC' -> ['Hòa giải ở cơ sở', 'Bồi thường nhà nước'];
    'QUẢN LÝ VĂN BẢN' -> ['Quản lý văn bản']; 'QUY ĐỊNH CHUNG' -> [] (generic)."""
    fr = field_rules()
    folded = fold_keep_offsets(title)
    cut = folded.rfind(fr["marker"] + " ")
    if cut >= 0:
        rest = title[cut + len(fr["marker"]) + 1:]
        return [_sentence_case(p) for p in FIELD_SEPARATORS.split(rest) if p.strip(EDGE_PUNCTUATION)]
    name = _sentence_case(title)
    return [] if not name or fold(name) in fr["generic"] else [name]


def document_field(title: str | None) -> str:
    """The field a document's title names: '… trong lĩnh vực quản lý nhà nước của Bộ Tư pháp' ->
    'Quản lý nhà nước của Bộ Tư pháp'; 'Về công tác văn thư' -> 'Công tác văn thư'."""
    if not title:
        return "Chưa rõ lĩnh vực"
    folded = fold_keep_offsets(title)
    for marker in field_rules()["title_markers"]:
        i = folded.find(marker + " ")
        if i >= 0 and (i == 0 or not folded[i - 1].isalnum()):
            return _sentence_case(title[i + len(marker) + 1:])
    return _sentence_case(title)


def _phrase_in(phrase: str, folded_text: str) -> int:
    """Position of a field name (folded, whole words) in folded text, or -1."""
    m = re.search(r"(?<!\w)" + re.escape(fold(phrase)) + r"(?!\w)", folded_text)
    return m.start() if m else -1


def _leading_words(phrase: str, n: int = 2) -> str:
    return " ".join(phrase.split()[:n])


class _Fields:
    """The field of each task: the Mục's, else the Chương's 'lĩnh vực'; for a heading naming two
    fields, the one the article's title (else text) names, else the one the chapter was on; in a
    generic chapter (Điều khoản thi hành), the field the clause names, else the document's."""

    def __init__(self, headings: list[Heading], doc_field: str):
        self.doc_field = doc_field
        self._parts: dict[int, list[str]] = {id(h): heading_fields(h.title) for h in headings}
        self._current: dict[int, str] = {}
        known: dict[str, str] = {}
        for parts in self._parts.values():
            for p in parts:
                known.setdefault(fold(p), p)
        self.known = list(known.values())

    def _heading_parts(self, h: Heading | None) -> list[str]:
        return self._parts.get(id(h), []) if h is not None else []

    def for_article(self, art: Article) -> str | None:
        """The article's field, or None when it sits in a generic chapter (decided per clause)."""
        for h in (art.section, art.chapter):
            parts = self._heading_parts(h)
            if len(parts) == 1:
                return parts[0]
            if parts:
                title = fold_keep_offsets(art.title)
                body = fold_keep_offsets(" ".join(c.text for c in art.clauses))
                for text in (title, body):
                    hits = [p for p in parts if _phrase_in(_leading_words(p), text) >= 0]
                    if len(hits) == 1:
                        self._current[id(h)] = hits[0]
                        return hits[0]
                return self._current.get(id(h), ", ".join(parts))
        return None

    def for_text(self, text: str) -> str:
        """The field a clause of a generic chapter names: a field's whole name first ("hộ tịch"), else its
        first two words ("bồi thường" for "Bồi thường nhà nước"), the earliest in the text; else the document's."""
        folded = fold_keep_offsets(text)
        for phrase_of in (lambda p: p, _leading_words):
            found = [(pos, -len(p), p) for p in self.known if (pos := _phrase_in(phrase_of(p), folded)) >= 0]
            if found:
                return min(found)[2]
        return self.doc_field


# ---------------------------------------------------------------------------- the document


def _header_date(value) -> date | None:
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(value or ""))
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def document_info(doc: Document, registry: Registry | None = None) -> dict:
    """number, doc_type, date (ISO), issuer, title and citation: the registry's entry when it knows
    the document's number (its exact title), else the document's own header."""
    head = read_header(doc.text[:6000]) or {}
    front = doc.meta.get("front_matter") or {}
    raw_number = head.get("number") or front.get("number") or front.get("so_hieu")
    number = None
    if raw_number:
        try:
            number = normalise_number(str(raw_number))
        except Exception:  # noqa: BLE001 - an unreadable number is no number
            number = None
    registry = registry or default_registry()
    entry = registry.lookup(number) if number else None
    if entry is None:
        issuer = head.get("issuer") or front.get("issuer") or front.get("co_quan_ban_hanh")
        if issuer and issuer.isupper():
            issuer = _sentence_case(issuer)
        entry = RegistryEntry(number=number or "", doc_type=head.get("kind") or front.get("type") or front.get("loai"),
                              issuer=issuer, date=_header_date(head.get("date") or front.get("date")
                                                               or front.get("ngay_ban_hanh")),
                              title=head.get("title") or front.get("title") or front.get("trich_yeu"),
                              confidence="corpus")
        from_registry = False
    else:
        from_registry = True
    info = {"number": entry.number or None, "doc_type": entry.doc_type, "date": entry.date.isoformat() if entry.date
            else None, "issuer": entry.issuer, "title": entry.title, "from_registry": from_registry}
    info["citation"] = format_citation(entry) if entry.number else (entry.title or "")
    return info


# ---------------------------------------------------------------------------- the register


def extract_tasks(doc: Document, level: str = "xa", *, registry: Registry | None = None) -> TaskRegister:
    """The register of tasks, powers and duties `doc` gives to the commune level."""
    rules = rules_for(level)
    legal = parse_legal(doc)
    info = document_info(doc, registry)
    fields = _Fields(legal.headings, document_field(info.get("title")))
    tasks: list[Task] = []
    negative = rules.negative_title
    for art in legal.articles:
        if negative.search(fold_keep_offsets(art.title)):
            continue
        tasks.extend(_article_tasks(art, rules, fields))
    return TaskRegister(document=info, tasks=tasks, source=doc.source, level=level)


def _heading_line(h: Heading | None, word: str) -> str:
    if h is None:
        return ""
    return f"{word} {h.num}. {h.title}".strip(" .") if h.title else f"{word} {h.num}"


def _article_tasks(art: Article, rules: Rules, fields: _Fields) -> list[Task]:
    article_field = fields.for_article(art)
    lead = art.lead
    lead_actor = task_actor(lead.text, rules) if lead is not None and lead.text else None
    inherited = lead_actor if lead_actor and lead.text.rstrip().endswith(":") else _title_actor(art.title, rules)
    designating = bool(rules.designating_title.search(fold_keep_offsets(art.title)))
    rows: list[tuple[Clause, str | None, str, str]] = []  # (clause, point, actor, text)
    for clause in art.clauses:
        if clause is lead and art.numbered:
            if lead_actor and not lead.text.rstrip().endswith(":"):
                rows.append((clause, None, lead_actor, clause.text))
            continue
        rows.extend(_clause_rows(clause, rules, inherited, designating))
    out = []
    for clause, point, actor, text in rows:
        text = text.strip()
        transfer_text = f"{clause.text}\n{text}" if point else text
        out.append(Task(
            article=art.number, clause=clause.number, point=point, actor=" ".join(actor.split()),
            field=article_field or fields.for_text(text), text=text,
            new_to_commune=bool(rules.transfer.search(lower_keep_offsets(transfer_text))),
            title=art.title, chapter=_heading_line(art.chapter, "Chương"), section=_heading_line(art.section, "Mục"),
            page=art.page))
    return out


def _unit_actor(text: str, rules: Rules, inherited: str | None, designating: bool) -> str | None:
    """The commune actor of a khoản or điểm: its own; the article's when it opens with its verb; the
    actor it names first in an article that designates who does the job ('Những người thực hiện …')."""
    if not text:
        return None
    own = task_actor(text, rules)
    if own:
        return own
    if inherited and _opens_with_verb(text, rules):
        return inherited
    if designating:
        stripped = text.lstrip()
        m = rules.actor.match(fold_keep_offsets(stripped))
        if m:
            return stripped[:m.end()]
    return None


def _clause_rows(clause: Clause, rules: Rules, inherited: str | None,
                 designating: bool = False) -> list[tuple[Clause, str | None, str, str]]:
    actor = _unit_actor(clause.text, rules, inherited, designating)
    if not clause.points:
        return [(clause, None, actor, clause.text)] if actor else []
    lead_in = clause.text.rstrip()
    if actor and lead_in.endswith(":") and not rules.point_list_cue.search(fold_keep_offsets(lead_in[-60:])):
        return [(clause, p.letter, task_actor(p.text, rules) or actor, p.text) for p in clause.points]
    if actor:  # one task: the lead-in with the cases, steps or items it lists
        whole = "\n".join([clause.text, *(f"{p.letter}) {p.text}" for p in clause.points)])
        return [(clause, None, actor, whole)]
    # "Địa chỉ tiếp nhận tin báo … bao gồm:" then "a) Ủy ban nhân dân cấp xã nơi …": the lead-in designates.
    listed = designating or bool(lead_in.endswith(":") and rules.designation_before.search(
        lower_keep_offsets(lead_in[:-1])))
    rows = []
    for p in clause.points:
        p_actor = _unit_actor(p.text, rules, inherited, listed)
        if p_actor:
            rows.append((clause, p.letter, p_actor, p.text))
    return rows
