"""Web pages: the seed texts as real-shaped pages (navigation, menu, cookie banner, footer)
read back to the same documents; page metadata as evidence; lying charsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from docmakers import SEEDS, make_html, meta_of, paragraphs_of, parsed_seed, passages_of

from ctsearch.corpus.formats import html as webpage
from ctsearch.documents.parse import parse_file
from ctsearch.errors import DocumentError

BOILERPLATE = ("cookies", "Accept all", "Privacy notice", "Fraud alert", "Share on", "Home")


def _page(tmp_path: Path, name: str, html: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_a_web_page_of_a_seed_text_gives_the_same_document(tmp_path: Path, seed: Path):
    txt = parsed_seed(seed)
    paras = paragraphs_of(txt.text)
    path = _page(tmp_path, f"{seed.stem}.html", make_html(paras, title=paras[0]))
    page = parse_file(path, corpus_root=tmp_path)
    assert page.doc_id == seed.stem and page.source == str(path)
    assert meta_of(page) == meta_of(txt)
    assert passages_of(page) == passages_of(txt)
    for p in page.passages:
        assert page.text[p.start : p.end] == p.text
    for junk in BOILERPLATE:
        assert junk not in page.text


def test_htm_and_upper_case_suffixes_are_web_pages(tmp_path: Path) -> None:
    txt = parsed_seed(SEEDS[4])
    paras = paragraphs_of(txt.text)
    path = _page(tmp_path, "PAGE.HTM", make_html(paras, title=paras[0]))
    assert passages_of(parse_file(path)) == passages_of(txt)


def test_published_time_dates_a_page_whose_text_does_not(tmp_path: Path) -> None:
    paras = [
        "Counter-terrorism partners meet on victims' rights",
        "Delegations met this week to discuss support to victims of terrorism. They agreed to "
        "strengthen cooperation on assistance, remembrance and access to justice for victims.",
        "The meeting closed with a call to keep victims at the centre of every strategy.",
    ]
    html = make_html(
        paras,
        title=paras[0],
        published="2022-09-08T14:30:00+00:00",
        url="https://www.un.org/counterterrorism/events/victims-meeting",
    )
    doc = parse_file(_page(tmp_path, "victims.html", html))
    assert (doc.date, doc.year) == ("2022-09-08", 2022)
    assert doc.title == paras[0]
    assert doc.url == "https://www.un.org/counterterrorism/events/victims-meeting"
    assert doc.to_dict()["url"] == doc.url


def test_the_text_dateline_wins_over_published_time(tmp_path: Path) -> None:
    txt = parsed_seed(SEEDS[0])  # a press release dated 29 June 2018 in its own text
    paras = paragraphs_of(txt.text)
    html = make_html(paras, title=paras[0], published="2018-07-02")
    assert parse_file(_page(tmp_path, "late.html", html)).date == txt.date


def test_a_sidecar_wins_over_the_page_metadata(tmp_path: Path) -> None:
    paras = ["A meeting of partners", "Delegations met to discuss the strategy and its review."]
    html = make_html(paras, title=paras[0], published="2022-09-08", url="https://a.example/x")
    path = _page(tmp_path, "side.html", html)
    (tmp_path / "side.meta.toml").write_text(
        'date = "2021-01-05"\nurl = "https://b.example/y"\ntitle = "Given title"\n'
    )
    doc = parse_file(path)
    assert (doc.date, doc.url, doc.title) == ("2021-01-05", "https://b.example/y", "Given title")


def test_an_author_who_is_a_known_person_speaks_a_speech(tmp_path: Path) -> None:
    paras = [
        "Remarks at the opening of the Counter-Terrorism Week",
        "Excellencies, it is a pleasure to open this week of work on prevention and cooperation.",
        "I thank Member States for their support to the Office.",
    ]
    html = make_html(paras, title=paras[0], published="2023-06-19", author="Vladimir Voronkov")
    doc = parse_file(_page(tmp_path, "remarks.html", html))
    assert doc.doc_type == "speech"
    assert doc.speakers == ("Vladimir Voronkov",)
    editor = make_html(paras, title=paras[0], published="2023-06-19", author="Web Editor")
    assert parse_file(_page(tmp_path, "editor.html", editor)).speakers == ()


def test_a_title_missing_from_the_article_heads_the_text(tmp_path: Path) -> None:
    html = make_html(
        ["Heading", "First paragraph of the statement, long enough to be prose here."],
        title="Statement on the attack in the capital",
    ).replace("<h1>Heading</h1>", "")
    doc = parse_file(_page(tmp_path, "notitle.html", html))
    assert doc.title == "Statement on the attack in the capital"
    assert doc.text.startswith("Statement on the attack in the capital\n\n")


def test_cp1252_bytes_declared_utf8_read_right(tmp_path: Path) -> None:
    txt = parsed_seed(SEEDS[1])
    paras = paragraphs_of(txt.text)
    html = make_html(paras, title=paras[0], charset="utf-8")
    raw = html.encode("cp1252")
    assert b"\x93" in raw or b"\x92" in raw or b"\x96" in raw  # curly quotes or dashes, cp1252
    path = tmp_path / "liar.html"
    path.write_bytes(raw)
    doc = parse_file(path)
    assert passages_of(doc) == passages_of(txt)
    assert "\ufffd" not in doc.text and "Ã" not in doc.text


def test_utf8_bytes_declared_cp1252_read_right(tmp_path: Path) -> None:
    paras = ["Café “quoted” – title", "Ms. Núñez spoke about the “all-of-society” approach."]
    html = make_html(paras, title=paras[0], charset="windows-1252")
    doc = parse_file(_page(tmp_path, "liar2.html", html, "utf-8"))
    assert "Núñez" in doc.text and "“all-of-society”" in doc.text


def test_a_declared_legacy_charset_is_used(tmp_path: Path) -> None:
    paras = ["Заявление", "Совет Безопасности осудил террористическое нападение в столице."]
    html = make_html(paras, title=paras[0], charset="koi8-r")
    doc = parse_file(_page(tmp_path, "ru.html", html, "koi8-r"))
    assert "Совет Безопасности" in doc.text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"<html><head><title>x</title></head><body><div></div></body></html>", "no article"),
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a web page"),
    ],
    ids=["no-article", "empty", "binary"],
)
def test_a_page_without_an_article_is_skipped_with_a_reason(tmp_path, raw, reason) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(raw)
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ") and reason in str(err.value)


def test_a_page_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(webpage, "MAX_PAGE_BYTES", 1000)
    path = _page(tmp_path, "big.html", make_html(["T", "word " * 400], title="T"))
    with pytest.raises(DocumentError, match="too large"):
        parse_file(path)
