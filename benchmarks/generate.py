"""Deterministic generator of a large raw corpus shaped like the real one, for the benchmarks.

    python benchmarks/generate.py --passages 10000 --out benchmarks/work/10k/corpus

Writes press releases (PDF-extracted with hard wraps, some with a blank line after every line,
some Markdown), speeches (one sentence per line), statements, messages, news stories and web pages
into year folders, with datelines, titles, speakers quoted directly or in reported speech, and a
vocabulary that grows with size. About 20-40 passages of 60-100 words per document. The same seed
and size always give the same bytes. A hidden `.benchmark-manifest.json` summarises the output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lexicon import (  # noqa: E402
    MONTHS,
    REAL_EVENTS,
    REAL_PEOPLE,
    Lexicon,
    Person,
    build_lexicon,
)
from benchmarks.prose import Prose, upper_first  # noqa: E402

GENERATOR_VERSION = 1
DEFAULT_SEED = 20240601
PASSAGES_PER_DOC = (20, 40)
WORDS_PER_PASSAGE = (60, 100)
YEARS = range(2006, 2027)
# Document kinds and their shares; press releases come in three extraction styles.
KINDS = [
    ("press_pdf_double", 0.12),
    ("press_pdf_wrap", 0.12),
    ("press_markdown", 0.12),
    ("speech", 0.22),
    ("statement", 0.14),
    ("message", 0.08),
    ("news", 0.12),
    ("web_page", 0.08),
]
# Share of web pages (which state no date) given a NAME.meta.toml sidecar with date, title, url.
SIDECAR_SHARE = 0.3
# Share of line ends falling inside a long word that a PDF extraction hyphenates.
HYPHENATE_SHARE = 0.08
# Byte-level variants of the written files (the rest is plain UTF-8 with LF).
ENCODINGS = [("utf-8-sig", 0.03), ("cp1252", 0.03), ("crlf", 0.03), ("utf-16", 0.01)]


@dataclass
class Doc:
    """One generated file before encoding."""

    kind: str
    date: str
    text: str
    ext: str = ".txt"
    speakers: list[str] = field(default_factory=list)
    event: str | None = None
    passages: int = 0


def format_date(iso: str, style: str = "dmy") -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if style == "mdy":
        return f"{MONTHS[m - 1]} {d}, {y}"
    return f"{d} {MONTHS[m - 1]} {y}"


def wrap(text: str, width: int, rng: random.Random) -> list[str]:
    """Greedy hard wrap like a PDF extraction: breaks at spaces, after the hyphen of a compound
    ("Counter-" / "Terrorism"), and now and then inside a long word ("commu-" / "nity")."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        elif "-" in word and len(line) + 2 + word.index("-") <= width:
            head, tail = word.split("-", 1)
            lines.append(f"{line} {head}-")
            line = tail
        elif (
            word.isalpha()
            and min(len(word) - 4, width - len(line) - 2) >= 4
            and rng.random() < HYPHENATE_SHARE
        ):
            cut = rng.randint(4, min(len(word) - 4, width - len(line) - 2))
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


class DocumentWriter:
    """Builds documents of every kind from one rng, one lexicon and one Prose."""

    def __init__(self, rng: random.Random, lex: Lexicon) -> None:
        self.rng = rng
        self.lex = lex
        self.prose = Prose(rng, lex)
        self.people_by_year: dict[int, list[Person]] = {y: [] for y in YEARS}
        for p in lex.people:
            for y in range(int(p.start[:4]), int(p.end[:4]) + 1):
                if y in self.people_by_year:
                    self.people_by_year[y].append(p)
        self.year_weights = [1 + 0.25 * (y - YEARS[0]) for y in YEARS]  # more documents lately

    # --- choices -----------------------------------------------------------------------------
    def pick_date(self) -> tuple[str, str | None]:
        rng = self.rng
        if rng.random() < 0.4:  # tied to an event: dated on or just before its closing day
            if rng.random() < 0.5:
                name, date = rng.choice(REAL_EVENTS)
            else:
                name, date = self.lex.events[int(len(self.lex.events) * rng.random() ** 2)]
            y, m, d = (int(x) for x in date.split("-"))
            return f"{y}-{m:02d}-{max(1, d - rng.randint(0, 2)):02d}", name
        y = rng.choices(YEARS, weights=self.year_weights)[0]
        return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", None

    def pick_speakers(self, date: str, count: int) -> list[Person]:
        """The office holders of that date, most often the Secretary-General."""
        valid = [p for p in self.people_by_year[int(date[:4])] if p.start <= date <= p.end]
        real = [p for p in valid if p in REAL_PEOPLE]
        sg = [p for p in real if p.role == "Secretary-General"]
        generated = [p for p in valid if p not in real]
        out: list[Person] = []
        for _ in range(count * 3):
            r = self.rng.random()
            if r < 0.4 and sg:
                p = sg[0]
            elif r < 0.65 and real:
                p = self.rng.choice(real)
            elif generated:
                p = generated[int(len(generated) * self.rng.random() ** 2)]
            else:
                p = self.rng.choice(valid)
            if p not in out:
                out.append(p)
            if len(out) == count:
                break
        return out

    def words(self) -> int:
        return self.rng.randint(*WORDS_PER_PASSAGE)

    # --- bodies --------------------------------------------------------------------------------
    def reported_paragraphs(self, n: int, speakers: list[Person]) -> list[str]:
        """Press-release prose: narrative paragraphs and paragraphs reporting what people said."""
        paras: list[str] = []
        mentioned: set[str] = set()
        for _ in range(n):
            if speakers and self.rng.random() < 0.6:
                p = speakers[int(len(speakers) * self.rng.random() ** 1.5)]
                paras.append(self.prose.attributed(p, self.words(), p.name not in mentioned))
                mentioned.add(p.name)
            else:
                paras.append(" ".join(self.prose.sentences(self.prose.narrative, self.words())))
        return paras

    def spoken_paragraphs(self, n: int) -> list[list[str]]:
        return [self.prose.sentences(self.prose.spoken, self.words()) for _ in range(n)]

    def title(self, speakers: list[Person], event: str | None) -> str:
        pr = self.prose
        r = self.rng.random()
        if event and r < 0.4:
            return f"{event} concludes with calls for {pr.np()}"
        if speakers and r < 0.75:
            return f"{speakers[0].role} urges {pr.np()} to {pr.verb()[0]} {pr.np()}"
        return (
            f"{upper_first(pr.org())} and partners {pr.verb()[0]} {pr.adj()} action on {pr.term()}"
        )

    # --- kinds ---------------------------------------------------------------------------------
    def make(self, n_passages: int) -> Doc:
        kind = self.rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        date, event = self.pick_date()
        self.prose.event = event or "meeting"
        self.prose.year = int(date[:4])
        build = getattr(self, "_" + kind.split("_")[0])  # press_*, speech, ..., web_page
        return build(kind, n_passages, date, event)

    def _press(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        rng = self.rng
        speakers = self.pick_speakers(date, rng.randint(1, 3))
        title = self.title(speakers, event)
        place = self.prose.place()
        paras = self.reported_paragraphs(n, speakers)
        lead = f"{event} concluded today in {place}. " if event else ""
        url = f"https://www.un.org/counterterrorism/{date[:4]}-{rng.getrandbits(24):06x}"
        contact = (
            f"Contact: {rng.choice(speakers).name if rng.random() < 0.1 else 'Ms. Laurence Gerard'}"
        )
        doc = Doc(kind, date, "", speakers=[p.name for p in speakers], event=event, passages=n)
        if kind == "press_markdown":
            head = f"**{place}, {format_date(date)}** – {lead}"
            body = [head + paras[0]] + paras[1:]
            body = [
                p.replace("“", "“*").replace("”", "*”") if rng.random() < 0.5 else p for p in body
            ]
            top = [
                f"{event or 'United Nations'}  ",
                f"**{format_date(date).upper()}**",
                "",
                "---",
                "",
                "**PRESS RELEASE**",
                "",
                "---",
                "",
                f"**{title}**",
                "",
            ]
            tail = [
                "",
                "\\*\\*\\*",
                "",
                "#### **FOR MORE INFORMATION**",
                "",
                f"- Visit: <{url}>",
                "  - Follow #CTWeek on [UN WEBTV](#) and on Twitter [@UN\\_OCT](#)",
            ]
            doc.text = "\n".join(top + [x + "\n" for x in body] + tail)
            doc.ext = ".md" if rng.random() < 0.5 else ".txt"
            return doc
        width = rng.randint(92, 106)
        paras[0] = f"{place}, {format_date(date)} – {lead}{paras[0]}"
        footer = [f"Visit: {url}", contact, "Follow us on Twitter @UN_OCT"]
        if kind == "press_pdf_double":  # every extracted line is followed by a blank line
            lines = ["", " ", " ", "Press release ", " "]
            lines += [ln + " " for ln in wrap(title, width - 10, rng)] + [" ", " "]
            for p in paras:
                lines += [ln + " " for ln in wrap(p, width, rng)] + [" "]
            lines += footer
            doc.text = "".join(ln + "\n\n" for ln in lines)
        else:
            lines = [" PRESS RELEASE ", " ", ""] + [ln + " " for ln in wrap(title, width - 20, rng)]
            for p in paras:
                lines += [" "] + [ln + " " for ln in wrap(p, width, rng)]
            lines += ["", *(f" {f}  " for f in footer)]
            doc.text = "\n".join(lines) + "\n"
        return doc

    def _speech(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        speaker = self.pick_speakers(date, 1)[0]
        where = event or f"the {self.prose.adj()} meeting on {self.prose.term()}"
        if speaker.role == "Secretary-General":
            title = f"Secretary-General's remarks at {where} [as delivered]"
        else:
            title = f"Remarks by {speaker.honorific} {speaker.name}, {speaker.role}, at {where}"
        head = [self.prose.place(), "", format_date(date), "", title, ""]
        paras = self.spoken_paragraphs(n)
        paras[-1].append("Thank you.")
        sep = "\n\n" if self.rng.random() < 0.4 else "\n"  # some keep paragraph breaks
        body = sep.join("\n".join(p) for p in paras)
        return Doc(
            kind,
            date,
            "\n".join(head) + "\n" + body,
            speakers=[speaker.name],
            event=event,
            passages=n,
        )

    def _statement(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        speaker = self.pick_speakers(date, 1)[0]
        where = event or f"Security Council open debate on {self.prose.term()}"
        head = [
            f"Statement by {speaker.honorific} {speaker.name}, {speaker.role}",
            "",
            f"at the {where}",
            "",
            f"{self.prose.place()}, {format_date(date)}",
            "",
            "Check against delivery",
            "",
        ]
        paras = [" ".join(p) for p in self.spoken_paragraphs(n)]
        return Doc(
            kind,
            date,
            "\n".join(head + [p + "\n" for p in paras]),
            speakers=[speaker.name],
            event=event,
            passages=n,
        )

    def _message(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        sg = self.pick_speakers(date, 1)[0]
        occasion = event or f"the opening of the {self.prose.adj()} workshop on {self.prose.term()}"
        head = [f"Message of the {sg.role} on {occasion}", "", format_date(date), ""]
        if sg.role != "Secretary-General":
            head = [
                f"Message by {sg.honorific} {sg.name}, {sg.role}, on {occasion}",
                "",
                format_date(date),
                "",
            ]
        paras = [" ".join(p) for p in self.spoken_paragraphs(n)]
        return Doc(
            kind,
            date,
            "\n".join(head + [p + "\n" for p in paras]),
            speakers=[sg.name],
            event=event,
            passages=n,
        )

    def _news(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        speakers = self.pick_speakers(date, self.rng.randint(1, 2))
        head = [
            "UN News",
            "",
            self.title(speakers, event),
            "",
            format_date(date, "mdy"),
            "",
            self.rng.choice(["Peace and Security", "Human Rights", "Law and Crime Prevention"]),
            "",
        ]
        paras = self.reported_paragraphs(n, speakers)
        paras.insert(1, f"Photo: UN Photo/{self.prose.place()}")
        return Doc(
            kind,
            date,
            "\n".join(head + [p + "\n" for p in paras]),
            speakers=[p.name for p in speakers],
            event=event,
            passages=n,
        )

    def _web(self, kind: str, n: int, date: str, event: str | None) -> Doc:
        pr = self.prose
        name = event or f"{upper_first(pr.adj())} {upper_first(pr.noun())} Programme"
        lines = [
            "",
            name,
            "",
            f"  • {date[:4]} review of {pr.term()}",
            f"    • {upper_first(pr.org())} {pr.verb()[2]} {pr.np()}",
            "",
        ]
        for i in range(n):
            if i % 4 == 0:
                lines += [f"{date[:4]} {upper_first(pr.np())}", ""]
            lines += [" ".join(pr.sentences(pr.narrative, self.words())), ""]
        return Doc("web_page", date, "\n".join(lines), event=event, passages=n)


def encode(doc: Doc, rng: random.Random) -> bytes:
    """The file's bytes: mostly UTF-8, a few with BOM, CRLF, cp1252 or UTF-16, as in the wild."""
    r = rng.random()
    acc = 0.0
    for name, share in ENCODINGS:
        acc += share
        if r < acc:
            if name == "crlf":
                return doc.text.replace("\n", "\r\n").encode("utf-8")
            if name == "cp1252":
                try:
                    return doc.text.encode("cp1252")
                except UnicodeEncodeError:  # a name outside cp1252: keep UTF-8
                    break
            return doc.text.encode(name)
    return doc.text.encode("utf-8")


def generate(passages: int, out: Path, seed: int = DEFAULT_SEED) -> dict:
    """Write a corpus of about `passages` passages into `out`; returns the manifest."""
    rng = random.Random(f"ctsearch-bench:{seed}:{passages}")
    lex = build_lexicon(rng, passages)
    writer = DocumentWriter(rng, lex)
    out.mkdir(parents=True, exist_ok=True)
    remaining, i, words, sidecars = passages, 0, 0, 0
    speakers: dict[str, int] = {}
    kinds: dict[str, int] = {}
    while remaining > 0:
        n = min(remaining, rng.randint(*PASSAGES_PER_DOC))
        doc = writer.make(n)
        name = f"{doc.date[:4]}/{i:05d}_{rng.getrandbits(64):016x}{doc.ext}"
        path = out / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(encode(doc, rng))
        if doc.kind == "web_page" and rng.random() < SIDECAR_SHARE:
            # json.dumps makes a valid TOML basic string
            first = doc.text.strip().splitlines()[0]
            url = f"https://www.un.org/counterterrorism/{doc.date[:4]}/{i:05d}"
            path.with_suffix(".meta.toml").write_text(
                f"title = {json.dumps(first, ensure_ascii=False)}\n"
                f'date = "{doc.date}"\nurl = "{url}"\n',
                encoding="utf-8",
            )
            sidecars += 1
        for s in doc.speakers:
            speakers[s] = speakers.get(s, 0) + 1
        kinds[doc.kind] = kinds.get(doc.kind, 0) + 1
        words += doc.text.count(" ") + doc.text.count("\n")
        remaining -= n
        i += 1
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "passages": passages,
        "files": i,
        "sidecars": sidecars,
        "approx_words": words,
        "kinds": dict(sorted(kinds.items())),
        # documents per speaker, most frequent first: the query mix picks its filters here
        "speakers": dict(sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
    (out / ".benchmark-manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False)
    )
    return manifest


def extra_document(passages: int, seed: int = DEFAULT_SEED, nth: int = 0) -> str:
    """A new press release of the same corpus family, not in the generated corpus (for `add`)."""
    rng = random.Random(f"ctsearch-bench-extra:{seed}:{passages}:{nth}")
    writer = DocumentWriter(rng, build_lexicon(rng, passages))
    date, event = writer.pick_date()
    writer.prose.event = event or "meeting"
    writer.prose.year = int(date[:4])
    return writer._press("press_pdf_wrap", 30, date, event).text


def corpus_digest(out: Path) -> str:
    """SHA-256 over every file's relative path and bytes: equal digests mean identical corpora."""
    h = hashlib.sha256()
    for p in sorted(out.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(out).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def parse_size(text: str) -> int:
    """'1k' -> 1000, '100k' -> 100000, '2500' -> 2500."""
    t = text.strip().lower()
    mult = 1000 if t.endswith("k") else 1_000_000 if t.endswith("m") else 1
    return int(float(t.rstrip("km")) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", required=True, type=parse_size, help="e.g. 1000, 10k, 100k")
    ap.add_argument("--out", required=True, type=Path, help="corpus folder to write (created)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"error: {args.out} is not empty; choose a new folder", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    m = generate(args.passages, args.out, args.seed)
    print(
        f"wrote {m['files']} files, ~{m['passages']} passages, ~{m['approx_words']} words "
        f"to {args.out} in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
