"""The purchaser-facing acceptance of the foundation issue, on the seeds and on corpus/."""

from __future__ import annotations

import pytest
from conftest import names


@pytest.fixture(params=["seeds", "corpus"])
def directory(request):
    return request.getfixturevalue(f"{request.param}_index")


def test_getriebe_finds_feinwerktechnik_geising_with_snippet(directory):
    res = directory.search("Getriebe")
    top = res["results"][0]
    assert top["name"].startswith("Feinwerktechnik Geising")
    assert any("<mark>Getriebe" in ev["snippet"] for ev in top["evidence"])


def test_kabelkonfektion_finds_telegaertner_first(directory):
    assert names(directory.search("Kabelkonfektion"))[0].startswith("Telegärtner Gerätebau")


def test_english_cable_assembly_finds_telegaertner(directory):
    assert any(
        n.startswith("Telegärtner Gerätebau") for n in names(directory.search("cable assembly"))[:3]
    )


def test_optik_rathenow_has_contact_poschmann_with_phone(directory):
    top = directory.search("Optik Rathenow")["results"][0]
    assert "Optik Rathenow" in top["name"]
    poschmann = [c for c in top["contacts"] if "Poschmann" in c["person"]]
    assert poschmann and poschmann[0]["phone"].replace(" ", "").startswith("+493385")


def test_praezisionsmechanik_glashuette_spelled_without_umlauts_finds_impro(directory):
    assert "IMPRO" in names(directory.search("Praezisionsmechanik Glashuette"))[0].upper()


def test_medizintechnik_in_osterzgebirge_finds_impro(directory):
    top3 = names(directory.search("Medizintechnik", region="Osterzgebirge"))[:3]
    assert any("IMPRO" in n.upper() for n in top3)


def test_mikroelektronik_finds_frankfurt_oder_network(directory):
    top = directory.search("Mikroelektronik")["results"][0]
    assert "Mikroelektronik" in top["name"]
    assert "Frankfurt" in top["name"] or any(
        p["name"].startswith("Frankfurt (Oder)") for p in top["places"]
    )


def test_armaturen_finds_prenzlau_network(directory):
    top = directory.search("Armaturen")["results"][0]
    assert "Prenzlau" in top["name"] or any(p["name"] == "Prenzlau" for p in top["places"])


def test_metallindustrie_in_brandenburg_shows_both_networks_and_no_saxon_firm(directory):
    res = directory.search("Metallindustrie", region="Brandenburg")
    top3 = names(res)[:3]
    assert any("Finsterwalde" in n for n in top3)
    assert any("Wildau" in n for n in top3)
    for r in res["results"]:
        assert all(p["state"] != "Sachsen" for p in r["places"]), r["name"]


def test_telegaertner_is_placed_in_hoeckendorf_osterzgebirge(directory):
    r = directory.search("Telegärtner")["results"][0]
    place = r["places"][0]
    assert place["name"].startswith("Höckendorf")
    assert place["district"] == "Sächsische Schweiz-Osterzgebirge"
    assert place["state"] == "Sachsen"
