"""Inline SVG charts: well-formed, escaped, proportional, no style attributes (CSP)."""

import xml.etree.ElementTree as ET

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))


def test_bar_chart_draws_one_proportional_bar_per_row():
    svg = parse(charts.bar_chart([("Hämeenlinna", 10), ("Tampere", 5)], title="Luovutukset"))
    assert svg.find(f"{SVG}title").text == "Luovutukset"
    bars = svg.findall(f".//{SVG}rect")
    assert len(bars) == 2
    long, short = (float(bar.get("width")) for bar in bars)
    assert long == 2 * short
    texts = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "Hämeenlinna" in texts and "10" in texts and "5" in texts


def test_labels_are_escaped():
    markup = str(charts.bar_chart([('<script>alert("x")</script>', 3)], title="<b>t</b>"))
    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup
    parse(markup)  # still well-formed


def test_no_style_attributes_only_presentation_attributes():
    markup = str(
        charts.bar_chart([("a", 1)], title="t")
        + charts.grouped_bar_chart([("01/2025", [1, 2, 3])], ["x", "y", "z"], title="t")
    )
    assert "style" not in markup
    assert 'fill="#' in markup


def test_grouped_chart_has_a_bar_per_value_and_a_legend():
    svg = parse(
        charts.grouped_bar_chart(
            [("01/2025", [4, 2, 1]), ("02/2025", [1, 1, 0])],
            ["vastaanotettu", "tyhjennetty", "luovutettu"],
            title="Kuukausittain",
        )
    )
    rects = svg.findall(f".//{SVG}rect")
    assert len(rects) == 3 + 6  # legend swatches + one bar per value
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert {"vastaanotettu", "01/2025", "02/2025"} <= set(texts)


def label_lines(svg):
    """Each bar's label as the lines it is drawn on."""
    return [
        [tspan.text for tspan in group.find(f"{SVG}text").iter(f"{SVG}tspan")]
        for group in svg.iter(f"{SVG}g")
    ]


def test_long_labels_wrap_onto_two_lines_whole_in_finnish_and_swedish():
    rows = [
        ("valmennuksessa, ei vielä oikeutettu", 4),  # the client stages, fi
        ("i coachning, ännu inte berättigad", 3),  # and sv
        ("laite luovutettu", 2),
    ]
    svg = parse(charts.bar_chart(rows, title="Asiakkaat vaiheittain"))
    lines = label_lines(svg)
    assert lines == [
        ["valmennuksessa, ei", "vielä oikeutettu"],
        ["i coachning, ännu inte", "berättigad"],
        ["laite luovutettu"],
    ]
    assert "…" not in "".join(svg.itertext())


def test_wrapped_rows_grow_so_that_labels_and_bars_never_overlap():
    rows = [("i coachning, ännu inte berättigad", 3), ("berättigad, väntar på en enhet", 1)]
    svg = parse(charts.bar_chart(rows, title="t"))
    bars = svg.findall(f".//{SVG}rect")
    tops = [float(bar.get("y")) for bar in bars]
    line_ys = [
        [float(tspan.get("y")) for tspan in group.iter(f"{SVG}tspan")]
        for group in svg.iter(f"{SVG}g")
    ]
    # The second row's first line is below the first row's last line and bar.
    assert line_ys[1][0] - line_ys[0][-1] >= charts.LINE_HEIGHT
    assert tops[1] >= tops[0] + float(bars[0].get("height"))
    assert float(svg.get("height")) >= line_ys[-1][-1]


def test_a_label_too_long_for_two_lines_ends_in_an_ellipsis_but_the_tooltip_keeps_it():
    label = "Hämeen ammattikorkeakoulu, Riihimäen kampus, tietojenkäsittelyn koulutus"
    markup = str(charts.bar_chart([(label, 1)], title="t"))
    assert f"<title>{label}: 1</title>" in markup
    (lines,) = label_lines(parse(markup))
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= charts.LABEL_LINE_CHARS for line in lines)


def test_empty_chart_says_so():
    assert "Ei tietoja" in str(charts.bar_chart([("a", 0)], title="t"))
    assert "Ei tietoja" in str(charts.grouped_bar_chart([], ["x"], title="t"))


def test_grouped_labels_and_series_names_are_escaped():
    markup = str(
        charts.grouped_bar_chart(
            [("<i>touko</i>", [1, 2, 3])], ["<b>vast</b>", "tyhj", "luov"], title="kuukaudet"
        )
    )
    assert "<i>" not in markup and "<b>" not in markup
    assert "&lt;i&gt;touko&lt;/i&gt; – &lt;b&gt;vast&lt;/b&gt;: 1" in markup
