"""The manifest (manifest.py) and the corpus snapshots it records (snapshot.py): hashes,
stats, diff, crash safety."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ctsearch.corpus.files import sidecar_path
from ctsearch.index import manifest as mf
from ctsearch.index import snapshot as snap
from ctsearch.index.manifest import (
    Changes,
    FileState,
    Manifest,
    diff,
    load,
    save,
)
from ctsearch.index.snapshot import people_sha256, snapshot
from ctsearch.index.store import MANIFEST_FILENAME

VERSIONS = {"schema": "1", "ingest": "1"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Alpha document.\n")
    (folder / "a.meta.toml").write_text('title = "Alpha"\n')
    (folder / "sub" / "b.md").write_text("# Beta\n\nText.\n")
    (folder / "c.txt").write_text("Gamma.\n")
    time.sleep(0.01)  # the files' timestamps are now strictly before any snapshot below
    return folder


def _docs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))


def _snap(corpus: Path, previous: Manifest | None = None, **kw) -> Manifest:
    kw.setdefault("versions", VERSIONS)
    kw.setdefault("files", _docs(corpus))
    return snapshot(corpus, previous=previous, **kw)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def count_hashes(monkeypatch):
    """Counts the files snapshot() actually reads."""
    calls: list[Path] = []
    real = snap._hash_file

    def counting(path):
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(snap, "_hash_file", counting)
    return calls


def test_snapshot_records_hashes_sidecars_and_stats(corpus: Path) -> None:
    m = _snap(corpus)
    assert sorted(m.files) == ["a", "c", "sub/b"]
    a, b = m.files["a"], m.files["sub/b"]
    assert a.source == "a.txt" and b.source == "sub/b.md"
    assert a.sha256 == _sha(corpus / "a.txt")
    assert a.sidecar_sha256 == _sha(corpus / "a.meta.toml")
    assert b.sidecar_sha256 is None and b.sidecar_stat is None
    st = (corpus / "a.txt").stat()
    assert (a.size, a.mtime_ns, a.ctime_ns, a.inode) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        st.st_ino,
    )
    assert m.versions == VERSIONS and m.unreadable == {}
    assert m.people_sha256 == people_sha256(corpus)


def test_snapshot_finds_the_files_itself(corpus: Path) -> None:
    m = snapshot(corpus, versions=VERSIONS)
    assert sorted(m.files) == ["a", "c", "sub/b"]


def test_json_round_trip_and_atomic_save(corpus: Path, tmp_path: Path) -> None:
    m = _snap(corpus)
    assert Manifest.from_json(m.to_json()) == m
    path = tmp_path / "index" / MANIFEST_FILENAME
    save(m, path)
    assert load(path) == m
    assert sorted(os.listdir(path.parent)) == [MANIFEST_FILENAME]  # no temp file left behind
    json.loads(path.read_text())  # plain JSON, for humans and tools
    save(replace(m, versions={"schema": "2"}), path)
    assert load(path).versions == {"schema": "2"}


def test_a_missing_manifest_is_silently_none(tmp_path: Path) -> None:
    warnings: list[str] = []
    assert load(tmp_path / MANIFEST_FILENAME, warn=warnings.append) is None
    assert warnings == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage",
        b'{"format": 1, "files": {',
        b'{"format": 999, "files": {}}',
        b'{"format": 1}',
        b'{"format": 1, "created_ns": 0, "people_sha256": "x", "versions": {}, "files": []}',
        b'{"format": 1, "created_ns": 0, "people_sha256": "x", "versions": {},'
        b' "files": {"a": {"source": "a.txt", "bogus": 1}}}',
        b"\xff\xfe\x00",
        b"[1, 2]",
    ],
)
def test_a_corrupt_manifest_is_treated_as_missing_with_a_warning(tmp_path, content) -> None:
    path = tmp_path / MANIFEST_FILENAME
    path.write_bytes(content)
    warnings: list[str] = []
    assert load(path, warn=warnings.append) is None
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}: manifest ")
    assert warnings[0].endswith("re-indexing everything")
    assert "\n" not in warnings[0]


def test_no_previous_manifest_means_everything(corpus: Path) -> None:
    changes = diff(None, _snap(corpus))
    assert changes.all_changed and changes.reason
    assert changes.added == ("a", "c", "sub/b")
    assert changes.to_ingest == ("a", "c", "sub/b")


def test_added_changed_removed_unchanged(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "c.txt").write_text("Gamma, revised.\n")  # content
    (corpus / "sub" / "b.meta.toml").write_text('date = "2021"\n')  # a sidecar appears
    (corpus / "a.txt").unlink()  # removed (its sidecar stays, and does not matter)
    (corpus / "d.txt").write_text("Delta.\n")  # added
    new = _snap(corpus, previous=old)
    changes = diff(old, new)
    assert changes == Changes(
        added=("d",), changed=("c", "sub/b"), removed=("a",), unchanged=(), all_changed=False
    )
    assert changes.to_ingest == ("c", "d", "sub/b")
    assert changes.to_delete == ("a", "c", "d", "sub/b")
    assert changes.has_work
    assert changes.counts() == {
        "added": 1,
        "changed": 2,
        "removed": 1,
        "unchanged": 0,
        "unreadable": 0,
    }


def test_nothing_changed(corpus: Path) -> None:
    old = _snap(corpus)
    changes = diff(old, _snap(corpus, previous=old))
    assert changes.unchanged == ("a", "c", "sub/b")
    assert not changes.has_work and changes.to_delete == ()


def test_a_sidecar_edit_or_removal_is_a_change(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "a.meta.toml").write_text('title = "Alpha, corrected"\n')
    assert diff(old, _snap(corpus, previous=old)).changed == ("a",)
    (corpus / "a.meta.toml").unlink()
    assert diff(old, _snap(corpus, previous=old)).changed == ("a",)


def test_a_file_renamed_to_the_other_extension_is_a_change(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "c.txt").rename(corpus / "c.md")  # same bytes, now read as Markdown
    assert diff(old, _snap(corpus, previous=old)).changed == ("c",)


def test_people_data_or_versions_change_everything(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "people.toml").write_text('[[person]]\nname = "Jane Doe"\n')
    changes = diff(old, _snap(corpus, previous=old))
    assert changes.all_changed and changes.reason == "the people data changed"
    assert changes.unchanged == ("a", "c", "sub/b")
    assert changes.to_ingest == ("a", "c", "sub/b")
    bumped = _snap(corpus, previous=old, versions={"schema": "2", "ingest": "1"})
    changes = diff(_snap(corpus), bumped)
    assert changes.all_changed and changes.reason == "the schema version changed (1 → 2)"


def test_people_hash_covers_both_files(corpus: Path, tmp_path: Path) -> None:
    builtin = tmp_path / "builtin.toml"
    builtin.write_text("# built-in\n")
    first = people_sha256(corpus, builtin=builtin)
    builtin.write_text("# built-in, edited\n")
    second = people_sha256(corpus, builtin=builtin)
    (corpus / "people.toml").write_text("")
    third = people_sha256(corpus, builtin=builtin)  # an empty file is not an absent one
    assert len({first, second, third}) == 3


def test_unchanged_stats_are_trusted_without_reading(corpus, count_hashes, monkeypatch) -> None:
    monkeypatch.setattr(snap, "RACY_WINDOW_NS", 0)
    old = _snap(corpus)
    count_hashes.clear()
    time.sleep(0.01)
    new = _snap(corpus, previous=old)
    assert count_hashes == []
    assert new.files == old.files
    # Same size, and the mtime put back: the ctime still gives it away, and the hash decides.
    path = corpus / "c.txt"
    st = path.stat()
    path.write_text("Gamma!\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    newer = _snap(corpus, previous=new)
    assert count_hashes == [path]
    assert diff(new, newer).changed == ("c",)


def test_a_touched_but_identical_file_is_hashed_and_unchanged(corpus, count_hashes) -> None:
    old = _snap(corpus)
    os.utime(corpus / "a.txt")
    count_hashes.clear()
    new = _snap(corpus, previous=old)
    assert corpus / "a.txt" in count_hashes
    assert diff(old, new).unchanged == ("a", "c", "sub/b")


def test_files_changed_near_the_previous_snapshot_are_rehashed(corpus, count_hashes) -> None:
    old = _snap(corpus)  # the files were written moments ago: within RACY_WINDOW_NS
    count_hashes.clear()
    _snap(corpus, previous=old)
    assert len(count_hashes) == 3 + 1  # three documents and a's sidecar


def test_a_vanished_file_is_unreadable_not_removed(corpus: Path) -> None:
    old = _snap(corpus)
    files = _docs(corpus)  # listed...
    (corpus / "c.txt").unlink()  # ...then gone before it could be read
    warnings: list[str] = []
    new = _snap(corpus, previous=old, files=files, warn=warnings.append)
    assert warnings == [f"{corpus / 'c.txt'}: not readable (no such file or directory)"]
    assert new.unreadable == {"c": "no such file or directory"}
    assert new.files["c"] == old.files["c"]  # its last good state is what the index keeps
    changes = diff(old, new)
    assert changes.unreadable == ("c",) and changes.removed == () and "c" not in changes.to_delete
    # Next run the file is simply not there: removed.
    assert diff(new, _snap(corpus, previous=new)).removed == ("c",)


def test_a_new_unreadable_file_is_neither_added_nor_kept(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "d.txt").mkdir()  # a folder with a document's name cannot be read
    warnings: list[str] = []
    new = _snap(corpus, previous=old, warn=warnings.append)
    assert "d" not in new.files and "d" in new.unreadable
    assert warnings and warnings[0].startswith(f"{corpus / 'd.txt'}: not readable (")
    changes = diff(old, new)
    assert changes.added == () and changes.unreadable == ("d",)


def test_an_unreadable_sidecar_makes_its_document_unreadable(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "a.meta.toml").unlink()
    (corpus / "a.meta.toml").mkdir()
    new = _snap(corpus, previous=old, warn=lambda m: None)
    assert new.unreadable.keys() == {"a"}
    assert diff(old, new).unreadable == ("a",)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_keeps_its_passages(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "c.txt").chmod(0)
    warnings: list[str] = []
    new = _snap(corpus, previous=old, warn=warnings.append)
    assert warnings == [f"{corpus / 'c.txt'}: not readable (permission denied)"]
    assert diff(old, new).unreadable == ("c",)


def test_unreadable_during_a_full_reindex_is_redone_later(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "people.toml").write_text("# new people data\n")
    files = _docs(corpus)
    content = (corpus / "c.txt").read_bytes()
    (corpus / "c.txt").unlink()
    new = _snap(corpus, previous=old, files=files, warn=lambda m: None)
    changes = diff(old, new)
    assert changes.all_changed and "c" not in changes.to_ingest and "c" not in changes.to_delete
    assert new.files["c"].stale  # its passages predate the new people data
    (corpus / "c.txt").write_bytes(content)  # readable again, same bytes
    again = _snap(corpus, previous=new)
    changes = diff(new, again)
    assert changes.changed == ("c",) and not changes.all_changed
    assert not again.files["c"].stale


def test_keep_previous_for_files_that_failed_during_ingestion(corpus: Path) -> None:
    old = _snap(corpus)
    (corpus / "c.txt").write_text("Gamma, revised.\n")
    new = _snap(corpus, previous=old)
    kept = new.keep_previous({"c": "permission denied"}, old)
    assert kept.files["c"] == old.files["c"] and kept.unreadable == {"c": "permission denied"}
    (corpus / "d.txt").write_text("Delta.\n")
    newer = _snap(corpus, previous=kept)
    assert "d" not in newer.keep_previous({"d": "gone"}, kept).files
    assert kept.keep_previous({"a": "x"}, old, all_changed=True).files["a"].stale


def test_an_interrupted_update_is_redone_whatever_state_it_reached(corpus, tmp_path) -> None:
    path = tmp_path / MANIFEST_FILENAME
    old = _snap(corpus)
    save(old, path)
    # The lost run: d added and c changed; it marked them pending, then died (before or after
    # its commit: we cannot know which).
    (corpus / "d.txt").write_text("Delta.\n")
    (corpus / "c.txt").write_text("Gamma, revised.\n")
    lost = _snap(corpus, previous=old)
    changes = diff(old, lost)
    mf.mark_pending(path, old, changes)
    assert load(path).pending == ("c", "d")
    assert load(path).files == old.files
    # Before the next run the user deletes d again and reverts c to what the manifest says.
    (corpus / "d.txt").unlink()
    (corpus / "c.txt").write_text("Gamma.\n")
    recovered = load(path)
    changes = diff(recovered, _snap(corpus, previous=recovered))
    assert changes.removed == ("d",)  # never in the saved manifest, maybe in the index
    assert changes.changed == ("c",)  # same bytes as recorded, but the index may differ
    assert changes.unchanged == ("a", "sub/b")
    # And the run after that, from a clean save, has nothing to do.
    clean = _snap(corpus, previous=recovered)
    assert clean.pending == ()
    assert not diff(clean, _snap(corpus, previous=clean)).has_work


def test_a_pending_document_that_is_unreadable_is_redone_later(corpus, tmp_path) -> None:
    old = _snap(corpus).with_pending(["c", "new"])
    files = [*_docs(corpus), corpus / "new.txt"]  # new.txt: listed, then vanished
    content = (corpus / "c.txt").read_bytes()
    (corpus / "c.txt").unlink()
    now = _snap(corpus, previous=old, files=files, warn=lambda m: None)
    assert now.files["c"].stale and now.files["new"].stale
    assert diff(old, now).unreadable == ("c", "new")
    (corpus / "c.txt").write_bytes(content)
    later = diff(now, _snap(corpus, previous=now))
    assert later.changed == ("c",) and later.removed == ("new",)


def test_mark_pending_without_a_manifest_or_changes_writes_nothing(corpus, tmp_path) -> None:
    path = tmp_path / MANIFEST_FILENAME
    m = _snap(corpus)
    mf.mark_pending(path, None, diff(None, m))
    assert not path.exists()
    mf.mark_pending(path, m, diff(m, m))
    assert not path.exists()
    save(m, path)
    mf.discard(path)
    assert not path.exists()
    mf.discard(path)  # already gone: fine


def test_without_makes_the_next_run_add_them(corpus: Path) -> None:
    m = _snap(corpus)
    saved = m.without(["c", "absent"])
    assert sorted(saved.files) == ["a", "sub/b"]
    assert diff(saved, _snap(corpus, previous=saved)).added == ("c",)


def test_a_stale_entry_is_rehashed_and_changed(corpus: Path, count_hashes, monkeypatch) -> None:
    monkeypatch.setattr(snap, "RACY_WINDOW_NS", 0)
    old = _snap(corpus)
    old = replace(old, files={**old.files, "a": replace(old.files["a"], stale=True)})
    count_hashes.clear()
    new = _snap(corpus, previous=old)
    assert corpus / "a.txt" in count_hashes
    assert diff(old, new).changed == ("a",)


def test_two_files_with_one_document_id(corpus: Path) -> None:
    (corpus / "c.md").write_text("Gamma in Markdown.\n")
    warnings: list[str] = []
    m = _snap(corpus, warn=warnings.append)
    assert m.files["c"].source == "c.md"  # sorted first; the other is named in a warning
    assert warnings == [f"{corpus / 'c.txt'}: same document id 'c' as {corpus / 'c.md'}; skipped"]


@pytest.mark.parametrize(
    "relative",
    [
        "a.txt",
        "sub/b.md",
        "x/y/z.TXT",
        "a.b.c.txt",
        "sub.d/a.md",
        "with space/é.txt",
        "sub/./a.txt",
        "sub//a.txt",
        "sub/../a.txt",
        "notes.rst",
    ],
)
def test_document_ids_agree_with_ingest(tmp_path: Path, relative: str) -> None:
    from ctsearch.corpus.read import doc_id_for

    corpus = tmp_path / "corpus"
    path = Path(os.path.join(corpus, relative))
    (tmp_path / "corpus" / "x").mkdir(parents=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("text")
    m = snapshot(corpus, files=[path], versions=VERSIONS)
    assert list(m.files) == [doc_id_for(path, corpus)]
    fast = snap._doc_id(relative)
    assert fast is None or fast == doc_id_for(path, corpus)


def test_sidecar_path() -> None:
    assert sidecar_path(Path("x/a.b.txt")) == Path("x/a.b.meta.toml")
    assert sidecar_path(Path("x/a.md")) == Path("x/a.meta.toml")


def test_file_state_without_optional_fields_loads() -> None:
    state = FileState("a.txt", "0" * 64, None, 1, 2)
    assert state.stat_key == (1, 2, 0, 0)


# A child that saves a big manifest over and over; killed at random, the file must stay whole.
SAVER = """
import sys
from ctsearch.index.manifest import FileState, Manifest, save
files = {f"doc{i:05d}": FileState(f"doc{i:05d}.txt", "%064x" % i, None, i, i) for i in range(10000)}
n = 0
while True:
    n += 1
    save(Manifest(files=files, people_sha256="p", versions={"run": str(n)}), sys.argv[1])
    if n == 1:
        print("ready", flush=True)
"""


def test_a_killed_save_leaves_a_whole_manifest(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST_FILENAME
    rng = random.Random(7)
    seen_runs = set()
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.5))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        warnings: list[str] = []
        loaded = load(path, warn=warnings.append)
        assert warnings == [] and loaded is not None and len(loaded.files) == 10000
        seen_runs.add(loaded.versions["run"])
    assert seen_runs
