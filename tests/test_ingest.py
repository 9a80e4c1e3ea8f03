"""ingest: finding corpus files, decoding their bytes, repairing and normalising their text.

Layout and mojibake rules are tested on the real snippets from corpus/ (embedded byte for byte)
and on the whole seed files, and on made-up text, since the rules must hold for unseen documents.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctsearch import ingest
from ctsearch.errors import CorpusError, DocumentError
from ctsearch.ingest import clean_text, decode_bytes, doc_id_for, find_files, read_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = {name[:3]: CORPUS / name for name in (os.listdir(CORPUS) if CORPUS.is_dir() else [])}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def seed(prefix: str) -> str:
    if prefix not in SEED:
        pytest.skip("corpus/ is not present")
    return clean_text(read_text(SEED[prefix]))


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


# --- find_files --------------------------------------------------------------------------------


def test_find_files_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for rel in [
        "b.txt", "a.md", "sub/c.txt", "sub/deeper/d.TXT", "with space/é ü.txt",
        "a.meta.toml", "notes.rst", ".hidden.txt", ".git/x.txt", "sub/.cache/y.md",
    ]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text")
    (tmp_path / "folder.txt").mkdir()  # a folder is not a document, whatever its name
    found = [p.relative_to(tmp_path).as_posix() for p in find_files(tmp_path)]
    assert found == ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.TXT", "with space/é ü.txt"]


def test_find_files_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file symlink to itself
    warnings: list[str] = []
    found = find_files(tmp_path, warn=warnings.append)
    assert found == [tmp_path / "sub" / "a.txt"]
    assert any("symlink loop" in w and "loop" in w for w in warnings)
    assert any("self.txt" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_find_files_follows_a_symlinked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("text")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    assert find_files(corpus) == [corpus / "linked" / "x.txt"]
    assert doc_id_for(corpus / "linked" / "x.txt", corpus) == "linked/x"


def test_find_files_skips_an_undecodable_name(tmp_path: Path) -> None:
    try:
        (Path(os.fsdecode(bytes(tmp_path))) / os.fsdecode(b"bad\xff.txt")).write_text("text")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (tmp_path / "good.txt").write_text("text")
    warnings: list[str] = []
    assert find_files(tmp_path, warn=warnings.append) == [tmp_path / "good.txt"]
    assert len(warnings) == 1 and "not valid UTF-8" in warnings[0]
    warnings[0].encode("utf-8")  # the warning itself can be printed


@pytest.mark.parametrize("make", ["missing", "file"])
def test_find_files_without_a_corpus_folder(tmp_path: Path, make: str) -> None:
    corpus = tmp_path / "corpus"
    if make == "file":
        corpus.write_text("not a folder")
    with pytest.raises(CorpusError) as err:
        find_files(corpus)
    assert str(err.value) == (
        f"corpus folder not found: {corpus} — pass --corpus or set CTSEARCH_CORPUS"
    )


def test_find_files_warns_about_an_unreadable_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("text")
    (tmp_path / "ok.txt").write_text("text")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings: list[str] = []
    assert find_files(tmp_path, warn=warnings.append) == [tmp_path / "ok.txt"]
    assert warnings == [f"{tmp_path / 'locked'}: folder not readable (permission denied): skipped"]


@pytest.mark.skipif(IS_ROOT, reason="root reads every folder, whatever its mode")
def test_find_files_with_a_real_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("text")
    locked.chmod(0)
    try:
        warnings: list[str] = []
        assert find_files(tmp_path, warn=warnings.append) == []
        assert len(warnings) == 1 and "permission denied" in warnings[0]
    finally:
        locked.chmod(0o755)


# --- doc_id_for --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("corpus/000_abc.txt", "corpus", "000_abc"),
        ("corpus/sub/000_abc.md", "corpus", "sub/000_abc"),
        ("corpus/sub/a.b.txt", "corpus", "sub/a.b"),
        ("corpus/sub/../a.txt", "corpus", "a"),
        ("elsewhere/x.txt", "corpus", "x"),
        ("corpus/sub/x.txt", None, "x"),
    ],
)
def test_doc_id_for(path: str, root: str | None, expected: str) -> None:
    assert doc_id_for(Path(path), Path(root) if root else None) == expected


def test_doc_id_for_mixes_absolute_and_relative(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert doc_id_for(tmp_path / "corpus" / "s" / "a.txt", Path("corpus")) == "s/a"


# --- decode_bytes / read_text ------------------------------------------------------------------

SAMPLE = "“Smart” café – naïve Ärger\nline two"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),  # with BOM (native order)
        b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),  # no BOM: told by the NULs in every other byte
        SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-32"),
        SAMPLE.encode("cp1252"),
    ],
    ids="utf8 utf8-bom utf16 utf16le-bom utf16be-bom utf16le utf16be utf32 cp1252".split(),
)
def test_decode_bytes_encodings(data: bytes) -> None:
    assert decode_bytes(data) == SAMPLE


def test_decode_bytes_latin1_and_crlf() -> None:
    text = "Se\xf1or Garc\xeda, \xbfqu\xe9 tal?\r\nTr\xe8s bien, \xab merci \xbb."
    assert decode_bytes(text.encode("latin-1")) == text
    assert clean_text(decode_bytes(text.encode("latin-1"))) == (
        "Señor García, ¿qué tal?\n\nTrès bien, « merci »."
    )


def test_decode_bytes_mostly_utf8_with_stray_bytes() -> None:
    # A UTF-8 file with a few cp1252 bytes pasted in: both halves read right, no U+FFFD.
    data = "Guterres: “We must act.” ".encode() + b"caf\xe9 \x93quoted\x94 \x85"
    text = decode_bytes(data)
    assert text == "Guterres: “We must act.” café “quoted” …"
    assert "\ufffd" not in text


def test_decode_bytes_more_text() -> None:
    chinese = "联合国秘书长古特雷斯今天在纽约说, we must act (2018)."
    assert decode_bytes(chinese.encode("utf-16-le")) == chinese  # few NULs, one parity only
    assert decode_bytes(chinese.encode("utf-16-be")) == chinese
    french = "Ça été très énervé à Zürich; déjà vu"  # many accents: still cp1252
    assert decode_bytes(french.encode("cp1252")) == french


def test_decode_bytes_legacy_cyrillic() -> None:
    text = "Генеральный секретарь Организации Объединённых Наций заявил сегодня в Нью-Йорке"
    assert decode_bytes(text.encode("cp1251")) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  ", "contains only whitespace"),
        ("\ufeff \u00a0\u200b\n".encode(), "contains only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary data"),
        (bytes(range(256)) * 8, "binary data"),
        (b"text with\x01\x02\x03\x04\x05 many control\x06\x07\x0e\x0f bytes", "binary data"),
    ],
)
def test_decode_bytes_refuses(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode_bytes(data)


def test_decode_bytes_random_binary_never_crashes() -> None:
    rng = __import__("random").Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        try:
            text = decode_bytes(data)
        except DocumentError:
            continue
        clean_text(text)


def test_read_text_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes("Guterres said “yes”.\r\n".encode("utf-16"))
    assert read_text(good) == "Guterres said “yes”.\r\n"
    cases = {
        tmp_path / "x.txt": "is a folder, not a text file",
        tmp_path / "gone.txt": "no longer exists",
        tmp_path / "empty.txt": "empty file",
        tmp_path / "image.txt": "binary data",
    }
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    for path, reason in cases.items():
        with pytest.raises(DocumentError) as err:
            read_text(path)
        message = str(err.value)
        assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


@pytest.mark.skipif(IS_ROOT, reason="root reads every file, whatever its mode")
def test_read_text_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match=r"x\.txt: not readable \(permission denied\)$"):
            read_text(path)
    finally:
        path.chmod(0o644)


def test_read_text_permission_denied_simulated(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.txt"
    path.write_text("secret")

    real_open = os.open

    def refuse(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(DocumentError) as err:
        read_text(path)
    assert str(err.value) == f"{path}: not readable (permission denied)"


def test_read_text_refuses_a_file_over_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 300)
    with pytest.raises(DocumentError, match="too large"):
        read_text(path)


# --- the real corpus: layout -------------------------------------------------------------------

# Seed 000 as extracted from its PDF: a blank line (sometimes one holding spaces) after every line.
RAW_000_TOP = (
    b"\n \n \n \n \n\nPress release \n \n\nUN Secretary-General urges the international "
    b"community to work more closely together to \n\nanticipate and prevent the terrorist "
    b"attacks of tomorrow \n\n \n\n \n\nNew York, 29 June 2018 \xe2\x80\x93  The first-ever UN "
    b"High-level Conference on Counter-Terrorism concluded \n\ntoday in New York. During the two "
    b"days, over 1,000 people from around the world including security \n\nofficials, law "
    b"enforcement officials, diplomats, policy makers, international and regional organizations "
    b"and \n\ncivil society organizations discussed how to strengthen international cooperation "
    b"to combat the evolving \n\nthreat of terrorism. The conference, bilateral meetings and the "
    b"twenty-five side events organized this week \n\ncontributed to strengthening multilateral "
    b"collaboration, exploring and building new partnerships, sharing \n\nexperience and learning "
    b"about innovative approaches to prevention through community engagement. \n\nAt the end of "
    b"the Conference, Secretary-General Ant\xc3\xb3nio Guterres offered his conclusions on the way "
    b"\n\nforward. \xe2\x80\x9cTo stay ahead of the terrorists, I call on the international "
    b"community, the private sector and \n\nacademia to share knowledge, expertise and resources "
    b"to prevent new technologies becoming lethal terrorist \n\nweapons,\xe2\x80\x9d he said. He "
    b"added that he is considering the idea of establishing a Global Network of Counter-\n\n"
    b"Terrorism Coordinators to share expertise and best practices. The UN will also liaise with "
    b"Member States \n\nto organize regional events on key thematic issues to keep the momentum "
    b"and support collective efforts \n\nuntil the next conference in 2 years\xe2\x80\x99 time "
    b"accompanying the review of the UN Global Counter-Terrorism \n\nStrategy. \n\n"
)


def test_double_spaced_pdf_snippet() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_000_TOP))) == [
        "Press release",
        "UN Secretary-General urges the international community to work more closely together "
        "to anticipate and prevent the terrorist attacks of tomorrow",
        "New York, 29 June 2018 – The first-ever UN High-level Conference on Counter-Terrorism "
        "concluded today in New York. During the two days, over 1,000 people from around the "
        "world including security officials, law enforcement officials, diplomats, policy makers, "
        "international and regional organizations and civil society organizations discussed how "
        "to strengthen international cooperation to combat the evolving threat of terrorism. The "
        "conference, bilateral meetings and the twenty-five side events organized this week "
        "contributed to strengthening multilateral collaboration, exploring and building new "
        "partnerships, sharing experience and learning about innovative approaches to prevention "
        "through community engagement.",
        "At the end of the Conference, Secretary-General António Guterres offered his conclusions "
        "on the way forward. “To stay ahead of the terrorists, I call on the international "
        "community, the private sector and academia to share knowledge, expertise and resources "
        "to prevent new technologies becoming lethal terrorist weapons,” he said. He added that "
        "he is considering the idea of establishing a Global Network of Counter-Terrorism "
        "Coordinators to share expertise and best practices. The UN will also liaise with Member "
        "States to organize regional events on key thematic issues to keep the momentum and "
        "support collective efforts until the next conference in 2 years’ time accompanying the "
        "review of the UN Global Counter-Terrorism Strategy.",
    ]


def test_seed_000_whole_file() -> None:
    paras = paragraphs(seed("000"))
    assert paras[1].startswith("UN Secretary-General urges") and paras[1].endswith("tomorrow")
    assert paras[2].startswith("New York, 29 June 2018 – The first-ever UN High-level")
    assert "Global Network of Counter-Terrorism Coordinators" in paras[3]
    # The Secretary-General's last quote and Mr. Voronkov's statement stay apart.
    assert paras[5].endswith("delivering impact on the ground.”")
    assert paras[6].startswith("Mr. Vladimir Voronkov, the Head of the UN Office")
    assert paras[-2:] == [
        "http://www.un.org/counterterrorism/hlc",
        "https://twitter.com/search?f=tweets&q=%23UNitetoCounterTerrorism&src=typd",
    ]


# Seed 002: single-newline wraps, blank (or space-only) lines between paragraphs, a stray blank
# line inside the title.
RAW_002_TOP = (
    b" PRESS RELEASE \n \n\nThe United Nations Secretary-General highlights responsible use of "
    b"new \ntechnologies in counter-terrorism efforts as Second Counter-Terrorism \n\nWeek "
    b"concludes \n \nNew York, 30 June 2021 - Convened under the auspices of Secretary-General "
    b"Ant\xc3\xb3nio Guterres, the \nSecond United Nations High-Level Conference of "
    b"Counter-Terrorism Agencies of Member States on \n\xe2\x80\x9cCountering and Preventing "
    b"Terrorism in the Age of Transformative Technologies: Addressing the \nChallenges of the "
    b"New Decade\xe2\x80\x9d concluded today. Organized by the United Nations Office of Counter-\n"
    b"Terrorism (UNOCT), the High-Level Conference featured 13 interactive sessions in both "
    b"hybrid and \nonline format, convening almost 1,000 participants from 147 Member States, 28 "
    b"international and \nregional organizations, 88 civil society, academic, and private sector "
    b"organizations, and 38 United \nNations entities over the course of three days.  \n \n"
    b"Speaking at the closing session, Secretary-General Guterres highlighted the \xe2\x80\x9cneed "
    b"to be resolute, \nprincipled and forward-looking in our pursuit of a world free from "
    b"terrorism in all its forms and \nmanifestations.\xe2\x80\x9d \n"
)


def test_wrapped_pdf_snippet() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_002_TOP))) == [
        "PRESS RELEASE",
        "The United Nations Secretary-General highlights responsible use of new technologies in "
        "counter-terrorism efforts as Second Counter-Terrorism Week concludes",
        "New York, 30 June 2021 - Convened under the auspices of Secretary-General António "
        "Guterres, the Second United Nations High-Level Conference of Counter-Terrorism Agencies "
        "of Member States on “Countering and Preventing Terrorism in the Age of Transformative "
        "Technologies: Addressing the Challenges of the New Decade” concluded today. Organized by "
        "the United Nations Office of Counter-Terrorism (UNOCT), the High-Level Conference "
        "featured 13 interactive sessions in both hybrid and online format, convening almost "
        "1,000 participants from 147 Member States, 28 international and regional "
        "organizations, 88 civil society, academic, and private sector organizations, and 38 "
        "United Nations entities over the course of three days.",
        "Speaking at the closing session, Secretary-General Guterres highlighted the “need to be "
        "resolute, principled and forward-looking in our pursuit of a world free from terrorism "
        "in all its forms and manifestations.”",
    ]


def test_seed_002_whole_file() -> None:
    paras = paragraphs(seed("002"))
    assert paras[:2] == [
        "PRESS RELEASE",
        "The United Nations Secretary-General highlights responsible use of new technologies in "
        "counter-terrorism efforts as Second Counter-Terrorism Week concludes",
    ]
    assert "UNOCT organized a Virtual Counter-Terrorism Week in July 2020" in seed("002")
    assert paras[-3:] == [
        "Visit: https://www.un.org/counterterrorism/2021-counter-terrorism-week",
        "Contact: Ms. Laurence Gerard, gerardl@un.org & Ms. Yuli Yang, yuli.yang@un.org",
        "Follow us on Twitter @UN_OCT and via hashtags #CTWeek & #UNiteToCounterTerrorism",
    ]


RAW_001_TOP = (
    b"New York\n\n29 June 2018\n\nSecretary-General's closing remarks at High-Level Conference on "
    b"Counter-Terrorism [as delivered]\n\nThank you for these productive two days.\nThere will not "
    b"be a negotiated outcome, so I will set out my own conclusions for the way forward, based on "
    b"your discussions.\nFirst, this conference has helped to strengthen multilateral "
    b"collaboration, break down silos and build new partnerships.\n"
)


def test_sentence_per_line_snippet_keeps_its_lines() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_001_TOP))) == [
        "New York",
        "29 June 2018",
        "Secretary-General's closing remarks at High-Level Conference on Counter-Terrorism "
        "[as delivered]",
        "Thank you for these productive two days.",
        "There will not be a negotiated outcome, so I will set out my own conclusions for the "
        "way forward, based on your discussions.",
        "First, this conference has helped to strengthen multilateral collaboration, break down "
        "silos and build new partnerships.",
    ]


def test_seed_001_whole_file_is_its_lines() -> None:
    raw = SEED["001"].read_text(encoding="utf-8") if "001" in SEED else pytest.skip("no corpus")
    lines = [" ".join(line.split()) for line in raw.split("\n") if line.strip()]
    assert paragraphs(seed("001")) == lines
    assert "New partnerships have been established inside and [outside] the room." in lines


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
    text = seed("003")
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
    text = seed("004")
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
    assert clean_text("bell\x07 esc\x1b[31mred\x1b[0m tab\there\x00\x7f\x85") == (
        "bell escred tab here…"
    )
    assert clean_text("Cafe\u0301 Ant\u00f3nio") == "Café António"
    assert unicodedata.is_normalized("NFC", clean_text("e\u0301\u0323 A\u030a"))


def test_text_stays_faithful() -> None:
    raw = "Mr. GUTERRES [as delivered] said (in French): “Merci” [outside] — 50% of 1,000."
    assert clean_text(raw) == raw


# --- made-up text: layout ----------------------------------------------------------------------

WRAPPED = """\
UNITED NATIONS
The delegates met in the main hall of the building to discuss the many
ways in which regional cooperation could be improved over the coming
years, and the Chair thanked them for their work. She noted that the commu-
nity of practice had grown, that the well-
being of victims mattered, and that the Office of Counter-
Terrorism would co-
ordinate the follow-up with the anti-
money-laundering experts.
UNITED NATIONS
The second paragraph starts here after a short last line and then wraps
onto the next line because it is long enough to reach the right margin.
- 2 -
UNITED NATIONS

The third paragraph follows a blank line and it also wraps around to the
next line of the page.
"""


def test_hard_wrapped_text_is_rejoined() -> None:
    assert paragraphs(clean_text(WRAPPED)) == [
        "The delegates met in the main hall of the building to discuss the many ways in which "
        "regional cooperation could be improved over the coming years, and the Chair thanked "
        "them for their work. She noted that the community of practice had grown, that the "
        "well-being of victims mattered, and that the Office of Counter-Terrorism would "
        "co-ordinate the follow-up with the anti-money-laundering experts.",
        "The second paragraph starts here after a short last line and then wraps onto the next "
        "line because it is long enough to reach the right margin.",
        "The third paragraph follows a blank line and it also wraps around to the next line of "
        "the page.",
    ]


def test_a_quotation_continues_across_a_stray_blank_line() -> None:
    raw = (
        "The Secretary-General addressed the conference on its closing day and\n"
        "said that the work of the past week had been important for everyone: “We\n"
        "must all work together to prevent the spread of violent extremism, and the\n"
        "\n"
        "United Nations stands ready to help Member States,” he said, before he\n"
        "thanked the organizers of the meeting and all of the participants.\n"
        "\n"
        "The Chair then closed the meeting and thanked all of the delegations for\n"
        "their work during the week, which had been a success.\n"
    )
    first, second = paragraphs(clean_text(raw))
    assert "extremism, and the United Nations stands ready" in first
    assert second.startswith("The Chair then closed")


def test_hyphen_rule_follows_the_documents_vocabulary() -> None:
    body = (
        "Counter-terrorism experts met again in the capital this week to plan the next\n"
        "steps of the programme and to review the counter-\n"
        "terrorism strategy and the peace-\n"
        "keeping budget and the peacekeeping mission and the pre-\n"
        "vention work and the post-\n"
        "conflict plans and the e-\n"
        "mail lists of the non-\n"
        "state actors that they discussed at great length with their partners.\n"
    )
    assert clean_text(body) == (
        "Counter-terrorism experts met again in the capital this week to plan the next steps of "
        "the programme and to review the counter-terrorism strategy and the peacekeeping budget "
        "and the peacekeeping mission and the pre-vention work and the post-conflict plans and "
        "the e-mail lists of the non-state actors that they discussed at great length with their "
        "partners."
    )
    # "prevention" elsewhere in the document settles "pre-/vention".
    assert "the prevention work" in clean_text(body + "\nPrevention matters.\n")


def test_double_spaced_layout_in_general() -> None:
    lines = [
        "Opening remarks",
        "",
        "",
        "The meeting opened with a statement by the Chair who welcomed the delegations and",
        "recalled that the work of the committee had been difficult but also rewarding for",
        "all of its members over the past year.",
        "",
        "",
        "A second paragraph begins after two blank lines and it continues on to the next",
        "line of the page as it is long.",
    ]
    raw = "\n\n".join(lines)  # a blank line after every line
    assert paragraphs(clean_text(raw)) == [
        "Opening remarks",
        "The meeting opened with a statement by the Chair who welcomed the delegations and "
        "recalled that the work of the committee had been difficult but also rewarding for all "
        "of its members over the past year.",
        "A second paragraph begins after two blank lines and it continues on to the next line "
        "of the page as it is long.",
    ]


def test_unwrapped_text_keeps_its_lines() -> None:
    raw = "Useful Resources\n2020 Virtual Counter-Terrorism Week\nThe Week was held online.\n"
    assert paragraphs(clean_text(raw)) == raw.split("\n")[:3]


@pytest.mark.parametrize(
    "furniture",
    ["12", "Page 3", "page 2 of 5", "- 3 -", "— 14 —", "_______", "--------", "* * *", "===", "\f"],
)
def test_page_furniture_is_dropped(furniture: str) -> None:
    raw = f"First paragraph ends here.\n\n{furniture}\n\nSecond paragraph."
    assert clean_text(raw) == "First paragraph ends here.\n\nSecond paragraph."


def test_running_headers_are_dropped_but_repeated_sentences_stay() -> None:
    raw = "\n\n".join(
        ["UN Office of Counter-Terrorism", f"Paragraph {n} of the text.", "Thank you."][i % 3]
        for n in range(4)
        for i in range(3)
    )
    assert "UN Office of Counter-Terrorism" not in clean_text(raw)
    assert clean_text(raw).count("Thank you.") == 4


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


# --- properties --------------------------------------------------------------------------------

PIECES = [
    "the", "and", "of", "said", "Counter-", "Terrorism", "commu-", "nity", ".", ",", ":", ";",
    "“", "”", "’", "*", "**", "_", "#", "# ", "- ", "* ", "1. ", "> ", "[x](#)", "\\*", "\\",
    "&amp;", "&nbsp;", "&", "¡°", "¨C", "&²Ô;", "Ã©", "â€™", "\u00a0", "\u2011", "\u00ad",
    "\u200b", "\t", " ", "  ", "\n", "\n\n", "\n \n", "\r", "\r\n", "\f", "12", "Page 2 of 5",
    "---", "•", "é", "e\u0301", "Mr.", "`", "<b>", "<https://x.org>", "\x1b[1m", "\x00",
    "a lower-case line that carries on", "A Sentence Here.",
    "a very long line of text that reaches the right margin of the page and",
]  # fmt: skip
documents = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
)
BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b\ufeff]")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_clean_text_properties(raw: str) -> None:
    text = clean_text(raw)
    assert clean_text(text) == text
    assert text == text.strip()
    assert "\r" not in text and "\n\n\n" not in text and not BAD.search(text)
    for para in paragraphs(text):
        assert para and para == para.strip() and "\n" not in para and "  " not in para
    assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_decode_bytes_never_crashes(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except DocumentError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(text, str)
    clean_text(text)


# --- speed -------------------------------------------------------------------------------------


def test_cleaning_the_seed_corpus_is_fast() -> None:
    if len(SEED) < 5:
        pytest.skip("corpus/ is not present")
    raws = [read_text(path) for path in SEED.values()]
    clean_text("café")  # ftfy's import is paid once per process
    start = time.perf_counter()
    for raw in raws:
        clean_text(raw)
    assert time.perf_counter() - start < 0.5  # ~20 ms on a laptop; generous for loaded CI
