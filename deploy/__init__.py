"""Serving the dashboard to the public: nginx in front of Streamlit replicas (see deploy/README.md)."""
