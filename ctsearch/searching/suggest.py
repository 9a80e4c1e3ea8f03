""" "Did you mean": the query with each word the index does not know replaced by the closest
word it does know."""

from __future__ import annotations

import re

MAX_SUGGEST_WORDS = 8  # unknown words "did you mean" looks up at most


def did_you_mean(reader, query: str, plain: list[tuple[str, str, str]], vocab=None) -> str | None:
    """ "Did you mean": each plain word unknown to the index replaced by the closest word
    that is in it (edit distance 1, then 2; most frequent first). A name or acronym of the
    vocabulary is never "corrected" ("ISIS" is not a typo of "ISIL")."""
    suggestion = query
    changed = False
    tried = 0
    for typed, word, s in plain:
        if reader.doc_frequency("text", s) or len(word) < 3:
            continue
        if vocab is not None and vocab.match(((word, 0, 0, False),)):
            continue
        # Each unknown word costs two fuzzy lexicon scans (~50 ms on 2,000 passages): a query
        # of 300 unknown words took 5 s. The first few are what a user reads anyway.
        tried += 1
        if tried > MAX_SUGGEST_WORDS:
            break
        for distance in (1, 2):
            candidates = [
                c for c in reader.terms_within("exact", word, distance, prefix=1) if c != word
            ]
            if candidates:
                best = max(candidates, key=lambda c: (reader.doc_frequency("exact", c), c))
                pattern = re.compile(r"(?<!\w)" + re.escape(typed) + r"(?!\w)")
                suggestion, n = pattern.subn(lambda _m, b=best: b, suggestion, count=1)
                changed = changed or n > 0
                break
    return suggestion if changed else None
