"""Documents that are not plain text: a file → its raw text and what the file says about itself.

`source.read_source` reads any corpus file by its format (`corpus/files.kind_of`): plain text
through `corpus/read.py`, a PDF's text layer page by page (`pdf`, pypdf), a web page's article
and its own metadata (`html`, trafilatura). The libraries a format needs are imported only in
its module, and only when such a file is read: the search path never loads them (an
import-linter contract in pyproject.toml keeps them here).
"""
