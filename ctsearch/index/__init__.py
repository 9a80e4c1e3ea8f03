"""Passages → index: the Whoosh fields (`schema`), the index folder (`store`: marker,
generations, opening), one writer at a time (`lock`), what the index was built from
(`manifest`, `snapshot`), a full build (`build`, `workers`), in-place updates (`update`), and
`sync`, the one entry point that brings an index up to date (it alone uses both build and
update). `stats` describes an index (stats, speakers).

Imports only from `analysis`, `models`, `errors`, `corpus/`, `documents/` and `whoosh_ext/`.
"""
