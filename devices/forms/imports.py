"""Forms of the two-step device-list import: the upload's own checks, and the preview's
choices (which column is which field, the default category, the suggested categories)."""

from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from devices import spreadsheets
from devices.models import Device

# What spreadsheets.read_table reads: Excel's "Unicode text" is saved as .txt.
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")

FILE_TOO_LARGE = _(
    "Tiedosto on liian suuri (%(size)s). Suurin sallittu koko on %(max)s: jaa luettelo osiin."
)
FILE_TYPE_NOT_ACCEPTED = _(
    "Lähetä CSV- tai XLSX-tiedosto (tiedostopääte .csv tai .xlsx; Excelin Unicode-teksti .txt)."
)
COLUMN_NOT_USED = _("— ei käytössä —")
NO_DEFAULT_CATEGORY = _("— ei oletuslajia —")
UNNAMED_COLUMN = _("(nimetön sarake)")
COLUMN_CHOSEN_TWICE = _("Sarake %(column)s on valittu myös kenttään ”%(other)s”.")


def with_size_limit(message):
    """The message with %(max)s filled in when shown, so it stays in the user's language."""
    return lazy(lambda: message % {"max": filesizeformat(spreadsheets.MAX_UPLOAD_BYTES)}, str)()


def check_upload(upload):
    """Refuse a file by its size and name, before anything reads its content."""
    if upload.size > spreadsheets.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            FILE_TOO_LARGE
            % {
                "size": filesizeformat(upload.size),
                "max": filesizeformat(spreadsheets.MAX_UPLOAD_BYTES),
            },
            code="file_too_large",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension == ".xls":
        raise forms.ValidationError(spreadsheets.OLD_EXCEL_FORMAT, code="file_type")
    if extension not in ACCEPTED_EXTENSIONS:
        raise forms.ValidationError(FILE_TYPE_NOT_ACCEPTED, code="file_type")
    return upload


class DeviceImportUploadForm(forms.Form):
    """The technician's upload: the file and the grade of rows that name none."""

    file = forms.FileField(
        label=_("Laiteluettelo (CSV tai XLSX)"),
        help_text=with_size_limit(
            _("Enintään %(max)s. Näet ennen tallennusta, miten rivit luettiin.")
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx", "autofocus": True}),
    )
    condition_grade = forms.ChoiceField(
        label=_("Kuntoluokka riveille, joilla sitä ei ole"),
        choices=Device.Grade.choices,
        initial=Device.Grade.B,
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


def column_label(index, header):
    """ "B: valmistaja" — the letter a spreadsheet shows, then the header as written."""
    return f"{get_column_letter(index + 1)}: {header or UNNAMED_COLUMN}"


class ImportChoicesForm(forms.Form):
    """The preview's choices; `choices()` gives them in the form a PendingImport keeps."""

    def __init__(self, *args, headers, fields, field_labels, with_grade, **kwargs):
        super().__init__(*args, **kwargs)
        self.import_fields = tuple(fields)
        columns = [("", COLUMN_NOT_USED)] + [
            (str(index), column_label(index, header)) for index, header in enumerate(headers)
        ]
        for name in self.import_fields:
            self.fields[f"column_{name}"] = forms.TypedChoiceField(
                label=capfirst(field_labels[name]),
                choices=columns,
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.fields["default_category"] = forms.ChoiceField(
            label=_("Laji riveille, joilla sitä ei ole"),
            choices=[("", NO_DEFAULT_CATEGORY), *Device.Category.choices],
            required=False,
        )
        self.fields["accept_suggestions"] = forms.BooleanField(
            label=_("Hyväksy mallin perusteella ehdotetut lajit (esim. ThinkPad → kannettava)"),
            label_suffix="",
            required=False,
        )
        if with_grade:
            self.fields["condition_grade"] = forms.ChoiceField(
                label=_("Kuntoluokka riveille, joilla sitä ei ole"),
                choices=Device.Grade.choices,
            )

    @property
    def column_fields(self):
        return [self[f"column_{name}"] for name in self.import_fields]

    @property
    def setting_fields(self):
        return [self[name] for name in self.fields if not name.startswith("column_")]

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for name in self.import_fields:
            index = cleaned.get(f"column_{name}")
            if index is None:
                continue
            if index in chosen:
                column = dict(self.fields[f"column_{name}"].choices)[str(index)]
                self.add_error(
                    f"column_{name}",
                    COLUMN_CHOSEN_TWICE
                    % {"column": column, "other": self.fields[f"column_{chosen[index]}"].label},
                )
            else:
                chosen[index] = name
        return cleaned

    def choices(self):
        """The cleaned choices as JSON-friendly values (PendingImport.choices)."""
        data = {
            "mapping": {name: self.cleaned_data[f"column_{name}"] for name in self.import_fields},
            "default_category": self.cleaned_data["default_category"],
            "accept_suggestions": self.cleaned_data["accept_suggestions"],
        }
        if "condition_grade" in self.fields:
            data["condition_grade"] = self.cleaned_data["condition_grade"]
        return data

    @staticmethod
    def initial_from(choices):
        """Form initial values from PendingImport.choices."""
        initial = {
            f"column_{name}": "" if index is None else str(index)
            for name, index in choices.get("mapping", {}).items()
        }
        for name in ("default_category", "accept_suggestions", "condition_grade"):
            if name in choices:
                initial[name] = choices[name]
        return initial
