"""The browser app (`ui/streamlit_app.py`) and the small modules it is built from."""
