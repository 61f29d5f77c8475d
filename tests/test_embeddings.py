import numpy as np

from assistant.embeddings import get_embedder


def test_vietnamese_similarity_ordering():
    e = get_embedder()
    q = e.embed_query("Ủy ban nhân dân xã đăng ký khai sinh cho trẻ em")
    passages = [
        "Ủy ban nhân dân cấp xã thực hiện đăng ký khai sinh, khai tử, kết hôn cho công dân cư trú tại địa phương.",
        "Giá lúa vụ mùa năm nay tăng nhẹ so với cùng kỳ, sản lượng đạt 5,8 tấn/ha.",
        "Đội bóng đá của huyện giành giải nhất tại giải thi đấu thể thao cấp tỉnh.",
    ]
    P = e.embed_passages(passages)
    scores = P @ q
    assert scores.argmax() == 0
    assert scores[0] > scores[1] and scores[0] > scores[2]


def test_unit_norm_and_shapes():
    e = get_embedder()
    P = e.embed_passages(["Nghị định số 120/2025/NĐ-CP", "chứng thực bản sao"])
    assert P.shape == (2, e.dim) and P.dtype == np.float32
    assert np.allclose(np.linalg.norm(P, axis=1), 1.0, atol=1e-3)
    assert e.embed_passages([]).shape == (0, e.dim)


def test_query_and_passage_prefixes_differ():
    """e5 uses 'query: ' and 'passage: ' prefixes: the same text embeds differently in each role."""
    e = get_embedder()
    t = "phân cấp thẩm quyền cho cấp xã"
    assert not np.allclose(e.embed_query(t), e.embed_passages([t])[0])
