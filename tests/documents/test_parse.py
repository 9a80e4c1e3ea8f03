"""documents.py: files → Documents, sidecars, the user's people file, unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from docmakers import make_html

from ctsearch.documents.parse import iter_corpus, load_people, parse_file, parse_files
from ctsearch.errors import DocumentError, MetadataError

PRESS = """PRESS RELEASE

Victims' associations meet in Geneva

Geneva, 12 March 2024 – Associations of victims of terrorism met today in Geneva.

Ambassador Jane Doe of Norway said that victims must be heard. “We owe them,” she added.

Mr. Voronkov stressed that the Office supports victims' associations.

Contact: Ms. A. Person, person@un.org
"""

SPEECH_NO_NAME = """Opening remarks at the Regional Conference on Victims of Terrorism

Thank you all for coming to this important meeting today.

We are here to listen to victims and survivors, and to act on what we hear."""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "press.txt").write_text(PRESS, encoding="utf-8")
    (root / "sub" / "speech.md").write_text(SPEECH_NO_NAME, encoding="utf-8")
    return root


def test_parse_file(corpus: Path) -> None:
    doc = parse_file(corpus / "press.txt", corpus_root=corpus)
    assert doc.doc_id == "press" and doc.source == str(corpus / "press.txt")
    assert (doc.title, doc.doc_type, doc.date, doc.year, doc.place) == (
        "Victims' associations meet in Geneva",
        "press_release",
        "2024-03-12",
        2024,
        "Geneva",
    )
    assert doc.speakers == ("Jane Doe", "Vladimir Voronkov")
    assert [p.speakers for p in doc.passages] == [(), ("Jane Doe",), ("Vladimir Voronkov",)]
    assert all(doc.text[p.start : p.end] == p.text for p in doc.passages)
    assert not any("Contact" in p.text for p in doc.passages)
    assert doc.warnings == ()


def test_sidecar_overrides_extraction(corpus: Path) -> None:
    (corpus / "sub" / "speech.meta.toml").write_text(
        'title = "Remarks in Vienna"\ndate = "2022-05-03"\nplace = "Vienna"\n'
        'speakers = ["amina mohammed"]\nconference = "second"\nurl = "https://example.org/x"\n',
        encoding="utf-8",
    )
    doc = parse_file(corpus / "sub" / "speech.md", corpus_root=corpus)
    assert doc.doc_id == "sub/speech"
    assert (doc.title, doc.date, doc.year, doc.place, doc.url) == (
        "Remarks in Vienna",
        "2022-05-03",
        2022,
        "Vienna",
        "https://example.org/x",
    )
    assert (
        doc.conference == "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
    )
    assert doc.doc_type == "speech" and doc.speakers == ("Amina J. Mohammed",)
    # The text names nobody, so the sidecar's speakers speak every passage.
    assert doc.passages and all(p.speakers == ("Amina J. Mohammed",) for p in doc.passages)


def test_sidecar_speakers_do_not_replace_quoted_speakers(corpus: Path) -> None:
    (corpus / "press.meta.toml").write_text('speakers = ["Someone Else"]\n', encoding="utf-8")
    doc = parse_file(corpus / "press.txt", corpus_root=corpus)
    assert doc.speakers == ("Someone Else",)
    assert [p.speakers for p in doc.passages] == [(), ("Jane Doe",), ("Vladimir Voronkov",)]


def test_sidecar_with_a_year_only(corpus: Path) -> None:
    (corpus / "press.meta.toml").write_text('date = "2019"\ndoc_type = "news"\n', encoding="utf-8")
    doc = parse_file(corpus / "press.txt", corpus_root=corpus)
    assert (doc.date, doc.year, doc.doc_type) == (None, 2019, "news")


def test_sidecar_offices_resolve_on_the_sidecars_date(corpus: Path) -> None:
    # The text says 12 March 2024; the sidecar says 2016, and who held the office then speaks.
    side = corpus / "press.meta.toml"
    side.write_text('date = "2016"\nspeakers = ["Secretary-General"]\n', encoding="utf-8")
    doc = parse_file(corpus / "press.txt", corpus_root=corpus)
    assert (doc.date, doc.year, doc.speakers) == (None, 2016, ("Ban Ki-moon",))


def test_broken_sidecar_is_a_warning_and_the_document_is_kept(corpus: Path) -> None:
    side = corpus / "press.meta.toml"
    side.write_text('title = "ok"\ndate = "soon"\n', encoding="utf-8")
    warnings: list[str] = []
    docs = parse_files([corpus / "press.txt"], warn=warnings.append)
    assert len(docs) == 1 and docs[0].title == "Victims' associations meet in Geneva"
    assert warnings == [f"{side}:2: date 'soon' is not a date (use YYYY-MM-DD)"]
    side.write_text('title = "unclosed\n', encoding="utf-8")
    warnings.clear()
    list(iter_corpus(corpus, warn=warnings.append))
    assert len(warnings) == 1 and warnings[0].startswith(f"{side}:1: ")


def test_user_people_file_extends_the_builtin(corpus: Path) -> None:
    (corpus / "people.toml").write_text(
        '[[person]]\nname = "Jane Doe-Smith"\naliases = ["Jane Doe"]\npronoun = "she"\n',
        encoding="utf-8",
    )
    people = load_people(corpus)
    assert people.resolve("jane doe") == "Jane Doe-Smith"
    assert people.resolve("guterres") == "António Guterres"
    docs = {d.doc_id: d for d in iter_corpus(corpus)}
    assert docs["press"].speakers == ("Jane Doe-Smith", "Vladimir Voronkov")


def test_broken_people_file(corpus: Path) -> None:
    (corpus / "people.toml").write_text("[[person]\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"people\.toml:1: "):
        load_people(corpus)
    warnings: list[str] = []
    docs = list(iter_corpus(corpus, warn=warnings.append))
    assert len(docs) == 2
    assert len(warnings) == 1 and "people.toml:1:" in warnings[0] and "built-in" in warnings[0]


def test_unreadable_files_are_skipped_with_a_warning(corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    missing = corpus / "missing.txt"
    warnings: list[str] = []
    paths = [corpus / "binary.txt", corpus / "empty.txt", missing, corpus / "press.txt"]
    docs = parse_files(paths, warn=warnings.append)
    assert [d.doc_id for d in docs] == ["press"]
    assert len(warnings) == 3
    for w, name in zip(warnings, ["binary.txt", "empty.txt", "missing.txt"], strict=True):
        assert name in w and "\n" not in w
    with pytest.raises(DocumentError):
        parse_file(missing)


def test_parse_files_expands_folders_and_ignores_sidecars(corpus: Path) -> None:
    (corpus / "press.meta.toml").write_text('title = "T"\n', encoding="utf-8")
    docs = parse_files([corpus, corpus / "press.meta.toml"])
    assert sorted(d.doc_id for d in docs) == ["press", "sub/speech"]
    assert {d.doc_id: d.title for d in docs}["press"] == "T"


def test_iter_corpus_is_every_document_in_path_order(corpus: Path) -> None:
    docs = list(iter_corpus(corpus))
    assert [d.doc_id for d in docs] == ["press", "sub/speech"]
    speech = docs[1]
    assert speech.doc_type == "speech" and speech.speakers == ()
    ids = [p.passage_id for d in docs for p in d.passages]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "text",
    [
        "Drones and ansi matters",
        "Geneva, 3 March 2020",
        "Statement on drones\n\nGeneva, 3 March 2020\n",
    ],
)
def test_a_document_that_is_all_heading_is_still_searchable_text(tmp_path, text):
    path = tmp_path / "note.txt"
    path.write_text(text + "\n")
    doc = parse_file(path)
    assert doc.passages, "its words must reach the index"
    joined = " ".join(p.text for p in doc.passages)
    assert all(word in joined for word in text.split()[:2])
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text


def test_an_office_as_the_author_of_an_undated_page_names_no_speaker(tmp_path: Path) -> None:
    # Who held an office is only known on a date: an undated page whose author is "UN
    # Secretary-General" is nobody's speech, whoever holds the office today.
    paras = [
        "Remarks at the opening of the Counter-Terrorism Week",
        "Excellencies, it is a pleasure to open this week of work on prevention and cooperation.",
        "I thank Member States for their support to the Office.",
    ]
    html = make_html(paras, title=paras[0], author="UN Secretary-General")
    path = tmp_path / "remarks.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    assert (doc.doc_type, doc.date, doc.year) == ("speech", None, None)
    assert doc.speakers == ()
    dated = make_html(paras, title=paras[0], published="2023-06-19", author="UN Secretary-General")
    path.write_text(dated, encoding="utf-8")
    assert parse_file(path).speakers == ("António Guterres",)


def test_a_scraped_pages_date_marker_is_not_a_passage(tmp_path: Path) -> None:
    path = tmp_path / "message.txt"
    path.write_text(
        " date 2025-08-11 Following is UN Secretary-General António Guterres’ message for the "
        "International Day, observed on 21 August:\n\nOn this solemn day, we honour the victims "
        "and survivors of terrorism everywhere.\n",
        encoding="utf-8",
    )
    doc = parse_file(path)
    assert (doc.doc_type, doc.date, doc.speakers) == (
        "press_release",
        "2025-08-11",
        ("António Guterres",),
    )
    assert doc.title.startswith("Following is") and doc.passages
    assert doc.passages[0].text.startswith("Following is")
    assert all(doc.text[p.start : p.end] == p.text for p in doc.passages)
