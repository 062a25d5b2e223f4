"""Each attribution stage on its own, on single sentences (as Whoosh tests each filter alone).

A stage reads one sentence (`Here`) and the state carried between sentences (`Topic`) and states
facts or moves the topic. Every test runs one stage, or one contact rule, and checks what a
purchaser would see on the profile: the fact, its owner, or whose contact a person is.
"""

from __future__ import annotations

from ingest import attribute as at
from ingest import docstate as ds
from ingest.extract import find_mentions
from ingest.records import Block, Document, Mention


def read(*lines: str | tuple[str, str], kind: str = "press_article"):
    """The document of `lines` (text, or (text, role)) with its mentions registered."""
    blocks = [Block(x) if isinstance(x, str) else Block(x[0], x[1]) for x in lines]
    ctx = ds.DocState(Document("d", "d.txt", kind, "", "2026-01-05", "de", "h", blocks))
    return ctx, find_mentions(ctx)


def run(stage, ctx, per, idx: int = 0, st: at.Topic | None = None, **here_fields):
    """Run one stage over sentence `idx`; `here_fields` set what earlier stages would have."""
    st = st or at.Topic(owner=None)
    here = at.Here.read(ctx, idx, per[idx])
    for k, v in here_fields.items():
        setattr(here, k, v)
    stage(ctx, st, here)
    return st, here


def firm(ctx, name: str):
    return next(m for m in ctx.mentions.values() if m.name == name)


def facts(ctx, name: str, facet: str | None = None) -> list[str]:
    return [f.value for f in firm(ctx, name).facts if facet is None or f.facet == facet]


# ---- headings


def test_a_heading_naming_one_firm_makes_it_the_topic_of_its_section():
    ctx, per = read(("Krause Metall GmbH", "heading"))
    st, _ = run(at.headings, ctx, per)
    assert st.section is firm(ctx, "Krause Metall GmbH")
    assert st.topic is st.section


def test_a_heading_naming_nobody_labels_the_contacts_below_it():
    ctx, per = read(("Vertrieb und Angebote", "heading"))
    st, _ = run(at.headings, ctx, per)
    assert st.label_lines == ["Vertrieb und Angebote"] and st.section is None


# ---- references


def test_das_unternehmen_refers_to_the_firm_just_discussed():
    ctx, per = read("Die Krause Metall GmbH fertigt Wellen.", "Das Unternehmen härtet auch.")
    krause = firm(ctx, "Krause Metall GmbH")
    _, here = run(at.references, ctx, per, idx=1, st=at.Topic(owner=None, topic=krause))
    assert here.refers_back and here.fallback is krause


def test_a_sentence_naming_nobody_and_referring_to_nobody_has_no_owner():
    ctx, per = read("Die Krause Metall GmbH fertigt Wellen.", "Im Winter liegt hier Schnee.")
    krause = firm(ctx, "Krause Metall GmbH")
    _, here = run(at.references, ctx, per, idx=1, st=at.Topic(owner=None, topic=krause))
    assert here.fallback is None


def test_wir_on_a_member_page_speaks_for_the_page_owner():
    ctx, per = read("Krause Metall GmbH", "Wir fräsen Gehäuse.", kind="member_page")
    krause = firm(ctx, "Krause Metall GmbH")
    _, here = run(at.references, ctx, per, idx=1, st=at.Topic(owner=krause))
    assert here.fallback is krause


# ---- taxonomy facts


def test_a_capability_goes_to_the_subject_of_the_sentence():
    ctx, per = read("Die Krause Frästechnik GmbH fräst Gehäuse aus Aluminium.")
    run(at.taxonomy_facts, ctx, per)
    assert {"cap.milling", "mat.aluminium"} <= set(facts(ctx, "Krause Frästechnik GmbH"))


def test_a_customers_trade_is_not_a_capability():
    ctx, per = read("Die Krause Metall GmbH beliefert Hersteller von Hydraulikzylindern.")
    run(at.taxonomy_facts, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "capability") == []


def test_a_trade_in_the_firms_own_name_states_nothing():
    ctx, per = read("Die Krause Frästechnik GmbH liefert pünktlich.")
    run(at.taxonomy_facts, ctx, per)
    assert facts(ctx, "Krause Frästechnik GmbH") == []


# ---- places


def test_aus_town_is_the_firms_seat():
    ctx, per = read("Die Krause Metall GmbH aus Suhl fertigt Wellen.")
    run(at.places, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "place") == ["Suhl"]


def test_a_plant_in_another_town_is_a_site_not_the_seat():
    ctx, per = read("Die Krause Metall GmbH hat ein Werk in Gera.")
    run(at.places, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "site") == ["Gera"]
    assert facts(ctx, "Krause Metall GmbH", "place") == []


# ---- numbers


def test_headcount_and_founding_year():
    ctx, per = read("Die Krause Metall GmbH beschäftigt 45 Mitarbeiter und wurde 1991 gegründet.")
    run(at.numbers, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "employees") == ["45"]
    assert facts(ctx, "Krause Metall GmbH", "founded") == ["1991"]


def test_two_men_at_a_machine_are_not_the_headcount():
    ctx, per = read("Bei der Krause Metall GmbH bedienen zwei Mann die Presse.")
    run(at.numbers, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "employees") == []


# ---- relations


def test_a_takeover_reads_buyer_and_bought_the_right_way_round():
    ctx, per = read("Die Krause Metall GmbH übernimmt die Berger Guss GmbH.")
    run(at.relations, ctx, per)
    assert facts(ctx, "Krause Metall GmbH", "successor_of") == ["Berger Guss GmbH"]
    assert facts(ctx, "Berger Guss GmbH", "taken_over_by") == ["Krause Metall GmbH"]


# ---- contact persons: skip rules and owner rules, each alone


def _person(ctx, per, idx=0):
    here = at.Here.read(ctx, idx, per[idx])
    p = here.persons[0]
    return here, p, at.role_near(here.text, p)


def test_a_person_quoted_in_a_press_article_without_a_role_is_nobodys_contact():
    ctx, per = read("Die Krause Metall GmbH wächst, sagte Jens Krüger.")
    here, p, role = _person(ctx, per)
    assert at._quoted_nobody(ctx, at.Topic(owner=None), here, p, role)


def test_a_person_from_an_organization_nobody_recognised_is_skipped():
    ctx, per = read("Carsten Ott von Hessen Trade & Invest lobte den Standort.")
    here, p, role = _person(ctx, per)
    assert at._from_an_unknown_org(ctx, at.Topic(owner=None), here, p, role)


def test_the_role_names_whose_person_it_is():
    ctx, per = read("Geschäftsführer Jens Krüger von der Krause Metall GmbH lobt die Lage.")
    here, p, role = _person(ctx, per)
    owner = at._owner_by_role(ctx, at.Topic(owner=None), here, p, role)
    assert owner is firm(ctx, "Krause Metall GmbH")


def test_a_contact_card_on_a_firms_own_page_is_the_firms():
    ctx, per = read(("Jens Krüger", "contact"), kind="member_page")
    krause = Mention(name="Krause Metall GmbH", kind="company", doc="d")
    here, p, role = _person(ctx, per)
    assert at._owner_of_contact_block(ctx, at.Topic(owner=krause), here, p, role) is krause


def test_owner_rules_are_tried_in_order_and_the_first_answer_wins():
    ctx, per = read("Geschäftsführer Jens Krüger von der Krause Metall GmbH lobt die Berger AG.")
    st, _ = run(at.persons, ctx, per)
    assert [c.person for c in firm(ctx, "Krause Metall GmbH").contacts] == ["Jens Krüger"]
    assert st.current_org is firm(ctx, "Krause Metall GmbH")


# ---- contact details


def test_a_phone_line_under_a_person_goes_to_that_person():
    ctx, per = read(("Jens Krüger", "contact"), ("Tel. 03681 123456", "contact"))
    krause = Mention(name="Krause Metall GmbH", kind="company", doc="d")
    st = at.Topic(owner=krause)
    run(at.persons, ctx, per, idx=0, st=st)
    run(at.contact_details, ctx, per, idx=1, st=st)
    assert [(c.person, c.phone) for c in krause.contacts] == [("Jens Krüger", "+49 3681 123456")]


# ---- topic shift


def test_the_subject_of_a_sentence_becomes_the_topic():
    ctx, per = read("Die Krause Metall GmbH fertigt Wellen.")
    st, _ = run(at.topic_shift, ctx, per)
    assert st.topic is firm(ctx, "Krause Metall GmbH")


def test_firms_named_as_customers_do_not_become_the_topic():
    ctx, per = read(
        "Die Krause Metall GmbH fertigt Wellen.", "Auch die Berger Werft gehört zu den Kunden."
    )
    krause = firm(ctx, "Krause Metall GmbH")
    st, _ = run(at.topic_shift, ctx, per, idx=1, st=at.Topic(owner=None, topic=krause))
    assert st.topic is krause


def test_the_stages_in_order_give_the_customers_supplier_the_next_capability():
    ctx, per = read(
        "Die Krause Metall GmbH fertigt Wellen.",
        "Auch die Berger Werft gehört zu den Kunden.",
        "Das Unternehmen härtet auch.",
    )
    at.attribute(ctx, per, None)
    assert "cap.heat_treatment" in facts(ctx, "Krause Metall GmbH")
    assert facts(ctx, "Berger Werft") == []


def test_people_in_a_photo_caption_without_a_role_are_nobodys_contacts():
    ctx, per = read(
        "Geschäftsführer Udo Brandl (rechts) mit Erich Sommer. © Pressebild", kind="member_page"
    )
    here = at.Here.read(ctx, 0, per[0])
    sommer = next(p for p in here.persons if p.name == "Erich Sommer")
    assert at._unroled_in_caption(ctx, at.Topic(owner=None), here, sommer, None)


def test_a_firm_bearing_another_given_name_is_not_the_family_firm_of_a_namesake():
    ctx, _ = read("Die Christian Kessler Getriebe GmbH liefert zu.")
    assert at._firm_of_family(ctx, "Wolfgang Kessler") is None
    assert at._firm_of_family(ctx, "Christian Kessler") is firm(
        ctx, "Christian Kessler Getriebe GmbH"
    )


def test_a_manager_named_after_a_university_sentence_goes_to_the_firm_named_last():
    ctx, per = read(
        "Die Hollfeld Stanztechnik GmbH fertigt Teile.", "Die Hochschule Würzburg forscht."
    )
    hollfeld, hs = firm(ctx, "Hollfeld Stanztechnik GmbH"), firm(ctx, "Hochschule Würzburg")
    assert at._staff_topic(at.Topic(owner=None, topic=hs, recent=[hollfeld, hs])) is hollfeld


def test_the_host_of_an_event_is_not_the_firm_of_a_speaker_there():
    ctx, per = read(
        "Geschäftsführer Jens Krüger sprach auf der Zulieferkonferenz der Wirtschaftsförderung Hessen."
    )
    here, p, role = _person(ctx, per)
    assert at._owner_only_one_named(ctx, at.Topic(owner=None), here, p, role) is None


def test_a_photo_credit_ends_its_caption_without_a_full_stop():
    # "… und Erich Sommer. © Pressebild Die Hochschule …": the next sentence is not the caption's
    from ingest.sentences import split

    assert split("Udo Brandl (rechts) mit Erich Sommer. © Pressebild Die Hochschule forscht.") == [
        "Udo Brandl (rechts) mit Erich Sommer. © Pressebild",
        "Die Hochschule forscht.",
    ]
