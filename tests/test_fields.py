"""Fields of state management named in titles and requests (the citation engine's table)."""
from assistant.fields import areas_in, field_named, fields_in, is_decentralisation


def test_a_ministry_names_its_field():
    title = "Quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp"
    assert [f.name for f in fields_in(title)] == ["tư pháp"]


def test_fields_in_order_once_each():
    names = [f.name for f in fields_in("các lĩnh vực tư pháp, thanh tra và đối ngoại; tư pháp")]
    assert names == ["tư pháp", "thanh tra", "đối ngoại"]


def test_an_area_belongs_to_its_field():
    assert field_named("lĩnh vực hộ tịch").name == "tư pháp"
    assert field_named("tiếp công dân").name == "thanh tra"
    assert "hộ tịch" in field_named("tư pháp").areas
    assert areas_in("công tác hộ tịch, chứng thực") == ["hộ tịch", "chứng thực"]


def test_decentralisation_words():
    assert is_decentralisation("Phân quyền, phân cấp, ủy quyền")
    assert is_decentralisation("phan dinh tham quyen")
    assert not is_decentralisation("Thủ tục hành chính")
