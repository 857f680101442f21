"""The two markups and two wordings: same screens and labels, different structure."""

from __future__ import annotations

from tests.portal.conftest import GUIDE, OFFICIAL, open_registration


def test_modern_markup_has_its_own_paths_field_names_and_label_links(open_portal, api) -> None:
    api.post("/__test__/markup", json={"style": "modern"})
    form = open_registration(open_portal())
    assert "/app/registo/dados" in form.url
    niss = form.soup.find("label", string="NISS")
    assert niss["for"]
    control = form.soup.find(id=niss["for"])
    assert control["name"] not in ("niss",)
    assert form.soup.find("input", attrs={"type": "date"}) is not None


def test_classic_markup_wraps_inputs_in_labels_and_uses_buttons(open_portal) -> None:
    form = open_registration(open_portal())
    label = next(
        lab for lab in form.soup.find_all("label") if lab.get_text(strip=True).startswith("NISS")
    )
    assert label.find("input") is not None
    home = open_portal()
    assert [b.get_text(strip=True) for b in home.soup.find_all("button")] == ["Iniciar sessão"]


def test_modern_login_form_is_revealed_in_place(open_portal, api) -> None:
    api.post("/__test__/markup", json={"style": "modern"})
    choice = open_portal().click("Iniciar sessão")
    toggle = choice.soup.find("button", string=OFFICIAL["ss_user"])
    assert toggle["aria-expanded"] == "false"
    panel = choice.soup.find(id=toggle["aria-controls"])
    assert panel.has_attr("hidden")
    assert panel.find("input", attrs={"type": "password"}) is not None
    assert choice.soup.find("a", string=OFFICIAL["register"]) is not None  # a link, not a button
    opened = choice.click(OFFICIAL["ss_user"])  # without script: the same page, opened
    assert opened.url.endswith("metodo=utilizador")
    assert not opened.soup.find(id=toggle["aria-controls"]).has_attr("hidden")


def test_each_wording_profile_shows_its_documented_labels(open_portal, api) -> None:
    for profile, labels in (("official", OFFICIAL), ("guide", GUIDE)):
        api.post("/__test__/wording", json={"profile": profile})
        login = open_portal().click("Iniciar sessão").click(labels["ss_user"])
        assert labels["register"] in login.text
        assert labels["activate"] in login.text
        terms = login.click(labels["register"])
        assert labels["accept_terms"] in terms.text


def test_every_screen_has_one_heading_and_a_language(open_portal) -> None:
    home = open_portal()
    for screen in (home, home.click("Iniciar sessão"), open_registration(open_portal())):
        assert len(screen.soup.find_all("h1")) == 1
        assert screen.soup.find("html")["lang"] == "pt-PT"
