"""people.py: canonical names, aliases, offices with dates, and finding people in text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctsearch.analysis import fold_aligned as fold
from ctsearch.documents.names import name_key
from ctsearch.documents.people import People
from ctsearch.errors import MetadataError


@pytest.fixture(scope="module")
def people() -> People:
    return People.load()


@pytest.mark.parametrize(
    ("query", "on_date", "expected"),
    [
        ("guterres", None, "António Guterres"),
        ("Antonio Guterres", None, "António Guterres"),
        ("António Guterres", None, "António Guterres"),
        ("ANTONIO GUTERRES", None, "António Guterres"),
        ("the Secretary-General", "2018-06-29", "António Guterres"),
        ("the Secretary-General", "2010-05-01", "Ban Ki-moon"),
        ("UN Secretary-General", "2003", "Kofi Annan"),
        ("SG", "2021-06-30", "António Guterres"),
        ("UNSG", "2021-06-30", "António Guterres"),
        ("USG", "2020-01-01", "Vladimir Voronkov"),
        ("the Under-Secretary-General for Counter-Terrorism", "2018-06-29", "Vladimir Voronkov"),
        ("Head of the UN Office of Counter-Terrorism", "2023", "Vladimir Voronkov"),
        ("Mr. Voronkov", None, "Vladimir Voronkov"),
        ("Mr. Voronkov USG", "2023-06-20", "Vladimir Voronkov"),
        ("Under-Secretary-General Voronkov", None, "Vladimir Voronkov"),
        ("Secretary-General António Guterres", None, "António Guterres"),
        ("the Deputy Secretary-General", "2019-03-01", "Amina J. Mohammed"),
        ("the Deputy Secretary-General", "2014-03-01", "Jan Eliasson"),
        ("Amina Mohammed", None, "Amina J. Mohammed"),
        ("Michele Coninsx", None, "Michèle Coninsx"),
        ("CTED Executive Director", "2023-05-01", "Natalia Gherman"),
        ("the President of the General Assembly", "2018-06-28", "Miroslav Lajčák"),
        ("Volkan Bozkir", None, "Volkan Bozkır"),
        ("Ban", None, "Ban Ki-moon"),  # query alias: fine in --speaker
        ("Jane Doe", None, None),
        ("", None, None),
    ],
)
def test_resolve(people: People, query: str, on_date: str | None, expected: str | None) -> None:
    assert people.resolve(query, on_date) == expected


def test_office_without_date_is_the_current_holder(people: People) -> None:
    assert people.resolve("the Secretary-General") == "António Guterres"
    assert people.resolve("the Under-Secretary-General for Counter-Terrorism", "2025-06-01") == (
        "Alexandre Zouev"
    )
    assert people.resolve("the Secretary-General", "1990-01-01") is None  # nobody we know


def test_names_and_closest(people: People) -> None:
    names = people.names()
    assert "António Guterres" in names and "Vladimir Voronkov" in names
    assert names == sorted(names, key=name_key)
    assert people.closest("gutteres")[0] == "António Guterres"
    assert people.closest("Voronkof")[0] == "Vladimir Voronkov"
    assert "Natalia Gherman" in people.closest("Natalia Germann")
    assert len(people.closest("x", n=2)) <= 2


def test_fold_keeps_length() -> None:
    for s in ["António Guterres", "Michèle Coninsx", "Volkan Bozkır", "Csaba Kőrösi", "ﬁ"]:
        assert len(fold(s)) == len(s)
    assert fold("Lajčák") == "Lajcak"


def test_find_in_text(people: People) -> None:
    text = (
        "Secretary-General António Guterres said it. Mr. Vladimir Voronkov, the Head of the UN "
        "Office on Counter-Terrorism said so. Ambassador Jane Doe of Norway agreed. The "
        "Assistant Secretary-General spoke; see SG/SM/19119. The Secretary-General of the League "
        "of Arab States and Under-Secretary-General for Political Affairs Rosemary DiCarlo came. "
        "Ms. Natalia Gherman left; the secretary-general of a club did not."
    )
    refs = people.find(text, "2018-06-29")
    found = [(text[r.start : r.end], r.name, r.kind) for r in refs]
    assert ("Secretary-General", "António Guterres", "office") in found
    assert ("António Guterres", "António Guterres", "name") in found
    assert ("Vladimir Voronkov", "Vladimir Voronkov", "name") in found
    assert (
        "Head of the UN Office on Counter-Terrorism",
        "Vladimir Voronkov",
        "office",
    ) in found
    assert ("Ambassador Jane Doe", "Jane Doe", "unknown") in found
    assert ("Natalia Gherman", "Natalia Gherman", "name") in found
    # Other people's offices, document symbols and lowercase prose are not the SG.
    assert [f for f in found if f[1] == "António Guterres"] == found[:2]
    gherman = next(r for r in refs if r.name == "Natalia Gherman")
    assert gherman.pronoun == "she"


def test_user_file_extends_the_builtin(tmp_path: Path) -> None:
    extra = tmp_path / "people.toml"
    extra.write_text(
        '[[person]]\nname = "Jane Doe"\naliases = ["Doe"]\npronoun = "she"\n'
        'offices = [{ title = "Chair of the Working Group", start = "2022-01-01" }]\n'
        '[[office]]\ntitle = "Chair of the Working Group"\naliases = ["WG Chair"]\n'
        '[[person]]\nname = "António Guterres"\naliases = ["Tony"]\n',
        encoding="utf-8",
    )
    people = People.load(extra)
    assert people.resolve("doe") == "Jane Doe"
    assert people.resolve("the WG Chair", "2023-01-01") == "Jane Doe"
    assert people.resolve("Tony") == "António Guterres"
    assert people.resolve("the Secretary-General", "2018") == "António Guterres"  # kept
    refs = people.find("The WG Chair said so.", "2023-01-01")
    assert [r.name for r in refs] == ["Jane Doe"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[person]]\nname = "X"\naliases = [1, 2\n', "people.toml:3:"),
        ("[[person]]\naliases = []\n", "needs a non-empty string `name`"),
        ('[[person]]\nname = "X"\npronoun = "it"\n', "pronoun of X"),
        ('[[person]]\nname = "X"\noffices = [{ title = "T", start = "June" }]\n', "bad date"),
    ],
)
def test_broken_user_file(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "people.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(MetadataError, match=message.replace("`", ".")):
        People.load(extra)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Luis de Almagro said", "Luis de Almagro"),
        ("Ursula von der Leyen said", "Ursula von der Leyen"),
        ("Abdullah bin Zayed said", "Abdullah bin Zayed"),
        ("Abdullah bin-Zayed said", "Abdullah bin-Zayed"),
        ("Ban Ki-moon said", "Ban Ki-moon"),
    ],
)
def test_a_name_runs_on_past_its_particles(text, name):
    import re

    from ctsearch.documents.names import NAME_RE

    assert re.match(NAME_RE, text).group(0).strip() == name
