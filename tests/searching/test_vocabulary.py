"""The vocabulary: its data file, a user's additions, broken files, and query-time expansion."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import index_documents, make_document

from ctsearch.analysis import words
from ctsearch.cli import cli
from ctsearch.searching import vocabulary
from ctsearch.searching.search import search

# Common English words an acronym must never be spelt as: it would expand every query that
# holds the word ("IS" for ISIL would expand "is").
COMMON_WORDS = set(
    "a i am an as at be by do go he if in is it me my no of on or so to up us we all and "
    "any are can did let may not one our out per the was who why will oct nov dec jan rats "
    "aid act art arm cap car day end far few fit got had has her him his how its law man new "
    "now old own put run say see set she sum ten too two use war way yes yet".split()
)


def _match(vocab: vocabulary.Vocabulary, text: str) -> tuple[int, ...]:
    return vocab.match(words(text))


@pytest.fixture(autouse=True)
def _fresh_memo():
    vocabulary._MEMO.clear()
    yield
    vocabulary._MEMO.clear()


def test_the_builtin_vocabulary_loads_and_finds_the_field_s_names():
    vocab = vocabulary.load()
    isil = _match(vocab, "ISIS")
    assert isil and isil == _match(vocab, "Da’esh") == _match(vocab, "daesh")
    assert _match(vocab, "Islamic State in Iraq and the Levant") == isil
    assert _match(vocab, "FTFs") == _match(vocab, "FTF")
    assert _match(vocab, "Al Shabab") == _match(vocab, "Al-Shabaab")
    assert _match(vocab, "counter-terrorism centre") == _match(vocab, "counterterrorism center")
    assert not _match(vocab, "terrorism")


def test_no_form_is_a_common_english_word():
    entries = vocabulary.read_file(vocabulary.BUILTIN_VOCABULARY)
    for _, head, long_forms, others in entries:
        for form in (head, *long_forms, *others):
            toks = words(form)
            if len(toks) == 1:
                assert toks[0][0] not in COMMON_WORDS, form


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_extends_the_builtin_one(tmp_path):
    _write(
        tmp_path / "vocabulary.toml",
        '[[name]]\ncanonical = "ISIL"\nvariants = ["Tanzim al-Dawla"]\n\n'
        '[[acronym]]\nacronym = "XYZC"\nexpansions = ["Example Counter-Terrorism Centre"]\n'
        'variants = ["XYZCs"]\n',
    )
    vocab = vocabulary.load(tmp_path)
    isil = _match(vocab, "ISIL")
    assert _match(vocab, "Tanzim al-Dawla") == isil  # same canonical name: merged
    assert _match(vocab, "ISIS") == isil  # the built-in forms are kept
    forms = [f for f, _ in vocab.forms(isil)]
    assert "Tanzim al-Dawla" in forms and "Da'esh" in forms
    new = _match(vocab, "XYZC")
    assert new and new == _match(vocab, "example counter terrorism center")
    assert new != isil


@pytest.mark.parametrize(
    ("text", "line", "words_in_message"),
    [
        ('[[name]]\ncanonical = "A"\nvariants = ["B"\n', 3, "vocabulary.toml:"),
        (
            '[[name]]\ncanonical = "A"\nvariants = ["B"]\n\n[[name]]\nvariants = ["C"]\n',
            5,
            "canonical",
        ),
        ('[[acronym]]\nacronym = "ABC"\n', 1, "expansions"),
        ('[[name]]\ncanonical = "A"\nvariants = [1, 2]\n', 1, "variants"),
        ('[[group]]\nname = "A"\n', 1, "[[name]] and [[acronym]]"),
    ],
)
def test_a_broken_user_file_is_one_line_with_file_and_line_and_the_builtin_still_works(
    tmp_path, text, line, words_in_message
):
    path = _write(tmp_path / "vocabulary.toml", text)
    warnings: list[str] = []
    vocab = vocabulary.load(tmp_path, warn=warnings.append)
    assert len(warnings) == 1
    message = warnings[0]
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}:"), message
    assert words_in_message in message
    assert "built-in vocabulary" in message
    assert _match(vocab, "ISIS")  # the built-in vocabulary alone


def test_the_cache_is_used_and_the_cached_path_needs_no_toml_parser(tmp_path):
    cache = tmp_path / "index"
    cache.mkdir()
    first = vocabulary.load(None, cache)
    assert (cache / vocabulary.CACHE_NAME).is_file()
    vocabulary._MEMO.clear()
    again = vocabulary.load(None, cache)
    assert again.keys == first.keys
    code = (
        "import sys; from ctsearch.searching import vocabulary; "
        f"v = vocabulary.load(None, {str(cache)!r}); "
        "assert v.match((('isis', 0, 4, False),)); "
        "assert 'tomllib' not in sys.modules, 'tomllib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_changed_user_file_is_read_again(tmp_path):
    cache = tmp_path / "index"
    cache.mkdir()
    user = _write(tmp_path / "vocabulary.toml", '[[name]]\ncanonical = "Qqq"\nvariants = ["Zzz"]\n')
    assert _match(vocabulary.load(tmp_path, cache), "Zzz")
    vocabulary._MEMO.clear()
    _write(user, '[[name]]\ncanonical = "Qqq"\nvariants = ["Www Yyy"]\n')
    vocab = vocabulary.load(tmp_path, cache)
    assert _match(vocab, "Www Yyy") and not _match(vocab, "Zzz")


# -- expansion in searches -----------------------------------------------------------------


@pytest.fixture(scope="module")
def names_index(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("names")
    corpus = root / "corpus"
    corpus.mkdir()
    docs = [
        make_document("isil", [("The ISIL attacks in the region were condemned today.", ())]),
        make_document("daesh", [("The Da’esh attacks in the region were condemned today.", ())]),
        make_document(
            "long",
            [("The Islamic State in Iraq and the Levant claimed the attacks on the town.", ())],
        ),
        make_document("ftf", [("Returning foreign terrorist fighters pose a threat.", ())]),
        make_document("other", [("Drones and cyber threats were discussed at length.", ())]),
        make_document(
            "spelling",
            [("The Organisation's programme for the defence of labour rights.", ())],
        ),
        make_document(
            "american", [("An organization's program on defense and labor law reform.", ())]
        ),
    ]
    index_documents(corpus, root / "index", docs)
    return corpus, root / "index"


def _search(names_index, query: str, **kwargs):
    corpus, index = names_index
    return search(query, index_dir=index, corpus=corpus, **kwargs)


def _docs(result) -> list[str]:
    return [h.doc_id for h in result.hits]


def test_a_name_finds_every_form_of_its_group(names_index):
    result = _search(names_index, "ISIS")
    assert set(_docs(result)) == {"isil", "daesh", "long"}
    assert "ISIL" in result.expanded["ISIS"]
    assert "Islamic State in Iraq and the Levant" in result.expanded["ISIS"]


def test_the_form_typed_ranks_first_among_equals(names_index):
    assert _docs(_search(names_index, "ISIL"))[0] == "isil"
    assert _docs(_search(names_index, "Daesh"))[0] == "daesh"
    assert _docs(_search(names_index, "Da'esh"))[0] == "daesh"


def test_a_phrase_of_the_vocabulary_expands_as_a_phrase(names_index):
    result = _search(names_index, "Islamic State in Iraq and the Levant")
    assert _docs(result)[0] == "long"
    assert {"isil", "daesh"} <= set(_docs(result))
    assert "other" not in _docs(result)


def test_an_acronym_finds_its_expansion_and_highlights_it(names_index):
    result = _search(names_index, "FTFs")
    assert _docs(result) == ["ftf"]
    assert "**foreign terrorist fighters**" in result.hits[0].highlight


def test_variants_are_highlighted(names_index):
    result = _search(names_index, "ISIS")
    marked = {h.doc_id: h.highlight for h in result.hits}
    assert "**Da’esh**" in marked["daesh"]
    assert "**ISIL**" in marked["isil"]
    assert "**Islamic State in Iraq and the Levant**" in marked["long"]


def test_a_quoted_phrase_stays_literal(names_index):
    result = _search(names_index, '"ISIS"')
    assert result.total == 0 and result.expanded == {}
    assert _docs(_search(names_index, '"ISIL"')) == ["isil"]


def test_no_expand_searches_only_what_was_typed(names_index):
    result = _search(names_index, "ISIL", expand=False)
    assert _docs(result) == ["isil"] and result.expanded == {}


def test_did_you_mean_never_corrects_a_known_acronym(names_index):
    assert _search(names_index, "ISIS", expand=False).suggestion is None
    assert _search(names_index, "ISIS").suggestion is None
    assert _search(names_index, "drobes").suggestion == "drones"  # still corrects typos


def test_spelling_variants_match_both_ways(names_index):
    # British text found by American queries and American text by British ones.
    for query in (
        "organization",
        "organisation",
        "program",
        "programme",
        "defense",
        "defence",
        "labor",
        "labour",
    ):
        assert sorted(_docs(_search(names_index, query))) == ["american", "spelling"], query
    result = _search(names_index, "defense")
    marked = {h.doc_id: h.highlight for h in result.hits}
    assert "**defence**" in marked["spelling"] and "**defense**" in marked["american"]


def test_json_has_the_expanded_key_and_text_says_also_matched(names_index):
    corpus, index = names_index
    args = ["--index", str(index), "--corpus", str(corpus)]
    out = CliRunner().invoke(cli, ["search", "ISIS", "--json", *args])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert "ISIL" in data["expanded"]["ISIS"]
    assert {"query", "total", "hits", "suggestion"} <= set(data)  # nothing renamed
    plain = CliRunner().invoke(cli, ["search", "ISIS", *args])
    assert plain.exit_code == 0
    assert plain.stdout.splitlines()[0].startswith("also matched: ISIL")
    off = CliRunner().invoke(cli, ["search", "ISIL", "--json", "--no-expand", *args])
    assert json.loads(off.stdout)["expanded"] == {}
    assert [h["doc_id"] for h in json.loads(off.stdout)["hits"]] == ["isil"]


def test_a_user_entry_works_without_reindexing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docs = [make_document("a", [("The Zorblat Brigade attacked again.", ())])]
    index_documents(corpus, tmp_path / "index", docs)
    before = search("ZB", index_dir=tmp_path / "index", corpus=corpus)
    assert before.total == 0
    _write(
        corpus / "vocabulary.toml",
        '[[acronym]]\nacronym = "ZB"\nexpansions = ["Zorblat Brigade"]\n',
    )
    after = search("ZB", index_dir=tmp_path / "index", corpus=corpus)
    assert [h.doc_id for h in after.hits] == ["a"]
    assert after.expanded == {"ZB": ("Zorblat Brigade",)}


def test_a_broken_user_file_warns_and_search_still_expands(tmp_path, names_index):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "vocabulary.toml", "[[name]\n")
    warnings: list[str] = []
    _, index = names_index
    result = search("ISIS", index_dir=index, corpus=corpus, warn=warnings.append)
    assert result.total == 3
    assert any("vocabulary.toml:1:" in w for w in warnings)
