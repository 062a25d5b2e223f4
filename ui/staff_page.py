"""The association staff's page: upload and ingest documents, remove one, index statistics and
the curation file. Locked by a password from the environment or `st.secrets`; without one
configured it only says how to set it.

Ingest runs through `index.build.ingest` over the whole corpus folder (incremental: unchanged
files cost a stat), so the report lists what changed and the purchaser page, whose cached
`Directory` reopens its searcher after a commit, sees the new index at its next rerun.
"""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path

import streamlit as st

from index.build import IndexLocked, ingest
from index.search import Directory
from ingest import curation as cur
from ingest import upload
from supplier_search import audit, curation_history, documents

from . import safe, staff_admin, staff_docs
from .i18n import doc_kind_label, kind_label, t
from .resources import curation_path, staff_password
from .state import ViewState

LOGGED_IN = staff_admin.LOGGED_IN
REPORT = "staff_report"
MAX_CURATION_BYTES = 1024 * 1024


def page(d: Directory, s: ViewState) -> None:
    lang = s.lang
    st.header(t("staff.title", lang), anchor=False)
    shared = staff_password()
    if not staff_admin.has_access(d.index_dir, shared):
        st.info(t("staff.noaccess", lang))
        return
    who = staff_admin.current(d.index_dir)
    if who is None:
        staff_admin.login_form(d.index_dir, shared, lang)
        return
    staff_admin.header(d.index_dir, who, lang)
    ss = st.session_state
    corpus = upload.corpus_dir()
    upload_section(d, corpus, lang)
    if ss.get(REPORT):
        show_report(ss[REPORT], corpus, lang)
    stats_section(d, lang)
    remove_section(d, corpus, lang)
    curation_section(d, corpus, lang)
    staff_admin.history_section(d, corpus, lang, run_ingest, REPORT)
    staff_admin.removed_section(d, corpus, lang, run_ingest, REPORT)
    staff_admin.accounts_section(d.index_dir, who, lang)
    staff_admin.audit_section(d.index_dir, lang)


# ----------------------------------------------------------------------------- ingest


def run_ingest(d: Directory, corpus: Path, lang: str, rebuild: bool = False) -> dict | None:
    """Ingest the corpus folder with a progress bar; the report as a dict, None when it did not
    run (another ingest holds the lock, or the disk is full).

    A full disk (or quota) is caught here as in the CLI (exit code 5): the ingest commits all or
    nothing, so the staff member is told in plain words that nothing changed and what to do,
    instead of a traceback that reads as if the directory were broken. Any other OSError is a
    real fault and still surfaces.
    """
    bar = st.progress(0.0, text=t("staff.progress", lang, name="…", n=0, total="?"))

    def progress(n: int, total: int, key: str) -> None:
        bar.progress(
            min(1.0, n / total) if total else 1.0,
            text=safe.label(t("staff.progress", lang, name=Path(key).name, n=n, total=total)),
        )

    try:
        report = ingest(
            [corpus],
            index_dir=d.index_dir,
            rebuild=rebuild,
            wait=30,
            curation_file=curation_path(d.index_dir),
            progress=progress,
        )
    except IndexLocked:
        bar.empty()
        st.warning(t("staff.locked", lang))
        return None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        bar.empty()
        st.error(safe.label(t("staff.diskfull", lang, folder=d.index_dir)))
        return None
    bar.progress(1.0, text=t("staff.report", lang))
    out = report.to_dict()
    staff_admin.log(d.index_dir, "ingest", str(corpus), rebuild=rebuild, **audit.ingest_counts(out))
    return out


def upload_section(d: Directory, corpus: Path, lang: str) -> None:
    ss = st.session_state
    st.subheader(t("staff.upload", lang), anchor=False)
    st.caption(
        safe.label(
            t(
                "staff.upload.help",
                lang,
                mb=upload.MAX_UPLOAD_BYTES // (1024 * 1024),
                folder=upload.uploads_dir(corpus),
            )
        )
    )
    files = st.file_uploader(
        t("staff.files", lang),
        type=["html", "htm", "pdf", "txt"],
        accept_multiple_files=True,
        max_upload_size=upload.MAX_UPLOAD_BYTES // (1024 * 1024),
        key=f"uploads-{ss.get('upload_round', 0)}",
    )
    cols = st.columns([2, 2, 2])
    go = cols[0].button(t("staff.ingest", lang), type="primary", disabled=not files, key="ingest")
    again = cols[1].button(
        t("staff.reindex", lang),
        key="reindex",
        help=t("staff.reindex.help", lang, folder=corpus),
    )
    rebuild = cols[2].checkbox(t("staff.rebuild", lang), key="rebuild")
    if not (go or again):
        return
    notes = []
    if go:
        for f in files or []:
            why = staff_docs.refusal(f.name, f.getvalue(), lang)  # the ingest's checks, now
            if why:
                notes.append(("refused", t("staff.refused", lang, name=f.name, reason=why)))
                continue
            try:
                saved = upload.save(f.name, f.getvalue(), corpus)
                staff_admin.log(
                    d.index_dir, "upload", _short(str(saved.path), corpus), status=saved.status
                )
                notes.append(
                    (
                        "ok",
                        t(
                            "staff.saved",
                            lang,
                            name=saved.path.name,
                            status=t(f"staff.status.{saved.status}", lang),
                        ),
                    )
                )
            except upload.UploadRefused as exc:
                reason = staff_docs.plain(str(exc), lang)
                notes.append(("refused", t("staff.refused", lang, name=f.name, reason=reason)))
    report = run_ingest(d, corpus, lang, rebuild=rebuild)
    if report is not None:
        ss[REPORT] = {"notes": notes, "report": report}
        ss["upload_round"] = ss.get("upload_round", 0) + 1
        st.rerun()


def show_report(data: dict, corpus: Path, lang: str) -> None:
    st.subheader(t("staff.report", lang), anchor=False)
    for kind, note in data.get("notes", []):
        (st.success if kind == "ok" else st.error)(safe.label(note))
    r = data["report"]
    others = [x for x in r["skipped"] if not staff_docs.is_document_file(x["path"], corpus)]
    skipped = [x for x in r["skipped"] if x not in others]
    st.success(
        t(
            "staff.report.summary",
            lang,
            added=len(r["added"]),
            updated=len(r["updated"]),
            unchanged=len(r["unchanged"]),
            removed=len(r["removed"]),
            skipped=len(skipped),
            orgs=r["organizations"],
            secs=r["seconds"],
        )
    )
    for key in ("added", "updated", "removed"):
        if r[key]:
            st.markdown(f"**{t('staff.report.' + key, lang)}**")
            st.markdown("\n".join(f"- {safe.label(_short(p, corpus))}" for p in r[key]))
    if skipped:
        st.markdown(f"**{t('staff.report.skipped', lang)}**")
        st.markdown(
            "\n".join(
                f"- {safe.label(_short(x['path'], corpus))}: "
                f"{safe.label(staff_docs.plain(x['reason'], lang))}"
                for x in skipped
            )
        )
    if others:  # README.md, FACTS.md … of the corpus folder: not documents, not errors
        names = ", ".join(Path(x["path"]).name for x in others)
        st.caption(safe.label(t("staff.report.others", lang, n=len(others), names=names)))
    if r["unchanged"]:
        with st.expander(f"{t('staff.report.unchanged', lang)} ({len(r['unchanged'])})"):
            st.markdown("\n".join(f"- {safe.label(_short(p, corpus))}" for p in r["unchanged"]))
    if r.get("curation_errors"):
        st.error(
            t("staff.report.curation", lang)
            + ":\n"
            + "\n".join(f"- {safe.label(e)}" for e in r["curation_errors"])
        )


def _short(path: str, corpus: Path) -> str:
    p = Path(path)
    try:
        return str(p.relative_to(corpus))
    except ValueError:
        return str(p)


# ----------------------------------------------------------------------------- index


def stats_section(d: Directory, lang: str) -> None:
    st.subheader(t("staff.stats", lang), anchor=False)
    stats = d.stats()
    cols = st.columns([1, 1, 2, 1])
    cols[0].metric(t("staff.stats.docs", lang), stats["documents"])
    cols[1].metric(
        t("staff.stats.orgs", lang), stats["organizations"], help=t("staff.stats.orgs.help", lang)
    )
    last = stats.get("last_ingest")
    cols[2].metric(
        t("staff.stats.last", lang),
        dt.datetime.fromtimestamp(last).strftime("%d.%m.%Y %H:%M") if last else "—",
    )
    cols[3].metric(t("staff.stats.size", lang), _size(stats["index_bytes"]))
    by = st.columns(2)
    by[0].markdown(
        f"**{t('staff.stats.docs', lang)} {t('staff.stats.bykind', lang)}**\n\n"
        + "\n".join(
            f"- {doc_kind_label(k, lang)}: {n}"
            for k, n in sorted(stats["documents_by_kind"].items(), key=lambda x: -x[1])
        )
    )
    by[1].markdown(
        f"**{t('staff.stats.orgs', lang)} {t('staff.stats.bykind', lang)}**\n\n"
        + "\n".join(
            f"- {kind_label(k, lang)}: {n}"
            for k, n in sorted(stats["organizations_by_kind"].items(), key=lambda x: -x[1])
        )
    )


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def remove_section(d: Directory, corpus: Path, lang: str) -> None:
    st.subheader(t("staff.remove", lang), anchor=False)
    st.caption(t("staff.remove.help", lang))
    by_path = staff_docs.removable(d, corpus)
    if not by_path:
        st.caption(t("staff.remove.outside", lang))
        return
    choice = st.selectbox(
        t("staff.remove.choose", lang),
        list(by_path),
        index=None,
        placeholder=t("facet.choose", lang),
        format_func=lambda p: safe.label(by_path.get(p, Path(p).name)),
        key="remove-doc",
    )
    # removing takes a document's facts out of the directory: say which, and ask once more
    sure = st.checkbox(
        t("staff.remove.confirm", lang, name=by_path.get(choice, "")) if choice else "—",
        key=f"remove-sure-{choice}",
        disabled=choice is None,
    )
    if st.button(t("staff.remove.button", lang), disabled=not (choice and sure), key="remove"):
        try:
            documents.remove(choice, corpus, d.index_dir, **staff_admin.by())
        except upload.UploadRefused as exc:
            st.error(safe.label(staff_docs.plain(str(exc), lang)))
            return
        report = run_ingest(d, corpus, lang)
        if report is not None:
            note = t("staff.remove.done", lang, name=by_path[choice])
            st.session_state[REPORT] = {"notes": [("ok", note)], "report": report}
            st.session_state.pop("remove-doc", None)
            st.rerun()


def curation_section(d: Directory, corpus: Path, lang: str) -> None:
    ss = st.session_state
    st.subheader(t("staff.curation", lang), anchor=False)
    st.caption(t("staff.curation.help", lang))
    path = curation_path(d.index_dir)
    current = cur.text_of(path)
    if current is not None:
        st.download_button(
            t("staff.curation.download", lang),
            data=current.encode("utf-8"),
            file_name="curation.toml",
            mime="application/toml",
            on_click="ignore",
            key="curation-download",
        )
    else:
        st.caption(t("staff.curation.none", lang))
    new = st.file_uploader(
        t("staff.curation.upload", lang),
        type=["toml"],
        key=f"curation-{ss.get('curation_round', 0)}",
        max_upload_size=1,
    )
    if not st.button(t("staff.curation.apply", lang), disabled=new is None, key="curation-apply"):
        return
    data = new.getvalue()
    errors: list[str] = []
    text = ""
    if len(data) > MAX_CURATION_BYTES:
        errors.append("file too large")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            errors.append("not UTF-8 text")
    if not errors:
        try:
            curation_history.accept(d.index_dir, text, **staff_admin.by())
        except curation_history.CurationError as exc:
            errors = exc.errors
    if errors:
        st.error(
            t("staff.curation.invalid", lang)
            + "\n"
            + "\n".join(f"- {safe.label(e)}" for e in errors)
        )
        return
    report = run_ingest(d, corpus, lang)
    if report is not None:
        ss[REPORT] = {"notes": [("ok", t("staff.curation.ok", lang))], "report": report}
        ss["curation_round"] = ss.get("curation_round", 0) + 1
        st.rerun()
