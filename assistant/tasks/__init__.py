"""The commune-level task register: every Điều / khoản / điểm of a legal document that gives cấp xã a
task, power or duty — as a table (`assistant tasks`), a Word appendix (`export.export_tasks_appendix_docx`)
and facts for drafting section 1.3 ("Phân quyền, phân cấp, ủy quyền").

    from assistant.tasks import register_for
    reg = register_for("120/2025/NĐ-CP")        # or a file path
    for field, tasks in reg.by_field().items(): print(field, len(tasks))

One job per module: structure (the text as Chương/Mục/Điều/khoản/điểm), rules (data/*.json,
compiled once), extract (the register), register (Task, TaskRegister), sources (files, indexed
documents, fields), results (figures from the unit's reports for the appendix's last column).
"""
from .extract import document_info, extract_tasks, task_actor
from .register import Task, TaskRegister
from .sources import SourceNotFound, register_for, registers_for_field
from .structure import parse_legal

__all__ = [
    "SourceNotFound",
    "Task",
    "TaskRegister",
    "document_info",
    "extract_tasks",
    "parse_legal",
    "register_for",
    "registers_for_field",
    "task_actor",
]
