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
    texts = [text.text for text in svg.iter(f"{SVG}text")]
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


def test_long_labels_are_shortened_but_kept_in_the_tooltip():
    label = "Hämeen ammattikorkeakoulu, Riihimäen kampus"
    markup = str(charts.bar_chart([(label, 1)], title="t"))
    assert f"<title>{label}: 1</title>" in markup
    shortened = label[: charts.MAX_LABEL_CHARS - 1] + "…"
    assert f">{shortened}</text>" in markup


def test_empty_chart_says_so():
    assert "Ei tietoja" in str(charts.bar_chart([("a", 0)], title="t"))
    assert "Ei tietoja" in str(charts.grouped_bar_chart([], ["x"], title="t"))
