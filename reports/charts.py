"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN.

The page's Content-Security-Policy forbids style attributes, so every colour
and size is an SVG presentation attribute (fill=, font-size=), which CSP allows.
Every label passes through escape() (format_html for the frame), so a donor or
municipality name can never inject markup; the bars are built as plain strings, which
costs a fraction of a format_html call per bar.
"""

from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR_FILL = "#1f5f8b"
SERIES_FILLS = ("#1f5f8b", "#2a9d8f", "#e9a23b", "#8e5ea2")
TEXT_FILL = "#1d2733"
MUTED_FILL = "#5b6676"
FONT = "system-ui, sans-serif"
MAX_LABEL_CHARS = 26  # the month labels under a grouped chart's bars
# A bar's label wraps onto at most two lines of this many characters ("i coachning,
# ännu inte" / "berättigad"); what still does not fit ends in "…", and the bar's
# tooltip and the table under the chart keep the whole label.
LABEL_LINE_CHARS = 22
LABEL_LINES = 2
LINE_HEIGHT = 15


def _number(value):
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _label_lines(label):
    """The label in words on up to LABEL_LINES lines of LABEL_LINE_CHARS characters."""
    lines = []
    for word in str(label).split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], " ".join(lines[LABEL_LINES - 1 :])]
    return [
        line if len(line) <= LABEL_LINE_CHARS else line[: LABEL_LINE_CHARS - 1] + "…"
        for line in lines
    ]


def _svg(width, height, title, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        'width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}" font-size="13">'
        "<title>{}</title>{}</svg>",
        width,
        height,
        width,
        height,
        FONT,
        title,
        body,
    )


def _empty(title, width):
    body = format_html(
        '<text x="8" y="26" fill="{}">{}</text>', MUTED_FILL, _("Ei tietoja valitulta ajalta.")
    )
    return _svg(width, 40, title, body)


def _label_text(lines, *, x, middle):
    """A right-aligned label of one or two lines centred on the height `middle` (escaped)."""
    first = middle + 4.5 - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = "".join(
        f'<tspan x="{x}" y="{first + index * LINE_HEIGHT}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{first}" text-anchor="end" fill="{TEXT_FILL}">{spans}</text>'


def bar_chart(rows, *, title, width=520, bar_height=20, gap=8, label_width=200):
    """Horizontal bars, one per (label, value) pair, value printed at the bar's end;
    a long label wraps onto two lines and its row grows to hold them."""
    rows = [(str(label), value or 0) for label, value in rows]
    if not rows or not any(value for _label, value in rows):
        return _empty(title, width)
    top = max(value for _label, value in rows)
    plot = width - label_width - 50
    parts = []
    y = gap
    for label, value in rows:
        lines = _label_lines(label)
        row_height = max(bar_height, len(lines) * LINE_HEIGHT)
        middle = y + row_height / 2
        length = round(plot * value / top, 1) if top else 0
        # Plain string building: the numbers are ours, every label passes escape().
        parts.append(
            f"<g><title>{escape(label)}: {_number(value)}</title>"
            f"{_label_text(lines, x=label_width - 8, middle=middle)}"
            f'<rect x="{label_width}" y="{middle - bar_height / 2}" width="{length}" '
            f'height="{bar_height}" fill="{BAR_FILL}"></rect>'
            f'<text x="{label_width + length + 6}" y="{middle + 4.5}" fill="{TEXT_FILL}">'
            f"{_number(value)}</text></g>"
        )
        y += row_height + gap
    return _svg(width, y, title, mark_safe("".join(parts)))


def grouped_bar_chart(groups, series, *, title, width=640, height=240):
    """Vertical bars grouped per category (e.g. month): `groups` is [(label, [v1, v2, ...])],
    `series` the names of the values in order; a legend names the colours."""
    if not groups or not any(any(values) for _label, values in groups):
        return _empty(title, width)
    legend_height, axis_height, left = 24, 22, 36
    plot_height = height - legend_height - axis_height - 8
    top = max(max(values) for _label, values in groups) or 1
    slot = (width - left) / len(groups)
    bar = max(2.0, min(24.0, (slot - 8) / len(series)))
    baseline = legend_height + plot_height + 4
    parts = [
        format_html_join(
            "",
            '<rect x="{}" y="6" width="12" height="12" fill="{}"></rect>'
            '<text x="{}" y="17" fill="{}">{}</text>',
            (
                (
                    left + index * 150,
                    SERIES_FILLS[index % len(SERIES_FILLS)],
                    left + index * 150 + 16,
                    TEXT_FILL,
                    name,
                )
                for index, name in enumerate(series)
            ),
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">0</text>',
            left,
            baseline,
            width,
            baseline,
            MUTED_FILL,
            left - 4,
            legend_height + 12,
            MUTED_FILL,
            _number(top),
            left - 4,
            baseline,
            MUTED_FILL,
        ),
    ]
    for group_index, (label, values) in enumerate(groups):
        x0 = left + group_index * slot + (slot - bar * len(series)) / 2
        for index, value in enumerate(values):
            bar_length = round(plot_height * (value or 0) / top, 1)
            parts.append(
                f'<rect x="{round(x0 + index * bar, 1)}" y="{round(baseline - bar_length, 1)}" '
                f'width="{round(bar - 1, 1)}" height="{bar_length}" '
                f'fill="{SERIES_FILLS[index % len(SERIES_FILLS)]}">'
                f"<title>{escape(label)} – {escape(series[index])}: {_number(value or 0)}"
                "</title></rect>"
            )
        parts.append(
            f'<text x="{round(left + group_index * slot + slot / 2, 1)}" y="{baseline + 16}" '
            f'text-anchor="middle" fill="{MUTED_FILL}" font-size="11">'
            f"{escape(_short(label))}</text>"
        )
    return _svg(width, height, title, mark_safe("".join(parts)))


def dashboard_charts(figures):
    """The dashboard's charts for a `selectors.Figures`, shared by the page and the funder PDF."""
    return {
        "status_chart": bar_chart(
            [(row.label, row.count) for row in figures.status_counts],
            title=_("Laitteet tiloittain"),
        ),
        "monthly_chart": grouped_bar_chart(
            [
                (
                    date_format(row.month, "YEAR_MONTH_FORMAT"),
                    [row.received, row.erased, row.handed_over],
                )
                for row in figures.monthly
            ],
            [_("vastaanotettu"), _("tyhjennetty"), _("luovutettu")],
            title=_("Laitteet kuukausittain"),
        ),
        "municipality_chart": bar_chart(
            [(row.label, row.count) for row in figures.by_municipality],
            title=_("Luovutukset kunnittain"),
        ),
        "service_chart": bar_chart(
            [(row.label, row.count) for row in figures.by_service],
            title=_("Luovutukset palveluittain"),
        ),
        "stage_chart": bar_chart(
            [(row.label, row.count) for row in figures.client_stages],
            title=_("Asiakkaat vaiheittain"),
        ),
    }
