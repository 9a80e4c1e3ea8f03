"""markdown: Markdown detected, split into its blocks and stripped of its marks."""

from __future__ import annotations

import re

from conftest import paragraphs, seed_text

from ctsearch.corpus.clean.pipeline import clean_text
from ctsearch.corpus.read import decode_bytes

# --- the real corpus: Markdown (seed 003) ------------------------------------------------------

RAW_003_TOP = b"\n\n\n\nThird United Nations  \n**HIGH-LEVEL CONFERENCE  \nON COUNTER-TERRORISM**\n"
RAW_003_QUOTE = (
    b"First, he highlighted the importance of effective law enforcement mechanisms. "
    b"\xe2\x80\x9c*All Member States need to join hands*\xe2\x80\x9d.\n\nLastly, Voronkov said. "
    b"*\xe2\x80\x9cMore needs to be done,\xe2\x80\x9d* he said.\n\n---\n\n**PRESS RELEASE**\n"
)
RAW_003_END = (
    b"\\*\\*\\*\n\n#### **FOR MORE INFORMATION**\n\n- Visit: "
    b"<https://www.un.org/counterterrorism/2023-counter-terrorism-week>\n  - Follow #CTWeek on "
    b"[UN WEBTV](#) and on Twitter [@UN\\\\_OCT](#)\n  - Contact the UNOCT Communications team "
    b"at [OCT-info@un.org](mailto:OCT-info@un.org)"
)


def test_markdown_snippets() -> None:
    assert clean_text(decode_bytes(RAW_003_TOP), markdown=True) == (
        "Third United Nations HIGH-LEVEL CONFERENCE ON COUNTER-TERRORISM"
    )
    assert paragraphs(clean_text(decode_bytes(RAW_003_QUOTE))) == [
        "First, he highlighted the importance of effective law enforcement mechanisms. “All "
        "Member States need to join hands”.",
        "Lastly, Voronkov said. “More needs to be done,” he said.",
        "PRESS RELEASE",
    ]
    assert paragraphs(clean_text(decode_bytes(RAW_003_END))) == [
        "FOR MORE INFORMATION",
        "Visit: https://www.un.org/counterterrorism/2023-counter-terrorism-week",
        "Follow #CTWeek on UN WEBTV and on Twitter @UN_OCT",
        "Contact the UNOCT Communications team at OCT-info@un.org",
    ]


def test_seed_003_whole_file_has_no_markdown_left() -> None:
    text = seed_text("003")
    paras = paragraphs(text)
    assert paras[:3] == [
        "Third United Nations HIGH-LEVEL CONFERENCE ON COUNTER-TERRORISM",
        "19–20 JUNE 2023",
        "UNITED NATIONS HEADQUARTERS • NEW YORK",
    ]
    assert paras[4] == (
        "Third High-Level Conference of Heads of Counter-Terrorism Agencies concludes with calls "
        "for reinvigorating multilateralism"
    )
    assert paras[5].startswith("New York, 20 June 2023 – The Third High-Level Conference")
    for mark in ("*", "](", "\\", "__", "<http", "---"):
        assert mark not in text, mark
    assert not re.search(r"(?m)(^|\n)#", text)  # headings gone; hashtags (#CTWeek) are words


# --- made-up text: Markdown --------------------------------------------------------------------

MARKDOWN = r"""# Title with **bold**

Some **bold that
spans lines** and *italic* and __strong__ and _emphasis_, but snake_case_name,
file_name.txt, e-mail and 2*3*4 = 24 stay. A [link](https://un.org "t"), an ![image](a.png),
a [reference][ref], <https://un.org/a_b>, [mail us](mailto:a@un.org), `code_x` and \*stars\*.

[ref]: https://example.org

---

> A quoted line
> that continues.

* first item
* second item
1. numbered item
- [x] done item

\*\*\*

Hard break{TWO_SPACES}
here and\
there. ~~Struck~~ <b>tag</b> text.
""".replace("{TWO_SPACES}", "  ")  # a hard line break


def test_markdown_marks_are_removed() -> None:
    assert paragraphs(clean_text(MARKDOWN)) == [
        "Title with bold",
        "Some bold that spans lines and italic and strong and emphasis, but snake_case_name, "
        "file_name.txt, e-mail and 2*3*4 = 24 stay. A link, an image, a reference, "
        "https://un.org/a_b, mail us, code_x and *stars*.",
        "A quoted line that continues.",
        "first item",
        "second item",
        "numbered item",
        "done item",
        "Hard break here and there. Struck tag text.",
    ]


def test_markdown_detection() -> None:
    assert clean_text("Price: 5 * 3 = 15, or 2 * 2.\n- a list item") == (
        "Price: 5 * 3 = 15, or 2 * 2.\n\n- a list item"
    )
    assert clean_text("## Heading\n\n**Bold** start") == "Heading\n\nBold start"
    assert clean_text("**Bold** only once", markdown=False) == "**Bold** only once"
    assert clean_text("**Bold** only once", markdown=True) == "Bold only once"
