"""The staff page's login, session, accounts and audit-log parts: a thin layer over
`supplier_search.staff` and `supplier_search.audit`.

The signed-in user is kept in the session as `{"user", "role", "via", "at"}`; the session ends
8 hours after login (`staff.session_expired`) or at "log out", both logged. Every check of a
password — and the throttle — happens in `staff.login`, so the page only words its answer.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import streamlit as st

from supplier_search import audit, curation_history, documents
from supplier_search import staff as accounts

from . import safe
from .i18n import t

LOGGED_IN = "staff_ok"
EXPIRED = "staff_expired"


def current(index_dir: Path) -> dict | None:
    """The signed-in staff member of this session, or None (also when the session expired)."""
    ss = st.session_state
    who = ss.get(LOGGED_IN)
    if not isinstance(who, dict):
        ss.pop(LOGGED_IN, None)
        return None
    if accounts.session_expired(who["at"]):
        audit.record(
            index_dir, who["user"], "logout", who["user"], via=who["via"], reason="expired"
        )
        ss.pop(LOGGED_IN, None)
        ss[EXPIRED] = True
        return None
    return who


def has_access(index_dir: Path, shared: str | None) -> bool:
    """The page opens only when there is some way in: an account or the shared password."""
    return bool(shared) or bool(accounts.accounts(index_dir))


def login_form(index_dir: Path, shared: str | None, lang: str) -> None:
    ss = st.session_state
    if ss.get(EXPIRED):
        st.info(t("staff.expired", lang))
    with st.form("staff-login"):
        name = st.text_input(
            t("staff.user", lang),
            key="w_user",
            help=t("staff.user.help", lang) if shared else None,
        )
        given = st.text_input(t("staff.password", lang), type="password", key="w_password")
        sent = st.form_submit_button(t("staff.login", lang))
    if not sent:
        return
    result = accounts.login(index_dir, name or "", given or "", shared_password=shared)
    if result.ok:
        ss[LOGGED_IN] = {
            "user": result.user,
            "role": result.role,
            "via": result.via,
            "at": time.time(),
        }
        ss.pop(EXPIRED, None)
        ss.pop("w_password", None)
        st.rerun()
    if result.code == "locked":
        until = dt.datetime.fromtimestamp(result.until).strftime("%H:%M")
        st.error(safe.label(t("staff.lockedout", lang, user=result.user, until=until)))
    else:
        st.error(t("staff.wrong.left", lang, n=result.failures_left))


def header(index_dir: Path, who: dict, lang: str) -> None:
    """Who is signed in, and the log-out button."""
    cols = st.columns([4, 1])
    role = t(f"staff.role.{who['role']}", lang)
    cols[0].caption(safe.label(t("staff.whoami", lang, user=who["user"], role=role)))

    def out() -> None:
        audit.record(index_dir, who["user"], "logout", who["user"], via=who["via"])
        st.session_state.pop(LOGGED_IN, None)

    cols[1].button(t("staff.logout", lang), on_click=out, key="logout")


def by() -> dict:
    """`user` and `via` of the signed-in staff member, for the library calls that log."""
    who = st.session_state.get(LOGGED_IN) or {}
    return {"user": who.get("user", "?"), "via": who.get("via", "app")}


def log(index_dir: Path, action: str, obj: str = "", **details) -> None:
    """Record an action of the signed-in staff member."""
    who = by()
    audit.record(index_dir, who["user"], action, obj, via=who["via"], **details)


# ----------------------------------------------------------------------------- undo


def history_section(d, corpus: Path, lang: str, run_ingest, report_key: str) -> None:
    """Every accepted curation file, newest first; one can be made current again."""
    versions = curation_history.history(d.index_dir)
    if not versions:
        return
    st.markdown(f"**{t('staff.history', lang)}**")
    by_n = {v.n: v for v in versions}

    def label(n: int) -> str:
        v = by_n[n]
        again = t("staff.history.again", lang, n=v.restored_from) if v.restored_from else ""
        return (
            t("staff.history.item", lang, n=n, at=v.at[:16].replace("T", " "), user=v.user) + again
        )

    cols = st.columns([3, 1])
    n = cols[0].selectbox(
        t("staff.history", lang),
        sorted(by_n, reverse=True),
        index=None,
        format_func=label,
        placeholder=t("facet.choose", lang),
        key="w_history",
        label_visibility="collapsed",
    )
    if n is not None:
        with st.expander(t("staff.history.show", lang, n=n)):
            st.code(curation_history.text_of(d.index_dir, n), language="toml")
    if cols[1].button(t("staff.history.restore", lang), disabled=n is None, key="history-restore"):
        curation_history.restore(d.index_dir, n, via=by()["via"], user=by()["user"])
        report = run_ingest(d, corpus, lang)
        if report is not None:
            note = t("staff.history.done", lang, n=n)
            st.session_state[report_key] = {"notes": [("ok", note)], "report": report}
            st.session_state.pop("w_history", None)
            st.rerun()


def removed_section(d, corpus: Path, lang: str, run_ingest, report_key: str) -> None:
    """Documents in `.removed/` with the place each goes back to; one can be restored."""
    gone = documents.removed(corpus, d.index_dir)
    if not gone:
        return
    st.markdown(f"**{t('staff.removed', lang)}**")
    by_name = {r.name: r for r in gone}
    root = corpus.resolve()

    def label(name: str) -> str:
        r = by_name[name]
        return t(
            "staff.removed.item",
            lang,
            name=name,
            origin=str(r.origin.relative_to(root)) if r.origin.is_relative_to(root) else r.origin,
            at=r.removed_at[:16].replace("T", " "),
        )

    cols = st.columns([3, 1])
    name = cols[0].selectbox(
        t("staff.removed", lang),
        list(by_name),
        index=None,
        format_func=label,
        placeholder=t("facet.choose", lang),
        key="w_removed",
        label_visibility="collapsed",
    )
    if cols[1].button(
        t("staff.removed.restore", lang), disabled=name is None, key="removed-restore"
    ):
        try:
            back = documents.restore(name, corpus, d.index_dir, **by())
        except documents.RestoreRefused as exc:
            st.error(t(f"staff.removed.{exc.code}", lang))
            return
        report = run_ingest(d, corpus, lang)
        if report is not None:
            note = t("staff.removed.done", lang, name=str(back.relative_to(root)))
            st.session_state[report_key] = {"notes": [("ok", note)], "report": report}
            st.session_state.pop("w_removed", None)
            st.rerun()


# ----------------------------------------------------------------------------- accounts


def accounts_section(index_dir: Path, who: dict, lang: str) -> None:
    """Admins list, add and delete accounts; editors never see this part."""
    if not accounts.may(who["role"], "accounts"):
        return
    st.subheader(t("staff.accounts", lang), anchor=False)
    found = accounts.accounts(index_dir)
    if found:
        st.dataframe(
            [
                {
                    t("staff.accounts.name", lang): a.name,
                    t("staff.accounts.role", lang): t(f"staff.role.{a.role}", lang),
                    t("staff.accounts.created", lang): a.created[:16].replace("T", " "),
                }
                for a in found
            ],
            hide_index=True,
        )
    else:
        st.caption(t("staff.accounts.none", lang))
    with st.form("staff-account-add", clear_on_submit=True):
        cols = st.columns(4)
        name = cols[0].text_input(t("staff.accounts.name", lang), key="w_acc_name")
        role = cols[1].selectbox(
            t("staff.accounts.role", lang),
            accounts.ROLES,
            format_func=lambda r: t(f"staff.role.{r}", lang),
            key="w_acc_role",
        )
        pw = cols[2].text_input(t("staff.accounts.password", lang), type="password", key="w_acc_pw")
        pw2 = cols[3].text_input(t("staff.accounts.again", lang), type="password", key="w_acc_pw2")
        sent = st.form_submit_button(t("staff.accounts.add", lang))
    if sent:
        if pw != pw2:
            st.error(t("staff.accounts.mismatch", lang))
        else:
            try:
                acc = accounts.add(index_dir, name, pw, role, by=who["user"], via=who["via"])
                st.success(safe.label(t("staff.accounts.saved", lang, name=acc.name)))
            except accounts.StaffError as exc:
                st.error(t(f"staff.err.{exc.code}", lang))
    if found:
        cols = st.columns([3, 1])
        gone = cols[0].selectbox(
            t("staff.accounts.name", lang),
            [a.name for a in found],
            index=None,
            key="w_acc_remove",
            label_visibility="collapsed",
        )
        if cols[1].button(
            t("staff.accounts.remove", lang), disabled=gone is None, key="acc-remove"
        ):
            if gone == who["user"]:
                st.error(t("staff.accounts.self", lang))
            else:
                accounts.remove(index_dir, gone, by=who["user"], via=who["via"])
                st.session_state.pop("w_acc_remove", None)
                st.rerun()


# ----------------------------------------------------------------------------- audit log


def audit_section(index_dir: Path, lang: str, limit: int = 500) -> None:
    """The audit log newest first, filterable by action and user."""
    st.subheader(t("staff.audit", lang), anchor=False)
    st.caption(t("staff.audit.help", lang))
    broken = audit.verify(index_dir)
    if broken:
        st.error(t("staff.audit.broken", lang, n=broken))
    entries = audit.read(index_dir)
    entries.reverse()
    cols = st.columns(2)
    actions = cols[0].multiselect(
        t("staff.audit.actions", lang),
        sorted({e.action for e in entries}),
        format_func=lambda a: t(f"audit.{a}", lang),
        key="w_audit_actions",
        select_all=False,
    )
    users = cols[1].multiselect(
        t("staff.audit.users", lang),
        sorted({e.user for e in entries}),
        key="w_audit_users",
        select_all=False,
    )
    shown = [
        e
        for e in entries
        if (not actions or e.action in actions) and (not users or e.user in users)
    ][:limit]
    if not shown:
        st.caption(t("staff.audit.none", lang))
        return
    st.dataframe(
        [
            {
                t("staff.audit.col.at", lang): e.at[:19].replace("T", " "),
                t("staff.audit.col.user", lang): e.user,
                t("staff.audit.col.action", lang): t(f"audit.{e.action}", lang),
                t("staff.audit.col.object", lang): e.object,
                t("staff.audit.col.via", lang): e.via,
                t("staff.audit.col.details", lang): _details(e.details),
            }
            for e in shown
        ],
        hide_index=True,
        key="audit-table",
    )


def _details(details: dict) -> str:
    return ", ".join(
        f"{k}: {v if isinstance(v, (str, int, float)) else json.dumps(v, ensure_ascii=False)}"
        for k, v in details.items()
        if k != "diff"
    )
