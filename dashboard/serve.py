"""Start the dashboard server: ``python -m dashboard.serve [streamlit run options]``.

The same as ``streamlit run app.py``, with one difference: Streamlit treats a
``pages/`` folder next to the entry script as a legacy multipage app until
``st.navigation`` has run once, so the very first visit of a fresh server
through a shared link (``/hotline?year=2019``) showed a "Page not found" box
over the right page. Telling Streamlit up front that this app uses
``st.navigation`` removes that.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard import heap

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # app.py navigates with st.navigation
    import dashboard.views  # noqa: F401  (imported before the first freeze: frozen with the libraries)

    heap.start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
