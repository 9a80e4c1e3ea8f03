"""Shared fixtures: the real corpus copied into a temporary folder, indexes built there, and a
small hand-made set of Documents whose every word is known (for exact search assertions).

No test touches the repository's own index/: every index lives under pytest's tmp folders.
Indexes are session-scoped (built once) and must be treated as read-only by tests; a test that
writes to an index builds its own in tmp_path.
"""

from __future__ import annotations

import os
import random
import shutil
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from devset_scoring import Figures

# In CI the property tests are derandomized: the same examples on every run, so a submission's CI
# result does not depend on luck. Locally they keep exploring new examples.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from ctsearch.models import Document, Passage  # noqa: E402  (after the hypothesis profile)

# The console script turns unexpected exceptions into a one-line "internal error"; in tests
# (and the subprocesses they start, which inherit the environment) a bug must show its traceback
# so that the "no Traceback" assertions catch it.
os.environ["CTSEARCH_DEBUG"] = "1"

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
EVAL_DIR = REPO.parent / "shared" / "eval"
DEVSET = EVAL_DIR / "devset"  # 64 published texts and their gold data (devset.toml)

# The seed files of corpus/ by their three-digit prefix ("004" -> corpus/004_....txt).
SEED_FILES = {
    name[:3]: CORPUS / name for name in sorted(os.listdir(CORPUS) if CORPUS.is_dir() else [])
}


def seed_text(prefix: str) -> str:
    """The cleaned text of the seed file `prefix` (the test is skipped without corpus/)."""
    from ctsearch.corpus.clean.pipeline import clean_text
    from ctsearch.corpus.read import read_text

    if prefix not in SEED_FILES:
        pytest.skip("corpus/ is not present")
    return clean_text(read_text(SEED_FILES[prefix]))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a cleaned text, empty ones kept (a stray blank line shows as "")."""
    return text.split("\n\n") if text else []


FIRST = "First United Nations High-Level Conference on Counter-Terrorism (2018)"
SECOND = "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
THIRD = "Third United Nations High-Level Conference on Counter-Terrorism (2023)"
GUTERRES = "António Guterres"
VORONKOV = "Vladimir Voronkov"


def make_document(
    doc_id: str,
    passages: list[tuple[str, tuple[str, ...]]],
    *,
    title: str = "A title",
    doc_type: str = "speech",
    date: str | None = None,
    year: int | None = None,
    place: str | None = "New York",
    conference: str | None = None,
    url: str | None = None,
) -> Document:
    """A Document whose passages are the given texts (with their speakers), offsets exact."""
    text = ""
    built = []
    for ordinal, (body, speakers) in enumerate(passages):
        start = len(text)
        text += body + "\n\n"
        built.append(
            Passage(
                passage_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                text=body,
                start=start,
                end=start + len(body),
                speakers=speakers,
            )
        )
    if year is None and date:
        year = int(date[:4])
    speakers = tuple(dict.fromkeys(s for _, ss in passages for s in ss))
    return Document(
        doc_id=doc_id,
        source=f"corpus/{doc_id}.txt",
        title=title,
        doc_type=doc_type,
        date=date,
        year=year,
        place=place,
        conference=conference,
        speakers=speakers,
        text=text,
        passages=tuple(built),
        url=url,
    )


def sample_documents() -> list[Document]:
    """Four small documents covering the cases the search tests need."""
    g, v = (GUTERRES,), (VORONKOV,)
    return [
        make_document(
            "speech-a",
            [
                (
                    "We know they are researching cyber-attacks and the use of drones "
                    "for chemical attacks.",
                    g,
                ),
                (
                    "We must bring foreign terrorist fighters to justice and adopt an "
                    "all-of-society approach.",
                    g,
                ),
                ("Counterterrorism efforts must respect the rule of law. The US will not lead.", g),
                ("Financing of terrorism may not be ignored by anyone.", g),
            ],
            title="Closing remarks on counter-terrorism",
            date="2018-06-29",
            conference=FIRST,
        ),
        make_document(
            "press-b",
            [
                ("All of society must be engaged; counter terrorism is everyone's job.", ()),
                ("A terrorist safe haven anywhere is a threat everywhere, he said.", v),
                ("The drone strikes on civilians were condemned in strong terms.", v),
            ],
            title="Second Counter-Terrorism Week concludes",
            doc_type="press_release",
            date="2021-06-30",
            conference=SECOND,
            url="https://example.org/press-b",
        ),
        make_document(
            "web-c",
            [
                ("The Virtual Counter-Terrorism Week was held during the global pandemic.", ()),
                ("Place victims at the center; victims of terrorism deserve support.", ()),
            ],
            title="Second High-Level Conference",
            doc_type="web_page",
            year=2021,
            place=None,
            conference=SECOND,
        ),
        make_document(
            "statement-d",
            [
                ("Fighters who are foreign and terrorists returned home.", v),
                ("Cyber attacks and drones were discussed with the private sector.", v),
                ("Repatriating nationals from conflict zones is urgent.", v),
            ],
            title="Statement at the Third Conference",
            doc_type="statement",
            date="2023-06-20",
            conference=THIRD,
        ),
    ]


def index_documents(corpus: Path, index_dir: Path, documents: list[Document], warn=None) -> int:
    """A full index of hand-made Documents (exact texts and speakers, no ingestion), written
    as a build writes one (the schema's fields, a new generation swapped in); its passages.
    The library has no such path: its indexes always come from a corpus (index/sync.py)."""
    from ctsearch.index.schema import add_passages
    from ctsearch.index.store import claim, create_index, swap_in, write_lock
    from ctsearch.whoosh_ext.segwriter import segment_writer

    def write(gen_dir: Path) -> tuple[int, int]:
        writer = segment_writer(create_index(gen_dir))
        passages = sum(add_passages(writer, doc) for doc in documents)
        writer.commit()
        return sum(1 for doc in documents if doc.passages), passages

    Path(corpus).mkdir(parents=True, exist_ok=True)
    marker = claim(Path(index_dir), warn)
    with write_lock(Path(index_dir)):
        return swap_in(Path(corpus), Path(index_dir), write, marker=marker)[1]


def replace_documents(index_dir: Path, documents=(), *, delete=()):
    """Replace hand-made Documents' passages and delete `delete` doc_ids in one commit, as an
    update does (update.commit_changes under the lock); its UpdateCounts."""
    from ctsearch.index.store import write_lock
    from ctsearch.index.update import commit_changes

    with write_lock(Path(index_dir)):
        return commit_changes(Path(index_dir), documents, delete=delete)


WORDS = (
    "terrorism victims drones financing cyber justice conference prevention youth rights "
    "society borders weapons recruitment online extremism cooperation resilience law"
).split()


def write_doc(corpus: Path, name: str, seed: int, *, paragraphs: int = 3) -> Path:
    """A small statement whose words depend on `seed` (so that a change changes passages)."""
    rng = random.Random(seed)
    body = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + "." for _ in range(paragraphs)
    )
    path = corpus / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Statement {name} on counter-terrorism\n\n{body}\n", encoding="utf-8")
    return path


def contents(index_dir: Path) -> list[tuple]:
    """Every live passage's stored fields, sorted: what a user can get out of the index."""
    from ctsearch.index.store import open_index

    ix = open_index(index_dir)
    with ix.searcher() as s:
        rows = [
            tuple(sorted((k, repr(v)) for k, v in fields.items()))
            for fields in s.all_stored_fields()
        ]
    return sorted(rows)


def rebuilt_contents(corpus: Path, tmp_path: Path) -> list[tuple]:
    from ctsearch.index.sync import sync_index

    fresh = tmp_path / f"rebuild-{random.random()}"
    sync_index(corpus, fresh, rebuild=True)
    return contents(fresh)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of sample_documents() (read-only for tests)."""
    root = tmp_path_factory.mktemp("sample")
    index_documents(root / "corpus", root / "index", sample_documents())
    return root / "index"


@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's corpus/ copied into a temporary folder (the bytes are never touched)."""
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(CORPUS, root / "corpus")
    return root / "corpus"


@pytest.fixture(scope="session")
def real_index(real_corpus: Path) -> Path:
    """An index of the real corpus, built once (read-only for tests)."""
    from ctsearch.index.sync import sync_index

    index_dir = real_corpus.parent / "index"
    sync_index(real_corpus, index_dir)
    return index_dir


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the real corpus, for tests that build or change an index."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


@pytest.fixture(scope="session")
def wide_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the real corpus plus the real documents of ../shared/eval/devset/docs (70
    documents over 2001-2025: years, speakers and types enough for the research views), built
    once (read-only for tests); skipped when that folder is absent."""
    from ctsearch.index.sync import sync_index

    docs = DEVSET / "docs"
    if not docs.is_dir():
        pytest.skip(f"{docs} not found (the shared/ folder beside the repo)")
    root = tmp_path_factory.mktemp("wide")
    shutil.copytree(CORPUS, root / "corpus")
    for path in docs.iterdir():
        if path.is_file():
            shutil.copy2(path, root / "corpus" / path.name)
    sync_index(root / "corpus", root / "index")
    return root / "index"


@dataclass(frozen=True)
class DevsetRun:
    gold: dict[str, dict]  # devset.toml: file name -> gold fields
    figures: Figures
    seconds: float  # parsing the 64 documents and scoring them


@pytest.fixture(scope="session")
def devset() -> DevsetRun:
    """The development set parsed once (for the date, type and speaker tiers) and scored like
    ../shared/eval/score_devset.py; skipped when it is absent."""
    from devset_scoring import score

    from ctsearch.documents.parse import parse_files

    if not (DEVSET / "devset.toml").is_file():
        pytest.skip(f"development set not found in {DEVSET}")
    gold = tomllib.loads((DEVSET / "devset.toml").read_text("utf-8"))
    start = time.perf_counter()
    figures = score(gold, parse_files([DEVSET / "docs" / name for name in sorted(gold)]))
    return DevsetRun(gold, figures, time.perf_counter() - start)
