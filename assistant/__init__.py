"""Trợ lý soạn báo cáo — library for drafting, checking and summarising commune reports."""

__version__ = "0.1.0"
