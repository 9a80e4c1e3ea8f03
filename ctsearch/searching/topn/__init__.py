"""The best N passages without scoring every match: query plans (`plan`), score bounds and
the threshold algorithm (`threshold`), per-term impact lists (`impact`) and restricted
matchers (`restrict`). Same hits, order, scores and counts as Whoosh's own collector."""
