"""passages.py: sizes, offsets, ids, quotations, speakers per passage."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctsearch.documents.metadata import DocMeta, extract_metadata, paragraph_spans
from ctsearch.documents.passages import MAX_WORDS, MIN_WORDS, TARGET_WORDS, split_passages
from ctsearch.documents.people import People
from ctsearch.documents.sentences import word_count


@pytest.fixture(scope="module")
def people() -> People:
    return People.load()


def split(text: str, people: People, doc_id: str = "doc"):
    meta = extract_metadata(text, people=people)
    return meta, split_passages(doc_id, text, meta, people)


def check_invariants(text: str, passages, meta: DocMeta, doc_id: str = "doc") -> None:
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    assert len({p.passage_id for p in passages}) == len(passages)
    last = -1
    for p in passages:
        assert p.passage_id == f"{doc_id}:{p.ordinal}" and p.doc_id == doc_id
        assert text[p.start : p.end] == p.text
        assert p.text.strip() == p.text and p.text
        assert 0 < word_count(p.text) <= MAX_WORDS
        assert p.start >= meta.body_start and p.start > last
        last = p.end
        assert not set(p.speakers) & set(p.mentions)


def sentence(words: int, i: int = 0) -> str:
    body = " ".join(f"word{(i + k) % 97}" for k in range(words - 1))
    return f"Topic{i} {body}."


def test_one_sentence_per_line_is_merged_to_the_target_size(people: People) -> None:
    lines = [sentence(12, i) for i in range(40)]
    text = "Remarks by the Secretary-General\n\nNew York, 1 March 2024\n\n" + "\n\n".join(lines)
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    sizes = [word_count(p.text) for p in passages]
    assert all(s <= TARGET_WORDS for s in sizes)
    assert all(s >= MIN_WORDS for s in sizes[:-1])
    assert sum(sizes) == 40 * 12
    assert all(p.speakers == ("António Guterres",) for p in passages)


def test_long_paragraph_is_split_evenly_at_sentence_ends(people: People) -> None:
    para = " ".join(sentence(25, i) for i in range(12))  # 300 words
    text = f"Title line\n\nNew York, 1 March 2024 – {para}"
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    sizes = [word_count(p.text) for p in passages]
    assert sum(sizes) == 300 and len(passages) == 3
    assert max(sizes) - min(sizes) <= 50
    assert all(p.text.endswith(".") for p in passages)


def test_huge_single_line_is_cut_at_word_boundaries_fast(people: People) -> None:
    text = " ".join(f"w{i % 1000}" for i in range(200_000))
    t = time.perf_counter()
    meta, passages = split(text, people)
    elapsed = time.perf_counter() - t
    check_invariants(text, passages, meta)
    assert elapsed < 10, elapsed
    assert sum(word_count(p.text) for p in passages) == 200_000
    assert all(word_count(p.text) == MAX_WORDS for p in passages[:-1])


def test_overlong_sentence_prefers_cutting_after_a_comma(people: People) -> None:
    words = [f"w{i}" for i in range(400)]
    words[129] += ","
    text = "Title\n\n" + " ".join(words) + "."
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    assert passages[0].text.endswith("w129,")


def test_a_quotation_is_not_cut_when_it_can_be_avoided(people: People) -> None:
    quote = " ".join(sentence(20, i) for i in range(5))  # 100 words inside the quote
    text = (
        "PRESS RELEASE\n\nTitle of it\n\nNew York, 1 March 2024 – "
        + sentence(30, 99)
        + f" Ms. Jane Doe said: “{quote}” "
        + sentence(15, 50)
    )
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    holder = [p for p in passages if "“" in p.text]
    assert len(holder) == 1 and "”" in holder[0].text


def test_speaker_change_starts_a_new_passage(people: People) -> None:
    text = (
        "PRESS RELEASE\n\nTitle of it\n\nNew York, 1 March 2024 – The meeting opened.\n\n"
        "Mr. Voronkov said that the threat persists. “We must act,” he added.\n\n"
        "Ms. Natalia Gherman stressed that cooperation matters.\n\n"
        "The meeting closed at noon."
    )
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    assert [p.speakers for p in passages] == [
        (),
        ("Vladimir Voronkov",),
        ("Natalia Gherman",),
        (),
    ]


def test_heading_goes_with_the_text_it_introduces(people: People) -> None:
    text = (
        "A web page\n\n"
        + sentence(60, 1)
        + "\n\n"
        + sentence(50, 2)
        + "\n\nUseful Resources\n\n2020 Virtual Week\n\n"
        + sentence(40, 3)
    )
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    assert passages[-1].text.startswith("Useful Resources\n\n2020 Virtual Week\n\nTopic3")


def test_boilerplate_sentences_and_paragraphs_are_dropped(people: People) -> None:
    text = (
        "PRESS RELEASE\n\nTitle\n\nNew York, 1 March 2024 – The week ended with 36 side events. "
        "Visit: https://www.un.org/counterterrorism\n\nContact: Ms. X, x@un.org\n\n"
        "Follow us on Twitter @UN_OCT"
    )
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    assert [p.text for p in passages] == ["The week ended with 36 side events."]


def test_ids_do_not_depend_on_later_text(people: People) -> None:
    base = "PRESS RELEASE\n\nTitle\n\nNew York, 1 March 2024 – " + sentence(80, 1)
    _, first = split(base, people, "sub/a")
    _, second = split(base + "\n\n" + sentence(70, 2), people, "sub/a")
    assert [(p.passage_id, p.text) for p in first] == [(p.passage_id, p.text) for p in second[:1]]
    assert first[0].passage_id == "sub/a:0"


def test_skip_overrides_the_metadata(people: People) -> None:
    text = "Title\n\n" + sentence(50, 1) + "\n\n" + sentence(50, 2)
    meta = extract_metadata(text, people=people)
    passages = split_passages("d", text, meta, people, skip={0, 1})
    assert [p.text for p in passages] == [sentence(50, 2)]


# ------------------------------------------------------------------------------ property
_WORDS = ["the", "Conference", "said", "Mr.", "Voronkov", "he", "U.N.", "terrorism", "“", "”", '"']
_WORDS += ["New", "York,", "29", "June", "2018", "–", "Visit:", "https://x.org", "a-b", "Ms.", "é"]


@st.composite
def documents(draw) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 8))):
        sentences = []
        for _ in range(draw(st.integers(1, 6))):
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40))
            if draw(st.integers(0, 20)) == 0:
                words = words * 10  # an overlong sentence now and then
            sentences.append(" ".join(words) + draw(st.sampled_from([".", "!", "?", "", ".”"])))
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_passage_invariants_on_generated_documents(text: str) -> None:
    people = People.load()
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    # Every word of every prose paragraph is in some passage (nothing silently lost).
    covered = "".join(p.text for p in passages)
    for i, (a, b) in enumerate(paragraph_spans(text)):
        if i in meta.skip or b <= meta.body_start:
            continue
        for w in re.findall(r"\w+", text[max(a, meta.body_start) : b]):
            if "Visit" not in text[a:b] and "https" not in text[a:b]:
                assert w in covered


def test_news_story_speakers_per_passage(people: People) -> None:
    text = (
        "Terrorism threat in Africa 'alarming', UN counter-terrorism chief warns\n\n"
        "12 March 2024\n\n"
        "The threat of terrorism in Africa has reached alarming levels, the head of the UN Office "
        "of Counter-Terrorism, Vladimir Voronkov, told the Security Council on Tuesday.\n\n"
        '"The situation in the Sahel is deteriorating," Mr. Voronkov said. He called on Member '
        "States to step up support.\n\n"
        "Also briefing the Council, Natalia Gherman, Executive Director of CTED, noted that "
        'cooperation remained crucial. "We need data," she said.\n\n'
        "Council members welcomed the briefings."
    )
    meta, passages = split(text, people)
    check_invariants(text, passages, meta)
    assert meta.doc_type == "news" and meta.date == "2024-03-12"
    assert [p.speakers for p in passages] == [
        ("Vladimir Voronkov",),
        ("Natalia Gherman",),
        (),
    ]
    assert "Sahel" in passages[0].text
