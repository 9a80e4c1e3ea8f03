"""Index → hits: the query language (`query`, no Whoosh), its translation to Whoosh queries
(`compiler`, `filters`), ranking and paging (`search`), facets, suggestions, `show`, matches
as written (`highlight`), searchers kept open between searches (`session`), and `topn/`, the
best N passages without visiting every match.

What belongs here: everything that reads an index to answer a question, including research
views over hits. Named `searching` (not `search`) so that `ctsearch.search` stays the API
function. Imports from `index/` (never the other way), `analysis`, `models`, `errors`.
"""
