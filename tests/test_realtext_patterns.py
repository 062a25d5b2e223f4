"""The shapes real pages take, each guarded by a fixture in the team's own words.

The real-text development set (eval/realtext/, third-party pages kept off the repository) showed
how press notes, company and network pages name firms and state their facts; CI cannot fetch
those pages, so every pattern found there is written again here in made-up text
(tests/realtext_patterns/) and checked on a real index, as a purchaser would see it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import ingest
from index.search import Directory
from ingest import orgs
from ingest import taxonomy as tx
from ingest.german import expand_ellipsis

HERE = Path(__file__).resolve().parent / "realtext_patterns"


@pytest.fixture(scope="module")
def directory(tmp_path_factory) -> Directory:
    index_dir = tmp_path_factory.mktemp("patterns")
    ingest(sorted(HERE.glob("*.txt")), index_dir=index_dir)
    return Directory(index_dir)


def profile(d: Directory, name: str) -> dict:
    hits = [r for r in d.list()["results"] if r["name"] == name]
    assert hits, f"{name!r} not among {[r['name'] for r in d.list()['results']]}"
    return d.show(hits[0]["id"])


def names(d: Directory) -> set[str]:
    return {r["name"] for r in d.list()["results"]}


# ------------------------------------------------------------------ organizations


def test_a_firm_named_after_a_classifying_compound_is_found(directory):
    # "Der Ventilhersteller Kornbach …": no legal form, no trade word in the name
    p = profile(directory, "Kornbach")
    assert p["kind"] == "company"
    assert "Armaturen / Ventile" in p["capabilities"]


def test_well_known_groups_named_bare_are_organizations_without_the_article_facts(directory):
    assert {"Bosch", "Miele"} <= names(directory)
    assert profile(directory, "Bosch")["capabilities"] == []


def test_an_inflected_name_keeps_its_first_word_in_the_nominative(directory):
    assert "Hessische Federnbau GmbH" in names(directory)
    assert not any(n.startswith(("Hessischen", "Federnbau")) for n in names(directory))
    assert orgs.nominative("Getriebewerks Gera") == "Getriebewerk Gera"


@pytest.mark.parametrize(
    "sentence",
    [
        "Beide Firmen stellten auf der OPTATEC 2024 aus.",  # a trade fair with its year
        "Dekorative Galvanik ist wieder gefragt.",  # an adjective-led phrase
        "Im Werk Saarbrücken arbeiten 900 Menschen.",  # a works with a place
        "Gussteile für den Groß- und Schwerguss.",  # a hyphenated stub
        "Zweck ist die Förderung des Maschinenbaus in der Region.",  # a purpose phrase
    ],
)
def test_phrases_that_only_look_like_names_are_not_organizations(sentence):
    assert orgs.find(sentence, set(), set()) == []


def test_a_product_noun_before_a_firm_name_is_not_part_of_it(directory):
    # "die Schleifmaschinen der Tannhof Maschinenbau GmbH": the firm, not its machines
    assert "Tannhof Maschinenbau GmbH" in names(directory)
    assert not any(n.startswith("Schleifmaschinen") for n in names(directory))


def test_a_brand_made_of_its_town_and_a_trade_word_is_a_firm_in_that_town(directory):
    # "Sonneberg-Optronik entwickelt …": no legal form, the town first, then the trade word
    p = profile(directory, "Sonneberg-Optronik")
    assert p["kind"] == "company"
    assert [pl["name"] for pl in p["places"]] == ["Sonneberg"]


def test_a_quoted_name_after_a_classifying_compound_is_a_firm_of_that_town(directory):
    # "des Marburger Augenoptik-Herstellers „Visiona“": named once, but only a firm fits there
    p = profile(directory, "Visiona")
    assert p["kind"] == "company"
    assert [pl["name"] for pl in p["places"]] == ["Marburg an der Lahn"]


def test_a_name_that_says_what_its_company_is_for_keeps_its_first_words():
    hits = orgs.find(
        "Die Westthüringische Prüfgesellschaft für Glas und Keramik mbH misst.", set(), set()
    )
    assert [h.name for h in hits] == ["Westthüringische Prüfgesellschaft für Glas und Keramik mbH"]


def test_a_name_before_an_apposition_that_classifies_it_is_a_firm(directory):
    # "die Anker Group, ein Unternehmen …", "Sandrock, ein Familienunternehmen aus Gera, …"
    assert profile(directory, "Anker Group")["kind"] == "company"
    firm = profile(directory, "Sandrock")
    assert [pl["name"] for pl in firm["places"]] == ["Gera"]


def test_a_place_name_that_starts_like_an_adjective_still_names_a_works():
    # "Hohen…", "Alten…", "Neu…": a district the gazetteer lacks, not the adjective "hohe"
    hits = orgs.find("Das Federnwerk Hohenbrück rüstet seinen Maschinenpark auf.", set(), set())
    assert [h.name for h in hits] == ["Federnwerk Hohenbrück"]
    assert orgs.find("Sächsische Großserien sind gefragt.", set(), set()) == []


def test_a_firm_whose_products_hold_the_parts_is_not_their_maker(directory):
    # "In jedem Porsche stecken Kunststoffgehäuse …": the car maker is where parts go
    assert profile(directory, "Porsche")["capabilities"] == []
    # "die Koordinatenmessgeräte von Lindqvist": the goods right before "von" are its own
    assert "Messtechnik" in " ".join(profile(directory, "Lindqvist")["capabilities"])


def test_an_abbreviated_qualifier_picks_the_town_among_its_homonyms(directory):
    # "aus Reichenbach a. H.": Reichenbach am Heuberg, not one of ten other Reichenbachs
    places = profile(directory, "Kessner Drehtechnik GmbH")["places"]
    assert [pl["name"] for pl in places] == ["Reichenbach am Heuberg"]


def test_coined_and_lower_case_brands_before_a_legal_form_keep_their_spelling():
    text = "Es stellen die Firmen Nordlicht Technologies GmbH, iVoro AG und die kelvo GmbH aus."
    found = [h.name for h in orgs.find(text, set(), set())]
    assert found == ["Nordlicht Technologies GmbH", "iVoro AG", "kelvo GmbH"]
    # lower-case words before a legal form are no names: "eine eigene GmbH", "die beiden AG"
    assert orgs.find("Er gründete eine eigene GmbH, die beiden AG fusionieren.", set(), set()) == []


def test_a_landscape_adjective_before_a_trade_word_names_a_firm():
    # "das Odenwälder Federnwerk": a landscape, not a town, so no gazetteer adjective helps
    hits = orgs.find("Am Freitag feierte das Odenwälder Federnwerk sein Jubiläum.", set(), set())
    assert [h.name for h in hits] == ["Odenwälder Federnwerk"]


def test_two_family_names_after_the_singular_firma_are_one_firm(directory):
    # "von der Firma Brandl und Schönherr": one firm (its long name follows), not two
    found = names(directory)
    assert "Brandl" not in found and "Schönherr" not in found
    assert sum("Brandl" in n for n in found) == 1


def test_a_person_belongs_to_the_firm_that_bears_the_family_name(directory):
    # "in der Maschinenfabrik X baute Erwin Lichtwer …": the founder of the firm named after
    # him, though the sentence names another firm first
    people = [c["person"] for c in profile(directory, "Lichtwer Pumpentechnik GmbH")["contacts"]]
    assert "Erwin Lichtwer" in people
    ambach = profile(directory, "Maschinenfabrik Gerold Ambach GmbH")["contacts"]
    assert "Erwin Lichtwer" not in [c["person"] for c in ambach]


def test_a_year_before_a_name_is_not_part_of_it():
    hits = orgs.find("Seit 2007 der Beispiel Cluster e.V. aktiv.", set(), set())
    assert [h.name for h in hits] == ["Beispiel Cluster e.V."]


def test_a_network_does_not_turn_its_topic_into_capabilities(directory):
    p = profile(directory, "Netzwerk Fertigungstechnik Mittelhessen e.V.")
    assert p["kind"] == "network"
    assert p["capabilities"] == []


# ------------------------------------------------------------------ facts


def test_officials_photographers_and_unattributed_speakers_are_nobodys_contacts(directory):
    people = {c["person"] for r in directory.list()["results"] for c in r["contacts"]}
    assert "Marion Kornbach" in people  # the firm's managing director
    assert not {"Heiko Sommer", "Lena Brandt", "Tobias Feld"} & people


@pytest.mark.parametrize(
    "sentence, concept",
    [
        ("Wir sind im Raum Kassel tätig.", "cap.broaching"),  # Raum is no Räumen
        ("Bei zwei Millionen Euro lag die Investition.", "cap.bearings"),  # lag is no Lager
        ("Gesucht werden Mechatroniker.", "cap.mechatronics"),  # people, not the trade
        ("Die Entwicklung der Firma war rasant.", "cap.engineering"),  # growth, not design
        ("Zur Übersicht springen", "cap.springs"),  # a German verb, not English "springs"
        ("Das wird immer riskanter.", "cap.bending"),  # no "kantet" inside an adjective
        ("Wir fertigen hochpräzise Teile.", "cap.precision_mechanics"),  # praise, no trade
    ],
)
def test_a_term_matches_its_own_word_never_a_word_sharing_its_stem(sentence, concept):
    found = {m.concept for m in tx.load().match(sentence, document="de")}
    assert concept not in found


def test_the_same_terms_still_match_where_the_text_states_them():
    t = tx.load()
    assert "cap.broaching" in {m.concept for m in t.match("Nutenräumen bis 20 mm", "de")}
    assert "cap.bearings" in {m.concept for m in t.match("Gleitlager aus Bronze", "de")}
    assert "cap.springs" in {m.concept for m in t.match("We make compression springs.", "en")}


def test_a_dateline_places_the_firm_the_note_is_about(directory):
    assert [pl["name"] for pl in profile(directory, "Kornbach")["places"]] == ["Wetzlar"]


# ------------------------------------------------------------------ search


def test_a_pronoun_sentence_after_the_name_finds_the_firm_with_a_truthful_reason(directory):
    # "… Sie stellt … Tiefziehformen und -werkzeuge her.": no fact filed, still found
    res = directory.search("Tiefziehwerkzeuge")
    top = res["results"][0]
    assert top["name"] == "Albrecht Stanztechnik GmbH"
    assert any(w.startswith("text about it mentions") for w in top["why"])


def test_a_back_ellipsis_is_expanded():
    assert "Tiefziehwerkzeuge" in expand_ellipsis("Tiefziehformen und -werkzeuge")
    assert "Druckfedern" in expand_ellipsis("Druck- und Zugfedern")


def test_an_ellipsis_with_an_unknown_head_still_finds_the_firm_that_makes_it(directory):
    # "die Schulter- und Ellenbogengelenke von …": "Gelenk" is in no lexicon, so extraction
    # files nothing, and search still finds the maker by the whole word
    assert "Schultergelenke" not in expand_ellipsis("Schulter- und Ellenbogengelenke")
    names_found = [r["name"] for r in directory.search("Schultergelenke")["results"]]
    assert "Wiegand Orthotech" in names_found[:2]


def test_a_product_word_outside_the_taxonomy_and_its_english_name_find_the_same_firms(
    directory,
):
    german = [r["name"] for r in directory.search("Zugfedern")["results"]]
    english = [r["name"] for r in directory.search("tension springs")["results"]]
    assert "Hessische Federnbau GmbH" in german
    assert "Hessische Federnbau GmbH" in english


def test_a_place_word_ranks_and_only_firms_known_elsewhere_drop_out(directory):
    res = directory.search("Drahtbiegeteile Kassel")
    got = [(r["name"], r["place_unknown"]) for r in res["results"]]
    assert got[0] == ("Lorenz Biegetechnik GmbH", False)  # placed in Kassel
    assert ("Heinzel Drahtbiegetechnik GmbH", True) in got  # no place known: kept, marked
    assert "Vogt Drahtformung GmbH" not in {n for n, _ in got}  # in München
    heinzel = next(r for r in res["results"] if r["name"] == "Heinzel Drahtbiegetechnik GmbH")
    assert "place unknown" in heinzel["why"]


def test_an_explicit_region_filter_stays_strict(directory):
    res = directory.search("Drahtbiegeteile", region="Hessen")
    got = {r["name"] for r in res["results"]}
    assert "Lorenz Biegetechnik GmbH" in got  # placed in Kassel
    assert not {"Heinzel Drahtbiegetechnik GmbH", "Vogt Drahtformung GmbH"} & got


def test_a_place_word_inside_a_name_is_its_place_only_where_it_names_the_seat(directory):
    # "Franken" leads the name and is a region, the seat is Erlangen; "Siegener …" is in Siegen
    assert [p["name"] for p in profile(directory, "Franken Biegetechnik GmbH")["places"]] == [
        "Erlangen"
    ]
    assert "Siegen" in [p["name"] for p in profile(directory, "Siegener Drahtwerk GmbH")["places"]]


def test_a_town_makes_the_region_beside_it_redundant(directory):
    places = [p["name"] for p in profile(directory, "Hessische Federnbau GmbH")["places"]]
    assert places == ["Wetzlar"]  # not also "Hessen" from the name's adjective


def test_caption_lists_give_each_person_to_the_organization_named_with_them(directory):
    federnbau = {c["person"] for c in profile(directory, "Hessische Federnbau GmbH")["contacts"]}
    everyone = {c["person"] for r in directory.list()["results"] for c in r["contacts"]}
    assert "Jana Kessler" in federnbau
    # an official by the role after the name; a manager of an organization nobody recognised;
    # the person a firm is named after; a figure of speech
    assert not {"Kurt Amsel", "Markus Pohl", "Bernd Ostwald", "Otto Normalverbraucher"} & everyone
    # "X von der Regionalagentur …" (nobody recognised it), a role that was the person before's,
    # "XYZ-Geschäftsführer" of an organization nobody recognised
    assert not {"Sabine Korte", "Tobias Wendel", "Lutz Brenner"} & everyone


def test_a_trade_word_in_a_name_is_no_stated_capability_but_still_finds_the_firm(directory):
    # "Lorenz Biegetechnik GmbH … fertigt ebenfalls Drahtbiegeteile": Drahtbiegeteile is stated,
    # Biegetechnik (bending) only named
    p = profile(directory, "Lorenz Biegetechnik GmbH")
    assert "Biegen / Abkanten" not in p["capabilities"]
    assert "Drahtbiegen / Drahtbiegeteile" in p["capabilities"]
    hits = {r["name"]: r["why"] for r in directory.search("Biegetechnik")["results"]}
    assert "name contains Biegetechnik" in hits["Lorenz Biegetechnik GmbH"]


def test_a_verb_form_is_never_found_inside_a_noun():
    found = {m.concept for m in tx.load().match("Den Fragebogen füllten alle aus.", "de")}
    assert "cap.bending" not in found
    assert "cap.bending" in {m.concept for m in tx.load().match("Bleche werden gebogen.", "de")}


def test_every_kind_the_lexicon_gives_is_a_kind_the_directory_knows():
    from ingest.records import ORG_KINDS

    assert set(orgs.lexicon().heads.values()) <= set(ORG_KINDS)
    assert {k for _, k in orgs.lexicon().multi_heads} <= set(ORG_KINDS)
    hits = orgs.find("Die IG Metall kritisierte die Schließung.", set(), set())
    assert [(h.name, h.kind) for h in hits] == [("IG Metall", "public")]  # a union: public


def test_a_town_adjective_before_a_trade_word_names_a_firm_but_not_a_referring_phrase():
    places, adjectives = {"kassel"}, {"kasseler"}
    named = orgs.find("Die Kasseler Drahttechnik liefert Biegeteile.", places, adjectives)
    assert [h.name for h in named] == ["Kasseler Drahttechnik"]
    # "die Kasseler Gießerei" refers back to a firm the article named; "Riesaer Stahlbauer"
    # (a person noun) only classifies one
    assert orgs.find("Die Kasseler Gießerei beliefert beide.", places, adjectives) == []
    assert orgs.find("Der Kasseler Stahlbauer übernimmt.", places, adjectives) == []


def test_hiring_staff_is_no_closure(directory):
    # "… hat zwölf neue Mitarbeiter eingestellt" is good news, not "Betrieb eingestellt"
    assert profile(directory, "Kornbach")["closed"] is False


@pytest.mark.parametrize(
    "inflected, nominative",
    [
        ("Maritimen Clusters Norddeutschland", "Maritime Cluster Norddeutschland"),
        ("Hessischen Ministerium für Wirtschaft", "Hessisches Ministerium für Wirtschaft"),
        ("Thüringischen Formenbau GmbH", "Thüringische Formenbau GmbH"),
    ],
)
def test_a_case_ending_never_makes_a_second_name(inflected, nominative):
    assert orgs.nominative(inflected) == nominative


def test_a_known_group_wins_over_its_works_and_a_trade_noun_before_a_firm_is_cut():
    hits = orgs.find("Im Schweinfurter Bosch-Werk arbeiten 900.", set(), {"schweinfurter"})
    assert [h.name for h in hits] == ["Bosch"]
    hits = orgs.find("Die Gießerei der Kempf Guss GmbH schließt.", set(), set())
    assert [h.name for h in hits] == ["Kempf Guss GmbH"]


def test_names_whose_shape_says_they_are_firms(directory):
    found = names(directory)
    # a name with its own acronym, a name set in quotes twice, exhibitors "wie A und B",
    # two names joined by a plus sign
    assert {"Anton Kessel-Brink", "Ronda-Forge", "KORVAN", "TELMOS", "Hain + Ostrow"} <= found
    assert {"Lenz & Wirth", "Gebrüder Ortlieb"} <= found  # "&" after a cue, "Gebrüder X"
    assert not any("&" in n and n.split()[0] in ("Defense", "Kunst") for n in found)
    assert orgs.find("Themen: Defense & Security, Lasers & Sources", set(), set()) == []
    people = {c["person"] for r in directory.list()["results"] for c in r["contacts"]}
    assert "Anton Kessel-Brink" not in people


def test_the_scene_an_article_opens_with_belongs_to_the_firm_it_then_names(directory):
    # the opening describes the shop floor; the firm is named only in the next paragraph
    top = directory.search("Haltebügel")["results"][0]
    assert top["name"] == "Wendrich Federntechnik GmbH"
    assert any(w.startswith("text about it mentions") for w in top["why"])


def test_a_seller_compound_in_the_query_asks_for_the_product():
    from index.query import understand

    u = understand("Pumpenhersteller Bayern")
    # not the machine-building industry that "Pumpenhersteller" stands for among customers
    assert u.concepts == [] and u.words == ["Pumpenhersteller"]


def test_a_network_states_no_industry_served_of_its_own_only_its_focus(directory):
    # "bündelt Betriebe …, die vor allem die Automobilindustrie beliefern": the members'
    # customers are the network's focus, not industries it serves itself
    p = profile(directory, "Netzwerk Fertigungstechnik Mittelhessen e.V.")
    assert p["industries"] == [] and p["focus"] == ["Automobilindustrie"]
    found = directory.search("Zerspanung", industry="ind.automotive")["results"]
    assert "Netzwerk Fertigungstechnik Mittelhessen e.V." in [r["name"] for r in found]


def test_place_words_that_are_directions_or_adjectives_place_nothing():
    from ingest import gazetteer as gz

    g = gz.load()
    for text in ("im Norden Hessens", "im Industriegebiet Süd", "Verband Deutscher Gießereien"):
        assert [m.text for m in g.find(text) if m.text in ("Norden", "Industriegebiet")] == []
        assert not any(m.candidates[0].place.name == "Deutsch Evern" for m in g.find(text))


def test_a_dated_dateline_places_the_first_firm_the_note_names(directory):
    # "Soest, 12. März 2024 …" and the firm named two sentences later
    assert [p["name"] for p in profile(directory, "Brenner Umformtechnik GmbH")["places"]] == [
        "Soest"
    ]


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Die Kraus Gruppe übernimmt den Betrieb.", "Kraus Gruppe"),
        ("Die Haller-Werft baut Fähren.", "Haller-Werft"),
        ("Teile kommen von der Nordik-Gruppe.", "Nordik"),
    ],
)
def test_a_group_or_a_shipyard_is_a_firm(sentence, name):
    assert [h.name for h in orgs.find(sentence, set(), set())] == [name]
    assert orgs.find("Eine Gruppe von Schülern kam.", set(), set()) == []


def test_a_town_hyphenated_to_a_trade_word_is_a_firm_a_district_is_not():
    places = {"ruhla", "jena", "goschwitz", "baden", "wurttemberg", "baden-wurttemberg"}
    assert [h.name for h in orgs.find("Die Mechanik-Ruhla liefert.", places, set())] == [
        "Mechanik-Ruhla"
    ]
    assert orgs.find("Der Standort in Jena-Lobeda wächst.", places, set()) == []
    assert orgs.find("In Baden-Württemberg.", places, set()) == []


def test_a_sole_trader_with_e_kfm_is_one_name():
    hits = orgs.find(
        "Bei der CNC-Dreherei und Fräserei Lutz Brandner eKfm. ist Richtfest.", set(), set()
    )
    assert [h.name for h in hits] == ["CNC-Dreherei und Fräserei Lutz Brandner eKfm."]


def test_a_trade_noun_referring_back_carries_the_firms_trade(directory):
    # "… bei Anton Kessel-Brink (AKB) … Die Gesenkschmiede fertigt Schmiedeteile …"
    assert "Schmieden / Schmiedeteile" in profile(directory, "Anton Kessel-Brink")["capabilities"]


def test_a_product_whose_head_names_an_industry_is_searched_as_the_product(directory):
    # "Zahnimplantate": its head "Implantate" stands for medical technology, but a maker of
    # surgical instruments makes no dental implants — the honest answer is nothing
    from index.query import understand

    assert "ind.medical" not in understand("Zahnimplantate Hersteller").concepts
    assert directory.search("Zahnimplantate Hersteller")["total"] == 0
    assert "Brenner Chirurgietechnik GmbH" in [
        r["name"] for r in directory.search("Medizintechnik")["results"]
    ]


def test_english_machine_and_product_nouns_find_german_text(directory):
    for query in ("tea bag machines", "Teebeutelmaschinen"):
        assert [r["name"] for r in directory.search(query)["results"]][:1] == [
            "Kessler Maschinenbau GmbH"
        ], query


def test_closing_a_plant_is_no_closure_of_the_firm(directory):
    # "die Schließung des Werks X" closes a plant; the firm that closed it goes on
    assert profile(directory, "Walcher Lagertechnik GmbH")["closed"] is False
    assert profile(directory, "Gießerei Brandt GmbH")["closed"] is True


def test_a_single_word_between_von_and_aus_town_names_a_firm(directory):
    # "die Kniegelenke von Kerbach aus Ottendorf": one mention suffices, even when the village
    # is missing from the gazetteer; "von Kunden aus Jena" names nobody
    assert {"Lendrix", "Kerbach", "Kolvex Parts"} <= names(directory)
    assert "Kunden" not in names(directory)


def test_a_word_after_firma_is_a_name_at_its_first_mention(directory):
    # "die Lübecker Firma Dreieck": one mention suffices; "die Firma härtet Werkzeuge" names nobody
    assert "Dreieck" in names(directory)


def test_asking_for_makers_ranks_firms_before_networks_with_the_same_words(directory):
    from index.query import asks_for_sellers

    assert asks_for_sellers("Präzisionsoptik Hersteller") and asks_for_sellers("Optikzulieferer")
    assert not asks_for_sellers("Präzisionsoptik Wetzlar")
    ranked = [r["name"] for r in directory.search("Präzisionsoptik Hersteller")["results"]]
    assert ranked.index("Kellner Schleiftechnik GmbH") < ranked.index("Feinoptik Lahn e. V.")


def test_a_given_name_in_a_firm_name_is_no_town_adjective(directory):
    # "Werner" is also the adjective of the town Werne; the firm is in Bad Salzuflen
    towns = {p["name"] for p in profile(directory, "Dreherei Werner Kamm GmbH")["places"]}
    assert towns == {"Bad Salzuflen"}


def test_firms_named_as_customers_do_not_become_the_subject_of_the_next_sentence(directory):
    # "Auch die Meerwerft … gehören zu den Kunden. Das Unternehmen fertigt …": the valve maker
    caps = {f["value"] for f in profile(directory, "Meerwerft Emden GmbH")["facts"]}
    assert not any(str(v).startswith("cap.") for v in caps)


def test_a_sentence_opening_with_a_possessive_goes_on_about_the_firm(directory):
    # "Seine Kugelhähne gehen heute in viele Länder.": the valve maker's products
    facts = profile(directory, "Weserventil GmbH")["facts"]
    said = [
        f["value"] for f in facts if "Kugelhähne" in (f.get("evidence") or {}).get("sentence", "")
    ]
    assert "cap.valves" in said


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Auch für den Kamerahersteller Leica Camera zählt jede Neuheit.", "Leica Camera"),
        ("Zeiss Meditec baut in Jena aus.", "Zeiss Meditec"),
        ("Kunden wie Bosch und Siemens kaufen dort ein.", "Bosch"),
    ],
)
def test_a_known_group_with_its_division_word_is_that_company(sentence, name):
    # "Leica Camera" and "Leica Microsystems" are two firms of one group, not "Leica"
    assert name in [h.name for h in orgs.find(sentence, set(), set())]


def _stated(p: dict) -> dict[str, str]:
    """Each fact value of a profile with the sentence that states it."""
    return {f["value"]: (f.get("evidence") or {}).get("sentence", "") for f in p["facts"]}


def test_an_interview_answer_belongs_to_the_firm_of_the_person_answering(directory):
    # "Ralf Odenthal: Wir bauen feinmechanische Baugruppen …" is Odenthal's firm, not the firm
    # the interview named first
    odenthal = _stated(profile(directory, "Odenthal Messgeräte GmbH"))
    kolbinger = _stated(profile(directory, "Kolbinger Spanntechnik GmbH"))
    assert {"cap.assemblies", "ind.medical"} <= set(odenthal)
    assert "cap.fixtures" in kolbinger
    assert not {"cap.assemblies", "ind.medical"} & set(kolbinger)


def test_what_the_region_or_firms_in_general_do_is_no_firms_capability(directory):
    # "Unsere Region ist … ein Zentrum der Galvanik", "Viele kleine Galvanik-Betriebe …"
    for name in ("Kolbinger Spanntechnik GmbH", "Odenthal Messgeräte GmbH"):
        assert "cap.electroplating" not in _stated(profile(directory, name))


def test_a_newspaper_has_neither_its_town_nor_its_journalists_as_facts(directory):
    paper = profile(directory, "Alsfelder Kreisblatt")
    assert paper["kind"] == "media"
    assert paper["places"] == [] and paper["contacts"] == []
    everyone = {c["person"] for r in directory.list()["results"] for c in r["contacts"]}
    assert "Jana Wolter" not in everyone


def _people(p: dict) -> set[str]:
    return {c["person"] for c in p["contacts"]}


def test_a_manager_next_to_another_firms_role_is_not_that_firms(directory):
    # "Geschäftsführer Udo Brandl und der Vorstandsvorsitzende der Mainmetall AG, Peter Sauer"
    assert _people(profile(directory, "Mainmetall AG")) == {"Peter Sauer"}
    assert "Udo Brandl" in _people(profile(directory, "Hollfeld Stanztechnik GmbH"))


def test_a_role_at_an_unnamed_firm_is_nobodys_contact_even_with_a_familiar_surname(directory):
    # "Wolfgang Kessler, Vertriebsleiter eines Zulieferers aus Aschaffenburg" is not the
    # Christian Kessler Getriebe GmbH's
    assert "Wolfgang Kessler" not in _people(profile(directory, "Christian Kessler Getriebe GmbH"))


def test_a_manager_named_after_a_sentence_about_a_university_is_the_firms(directory):
    assert _people(profile(directory, "Hochschule Würzburg")) == set()


@pytest.mark.parametrize(
    "sentence, sector",
    [
        ("Der Wirtschaftszweig Zerspanung zählt im Land 300 Betriebe.", "Wirtschaftszweig"),
        ("Die Schlüsselindustrie Umformtechnik wächst.", "Schlüsselindustrie"),
        ("Die Suhler Metallindustrie sucht Fachkräfte.", "Suhler Metallindustrie"),
        ("So ist das Unternehmen Vorreiter bei kleinen Kameras.", "Vorreiter"),
    ],
)
def test_a_sector_or_a_role_word_is_not_an_organization(sentence, sector):
    found = [h.name for h in orgs.find(sentence, {"suhl"}, {"suhler"})]
    assert not any(n.startswith(sector) for n in found), found


def test_a_town_adjective_before_a_trade_name_is_still_a_firm():
    # "Jenaer Gewindetechnik" is a firm, "Suhler Metallindustrie" the town's industry
    found = [
        h.name
        for h in orgs.find("Die Suhler Gewindetechnik liefert Spindeln.", {"suhl"}, {"suhler"})
    ]
    assert "Suhler Gewindetechnik" in found


def _profiles_of(text: str, tmp_path) -> list[dict]:
    path = tmp_path / "umbenennung.txt"
    path.write_text(text, encoding="utf-8")
    ingest([path], index_dir=tmp_path / "idx")
    d = Directory(tmp_path / "idx")
    return [d.show(r["id"]) for r in d.list()["results"]]


def test_a_brand_word_before_a_firms_full_name_is_the_same_firm(tmp_path):
    # "Die Siegener Pumpen AG wurde 1952 in Sipag Siegener Pumpen AG umbenannt.": no word of
    # the old name but the town's is distinctive
    ps = _profiles_of(
        "date 2023-01 Hundert Jahre Pumpen aus Siegen\n"
        "Die Siegener Pumpen AG fertigt Pumpen für Wasserwerke. "
        "1952 wurde die Siegener Pumpen AG in Sipag Siegener Pumpen AG umbenannt.\n",
        tmp_path,
    )
    kessler = [p for p in ps if "Siegener Pumpen" in p["name"]]
    assert len(kessler) == 1
    assert any(w["code"] == "name_inside" for w in kessler[0]["merged_because"])


def test_the_works_of_a_firm_is_that_firm(tmp_path):
    # "Kornmannwerk AG" and "die Firma Kornmann" in one article are one firm
    ps = _profiles_of(
        "date 2023-01 Beatmungstechnik aus Lübeck\n"
        "Die Kornmannwerk AG fertigt Beatmungsgeräte für Kliniken. "
        "Die Firma Kornmann zählt 300 Beschäftigte.\n",
        tmp_path,
    )
    kornmann = [p for p in ps if p["name"].startswith("Kornmann")]
    assert len(kornmann) == 1, [p["name"] for p in ps]
    assert any(w["code"] == "works_of" for w in kornmann[0]["merged_because"])


def test_every_merge_reason_is_worded_in_both_languages():
    from index.reasons import MERGED_ENGLISH
    from ui.i18n import MERGED

    assert set(MERGED["de"]) == set(MERGED_ENGLISH)
    assert {"name_inside", "works_of"} <= set(MERGED_ENGLISH)


@pytest.mark.parametrize(
    "name", ["Henkel AG & Co. KGaA", "Weber AG & Co. KG", "Kolb SE & Co. KGaA"]
)
def test_a_partnership_limited_by_shares_keeps_its_whole_legal_form(name):
    # "Drägerwerk AG & Co. KGaA" had become "Drägerwerk AG"
    assert [h.name for h in orgs.find(f"Die {name} fertigt Pumpen.", set(), set())] == [name]


@pytest.mark.parametrize("state", ["Thüringen", "Brandenburg", "Sachsen", "Hessen"])
def test_a_state_in_a_networks_name_is_its_place(state):
    # "Thüringen" and "Brandenburg" share their stem with the adjectives "thüringische" and
    # "brandenburgische" and had counted as ordinary words without "in"/"aus" before them
    from ingest.extract import extract
    from ingest.records import Block, Document

    doc = Document(
        "d", "d.txt", "press_article", "", "2024-01-01", "de", "h",
        [Block(f"Das Netzwerk Gießereitechnik {state} e. V. wirbt um Nachwuchs.")],
    )  # fmt: skip
    (net,) = [m for m in extract(doc).mentions if m.kind == "network"]
    assert [f.value for f in net.facts if f.facet == "place"] == [state]


def test_a_word_that_is_also_a_town_still_needs_a_cue():
    from ingest import gazetteer as gz

    assert gz.load().find("Die Wellen laufen rund.") == []
    assert [m.text for m in gz.load().find("Die Firma aus Halle liefert Wellen.")] == ["Halle"]


def test_where_a_firms_output_goes_are_its_industries_not_its_biggest_customers(directory):
    # "Gut die Hälfte geht an die Autoindustrie. Der Rest geht an die Medizintechnik …", after
    # "… ist die Talbrink Hausgeräte GmbH eindeutig der größte Kunde."
    stamped = _stated(profile(directory, "Brinkhoff Stanztechnik GmbH"))
    assert {"ind.automotive", "ind.medical", "ind.aerospace"} <= set(stamped)
    customer = _stated(profile(directory, "Talbrink Hausgeräte GmbH"))
    assert not any(v.startswith("ind.") for v in customer)


# ------------------------------------------------------------------ one brand, several firms


def test_two_firms_of_one_brand_stay_two_profiles(directory):
    # "Falkner Camera" and "Falkner Mikrosysteme" share the brand word, not the firm; a bare
    # "Falkner" later in the text must not bridge them into one profile either
    found = names(directory)
    assert {"Falkner Camera", "Falkner Mikrosysteme"} <= found
    assert "Falkner Camera" not in profile(directory, "Falkner Mikrosysteme")["names"]


def test_a_classifying_noun_before_a_network_name_is_not_part_of_it(directory):
    # "des Vereins Marburg Network": the network, not a "Verein Marburg"
    found = names(directory)
    assert "Marburg Network" in found
    assert not any(n.startswith("Verein Marburg") for n in found)


def test_a_town_hall_named_by_its_town_adjective_is_a_building():
    hits = orgs.find("Der Preis wurde im Gießener Rathaus verliehen.", {"giessen"}, {"giessener"})
    assert hits == []


# ------------------------------------------------------------------ whom a sentence speaks of


def test_a_compound_or_a_portfolio_noun_refers_back_to_the_firm(directory):
    # "Das Traditionsunternehmen wurde …", "Das Leistungsspektrum umfasst Dreh- und Frästeile
    # … für die Luftfahrtindustrie": sentences naming nobody, about the firm just introduced
    stated = _stated(profile(directory, "Lennartz Zerspanung GmbH"))
    assert {"cap.milling", "cap.turning", "ind.aerospace"} <= set(stated)
    assert "Leistungsspektrum" in stated["cap.milling"]


def test_people_in_a_trade_are_not_the_firms_processes(directory):
    # "Bei der Firma arbeiten 60 Schweißer und Dreher": welders and turners on the payroll
    # state no welding or turning
    stated = _stated(profile(directory, "Lennartz Zerspanung GmbH"))
    assert "cap.welding" not in stated
    assert "Schweißer" not in stated.get("cap.turning", "")
    assert tx.load().match("Zwei Schweißer und ein Dreher gesucht.", document="de") == []


def test_a_firm_introduced_as_the_owner_of_a_stand_is_what_the_next_sentence_means(directory):
    # "… am Stand von Ortwein Stahlbau aus Ebersgrund. Der Zwölf-Mann-Betrieb baut …": the
    # firm just introduced, not the one the article began with
    assert "cap.welding" in _stated(profile(directory, "Ortwein Stahlbau"))
    assert "cap.welding" not in _stated(profile(directory, "Lennartz Zerspanung GmbH"))


def test_a_subsidiary_named_after_its_parent_stays_its_own_firm(directory):
    # "Vitrex Optik Marburg …: Die Tochtergesellschaft der Vitrex Optik AG …": two firms, the
    # subsidiary with its own town, relation and facts
    found = names(directory)
    assert {"Vitrex Optik Marburg", "Vitrex Optik AG"} <= found
    child = profile(directory, "Vitrex Optik Marburg")
    assert "Vitrex Optik AG" not in child["names"]
    assert any(
        r["facet"] == "subsidiary_of" and r["value"] == "Vitrex Optik AG"
        for r in child["relations"]
    )
    assert "cap.optical_coating" in _stated(child)  # "Anlage für die optische Beschichtung"
    assert "cap.optical_coating" not in _stated(profile(directory, "Vitrex Optik AG"))


def test_a_town_right_after_the_legal_form_is_the_firms_seat(directory):
    # "der Geschäftsführer der Brenner Anlagenbau GmbH Göttingen …"
    assert [pl["name"] for pl in profile(directory, "Brenner Anlagenbau GmbH")["places"]] == [
        "Göttingen"
    ]


def test_an_inflected_adjective_before_a_trade_and_a_family_stays_in_the_name(directory):
    # "Geschäftsführer der Mechanischen Bearbeitung Ohlendorf GmbH" is the firm
    # "Mechanische Bearbeitung Ohlendorf GmbH", not "Bearbeitung Ohlendorf GmbH"
    names = [r["name"] for r in directory.list()["results"]]
    assert "Mechanische Bearbeitung Ohlendorf GmbH" in names
    assert not any(n.startswith("Bearbeitung Ohlendorf") for n in names)


def test_a_town_adjective_before_a_referring_noun_places_the_firm(directory):
    # "Das Hamelner Unternehmen wickelt Druckfedern": the firm just named is in Hameln;
    # "im alteingesessenen Bernburger Familienbetrieb: … die Mechanische Bearbeitung Ohlendorf
    # GmbH": the one firm named after the colon is in Bernburg
    places = {
        name: [pl["name"] for pl in profile(directory, name)["places"]]
        for name in ("Hauke Federntechnik GmbH", "Mechanische Bearbeitung Ohlendorf GmbH")
    }
    assert places == {
        "Hauke Federntechnik GmbH": ["Hameln"],
        "Mechanische Bearbeitung Ohlendorf GmbH": ["Bernburg"],
    }


def test_a_brand_in_lower_case_after_an_article_keeps_its_first_word(directory):
    # "die weidner Rohrformtechnik GmbH": after "die" an adjective ends in -e or -en, so a
    # lower-case "-er" word there is the brand
    assert [pl["name"] for pl in profile(directory, "weidner Rohrformtechnik GmbH")["places"]] == [
        "Lüdenscheid"
    ]


def test_a_groups_division_is_not_the_group_another_article_names(directory):
    # "Die Trumpf Medical in Saalfeld" and another article's "Trumpf" (placed nowhere): the
    # group's company is not a long form of the group
    placed = {
        name: [pl["name"] for pl in profile(directory, name)["places"]]
        for name in ("Trumpf", "Trumpf Medical")
    }
    assert placed == {"Trumpf": [], "Trumpf Medical": ["Saalfeld"]}


def test_a_headline_about_the_firms_of_a_story_finds_them(directory):
    # "Armaturenunternehmen aus Hagen empfingen die Ministerin", then firms named without their
    # trade: the compound is Armaturen|unternehmen, so the story's firms make Armaturen
    found = [r["name"] for r in directory.search("Armaturen Hagen")["results"]]
    assert {"Kessel Drahtformteile GmbH", "Ohm & Rauch KG"} <= set(found[:2])


def test_a_firm_placed_elsewhere_is_not_moved_by_a_town_its_text_mentions(directory):
    # "Die Quast Werkzeugbau GmbH aus Kassel … Ihr Gründer stammt aus einem Dorf bei Hagen."
    found = [r["name"] for r in directory.search("Stanzwerkzeuge Hagen")["results"]]
    assert "Quast Werkzeugbau GmbH" not in found
    assert "Quast Werkzeugbau GmbH" in [
        r["name"] for r in directory.search("Stanzwerkzeuge Kassel")["results"]
    ]


@pytest.mark.parametrize(
    "word, parts",
    [
        ("Maschinenbauunternehmen", ("unternehm", "maschinenbau")),
        ("Edelstahlrohre", ("rohr", "edelstahl")),
        ("Optikunternehmen", ("unternehm", "optik")),
    ],
)
def test_a_compound_splits_after_its_longest_first_word(word, parts):
    from ingest.german import split_compound

    assert split_compound(word) == parts


def test_a_machine_builder_is_no_construction_firm(directory):
    # "Ein Maschinenbauunternehmen aus der Nachbarschaft": Maschinenbau|unternehmen, not
    # Maschinen|bauunternehmen
    assert directory.search("Bauunternehmen")["total"] == 0


def test_ball_screws_are_linear_motion_not_gearboxes(directory):
    stated = _stated(profile(directory, "Ried Antriebstechnik GmbH"))
    assert "cap.linear_motion" in stated and "cap.gearboxes" not in stated


def test_a_product_after_fuer_is_what_the_output_serves_not_the_firms_own(directory):
    # "Hinweisschilder für Armaturen": the signs are Görlach's, the valves someone else's;
    # "der Maschinenbau-Ingenieur … bei der Görlach": a person's trade, not the firm's industry
    stated = _stated(profile(directory, "Görlach Kennzeichnung GmbH"))
    assert "cap.valves" not in stated
    assert "ind.mechanical_engineering" not in stated


def test_what_a_firm_is_known_for_with_a_possessive_is_its_own(directory):
    # "Bekannt ist die Wendelin Maschinenbau GmbH vor allem für ihre … Sondermaschinen"
    assert "cap.special_machines" in _stated(profile(directory, "Wendelin Maschinenbau GmbH"))
