"""`watch()` with a real watchdog observer on a temporary corpus."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ctsearch.corpus.watch import _Batcher, is_relevant, watch
from ctsearch.errors import CorpusError

DEBOUNCE = 0.3


class Recorder:
    """Runs watch() in a thread and records the batches it reports."""

    def __init__(self, corpus: Path, **options) -> None:
        self.batches: list[set[Path]] = []
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.result: list[int] = []
        self.ready = threading.Event()
        options.setdefault("debounce", DEBOUNCE)
        self.thread = threading.Thread(
            target=lambda: self.result.append(
                watch(corpus, self.on_change, stop=self.stop, initial=True, **options)
            )
        )

    def on_change(self, paths: set[Path]) -> None:
        if not paths and not self.ready.is_set():
            self.ready.set()  # the `initial` call: events are being collected from now on
            return
        with self.changed:
            self.batches.append(paths)
            self.changed.notify_all()

    def __enter__(self) -> Recorder:
        self.thread.start()
        assert self.ready.wait(5), "watch() never started"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        assert not self.thread.is_alive(), "watch() did not return when stopped"

    def wait_batches(self, count: int, timeout: float = 5.0) -> list[set[Path]]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.batches) >= count, timeout)
        return list(self.batches)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "old.txt").write_text("old")
    return folder.resolve()


def test_a_new_file_gives_one_batch(corpus: Path) -> None:
    with Recorder(corpus) as rec:
        started = time.monotonic()
        (corpus / "new.txt").write_text("new document")
        batches = rec.wait_batches(1)
        elapsed = time.monotonic() - started
        time.sleep(DEBOUNCE * 3)  # nothing more may follow
    assert rec.batches == [{corpus / "new.txt"}]
    assert DEBOUNCE <= elapsed < 4
    assert batches
    assert rec.result == [2]  # the initial call and one batch


def test_a_burst_of_writes_gives_one_batch(corpus: Path) -> None:
    with Recorder(corpus) as rec:
        for i in range(10):
            (corpus / "sub" / f"doc{i}.md").write_text(f"document {i}")
            (corpus / "sub" / f"doc{i}.meta.toml").write_text(f'title = "t{i}"')
            time.sleep(DEBOUNCE / 10)
        rec.wait_batches(1)
        time.sleep(DEBOUNCE * 3)
    assert len(rec.batches) == 1
    expected = {corpus / "sub" / f"doc{i}{ext}" for i in range(10) for ext in (".md", ".meta.toml")}
    assert rec.batches[0] == expected


def test_changes_deletes_and_moves_are_seen_and_noise_is_not(corpus: Path) -> None:
    with Recorder(corpus) as rec:
        (corpus / "notes.docx").write_bytes(b"ignored")
        (corpus / "sub" / "image.png").write_bytes(b"ignored")
        (corpus / "sub" / "people.toml").write_text("")  # only the corpus root's counts
        time.sleep(DEBOUNCE * 3)
        assert rec.batches == []
        (corpus / "old.txt").write_text("changed")
        assert rec.wait_batches(1)[-1] == {corpus / "old.txt"}
        (corpus / "old.txt").rename(corpus / "renamed.txt")
        assert rec.wait_batches(2)[-1] == {corpus / "old.txt", corpus / "renamed.txt"}
        (corpus / "renamed.txt").unlink()
        assert rec.wait_batches(3)[-1] == {corpus / "renamed.txt"}
        (corpus / "people.toml").write_text("[[person]]\n")
        assert rec.wait_batches(4)[-1] == {corpus / "people.toml"}
        # An editor's atomic save: a temp file renamed over the document.
        (corpus / ".draft.tmp").write_text("v2")
        (corpus / ".draft.tmp").rename(corpus / "sub" / "saved.txt")
        assert rec.wait_batches(5)[-1] == {corpus / "sub" / "saved.txt"}


def test_a_folder_moved_out_is_reported(corpus: Path, tmp_path: Path) -> None:
    (corpus / "sub" / "a.txt").write_text("a")
    with Recorder(corpus) as rec:
        (corpus / "sub").rename(tmp_path / "elsewhere")
        batch = rec.wait_batches(1)[0]
    assert corpus / "sub" in batch


def test_a_file_moved_out_of_the_corpus_is_reported(corpus: Path, tmp_path: Path) -> None:
    with Recorder(corpus) as rec:
        (corpus / "old.txt").rename(tmp_path / "taken-away.txt")
        assert rec.wait_batches(1)[0] == {corpus / "old.txt"}


def test_events_during_a_callback_form_the_next_batch(corpus: Path) -> None:
    calls: list[set[Path]] = []
    stop = threading.Event()

    def slow(paths: set[Path]) -> None:
        calls.append(paths)
        if len(calls) == 1:
            (corpus / "during.txt").write_text("written while indexing")
            time.sleep(DEBOUNCE * 2)
        else:
            stop.set()

    thread = threading.Thread(target=watch, args=(corpus, slow), kwargs={"stop": stop})
    thread.start()
    time.sleep(0.3)
    (corpus / "first.txt").write_text("first")
    thread.join(10)
    assert calls == [{corpus / "first.txt"}, {corpus / "during.txt"}]


def test_callback_error_stops_watching_and_propagates(corpus: Path) -> None:
    def boom(paths: set[Path]) -> None:
        raise ValueError("broken update")

    with pytest.raises(ValueError, match="broken update"):
        watch(corpus, boom, initial=True)


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such corpus folder"):
        watch(tmp_path / "absent", lambda paths: None)


def test_ctrl_c_returns_cleanly(corpus: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from ctsearch.corpus.watch import watch\n"
        "n = watch(Path(sys.argv[1]), lambda p: print('ready', flush=True), initial=True)\n"
        "print('returned', n, flush=True)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(corpus)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0
    assert out.strip() == "returned 1"


def test_max_wait_bounds_an_endless_burst() -> None:
    batcher = _Batcher()
    batcher.add({Path("a.txt")})
    assert batcher.take_if_due(debounce=10, max_wait=10) is None
    time.sleep(0.05)
    batcher.add({Path("b.txt")})
    assert batcher.take_if_due(debounce=10, max_wait=0.04) == {Path("a.txt"), Path("b.txt")}
    assert batcher.take_if_due(debounce=0, max_wait=0) is None


@pytest.mark.parametrize(
    ("name", "relevant"),
    [
        ("a.txt", True),
        ("sub/a.md", True),
        ("a.meta.toml", True),
        ("people.toml", True),
        ("sub/people.toml", False),
        ("a.txt.swp", False),
        (".a.txt.x1y2.ctsearch-tmp", False),
        ("index/_MAIN_1.toc", False),
        ("index/manifest.json", False),
        (".hidden.txt", False),
        (".git/x.md", False),
        ("sub/.cache/a.txt", False),
    ],
)
def test_relevant_files(name: str, relevant: bool) -> None:
    corpus = Path("/c")
    assert is_relevant(corpus / name, corpus) is relevant


def test_watch_does_not_leave_threads_behind(corpus: Path) -> None:
    before = threading.active_count()
    stop = threading.Event()
    stop.set()
    assert watch(corpus, lambda paths: None, stop=stop) == 0
    time.sleep(0.1)
    assert threading.active_count() <= before
    assert os.listdir(corpus)  # untouched
