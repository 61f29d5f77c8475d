"""The web app (Gradio): chat and drafting, citation check, report summary, documents.

`render` holds the pure HTML and table pieces, one module per tab holds its handlers and layout
(`chat`, `check`, `summary`, `documents`), `uploads` the upload checks, `app` the layout, theme and
style sheet, `serving` the start-up. Everything a user sees is Vietnamese; every handler turns
exceptions into a Vietnamese message instead of a traceback; text from documents or the model is
HTML-escaped before it is shown. The index, the embedder and the model start on first use (and are
warmed in a background thread after launch).
"""
from .app import build_app
from .serving import serve

__all__ = ["build_app", "serve"]
