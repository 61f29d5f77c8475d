"""Summaries a clerk can reuse (issue 17)."""
from .chain import summarize, summarize_chain
from .compare import compare_summaries
from .extract import Summary, extract, load_target, read_summary

__all__ = ["Summary", "compare_summaries", "extract", "load_target", "read_summary", "summarize", "summarize_chain"]
