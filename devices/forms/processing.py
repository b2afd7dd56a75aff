"""Forms of the technician's processing pages: erasure log per medium, storage media,
refurbishment check, disposal.

The technician is always the logged-in user; no form has a field for it.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import Device, Erasure, RefurbishmentCheck, StorageMedium
from devices.models.media import BUILT_IN_CATEGORIES, MediumKind
from devices.models.processing import FACTORY_RESET_CATEGORIES, TECHNIQUES_BY_METHOD
from kierratys.widgets import DateTimeLocalInput

M, T = Erasure.Method, Erasure.Technique
# What a medium of each kind is usually erased with (NIST SP 800-88 Rev. 1 Table A):
# the starting values when the technician has not erased such a medium before.
DEFAULTS_BY_KIND = {
    MediumKind.NVME: {"method": M.PURGE, "technique": T.NVME_SANITIZE, "tool_name": "nvme-cli"},
    MediumKind.SSD: {"method": M.PURGE, "technique": T.ATA_SECURE_ERASE, "tool_name": "hdparm"},
    MediumKind.HDD: {"method": M.CLEAR, "technique": T.OVERWRITE, "tool_name": "nwipe"},
    MediumKind.EMMC: {"method": M.CLEAR, "technique": T.OVERWRITE, "tool_name": "nwipe"},
    MediumKind.REMOVABLE: {"method": M.CLEAR, "technique": T.OVERWRITE, "tool_name": "nwipe"},
}
# A phone's or tablet's built-in memory is encrypted: its factory reset is a crypto erase.
BUILT_IN_DEFAULTS = {"method": M.PURGE, "technique": T.FACTORY_RESET}
NEW_MEDIUM_FIELDS = ("new_medium_kind", "new_medium_model", "new_medium_serial")
PREFILLED = ("method", "technique", "tool_name", "tool_version", "verification")


class MediumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [str(obj)]
        if obj.capacity_gb:
            parts.append(f"{obj.capacity_gb} Gt")
        return ", ".join(parts)


class ErasureForm(forms.ModelForm):
    """One erasure attempt of one medium of `device`.

    The rules (times, technique within its category, factory reset only for phones
    and tablets, the medium of this device) are Erasure.clean()'s and run here on an
    instance that knows its device; the failure and disposal reasons' rules are
    services.erasure_record's, and the view shows their refusal on the field with
    `show_refusal`."""

    medium = MediumChoiceField(
        label=_("Tallennusväline"),
        queryset=StorageMedium.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    # Only when no medium is recorded yet (intake did not say what storage the device has):
    # the technician records the one being erased together with its erasure.
    new_medium_kind = forms.ChoiceField(
        label=_("Tallennusvälineen tyyppi"),
        choices=[("", "---------")]
        + [choice for choice in MediumKind.choices if choice[0] != MediumKind.UNKNOWN],
    )
    new_medium_model = forms.CharField(
        label=_("Tallennusvälineen malli"), max_length=100, required=False
    )
    new_medium_serial = forms.CharField(
        label=_("Tallennusvälineen sarjanumero"), max_length=100, required=False
    )
    disposal_reason = forms.ChoiceField(
        label=_("Mitä tuhotulle laitteelle tehtiin"),
        choices=[("", "---------"), *Device.DisposalReason.choices],
        required=False,
        help_text=_("Vain kun menetelmä on ”Destroy” ja tulos onnistui."),
    )

    class Meta:
        model = Erasure
        fields = [
            "medium",
            "method",
            "technique",
            "tool_name",
            "tool_version",
            "started_at",
            "ended_at",
            "verification",
            "result",
            "failure_reason",
            "notes",
        ]
        widgets = {
            "started_at": DateTimeLocalInput(),
            "ended_at": DateTimeLocalInput(),
            "method": forms.RadioSelect,
            "verification": forms.RadioSelect,
            "result": forms.RadioSelect,
            "failure_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "tool_name": _("Esim. nwipe, Blancco, hdparm, nvme-cli"),
            "failure_reason": _(
                "Pakollinen, kun tyhjennys epäonnistui: esim. työkalun ilmoittama virhe."
            ),
        }

    def __init__(self, *args, device, technician=None, media=None, medium=None, **kwargs):
        """`media`: the device's media coverage (erasure_coverage.media_coverage), read once
        by the view; `medium`: the medium to preselect (the page was opened for it)."""
        self.device = device
        kwargs.setdefault("instance", Erasure(device=device))
        super().__init__(*args, **kwargs)
        for name in ("method", "verification", "result"):
            # Radio buttons need no empty "---------" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        coverage = list(media or [])
        self.fields["medium"].queryset = device.media.order_by("pk")
        # The choices from the media already read, not a second query per rendering.
        self.fields["medium"].choices = [
            (item.medium.pk, self.fields["medium"].label_from_instance(item.medium))
            for item in coverage
        ]
        # One medium: the service takes the device's only one; with several the technician
        # must say which; with none, the technician says what is being erased.
        self.fields["medium"].required = len(coverage) > 1
        if coverage:
            for name in NEW_MEDIUM_FIELDS:
                del self.fields[name]
        else:
            del self.fields["medium"]
        if not self.is_bound:
            chosen = _preselected(coverage, medium)
            if chosen is not None:
                self.initial["medium"] = chosen.pk
            self.initial.update(erasure_initial_values(device, chosen, technician))

    # Device and technician are no form fields; the service validates the whole row.
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.update({"device", "technician"})
        return exclusions

    def new_medium(self):
        """The medium to record with the erasure (kind, model, serial), or None."""
        data = self.cleaned_data
        if "new_medium_kind" not in self.fields:
            return None
        return {
            "kind": data.pop("new_medium_kind"),
            "model": data.pop("new_medium_model"),
            "serial_number": data.pop("new_medium_serial"),
        }


def _preselected(coverage, medium):
    """The medium asked for, else the only one, else the first not yet erased."""
    media = [item.medium for item in coverage]
    if medium is not None and medium in media:
        return medium
    if len(media) == 1:
        return media[0]
    return next((item.medium for item in coverage if not item.erased), None)


def fits_device(values, device):
    """Whether a method and technique are ones Erasure.clean() accepts for `device`."""
    technique = values.get("technique")
    if technique not in TECHNIQUES_BY_METHOD.get(values.get("method"), ()):
        return False
    return technique != T.FACTORY_RESET or device.category in FACTORY_RESET_CATEGORIES


def erasure_initial_values(device, medium, technician):
    """Start and end around now; method, technique and tool from the technician's last
    erasure of the same kind of medium in the same kind of device, else the usual ones for
    the medium (never a destruction, never a technique the device cannot take)."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    values = {"started_at": now - datetime.timedelta(minutes=30), "ended_at": now}
    if medium is None:
        return values
    last = None
    if technician is not None:
        last = (
            Erasure.objects.filter(
                technician=technician,
                medium__kind=medium.kind,
                device__category=device.category,
            )
            .exclude(method=M.DESTROY)
            .order_by("-recorded_at")
            .values(*PREFILLED)
            .first()
        )
    if last and fits_device(last, device):
        values.update(last)
        return values
    if medium.built_in or (
        medium.kind == MediumKind.EMMC and device.category in BUILT_IN_CATEGORIES
    ):
        defaults = BUILT_IN_DEFAULTS
    else:
        defaults = DEFAULTS_BY_KIND.get(medium.kind, {})
    if fits_device(defaults, device):
        values.update(defaults)
    return values


class MediumForm(forms.ModelForm):
    """A storage medium found in the device (a second drive, a memory card)."""

    class Meta:
        model = StorageMedium
        fields = ["kind", "model", "serial_number", "capacity_gb"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only for erasures recorded before media were: never chosen for a new one.
        self.fields["kind"].choices = [
            choice for choice in self.fields["kind"].choices if choice[0] != MediumKind.UNKNOWN
        ]

    # The device is no form field; medium_add validates the whole row.
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("device")
        return exclusions


class RefurbishmentForm(forms.ModelForm):
    """The refurbishment checklist; a complete one makes the device ready."""

    class Meta:
        model = RefurbishmentCheck
        fields = [*RefurbishmentCheck.CHECK_FIELDS, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class DisposeForm(forms.Form):
    """Dispose of a received or erased device that is beyond repair."""

    disposal_reason = forms.ChoiceField(
        label=_("Mitä laitteelle tehdään"), choices=Device.DisposalReason.choices
    )
