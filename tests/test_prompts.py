"""Prompt files: the fixed part the model server caches is exactly the start of every request."""
import pytest

from assistant import prompts

NAMES = sorted(p.stem for p in prompts.prompts_dir().glob("*.md"))
VALUES = {"sources": "<<<NGUỒN 1>>>\nx\n<<<HẾT NGUỒN 1>>>", "question": "?", "request": "Soạn mục 1.3",
          "context": "Đơn vị báo cáo: xã A.\n", "draft": "d", "problems": "- p", "documents": "{{VB 1}}",
          "report": "r", "parts": "Phần 1: a"}


@pytest.mark.parametrize("name", NAMES)
def test_fixed_part_is_the_prefix_of_every_request(name):
    full = prompts.messages(name, **VALUES)
    fixed = prompts.fixed_part(name)
    assert full[:len(fixed)] == fixed and len(full) == len(fixed) + 1
    assert full[0]["role"] == "system" and full[-1]["role"] == "user"


@pytest.mark.parametrize("name", NAMES)
def test_each_prompt_shows_a_worked_example(name):
    roles = [m["role"] for m in prompts.fixed_part(name)]
    assert roles[1:3] == ["user", "assistant"], "small models follow a shown exchange better than a described one"
