"""The ``st.Page`` objects of the navigation, built once per process and copied per run.

Why: ``st.Page(path)`` resolves and checks its file on every construction (about 70 file
system calls for the 15 pages), and every call that leaves Python hands the interpreter lock
to the server's other threads; under 20 concurrent sessions that was a tenth of a page view's
CPU time. A page object is not shareable as it is: ``st.navigation`` marks the chosen page
runnable and ``Page.run`` clears the mark, so two sessions on one object could race. Each run
therefore gets shallow copies of the prototypes, with a mark of its own.
"""

from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import navigation

ROOT = Path(__file__).resolve().parent.parent  # the scripts' paths are relative to it


@st.cache_resource(show_spinner=False)
def _prototypes(with_import: bool) -> dict[str, StreamlitPage]:
    entries = [*navigation.PUBLIC_PAGES, *([navigation.IMPORT_PAGE] if with_import else [])]
    pages = {
        p.url_path: st.Page(
            ROOT / p.script,
            title=p.title,
            icon=p.icon,
            **({"url_path": p.url_path} if p.url_path else {"default": True}),
        )
        for p in entries
    }
    # One chart alone, for other sites' iframes: hidden from the menu, no sidebar, no filters.
    embed = navigation.EMBED_PAGE
    pages[embed.url_path] = st.Page(
        ROOT / embed.script, title=embed.title, url_path=embed.url_path, visibility="hidden"
    )
    return pages


def pages(with_import: bool) -> dict[str, StreamlitPage]:
    """This run's page objects by URL path ("" is the home page); ``with_import`` adds the
    officials' import page (only when an admin password is configured)."""
    return {path: copy.copy(page) for path, page in _prototypes(with_import).items()}
