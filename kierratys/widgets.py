"""Form widgets shared by the apps.

HTML5 date and time inputs send and show ISO values whatever the page's locale, so
the widget renders its value in ISO too (not the d.m.Y of the Finnish formats).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """<input type="date">"""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local"> (minutes; the browser shows local time)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class LanguageSelect(forms.Select):
    """A choice of language whose options are each marked as being in that language.

    The names are autonyms (suomi, svenska, English: settings.LANGUAGES), and a screen
    reader pronounces each in its own language (WCAG 3.1.2, language of parts).
    """

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option
