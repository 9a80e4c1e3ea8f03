"""Highlighted passages, source links, quote diffs and chart bars, as HTML-safe values."""

from __future__ import annotations

from ctsearch.web.render import bar_chart, clean, diff_html, highlighted, link


def test_highlighted_marks_the_matches_and_escapes_the_rest():
    text = 'Drones <b>and</b> "drone" strikes'
    html = highlighted(text, 'Drones <b>and</b> "**drone**" strikes')
    assert str(html) == "Drones &lt;b&gt;and&lt;/b&gt; &#34;<mark>drone</mark>&#34; strikes"


def test_highlighted_with_no_marks_or_misaligned_marks_is_plain_escaped_text():
    assert str(highlighted("a < b", "a < b")) == "a &lt; b"
    assert str(highlighted("a < b", "something else")) == "a &lt; b"


def test_control_characters_are_removed_from_passages_and_values():
    text = "red \x1b[31malert\x1b[0m \u202eevil\u202c bell\x07"
    assert str(highlighted(text, text)) == "red alert evil bell"
    assert clean("a\x00b\x1b[1mc") == "abc"
    assert clean(5) == 5


def test_only_http_and_https_sources_are_links():
    assert link("https://www.un.org/x?a=1") == "https://www.un.org/x?a=1"
    assert link("http://example.org/") == "http://example.org/"
    bad_ones = (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<b>",
        "//evil.example",
        "file:///etc/passwd",
        "https://",
        "",
        None,
        "http://[bad",
    )
    for bad in bad_ones:
        assert link(bad) is None, bad


def test_a_quote_diff_marks_missing_added_changed_and_omitted_words_escaped():
    parts = [
        {"op": "equal", "source": "We must", "quote": "We must"},
        {"op": "missing", "source": "always", "quote": ""},
        {"op": "changed", "source": "uphold", "quote": "<defend>"},
        {"op": "added", "source": "", "quote": "the"},
        {"op": "omitted", "source": "rights of", "quote": ""},
        {"op": "equal", "source": "victims", "quote": "victims"},
    ]
    assert str(diff_html(parts)) == (
        'We must <del title="left out of the quote">always</del> '
        '<del title="in the source">uphold</del> <ins title="in the quote">&lt;defend&gt;</ins> '
        '<ins title="added by the quote">the</ins> '
        '<s title="cut where the quote has an ellipsis">rights of</s> victims'
    )


def test_a_quote_diff_marks_moved_words_apart_from_the_matching_ones():
    """`moved`: source words the quote has elsewhere (the CLI's [~…~]), not shown as matching."""
    parts = [
        {"op": "moved", "source": "<all> States", "quote": ""},
        {"op": "equal", "source": "must act", "quote": "must act"},
    ]
    assert str(diff_html(parts)) == (
        '<i title="the quote has these words elsewhere">&lt;all&gt; States</i> must act'
    )


def test_bars_are_scaled_to_the_largest_and_zero_keeps_its_row():
    chart = bar_chart(
        [
            {"key": 2019, "per_1000": 10.0},
            {"key": 2020, "per_1000": 0},
            {"key": 2021, "per_1000": 40},
        ],
        "per_1000",
    )
    widths = [b.width for b in chart.bars]
    assert widths[1] == 0 and widths[2] == 4 * widths[0] and widths[2] > 0
    assert [b.label for b in chart.bars] == ["2019", "2020", "2021"]
    assert [b.shown for b in chart.bars] == ["10", "0", "40"]
    assert chart.height == 3 * (chart.bars[1].y - chart.bars[0].y)


def test_long_bucket_labels_are_cut_under_the_bar_but_kept_whole_in_the_title():
    name = "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
    (bar,) = bar_chart([{"key": name, "per_1000": 3.25}], "per_1000").bars
    assert bar.label == name and bar.short.endswith("…") and len(bar.short) <= 24
    assert bar.shown == "3.2" or bar.shown == "3.3"


def test_an_all_zero_or_empty_trend_draws_no_bar():
    assert all(b.width == 0 for b in bar_chart([{"key": "a", "per_1000": 0}], "per_1000").bars)
    assert bar_chart([], "per_1000").bars == ()


def test_spans_agree_with_the_terminal_outputs_reading_of_the_marks():
    from ctsearch.output import marked_spans
    from ctsearch.web.render import spans

    cases = [
        ("drones and drone strikes", "**drones** and **drone** strikes"),
        ("no match here", "no match here"),
        ("a **literal** marker and drones", "a **literal** marker and **drones**"),
        ("**", "**"),
        ("x", "**x**"),
        ("broken", "**bro"),
    ]
    for text, highlight in cases:
        assert spans(text, highlight) == marked_spans(text, highlight), (text, highlight)
