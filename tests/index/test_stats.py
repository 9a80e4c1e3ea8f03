"""`stats` and `speakers` read from the index."""

from __future__ import annotations

import pytest
from conftest import GUTERRES, VORONKOV

from ctsearch.index.stats import SpeakerCount, census, speakers, stats


def test_speakers_with_passage_and_document_counts(sample_index):
    assert speakers(sample_index) == (
        SpeakerCount(VORONKOV, 5, 2),
        SpeakerCount(GUTERRES, 4, 1),
    )


def test_stats(sample_index):
    st = stats(sample_index)
    assert (st.documents, st.passages, st.speakers) == (4, 12, 2)
    assert len(st.conferences) == 3
    assert st.date_range == ("2018-06-29", "2023-06-20")
    assert st.doc_types == {"press_release": 1, "speech": 1, "statement": 1, "web_page": 1}
    assert st.index_size > 0 and st.built and st.schema_version >= 1
    assert st.to_dict()["date_range"] == ["2018-06-29", "2023-06-20"]


def _record_opened(monkeypatch) -> list:
    """Record the storage of every index state opened for reading."""
    from ctsearch.whoosh_ext import pinned

    opened = []

    def recording(folder, schema):
        storage = real_open(folder, schema)
        opened.append(storage)
        return storage

    real_open = pinned.open_pinned
    monkeypatch.setattr(pinned, "open_pinned", recording)
    return opened


@pytest.mark.parametrize("count", [speakers, stats])
def test_a_failed_count_releases_the_files_it_opened(sample_index, monkeypatch, count):
    from ctsearch.index import stats as stats_module

    opened = _record_opened(monkeypatch)

    def failing(reader):
        raise RuntimeError("boom")

    monkeypatch.setattr(stats_module, "_tally_index", failing)
    with pytest.raises(RuntimeError, match="boom"):
        count(sample_index)
    assert len(opened) == 1 and opened[0].files == {}  # every descriptor closed


def test_a_census_is_speakers_and_stats_from_one_reader(sample_index, monkeypatch):
    import ctsearch

    separately = (
        ctsearch.speakers(index_dir=sample_index),
        ctsearch.stats(index_dir=sample_index),
    )
    opened = _record_opened(monkeypatch)
    assert census(sample_index) == separately
    assert census(str(sample_index)) == separately
    assert len(opened) == 2
