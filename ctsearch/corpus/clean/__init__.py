"""Repairing decoded text: mojibake and odd characters (`repair`), PDF wraps, hyphenation and
page furniture (`unwrap`), Markdown marks (`markdown`); `pipeline.clean_text` runs them in
order and is idempotent."""
