"""The upload of a day's wipe-tool reports: several files in one field (Django's "Uploading
multiple files": a widget that allows multiple selection, a field whose clean takes a list)."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from devices.services.evidence import MAX_FILE_BYTES, MAX_FILES

TOO_MANY_FILES = _("Valitse enintään %(max)s tiedostoa kerralla.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files; each is checked as one FileField would check it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        # An empty list is no file: FileField's own check then says the field is required.
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class EvidenceUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Tyhjennysraportit"),
        help_text=_(
            "Valitse yksi tai useampi tiedosto: nwipen lokit (.log / .txt) ja PDF-raportit "
            "ShredOS-tikulta sekä eReuse Workbenchin tilannekuvat (.json). Tiedoston laji "
            "päätellään sen sisällöstä. Enintään %(count)s tiedostoa, kukin enintään %(max)s."
        )
        % {"count": MAX_FILES, "max": filesizeformat(MAX_FILE_BYTES)},
    )
    dry_run = forms.BooleanField(
        label=_("Kokeile vain: näytä, mihin tiedostot sopivat, mutta älä kirjaa mitään"),
        required=False,
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                TOO_MANY_FILES, code="too_many_files", params={"max": MAX_FILES}
            )
        return files
