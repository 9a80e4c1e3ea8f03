"""Repairing decoded text: mojibake and odd characters (`repair`), PDF wraps, hyphenation and
page furniture (`unwrap`, with `lines`), Markdown marks (`markdown`); `pipeline.clean_text` runs
them in order and is idempotent. `pages.join_pages` turns a paged document's pages (a PDF's)
into text first, its running headers, footers and page numbers found by their place on the
page."""
