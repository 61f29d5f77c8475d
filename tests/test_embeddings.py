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


class _Counting:
    """A stand-in embedder that counts the passages it is asked to embed."""
    id = "counting-test"
    dim = 4

    def __init__(self):
        self.seen: list[str] = []

    def embed_passages(self, texts):
        self.seen += list(texts)
        return np.asarray([[len(t), 1.0, 0.0, 0.5] for t in texts], dtype=np.float32)

    def embed_query(self, text):
        return np.ones(4, dtype=np.float32)


def test_a_passage_seen_before_is_not_embedded_again_even_from_another_process_view(tmp_path):
    from assistant.embeddings import with_cache

    path = tmp_path / "vectors.sqlite3"
    inner = _Counting()
    first = with_cache(inner, path).embed_passages(["hộ tịch", "chứng thực bản sao"])
    again = with_cache(inner, path)  # a new connection, as another process or index would open it
    both = again.embed_passages(["chứng thực bản sao", "hòa giải ở cơ sở", "hộ tịch"])
    assert inner.seen == ["hộ tịch", "chứng thực bản sao", "hòa giải ở cơ sở"]
    assert np.array_equal(both[0], first[1]) and np.array_equal(both[2], first[0])
    assert both.shape == (3, 4) and both.dtype == np.float32


def test_vectors_of_two_embedders_never_mix_in_the_cache(tmp_path):
    from assistant.embeddings import with_cache

    path = tmp_path / "vectors.sqlite3"
    a, b = _Counting(), _Counting()
    b.id = "another-model"
    with_cache(a, path).embed_passages(["hộ tịch"])
    with_cache(b, path).embed_passages(["hộ tịch"])
    assert b.seen == ["hộ tịch"]


def test_an_unreadable_cache_costs_time_not_vectors(tmp_path):
    from assistant.embeddings import with_cache

    path = tmp_path / "vectors.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    inner = _Counting()
    out = with_cache(inner, path).embed_passages(["hộ tịch", "khai tử"])
    assert inner.seen == ["hộ tịch", "khai tử"] and out.shape == (2, 4)


def test_the_cache_lives_in_the_data_folder_and_can_be_turned_off(tmp_path):
    from assistant.config import Settings

    assert Settings(data_dir=tmp_path, embedding_cache="").embedding_cache_path == tmp_path / "embeddings.sqlite3"
    assert Settings(data_dir=tmp_path, embedding_cache="off").embedding_cache_path is None
    assert Settings(data_dir=tmp_path, embedding_cache=str(tmp_path / "x.db")).embedding_cache_path == tmp_path / "x.db"
