"""The conversations store: each owner's rows only, messages in order, data merged, crash recovery,
and writes from many threads at once."""
from __future__ import annotations

import threading
import unicodedata

import pytest

from assistant.conversations import CUT, DONE, PENDING, ConversationStore, title_from


@pytest.fixture
def store(tmp_path):
    return ConversationStore(tmp_path / "conversations.sqlite3")


def test_an_owner_reads_and_writes_only_their_own(store):
    lan = store.create("lan", "Xã trồng bao nhiêu ha lúa?")
    mid = store.add_message("lan", lan.id, "assistant", "120 ha [1]", kind="ask", data={"sources": [{"marker": "[1]"}]})
    assert store.get("minh", lan.id) is None
    assert store.conversations("minh") == []
    assert store.message("minh", mid) is None
    assert store.add_message("minh", lan.id, "user", "chen vào") is None
    assert not store.update_message("minh", mid, text="sửa trộm")
    assert not store.rename("minh", lan.id, "của Minh")
    assert not store.delete("minh", lan.id)
    conv, message = store.start("minh", lan.id, "Câu hỏi của Minh", kind="ask")  # not theirs: a new one
    assert conv.id != lan.id and conv.owner == "minh"
    kept = store.get("lan", lan.id)
    assert kept.title == "Xã trồng bao nhiêu ha lúa?" and [m.text for m in kept.messages] == ["120 ha [1]"]
    assert store.message("minh", message)[0] == conv.id


def test_messages_in_order_data_merged_and_listing_by_last_use(store):
    a = store.create("lan", "Thứ nhất")
    b = store.create("lan", "Thứ hai")
    conv, answer = store.start("lan", a.id, "Soạn mục tư pháp", kind="draft", data={"unit": "xã Bình Thành"})
    assert conv.id == a.id
    assert store.update_message("lan", answer, text="Đối với lĩnh vực tư pháp:", status=PENDING,
                                data={"parts": [{"heading": "Hộ tịch"}]})
    assert store.update_message("lan", answer, status=DONE, data={"edited": "Bản sửa"})
    msgs = store.get("lan", a.id).messages
    assert [(m.role, m.status) for m in msgs] == [("user", DONE), ("assistant", DONE)]
    assert msgs[1].data == {"unit": "xã Bình Thành", "parts": [{"heading": "Hộ tịch"}], "edited": "Bản sửa"}
    assert store.get("lan", a.id).drafts()[0].id == answer
    assert [c.id for c in store.conversations("lan")][0] == a.id  # the one just used comes first
    assert b.id in [c.id for c in store.conversations("lan")]
    with pytest.raises(ValueError):
        store.update_message("lan", answer, status="lost")


def test_text_is_kept_nfc_and_titles_are_one_short_line(store):
    decomposed = unicodedata.normalize("NFD", "Báo cáo tư pháp")
    conv, answer = store.start("lan", None, decomposed, kind="ask")
    assert conv.title == "Báo cáo tư pháp"
    assert store.get("lan", conv.id).messages[0].text == "Báo cáo tư pháp"
    long = "Soạn mục " + "kết quả thực hiện nhiệm vụ " * 10
    assert len(title_from(long)) <= 81 and title_from(long).endswith("…")
    assert title_from("  hai\n  dòng ") == "hai dòng"
    assert not store.rename("lan", conv.id, "   ")


def test_delete_takes_the_messages_and_recover_marks_pending_answers_cut(store):
    conv, answer = store.start("lan", None, "Câu hỏi", kind="ask")
    store.update_message("lan", answer, text="Một nửa câu trả lời")
    assert store.recover() == 1
    (_, message) = store.message("lan", answer)
    assert message.status == CUT and message.text == "Một nửa câu trả lời"
    assert store.delete("lan", conv.id)
    assert store.get("lan", conv.id) is None and store.message("lan", answer) is None


def test_many_threads_save_at_once(store):
    errors = []

    def session(i: int) -> None:
        try:
            conv, answer = store.start(f"u{i % 5}", None, f"Câu hỏi {i}", kind="ask")
            for n in range(5):
                store.update_message(f"u{i % 5}", answer, text="x" * n, status=PENDING)
            store.update_message(f"u{i % 5}", answer, status=DONE)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(len(store.conversations(f"u{k}")) for k in range(5)) == 30
