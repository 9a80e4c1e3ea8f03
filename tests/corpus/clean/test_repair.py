"""repair: characters — GBK and cp1252 mojibake, entities, odd spaces, controls, NFC."""

from __future__ import annotations

import time
import unicodedata

import pytest
from conftest import paragraphs, seed_text
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.corpus.clean import repair
from ctsearch.corpus.clean.pipeline import clean_text
from ctsearch.corpus.read import decode_bytes

# --- the real corpus: mojibake (seed 004) ------------------------------------------------------

RAW_004_THEME = (
    b"under the overarching theme \xc2\xa1\xc2\xb0Countering and Preventing Terrorism in the Age "
    b"of Transformative Technologies: Addressing the Challenges of the New Decade.\xc2\xa1\xc2\xb1"
    b"&\xc2\xb2\xc3\x94\xc2\xb2\xc3\xba\xc2\xb2\xc3\xb5\xc2\xb1\xc3\xa8;\n\nUNOCT\xc2\xa1\xc2\xaf"
    b"s commitment to promote full respect for human rights.\xc2\xa0\n"
)


def test_gbk_mojibake_snippet() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_004_THEME))) == [
        "under the overarching theme “Countering and Preventing Terrorism in the Age of "
        "Transformative Technologies: Addressing the Challenges of the New Decade.”",
        "UNOCT’s commitment to promote full respect for human rights.",
    ]


def test_seed_004_whole_file_has_no_mojibake() -> None:
    text = seed_text("004")
    assert not set("¡¨²Ô±è") & set(text)
    assert "Member States’ counter-terrorism priorities." in text
    assert "“Strategic and Practical Challenges of Countering Terrorism" in text
    assert paragraphs(text)[:2] == ["Second High-Level Conference", "7th Review of the GCTS"]


def test_gbk_mojibake_general_rule() -> None:
    # Any GBK-encoded typographic punctuation or pinyin letter read back as Latin-1 is repaired...
    broken = "He said ¡®yes¡¯ ¨C then ¡°no¡± ¡­ caf¨¦, ¡ª done"
    assert clean_text(broken) == "He said ‘yes’ – then “no” … café, — done"
    # ...while genuine Latin-1 text, and UTF-8 mojibake that only looks similar, stay as they are.
    for genuine in ("café ½ ¡Hola! ¿Qué? Ñandú °C ±2 «là» Ärger", "¡Ándale! ¡Óyeme!"):
        assert clean_text(genuine) == genuine
    assert clean_text("中文 䡰".encode().decode("latin-1")) == "中文 䡰"


def test_mangled_entity_becomes_a_space() -> None:
    assert clean_text("Decade.”&²Ô²ú²õ±è;The next") == "Decade.” The next"
    assert clean_text("a&ÃÃ;b &苍产蝉辫; c") == "a b c"
    assert clean_text("R&D; AT&T; &x;") == "R&D; AT&T; &x;"


# --- made-up text: characters ------------------------------------------------------------------


def test_utf8_read_as_cp1252_is_repaired_without_uncurling() -> None:
    assert clean_text("donâ€™t â€œquoteâ€\x9d cafÃ© naÃ¯ve â€“ â€”") == (
        "don’t “quote” café naïve – —"
    )
    assert clean_text("“Curly” ‘quotes’ – en — em … stay") == "“Curly” ‘quotes’ – en — em … stay"
    assert clean_text("ＦＵＬＬ width ﬁnance") == "ＦＵＬＬ width finance"


def test_html_entities() -> None:
    assert clean_text("a&nbsp;b &amp; c&#8217;s &rsquo;x&lsquo; &#x2013; &amp;nbsp;d") == (
        "a b & c’s ’x‘ – d"
    )
    assert clean_text("Tom & Jerry; R&D, Q&A, &unknown; & ;") == (
        "Tom & Jerry; R&D, Q&A, &unknown; & ;"
    )
    assert clean_text("&lt;b&gt;&#9;x &#13;&#10;y") == "<b> x\n\ny"


def test_spaces_hyphens_and_invisible_characters() -> None:
    raw = "non\u2011breaking a\u00a0b\u2009c\u3000d soft\u00adhyphen zero\u200bwidth\ufeff x\u202ey"
    assert clean_text(raw) == "non-breaking a b c d softhyphen zerowidth xy"


def test_line_ends_controls_and_nfc() -> None:
    assert clean_text("one\r\ntwo\rthree\n") == "one\n\ntwo\n\nthree"
    # U+0085 NEXT LINE is a line end (not ftfy's "…"): at the end of the text, nothing.
    assert clean_text("bell\x07 esc\x1b[31mred\x1b[0m tab\there\x00\x7f\x85") == (
        "bell escred tab here"
    )
    assert clean_text("Cafe\u0301 Ant\u00f3nio") == "Café António"
    assert unicodedata.is_normalized("NFC", clean_text("e\u0301\u0323 A\u030a"))


def test_text_stays_faithful() -> None:
    raw = "Mr. GUTERRES [as delivered] said (in French): “Merci” [outside] — 50% of 1,000."
    assert clean_text(raw) == raw


# --- repair.py itself: blocks, fixed points, speed ----------------------------------------------

REPAIR_PIECES = [
    "text", " ", "\n", "\r\n", "\r", "&amp;", "&nbsp;", "&#8217;", "&", ";", "¡°", "¡±", "¨C",
    "Ã©", "â€™", "â\x80\x99", "\u00ad", "\u200b", "\u2028", "\u2029", "\x1c", "\v", "\f", "\t",
    "\x00", "\x1b[1m", "\x1b]0;t\x07", "\x1bc", "\x1b", "\x85", "e\u0301",
    "\U000e0041", "\U0001f600", "\ufeff", "é", "“q”",
]  # fmt: skip
repair_texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(REPAIR_PIECES), max_size=120).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(repair_texts, st.integers(min_value=1, max_value=40))
def test_repair_in_blocks_equals_repair_whole(raw: str, size: int) -> None:
    # Every repair is line-local, so cutting the text into blocks of lines changes nothing.
    whole = repair.repair_chars(raw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(repair, "BLOCK_CHARS", size)
        assert repair.repair_chars(raw) == whole


@settings(max_examples=200, deadline=None)
@given(repair_texts)
def test_repair_is_a_fixed_point_and_is_repaired_says_so(raw: str) -> None:
    fixed = repair.repair_chars(raw)
    assert repair.repair_chars(fixed) == fixed
    assert repair.is_repaired(fixed)
    if repair.is_repaired(raw):
        assert fixed == raw


def test_line_blocks_end_after_a_line_end() -> None:
    text = "one\ntwo three\n\nfour\nfive"
    blocks = repair.line_blocks(text, 4)
    assert "".join(blocks) == text
    assert all(b.endswith("\n") for b in blocks[:-1])
    assert repair.line_blocks("no line end at all", 3) == ["no line end at all"]


def test_every_line_end_becomes_a_newline() -> None:
    raw = "a\r\nb\rc\fd\ve\x1cf\x1dg\x1eh\u2028i\u2029j"
    assert repair.repair_chars(raw) == "a\nb\nc\nd\ne\nf\ng\nh\ni\n\nj"


def test_astral_format_characters_go_but_astral_letters_stay() -> None:
    # Tag characters (U+E0000 block) hide text from readers; emoji and old scripts are text.
    raw = "flag\U000e0067\U000e0062 x\U0001d173y 😀 𐌰𐌱 \U000110bd"
    assert repair.repair_chars(raw) == "flag xy 😀 𐌰𐌱 "


def test_repairing_20_mb_of_clean_text_is_one_fast_pass() -> None:
    # ~16 MB of ASCII and ~4 MB of typographic text: one scan each, no copies of clean blocks.
    ascii_text = "An ordinary line of English prose, as most documents have.\n" * 280_000
    typographic = "“Quoted” café – naïve text with accents.\n" * 100_000
    for text, budget in ((ascii_text, 2.0), (typographic, 4.0)):
        start = time.perf_counter()
        assert repair.repair_chars(text) == text
        assert time.perf_counter() - start < budget  # ~0.05 s and ~0.4 s on a laptop


# --- terminal escapes and other control-laden text (found by fuzzing) ---------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # OSC (set the window title) goes whole, with its BEL or ST terminator.
        ("Opening words \x1b]0;title\x07 of the paragraph.", "Opening words of the paragraph."),
        ("Opening words\x1b]2;x\x1b\\ stay.", "Opening words stay."),
        ("x\x1b]8;;http://e.com\x1b\\link\x1b]8;;\x1b\\ y", "xlink y"),
        # ESC c (reset) is one escape: its "c" is not glued to the next word.
        ("Reset \x1bcdrones are a threat.", "Reset drones are a threat."),
        ("a \x1b[31mred\x1b[0m b \x1b[2J\x1b(B end", "a red b end"),
        # Without a terminator only "ESC ]" goes: the words after it are kept.
        ("unterminated \x1b]0;title words", "unterminated 0;title words"),
        ("lone escape\x1b", "lone escape"),
    ],
)
def test_terminal_escapes_are_removed_whole(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_next_line_is_a_line_end() -> None:
    long = "This sentence is long enough to be prose in a wrapped file, it goes on and on"
    assert clean_text(f"{long}\x85and continues here.") == f"{long} and continues here."
    assert clean_text("one\x85two") == clean_text("one\ntwo")
    assert "…" not in clean_text("a line\x85another line")
    # A byte of UTF-8 mojibake is still ftfy's: "Ã\x85" is "Å".
    assert clean_text("Ã\x85ngstr\u00f6m") == "Ångström"


def test_break_controls_in_a_row_are_one_line_end() -> None:
    # "\v\f" mid-sentence must not cut a paragraph (its first words became a header).
    raw = "Statement by the Secretary-General\n\nThe drones were condemned \x0b\x0c by all."
    assert clean_text(raw).endswith("The drones were condemned by all.")


def test_control_laden_file_keeps_every_word(tmp_path) -> None:
    from ctsearch.documents.parse import parse_file

    body = (
        "Statement by the \x1b[31mSecretary-General\x1b[0m\n\n"
        "The drones \x1b]0;title\x07 were condemned \x07\x08\x0b\x0c\x1b[2J by \x85all.\n\n"
        "Victims of terrorism deserve support and \x1bcdrones are a threat.\n"
    )
    path = tmp_path / "evil.txt"
    path.write_text(body, encoding="utf-8")
    doc = parse_file(path)
    prose = " ".join(p.text for p in doc.passages)
    assert "The drones were condemned by all." in prose
    assert "support and drones are a threat." in prose
    assert not any(c in doc.text for c in "\x1b\x07\x85]")
