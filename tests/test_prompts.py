"""Prompt files: the fixed part the model server caches is exactly the start of every request."""
import pytest

from assistant import prompts

NAMES = sorted(p.stem for p in prompts.prompts_dir().glob("*.md"))
VALUES = {"sources": "<<<NGUỒN 1>>>\nx\n<<<HẾT NGUỒN 1>>>", "question": "?", "heading": "Lĩnh vực tư pháp",
          "written": "(chưa có)", "facts": "[1] Năm 2025: khai sinh 90 trường hợp.", "words": "60",
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


@pytest.mark.parametrize("name", NAMES)
def test_the_langchain_template_builds_the_same_messages(name):
    values = {k: v for k, v in VALUES.items()}
    got = [m.content for m in prompts.template(name).invoke(values).to_messages()]
    assert got == [m["content"] for m in prompts.messages(name, **values)]
