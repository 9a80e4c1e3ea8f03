"""A paged document's pages → text: running headers, footers and page numbers found by their
place on the page; paragraphs across page and column breaks."""

from __future__ import annotations

import pytest

from ctsearch.corpus.clean.pages import COLUMN_BREAK, join_pages


def _page(
    n: int, *body: str, header: str = "Statement by the Under-Secretary-General"
) -> list[str]:
    return [header, "", *body, "", f"Page {n} of 3"]


def test_join_pages_drops_running_headers_and_page_numbers():
    pages = [
        _page(1, "The first paragraph starts here and", "ends on its own page.", "",
              "The second paragraph runs on to the"),
        _page(2, "next page, where it ends.", "", "A third paragraph ends the commu-"),
        _page(3, "nity of pages."),
    ]  # fmt: skip
    assert join_pages(pages) == (
        "The first paragraph starts here and ends on its own page.\n\n"
        "The second paragraph runs on to the next page, where it ends.\n\n"
        "A third paragraph ends the community of pages."
    )


def test_join_pages_header_with_a_page_number_inside_is_one_header():
    pages = [[f"A/78/PV.{n} page {n}", "", f"Paragraph {n} of the record ends here."]
             for n in range(1, 4)]  # fmt: skip
    assert "A/78/PV" not in join_pages(pages)


def test_join_pages_a_sentence_end_at_a_page_break_ends_the_paragraph():
    pages = [
        ["Header", "", "Intro.", "", "Words of a paragraph that fill the line.", "It ends here."],
        ["Header", "", "A new paragraph on the next page.", COLUMN_BREAK, "Then a column",
         COLUMN_BREAK, "of text."],
    ]  # fmt: skip
    assert join_pages(pages) == (
        "Intro.\n\nWords of a paragraph that fill the line. It ends here.\n\n"
        "A new paragraph on the next page.\n\nThen a column of text."
    )


def test_join_pages_without_gaps_leaves_the_lines_to_plain_paragraphs():
    pages = [["Header", "one line", "two lines"], ["Header", "three lines"]]
    assert join_pages(pages) == "one line\ntwo lines\nthree lines"


def test_a_header_on_a_single_page_is_text():
    pages = [["Only once", "", "Body text of the page."]]
    assert join_pages(pages) == "Only once\n\nBody text of the page."


@pytest.mark.parametrize(
    ("line", "is_open"),
    [
        ("the Council,", True),
        ("peace and security -", True),
        ("the Office of", True),
        ("in cooperation with the", True),
        ("member States (", True),
        ("Counter-Terrorism Week", False),
        ("the strategy was adopted.", False),
    ],
)
def test_a_line_ending_open_cannot_end_a_paragraph(line, is_open):
    from ctsearch.corpus.clean.lines import ends_open

    assert ends_open(line) is is_open
