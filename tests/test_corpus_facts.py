"""Every fact of every profile of corpus/ against its ground truth, both ways.

`corpus/facts.toml` is `corpus/FACTS.md` in the taxonomy's ids (written from FACTS.md by a
helper who had not read the extraction code). A fact the program states that the truth lacks is
an extra; a true fact it does not state is missing. The target is zero extras; until it is met
the counts may only go down (ceilings as measured on 2026-12-02), and the failure message lists
every extra so the next change can see what it fixed or broke.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval import realtext as rt  # noqa: E402
from index.search import _payload  # noqa: E402
from ingest import german  # noqa: E402

# measured 2026-12-02 (extra / missing facts of found organizations, all kinds). 44 / 58 since
# the scorer matches a profile whose name equals an annotated one to that organization first:
# "IG Metall" is the union, no longer a second profile of the programme named "… und der IG
# Metall", so the programme's Lenkungsgruppe member Hasso Düvel, on the union's profile, is missed
CEILING_EXTRA = 44
CEILING_MISSING = 58


def _profiles(directory) -> list[rt.PredOrg]:
    c = directory._current()
    out = []
    for docnum in c.info:
        p = _payload(c, docnum)
        facts: dict[str, set[str]] = {k: set() for k in rt.FACT_KINDS}
        for f in p["facts"]:
            if f["facet"] in ("capability", "industry", "certification", "material"):
                facts[f["facet"]].add(f["value"])
            elif f["facet"] in ("place", "site"):
                facts["place"].add(german.fold(f["value"]))
        for ct in p["contacts"]:
            if ct.get("person"):
                facts["contact"].add(rt._person_key(ct["person"]))
        out.append(rt.PredOrg(p["id"], p["name"], p["names"], p["kind"], facts))
    return out


@pytest.fixture(scope="module")
def report(corpus_index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("facts")
    (folder / "corpus.toml").write_text(
        (ROOT / "corpus" / "facts.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    gold = rt.load_annotations(folder)
    return rt.score(gold, {"corpus": _profiles(corpus_index)})


def test_every_supplier_company_of_the_corpus_is_one_profile(report):
    assert report.companies.recall == 1.0 and report.companies.fp == 0, rt.table(report)
    assert report.split == 0, [e for e in report.errors if "[split]" in e]


def test_extra_facts_only_go_down(report):
    extra = [e for e in report.errors if " extra " in e or "non-organization" in e]
    assert len(extra) <= CEILING_EXTRA, "\n".join(extra)


def test_missing_facts_only_go_down(report):
    missing = [e for e in report.errors if " missed " in e and "[org]" not in e]
    assert len(missing) <= CEILING_MISSING, "\n".join(missing)
