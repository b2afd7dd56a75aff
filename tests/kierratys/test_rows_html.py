"""The list pages' rows come out as Django's format_html_join would write them: every
value escaped, safe HTML and lazy translations as Django treats them."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from kierratys.listing import rows_html

ROW = '<tr><td><a href="{}">{}</a></td>{}<td class="num">{}</td><td>{}</td></tr>'
ROWS = [
    ("/clients/AS-1/?a=1&b=2", "<script>alert('x')</script>", mark_safe("<td>ok</td>"), 3, None),
    ('"quoted"', gettext_lazy("kyllä"), format_html("<td>{}</td>", "<b>"), 0.5, "Åsa & Öljy"),
]


def test_rows_are_what_format_html_join_writes():
    for language in ("fi", "en"):
        with override(language):
            ours = rows_html(ROW, ROWS)
            django = format_html_join("\n", ROW, ROWS)
        assert ours == django
        assert isinstance(ours, SafeString)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in ours
    assert "<td>ok</td>" in ours and "<td>&lt;b&gt;</td>" in ours
    assert "&quot;quoted&quot;" in ours and "yes" in ours


def test_no_rows_is_empty_safe_html():
    assert rows_html(ROW, []) == format_html_join("\n", ROW, []) == ""
