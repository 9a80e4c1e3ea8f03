"""Hostile corpus input, end to end: `ctsearch index` and `ctsearch search` as real processes.

Each hostile file sits in a corpus beside copies of the five good documents. It is either read
correctly (a distinctive word planted in it is found by `ctsearch search --json`) or skipped with
a one-line warning on stderr naming it; every good document is still indexed; the run exits 0;
no process prints a traceback, and none hangs (a FIFO named x.txt included). PDFs and web
pages are among them: good ones are read, and a page-tree bomb, deeply nested objects, a
truncated, an encrypted and a scanned PDF, and a 50 MB web page are each skipped with one line.

The 50 MB file has two tests of its own: reading and cleaning it (seconds, bounded memory),
and indexing and searching it beside the good documents (its ~100,000 passages are cut between
the build's processes: about a minute and a half on two cores, the longest test of the suite).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from docmakers import make_html, make_image_pdf, make_pdf
from pdfbombs import nested_bomb, page_tree_bomb

import ctsearch
from ctsearch.corpus import read as ingest
from ctsearch.errors import DocumentError

REPO = Path(__file__).resolve().parents[1]
GOOD = sorted((REPO / "corpus").glob("*.txt"))
CTSEARCH = Path(sys.executable).parent / "ctsearch"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
TIMEOUT = 300  # seconds for one command: a hang (a FIFO read) fails the test instead of CI
RSS_LIMIT_MB = 1536  # "a 50 MB file must not need gigabytes"
BIG_TIMEOUT = 1200  # seconds for indexing the 50 MB file: a hang fails, a loaded CI still passes

# A phrase only each good document holds, by its name's prefix.
PHRASES = {
    "000": "all of government and all of society approach",
    "001": "Passenger Name Record",
    "002": "age and gender sensitive responses",
    "003": "Reinvigorated Multilateralism",
    "004": "Global Pandemic Environment",
}

pytestmark = pytest.mark.skipif(
    len(GOOD) != 5 or not CTSEARCH.exists(), reason="needs corpus/ and the installed ctsearch"
)


# --- the hostile files -------------------------------------------------------------------------


def prose(chars: int, seed: int = 1, width: int = 0) -> str:
    """Ordinary English-like prose of about `chars` characters, in paragraphs."""
    rng = random.Random(seed)
    words = (
        "the of and to in a is that for on with as by at from this be are was it an terrorism "
        "counter cooperation Member States United Nations security council strategy prevention "
        "violent extremism victims human rights international community regional conference "
        "delegates technology financing borders law enforcement resilience partnership capacity "
        "building framework youth women civil society dialogue"
    ).split()
    paras, size = [], 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            w = [rng.choice(words) for _ in range(rng.randint(6, 24))]
            sentences.append(" ".join(w).capitalize() + ".")
        p = " ".join(sentences)
        p = "\n".join(textwrap.wrap(p, width)) if width else p
        paras.append(p)
        size += len(p) + 2
    return "\n\n".join(paras) + "\n"


def planted(word: str) -> str:
    return f"The delegates discussed the {word} proposal at length before the vote.\n"


@dataclass(frozen=True)
class Case:
    """One hostile entry: how to make it, and either the word to find or the warning to see."""

    name: str  # its path in the corpus; also what a warning must name
    make: Callable[[Path], None]
    word: str | None = None  # read correctly: this planted word is found in it
    reason: str | None = None  # skipped (or warned about): the warning naming it says this
    warns: str | None = None  # the name the warning gives, when not `name` (a sidecar)

    @property
    def warned_name(self) -> str:
        return self.warns or self.name

    @property
    def doc_id(self) -> str:
        return self.name.rsplit(".", 1)[0]


def write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def symlink(target: str, *, folder: bool = False) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target, target_is_directory=folder)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as f:
            f.truncate(size)  # no disk blocks: cheap to make whatever the size

    return make


def folder_named_txt(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text(planted("quillomfolder"))


def unreadable(path: Path) -> None:
    path.write_text(planted("quillomsecret"))
    path.chmod(0)


def with_broken_sidecar(path: Path) -> None:
    path.write_text(planted("quillomsidecar"))
    path.with_name(path.stem + ".meta.toml").write_text('title = "Unclosed\ndate = 2023-13-45\n')


def text(
    word: str,
    *,
    before: Callable[[], str] = str,
    after: Callable[[], str] = str,
    encoding: str = "utf-8",
    line_end: str = "\n",
    raw: bytes = b"",
    nuls: int = 0,
) -> Callable[[Path], None]:
    """A text file with `word` planted in it; its bulk is made only when the file is."""

    def make(path: Path) -> None:
        body = (before() + planted(word) + after()).replace("\n", line_end).encode(encoding)
        path.write_bytes(raw + body.replace(b". ", b".\x00 ", nuls))

    return make


def tiny_paragraphs() -> str:
    # Two words each, from a small vocabulary: the test is about many paragraphs, not many
    # distinct words (which only make the index slower to write).
    words = "agenda budget council debate envoy forum mandate panel quorum summit treaty".split()
    return "".join(f"{words[i % 11].capitalize()} {words[i % 7]}.\n\n" for i in range(100_000))


def one_line() -> str:
    return prose(1 << 20, 6).replace("\n", " ") + " "


ACCENTS = "Délégués “quoted” – naïve. "
HUGE_HTML_MB = 50


def pdf_with(word: str, **options) -> Callable[[Path], None]:
    """A real-shaped PDF (several pages, running header, page numbers) holding `word`."""
    paras = ["A Statement on Cooperation", planted(word), *prose(6000, 11).split("\n\n")]
    return lambda path: make_pdf(path, [p for p in paras if p.strip()], **options)


def html_with(word: str) -> Callable[[Path], None]:
    paras = ["A Page on Cooperation", planted(word), *prose(1500, 12).split("\n\n")]
    return lambda path: path.write_text(make_html([p for p in paras if p.strip()], title=paras[0]))


def truncated_pdf(path: Path) -> None:
    pdf_with("quillomtruncated")(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def huge_html(path: Path) -> None:
    """A 50 MB web page: an article of endless paragraphs inside the usual page."""
    head, tail = make_html(["A Long Page", "BODYMARKER"], title="A Long Page").split("BODYMARKER")
    block = "".join(f"<p>{p}</p>\n" for p in prose(1 << 20, 13).split("\n\n")).encode()
    with open(path, "wb") as fh:
        fh.write(head.encode())
        for _ in range(HUGE_HTML_MB):
            fh.write(block)
        fh.write(tail.encode())


CASES = [
    # Refused, each with one warning naming it.
    Case("binary.txt", write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), reason="binary"),
    Case("tiny-binary.txt", write(b"\x00\x01\x02\xff"), reason="binary"),
    Case("random-bytes.txt", write(random.Random(3).randbytes(5000)), reason="binary"),
    Case("empty.txt", write(b""), reason="empty file"),
    Case("whitespace.txt", write(b" \n\t\r\n   \n\xc2\xa0\n"), reason="only whitespace"),
    Case("bom-only.txt", write(b"\xef\xbb\xbf"), reason="empty"),
    Case("too-large.txt", sparse(ingest.MAX_FILE_BYTES + 1), reason="too large"),
    Case("fifo.txt", fifo, reason="FIFO"),
    Case("self-loop.txt", symlink("self-loop.txt"), reason="symlink"),
    Case("dangling.txt", symlink("nowhere/missing.txt"), reason="broken symlink"),
    Case("loop", symlink(".", folder=True), reason="symlink loop"),
    # Read correctly: the planted word is found.
    Case("invalid-utf8.txt", text("quillominvalid", raw=b"Caf\xc3\xa9 \xff\xfe\xc3( "),
         word="quillominvalid"),
    Case("utf16-bom.txt", text("quillombom", before=lambda: ACCENTS, encoding="utf-16"),
         word="quillombom"),
    Case("utf16le.txt", text("quillomlittle", before=lambda: ACCENTS, encoding="utf-16-le"),
         word="quillomlittle"),
    Case("utf16be.txt", text("quillombig", before=lambda: ACCENTS, encoding="utf-16-be"),
         word="quillombig"),
    Case("cp1252.txt", text("quillomwindows", before=lambda: ACCENTS, encoding="cp1252"),
         word="quillomwindows"),
    Case("nul-bytes.txt", text("quillomnul", before=lambda: prose(2000, 7), nuls=5),
         word="quillomnul"),
    Case("crlf.txt", text("quillomcrlf", before=lambda: prose(3000, 4, 70), line_end="\r\n"),
         word="quillomcrlf"),
    Case("lone-cr.txt", text("quillomcarriage", before=lambda: prose(3000, 5, 70), line_end="\r"),
         word="quillomcarriage"),
    Case("ansi.txt", text("quillomansi", raw=b"\x1b[31mRed alert\x1b[0m \x07 ",
                          after=lambda: prose(1000, 8)), word="quillomansi"),
    Case("one-line.txt", text("quillomline", before=one_line), word="quillomline"),
    Case("just-a-title.txt", write(b"Note on the quillomtitle proposal\n"), word="quillomtitle"),
    Case("tiny-paragraphs.txt", text("quillomtiny", before=tiny_paragraphs), word="quillomtiny"),
    Case("folder.txt", folder_named_txt, word="quillomfolder"),
    Case("with-sidecar.txt", with_broken_sidecar, word="quillomsidecar",
         reason="meta.toml:1:", warns="with-sidecar.meta.toml"),
    Case("name with spaces ünïcödé.txt", text("quillomunicode"), word="quillomunicode"),
    Case("upper.TXT", text("quillomupper"), word="quillomupper"),
    Case("page.md", text("quillommarkdown", before=lambda: "# A *page*\n\n**Bold** [link](#) "),
         word="quillommarkdown"),
    Case("statement.pdf", pdf_with("quillompdf"), word="quillompdf"),
    Case("web page.html", html_with("quillomhtml"), word="quillomhtml"),
    Case("page-tree-bomb.pdf", write(page_tree_bomb()), reason="page tree"),
    Case("nested-bomb.pdf", write(nested_bomb()), reason="broken PDF"),
    Case("truncated.pdf", truncated_pdf, reason="broken PDF"),
    Case("encrypted.pdf", pdf_with("quillomsecret", user_password="pw"), reason="encrypted"),
    Case("scanned.pdf", make_image_pdf, reason="no text layer: scanned image"),
    Case("huge.html", huge_html, reason="too large"),
]  # fmt: skip
if not IS_ROOT:  # root reads every file whatever its mode; the FIFO covers "unreadable" then
    CASES.append(Case("unreadable.txt", unreadable, reason="permission denied"))
CASES_BY_NAME = {c.name: c for c in CASES}
BAD_NAME = os.fsdecode(b"latin1-\xe9.txt")  # a name that is not UTF-8


@dataclass(frozen=True)
class Run:
    corpus: Path
    index: Path
    index_result: subprocess.CompletedProcess
    peak_rss_mb: float
    hits: list[dict]  # every hit of one search for all planted words and good phrases
    stats: subprocess.CompletedProcess  # `ctsearch stats --json`


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CTSEARCH_INDEX", None)
    env.pop("CTSEARCH_CORPUS", None)
    return subprocess.run(
        [str(CTSEARCH), *args], capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=cwd
    )


def index_with_peak_rss(
    corpus: Path, index: Path, timeout: float = TIMEOUT
) -> tuple[subprocess.CompletedProcess, float]:
    """`ctsearch index` run under a fresh Python whose only children are it (and its workers),
    so RUSAGE_CHILDREN reports the peak RSS of the biggest of them, in MB."""
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "json.dump({'rc': r.returncode, 'out': r.stdout, 'err': r.stderr, 'peak_kb': peak},"
        " sys.stdout)\n"
    )
    args = [str(CTSEARCH), "index", "--corpus", str(corpus), "--index", str(index)]
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *args], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    result = subprocess.CompletedProcess(args, data["rc"], data["out"], data["err"])
    return result, data["peak_kb"] / 1024  # ru_maxrss is in KiB on Linux


def search_json(corpus: Path, index: Path, query: str) -> list[dict]:
    result = run("search", "--json", "--limit", "500", "--corpus", str(corpus),
                 "--index", str(index), query)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return json.loads(result.stdout)["hits"]


def copy_good(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for path in GOOD:
        shutil.copyfile(path, corpus / path.name)


def or_query(words: list[str]) -> str:
    return " OR ".join(f'"{w}"' if " " in w else w for w in words)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One corpus with every hostile case beside the good documents, indexed once."""
    base = tmp_path_factory.mktemp("hostile")
    corpus, index = base / "corpus", base / "index"
    copy_good(corpus)
    for case in CASES:
        case.make(corpus / case.name)
    try:
        (corpus / BAD_NAME).write_bytes(planted("quillombadname").encode())
    except (OSError, UnicodeError):
        pass  # a file system that refuses such names: nothing to test
    result, peak = index_with_peak_rss(corpus, index)
    words = [c.word for c in CASES if c.word] + list(PHRASES.values())
    hits = search_json(corpus, index, or_query(words))
    stats = run("stats", "--json", "--index", str(index))
    return Run(corpus, index, result, peak, hits, stats)


# --- the one index run -------------------------------------------------------------------------


def test_index_exits_0_with_warnings_and_no_traceback(hostile: Run) -> None:
    result = hostile.index_result
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings, result.stderr
    print(f"\nctsearch index, hostile corpus: peak RSS {hostile.peak_rss_mb:.0f} MB")
    assert hostile.peak_rss_mb < RSS_LIMIT_MB


@pytest.mark.parametrize("case", [c for c in CASES if c.reason], ids=lambda c: c.name)
def test_a_skipped_file_gets_one_warning_line_naming_it(hostile: Run, case: Case) -> None:
    stderr = hostile.index_result.stderr
    lines = [line for line in stderr.splitlines() if f"/{case.warned_name}:" in line]
    # One line, not one per retry or per pass; it says what is wrong.
    assert len(lines) == 1, f"warnings naming {case.warned_name}:\n{stderr}"
    assert lines[0].startswith("warning: ") and case.reason.lower() in lines[0].lower(), lines


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_warning(hostile: Run) -> None:
    if not any(os.fsencode(p.name) == os.fsencode(BAD_NAME) for p in hostile.corpus.iterdir()):
        pytest.skip("this file system refuses non-UTF-8 names")
    lines = [ln for ln in hostile.index_result.stderr.splitlines() if "not valid UTF-8" in ln]
    assert len(lines) == 1 and "latin1-" in lines[0]


@pytest.mark.parametrize("case", [c for c in CASES if c.word], ids=lambda c: c.name)
def test_a_readable_file_is_found_by_its_planted_word(hostile: Run, case: Case) -> None:
    found = {h["doc_id"] for h in hostile.hits if re.search(rf"\b{case.word}\b", h["text"])}
    expected = "folder.txt/inside" if case.name == "folder.txt" else case.doc_id
    assert found == {expected}, f"{case.word} found in {found}"


@pytest.mark.parametrize("prefix", sorted(PHRASES))
def test_every_good_document_is_still_indexed(hostile: Run, prefix: str) -> None:
    phrase = PHRASES[prefix].lower()
    docs = {h["doc_id"] for h in hostile.hits if phrase in " ".join(h["text"].split()).lower()}
    assert [d[:3] for d in docs] == [prefix], docs


def test_stats_count_the_good_and_the_readable_documents(hostile: Run) -> None:
    result = hostile.stats
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    readable = sum(1 for c in CASES if c.word)
    assert json.loads(result.stdout)["documents"] == len(GOOD) + readable


def test_a_search_prints_no_traceback_and_clean_text(hostile: Run) -> None:
    result = run("search", "--corpus", str(hostile.corpus), "--index", str(hostile.index),
                 "quillomansi")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "\x1b" not in result.stdout and "quillomansi" in result.stdout


# --- a file that vanishes; a corpus with nothing readable --------------------------------------


def test_a_file_that_vanishes_while_indexing(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    copy_good(corpus)
    ghost = corpus / "ghost.txt"
    ghost.write_text(planted("quillomghost"))
    real_find_files = ingest.find_files

    def find_then_delete(root: Path, *, warn=None) -> list[Path]:
        files = real_find_files(root, warn=warn)
        ghost.unlink(missing_ok=True)  # listed, then gone before it is read
        return files

    monkeypatch.setattr(ingest, "find_files", find_then_delete)
    warnings: list[str] = []
    report = ctsearch.build_index(corpus, tmp_path / "index", warn=warnings.append)
    assert report.documents == len(GOOD)
    about_ghost = [w for w in warnings if "ghost.txt" in w]
    assert len(about_ghost) == 1 and about_ghost[0].startswith(f"{ghost}: "), warnings
    assert "no longer exists" in about_ghost[0] or "no such file" in about_ghost[0]


def test_read_text_of_a_file_that_vanished(tmp_path: Path) -> None:
    ghost = tmp_path / "ghost.txt"
    ghost.write_text(planted("quillomghost"))
    files = ingest.find_files(tmp_path)
    ghost.unlink()
    with pytest.raises(DocumentError) as err:
        ingest.read_text(files[0])
    assert str(err.value) == f"{ghost}: no longer exists (moved or deleted while reading)"


ONLY_BAD = [
    "binary.txt",
    "tiny-binary.txt",
    "empty.txt",
    "whitespace.txt",
    "fifo.txt",
    "dangling.txt",
]  # noqa: E501


def make_only_bad(corpus: Path) -> None:
    corpus.mkdir()
    for name in ONLY_BAD:
        CASES_BY_NAME[name].make(corpus / name)


def test_a_corpus_of_only_bad_files_warns_about_each_without_a_traceback(tmp_path: Path) -> None:
    make_only_bad(tmp_path / "corpus")
    result = run("index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix"))
    assert "Traceback" not in result.stdout + result.stderr
    for name in ONLY_BAD:
        assert f"/{name}: " in result.stderr, name


def test_a_corpus_of_only_bad_files_exits_1_saying_nothing_was_indexed(tmp_path: Path) -> None:
    make_only_bad(tmp_path / "corpus")
    result = run("index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix"))
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "could be indexed" in errors[0], result.stderr


def test_a_file_with_nothing_but_page_furniture_is_skipped_with_a_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "furniture.txt").write_text("- 1 -\n\n* * *\n\nPage 2 of 3\n")
    (corpus / "good.txt").write_text(planted("quillomgood"))
    result = run("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0 and "furniture.txt" in result.stderr


# --- the 50 MB file ----------------------------------------------------------------------------


def test_a_50_mb_file_is_read_and_cleaned_fast_in_bounded_memory(tmp_path: Path) -> None:
    # Ingestion alone, in a fresh process so that its peak RSS is its own. Hard-wrapped prose
    # with typographic quotes: the slowest kind to clean (~7 s, ~520 MB on a laptop).
    block = prose(2**20, seed=9, width=78).replace(" and ", " and “so” ")
    path = tmp_path / "big.txt"
    path.write_text(block * 25 + planted("quillomhuge") + block * 25)
    script = (
        "import json, resource, sys, time\n"
        "from ctsearch.corpus.read import clean_text, read_text\n"
        "t = time.perf_counter()\n"
        "text = clean_text(read_text(sys.argv[1]))\n"
        "took = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': took, 'peak_mb': peak,"
        " 'found': 'quillomhuge proposal' in text, 'chars': len(text)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    print(f"\n50 MB read+clean: {result['seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB")
    assert result["found"] and result["chars"] > 50 * 10**6
    assert result["seconds"] < 60  # generous: a loaded CI machine
    assert result["peak_mb"] < 1024


def test_a_50_mb_file_is_indexed_in_bounded_memory(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    copy_good(corpus)
    body = prose(50 * 2**20, seed=9, width=78)
    cut = len(body) // 2
    (corpus / "big.txt").write_text(body[:cut] + "\n" + planted("quillomhuge") + "\n" + body[cut:])
    started = time.perf_counter()
    result, peak = index_with_peak_rss(corpus, index, timeout=BIG_TIMEOUT)
    took = time.perf_counter() - started
    print(f"\nctsearch index, 50 MB file: {took:.0f} s, peak RSS {peak:.0f} MB")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert peak < RSS_LIMIT_MB
    hits = search_json(corpus, index, or_query(["quillomhuge", *PHRASES.values()]))
    assert {h["doc_id"] for h in hits if "quillomhuge" in h["text"]} == {"big"}
    assert len({h["doc_id"] for h in hits}) == 6
    stats = run("stats", "--json", "--index", str(index))
    assert json.loads(stats.stdout)["documents"] == 6, stats.stderr
