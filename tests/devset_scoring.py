"""Scores what ingestion makes of the development set (../shared/eval/devset/) against its gold
data, the way ../shared/eval/score_devset.py does, as numbers a test can hold to a goal.

`score(gold, documents)` returns every figure: dates, types and speakers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ctsearch.models import Document

TYPE_CLASS = {
    "speech": "speech",
    "statement": "speech",
    "message": "speech",
    "press_release": "press",
    "news": "press",
    "web_page": "web_page",
}


def fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(s.replace(".", " ").replace("-", " ").split())


def same_person(a: str, b: str) -> bool:
    fa, fb = fold(a).split(), fold(b).split()
    return bool(fa and fb) and (fa == fb or (fa[-1] == fb[-1] and fa[0][0] == fb[0][0]))


@dataclass
class Figures:
    """Counts behind each goal; `wrong` lists what is wrong, document by document."""

    documents: int = 0
    dated: int = 0  # documents whose text states a date
    date_right: int = 0
    undated: int = 0
    date_invented: int = 0  # a date given where the text states none
    year_known: int = 0  # documents whose year the text makes clear
    year_right: int = 0
    year_invented: int = 0
    class_right: int = 0
    type_right: int = 0
    voiced: int = 0  # documents with a speaker
    primary_found: int = 0
    gold_speakers: int = 0
    speakers_found: int = 0
    speakers_extracted: int = 0
    speakers_correct: int = 0
    wrong: dict[str, list[str]] | None = None

    def share(self, part: str, whole: str) -> float:
        total = getattr(self, whole)
        return getattr(self, part) / total if total else 1.0


def score(gold: dict[str, dict], documents: list[Document]) -> Figures:
    """All figures of `documents` (by file name) against devset.toml's entries `gold`."""
    got = {Path(d.source).name: d for d in documents}
    f = Figures(documents=len(gold), wrong={})
    for name, g in sorted(gold.items()):
        d = got.get(name)
        wrong: list[str] = []
        date = d.date if d else None
        if g["date"]:
            f.dated += 1
            f.date_right += date == g["date"]
            if date != g["date"]:
                wrong.append(f"date {g['date']} != {date}")
        else:
            f.undated += 1
            if date:
                f.date_invented += 1
                wrong.append(f"date none != {date}")
        year = d.year if d else None
        if g.get("year"):
            f.year_known += 1
            f.year_right += year == g["year"]
        elif year:
            f.year_invented += 1
        if year != g.get("year"):
            wrong.append(f"year {g.get('year')} != {year}")
        doc_type = d.doc_type if d else None
        f.class_right += TYPE_CLASS.get(doc_type or "", "?") == TYPE_CLASS[g["doc_type"]]
        f.type_right += doc_type == g["doc_type"]
        if doc_type != g["doc_type"]:
            wrong.append(f"type {g['doc_type']} != {doc_type}")
        spk, gspk = list(d.speakers) if d else [], g.get("speakers") or []
        if gspk:
            f.voiced += 1
            f.primary_found += any(same_person(s, gspk[0]) for s in spk)
        f.gold_speakers += len(gspk)
        f.speakers_found += sum(any(same_person(s, x) for s in spk) for x in gspk)
        f.speakers_extracted += len(spk)
        f.speakers_correct += sum(any(same_person(s, x) for x in gspk) for s in spk)
        if sorted(map(fold, spk)) != sorted(map(fold, gspk)):
            wrong.append(f"speakers {gspk} != {spk}")
        if wrong:
            f.wrong[name] = wrong
    return f
