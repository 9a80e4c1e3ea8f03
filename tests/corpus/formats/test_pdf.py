"""PDFs: the seed texts laid out as real PDFs read back to the same documents, and the PDFs that
must be skipped (encrypted, scanned, broken, bombs) each with one clear reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from docmakers import (
    HEADER,
    SEEDS,
    make_image_pdf,
    make_pdf,
    meta_of,
    paragraphs_of,
    parsed_seed,
    passages_of,
)
from pdfbombs import huge_stream_bomb, nested_bomb, page_tree_bomb

from ctsearch.corpus.formats import pdf as pdftext
from ctsearch.documents.parse import parse_file, parse_files
from ctsearch.errors import DocumentError


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("columns", [2, None], ids=["two-columns-p2", "one-column"])
def test_a_pdf_of_a_seed_text_gives_the_same_document(tmp_path: Path, seed: Path, columns):
    txt = parsed_seed(seed)
    pdf_path = make_pdf(
        tmp_path / f"{seed.stem}.pdf", paragraphs_of(txt.text), two_column_page=columns
    )
    pdf = parse_file(pdf_path, corpus_root=tmp_path)
    assert pdf.doc_id == seed.stem and pdf.source == str(pdf_path)
    assert meta_of(pdf) == meta_of(txt)
    assert passages_of(pdf) == passages_of(txt)
    for p in pdf.passages:  # offsets point into the extracted, cleaned text
        assert pdf.text[p.start : p.end] == p.text


def test_the_fixture_has_what_a_real_pdf_has(tmp_path: Path) -> None:
    """Several pages, a running header and page numbers, a hyphenated line end, two columns:
    what the equality above holds across."""
    txt = parsed_seed(SEEDS[1])
    read = pdftext.read_pdf(make_pdf(tmp_path / "x.pdf", paragraphs_of(txt.text)))
    assert len(read.pages) >= 3
    assert all(page[0] == HEADER for page in read.pages)
    assert all(str(n) in page[:3] for n, page in enumerate(read.pages, start=1))
    lines = [line for page in read.pages for line in page]
    assert any(line.endswith("-") and line[-2].islower() for line in lines)
    assert any(pdftext.COLUMN_BREAK in page for page in read.pages)
    clean = parse_file(tmp_path / "x.pdf").text
    assert HEADER not in clean
    assert "\n\n2\n\n" not in clean


def test_paragraph_gaps_become_blank_lines(tmp_path: Path) -> None:
    long = "A paragraph long enough to wrap over several lines of the page. " * 4
    paras = ["Opening words of the first paragraph.", long.strip(), "A third, after a gap."]
    path = make_pdf(tmp_path / "g.pdf", paras, header=None, page_numbers=False)
    page = pdftext.read_pdf(path).pages[0]
    assert page[:2] == [paras[0], ""] and page[-2:] == ["", paras[2]]
    assert "" not in page[2:-2] and len(page) >= 6


def test_evenly_spaced_lines_give_no_gaps(tmp_path: Path) -> None:
    """One-line paragraphs only: every step is the same, so none can be told a gap."""
    paras = ["Opening words of the first paragraph.", "A second paragraph, after a gap."]
    path = make_pdf(tmp_path / "e.pdf", paras * 3, header=None, page_numbers=False)
    assert pdftext.read_pdf(path).pages[0] == paras * 3


def test_pdf_title_and_author_are_read(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "t.pdf", ["Some words here."] * 3, title="A Statement")
    assert pdftext.read_pdf(path).title == "A Statement"


def test_a_pdf_with_an_owner_password_only_is_read(tmp_path: Path) -> None:
    """Permission-only encryption (opens without a password) is common on official sites."""
    txt = parsed_seed(SEEDS[4])
    path = make_pdf(tmp_path / "locked.pdf", paragraphs_of(txt.text), owner_password="owner")
    assert passages_of(parse_file(path, corpus_root=tmp_path)) == passages_of(txt)


SKIPPED = [
    ("encrypted.pdf", lambda p: make_pdf(p, ["Secret words."] * 4, user_password="s3cret"),
     "encrypted (a password is needed to open it)"),
    ("scanned.pdf", lambda p: make_image_pdf(p), "no text layer: scanned image"),
    ("page-bomb.pdf", lambda p: p.write_bytes(page_tree_bomb()), "page tree"),
    ("nested-bomb.pdf", lambda p: p.write_bytes(nested_bomb()), "broken PDF"),
    ("inflate-bomb.pdf", lambda p: p.write_bytes(huge_stream_bomb(100)), "broken PDF"),
    ("truncated.pdf", lambda p: p.write_bytes(_good_pdf(p)[:-300]), "broken PDF"),
    ("half.pdf", lambda p: p.write_bytes(_good_pdf(p)[: len(_good_pdf(p)) // 2]), "broken PDF"),
    ("html-named.pdf", lambda p: p.write_bytes(b"<html><body>Not found</body></html>"),
     "not a PDF"),
    ("empty.pdf", lambda p: p.write_bytes(b""), "empty file"),
]  # fmt: skip


def _good_pdf(path: Path) -> bytes:
    good = path.with_name("good-source.pdf")
    if not good.exists():
        make_pdf(good, paragraphs_of(parsed_seed(SEEDS[4]).text))
    return good.read_bytes()


@pytest.mark.parametrize(("name", "make", "reason"), SKIPPED, ids=[c[0] for c in SKIPPED])
def test_a_pdf_that_cannot_be_read_is_skipped_with_one_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    started = time.monotonic()
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert time.monotonic() - started < 30
    message = str(err.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message and len(message) < 300


def test_a_skipped_pdf_is_one_warning_beside_good_documents(tmp_path: Path) -> None:
    make_pdf(tmp_path / "locked.pdf", ["Secret words."] * 4, user_password="pw")
    make_image_pdf(tmp_path / "scan.pdf")
    make_pdf(tmp_path / "good.pdf", paragraphs_of(parsed_seed(SEEDS[4]).text))
    warnings: list[str] = []
    docs = parse_files([tmp_path], warn=warnings.append)
    assert [d.doc_id for d in docs] == ["good"]
    assert len(warnings) == 2, warnings
    assert any("locked.pdf: encrypted" in w for w in warnings)
    assert any("scan.pdf: no text layer: scanned image" in w for w in warnings)


def test_the_page_limit_refuses_long_trees(tmp_path: Path, monkeypatch) -> None:
    path = make_pdf(tmp_path / "long.pdf", ["A line of text that fills a page."] * 120)
    monkeypatch.setattr(pdftext, "MAX_PAGES", 2)
    with pytest.raises(DocumentError, match="too many pages"):
        pdftext.read_pdf(path)


def test_pypdf_is_imported_only_to_read_a_pdf() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ctsearch.corpus.formats import source\n"
        "from ctsearch.documents import parse\n"
        "from ctsearch.searching import search\n"
        "eager = {'pypdf', 'trafilatura', 'lxml'} & set(sys.modules)\n"
        "assert not eager, eager\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
