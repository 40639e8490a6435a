"""Rows of elements: the one layout helper the page helpers and the filter modules share.

Every element a page sends costs the server on every page view (a message to queue, wake the
event loop for and write to the websocket), so a row is one horizontal container, where
``st.columns(n)`` sends a container and n columns before any of their contents.
"""

from __future__ import annotations

import streamlit as st


def row(align: str = "center", key: str | None = None):
    """Elements side by side, wrapping on a narrow screen. ``align``: their vertical alignment
    ("bottom" lines a labelled input up with a button, "top" suits headline numbers); ``key``
    names the row (its CSS class ``st-key-…``)."""
    return st.container(horizontal=True, gap="small", vertical_alignment=align, key=key)
