"""The staff page's password rules (`ui/resources.py`): only the configured secret opens it,
compared in constant time, and without a configured secret there is no password at all.
The page itself (locked without a password, wrong password refused) is tested in
tests/test_ui_app.py.
"""

from __future__ import annotations

import dis

from hypothesis import given
from hypothesis import strategies as st

from ui import resources

passwords = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "korrekt", "Korrekt", "korrekt ", "korrek", "korrekt\x00x"]),
    st.sampled_from(["Passwort-ä", "Passwort-a\u0308"]),  # composed and decomposed umlaut
)


@given(given_=passwords, expected=passwords.filter(bool))
def test_only_the_exact_secret_is_accepted(given_, expected):
    assert resources.password_ok(given_, expected) == (given_ == expected)


def test_comparison_runs_in_constant_time():
    """hmac.compare_digest takes time independent of where the inputs differ; '==' does not."""
    calls = {i.argval for i in dis.get_instructions(resources.password_ok) if "ATTR" in i.opname}
    assert "compare_digest" in calls


def test_no_password_unless_one_is_configured(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here …
    monkeypatch.setenv("HOME", str(tmp_path))  # … nor in the home folder
    monkeypatch.delenv(resources.PASSWORD_ENV, raising=False)
    assert resources.staff_password() is None
    monkeypatch.setenv(resources.PASSWORD_ENV, "")
    assert resources.staff_password() is None  # an empty variable is no password
    monkeypatch.setenv(resources.PASSWORD_ENV, "gesetzt")
    assert resources.staff_password() == "gesetzt"
