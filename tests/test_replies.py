"""A looping reply is cut where it starts repeating; scaffolding never reaches a user."""
from assistant.replies import is_garbled, leaks_scaffolding, loop_at, repeated_line_at, stream_reply, strip_scaffolding


def test_a_phrase_repeated_inside_one_line_is_a_loop():
    text = "- Thêm: Thêm quy định về hồ sơ của người giao dịch, " + "hồ sơ của người giao dịch, " * 12
    cut = loop_at(text)
    assert cut is not None and text[:cut].count("hồ sơ của người giao dịch") == 1


def test_a_repeated_line_is_a_loop():
    text = "- Xã đăng ký khai sinh 90 trường hợp [1].\n- Xã đăng ký khai sinh 90 trường hợp [1].\n"
    assert repeated_line_at(text) == text.index("\n") + 1


def test_lists_of_figures_are_not_loops():
    text = ("- Năm 2025: khai tử 30 trường hợp; khai sinh 90 trường hợp; kết hôn 23 cặp [1].\n"
            "- Quý I năm 2026: khai tử 06 trường hợp; khai sinh 09 trường hợp; kết hôn 10 cặp [1].")
    assert loop_at(text) is None


def test_stream_reply_stops_the_model_where_it_loops():
    closed = []

    def pieces():
        try:
            yield "- Ủy ban nhân dân xã tiếp nhận hồ sơ, "
            while True:
                yield "hồ sơ của người giao dịch, "
        finally:
            closed.append(True)

    *_, (text, cut) = stream_reply(pieces())
    assert cut and closed and text.count("hồ sơ của người giao dịch") <= 1


def test_scaffolding_is_removed():
    out = strip_scaffolding("<<<NGUỒN 1>>>\nDữ kiện: [1] abc\n- Thực hiện {{VB 1}} tốt [1].\n<<<HẾT NGUỒN 1>>>")
    assert not leaks_scaffolding(out) and "Thực hiện" in out and "Dữ kiện" not in out


def test_garbled():
    assert is_garbled("[1]")
    assert is_garbled("the the the the the")
    assert not is_garbled("- Ủy ban nhân dân xã tổ chức 02 hội nghị tuyên truyền [1].")
