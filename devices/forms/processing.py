"""Forms of the technician's processing pages: erasure log, refurbishment check, disposal.

The technician is always the logged-in user; no form has a field for it.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import Device, Erasure, RefurbishmentCheck

Method = Erasure.Method
Technique = Erasure.Technique

# Which techniques belong to which NIST SP 800-88 category. Modern phone and
# tablet factory resets erase the encryption key, which NIST counts as Purge.
TECHNIQUES_BY_METHOD = {
    Method.CLEAR: {Technique.OVERWRITE, Technique.FACTORY_RESET},
    Method.PURGE: {
        Technique.ATA_SECURE_ERASE,
        Technique.NVME_SANITIZE,
        Technique.CRYPTO_ERASE,
        Technique.FACTORY_RESET,
    },
    Method.DESTROY: {Technique.PHYSICAL_DESTRUCTION},
}
FACTORY_RESET_CATEGORIES = {Device.Category.PHONE, Device.Category.TABLET}
# Clocks of a workstation and the server may differ a little.
CLOCK_SKEW = datetime.timedelta(minutes=5)

ENDS_BEFORE_START = _("Päättymisaika ei voi olla ennen aloitusaikaa.")
ENDS_IN_FUTURE = _("Päättymisaika ei voi olla tulevaisuudessa.")
TECHNIQUE_NOT_IN_METHOD = _(
    "Tekniikka ”%(technique)s” ei kuulu menetelmään ”%(method)s”. Sopivat tekniikat: %(allowed)s."
)
FACTORY_RESET_ONLY_MOBILE = _(
    "Tehdasasetusten palautus on tyhjennystapa vain puhelimille ja tableteille; "
    "tämä laite on ”%(category)s”."
)
DISPOSAL_REASON_REQUIRED = _("Kerro, mitä tuhotulle laitteelle tehtiin.")
DISPOSAL_ONLY_WHEN_DESTROYED = _(
    "Poiston syyn voi valita vain, kun laite tuhottiin (menetelmä ”Destroy” ja tulos onnistui)."
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class ErasureForm(forms.ModelForm):
    """One erasure attempt of `device`; method, technique and device must fit together."""

    disposal_reason = forms.ChoiceField(
        label=_("Mitä tuhotulle laitteelle tehtiin"),
        choices=[("", "---------"), *Device.DisposalReason.choices],
        required=False,
        help_text=_("Vain kun menetelmä on ”Destroy” ja tulos onnistui."),
    )

    class Meta:
        model = Erasure
        fields = [
            "method",
            "technique",
            "tool_name",
            "tool_version",
            "started_at",
            "ended_at",
            "verification",
            "result",
            "notes",
        ]
        widgets = {
            "started_at": DateTimeLocalInput(),
            "ended_at": DateTimeLocalInput(),
            "method": forms.RadioSelect,
            "verification": forms.RadioSelect,
            "result": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "tool_name": _("Esim. nwipe, Blancco, hdparm, nvme-cli"),
        }

    def __init__(self, *args, device, technician=None, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)
        for name in ("method", "verification", "result"):
            # Radio buttons need no empty "---------" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if not self.is_bound:
            self.initial.update(_initial_values(technician))

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_at"), cleaned.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", ENDS_BEFORE_START)
        if ended and ended > timezone.now() + CLOCK_SKEW:
            self.add_error("ended_at", ENDS_IN_FUTURE)

        method, technique = cleaned.get("method"), cleaned.get("technique")
        if method and technique and technique not in TECHNIQUES_BY_METHOD[method]:
            allowed = ", ".join(
                str(Technique(name).label)
                for name in Technique.values
                if name in TECHNIQUES_BY_METHOD[method]
            )
            self.add_error(
                "technique",
                forms.ValidationError(
                    TECHNIQUE_NOT_IN_METHOD,
                    params={
                        "technique": Technique(technique).label,
                        "method": Method(method).label,
                        "allowed": allowed,
                    },
                ),
            )
        if (
            technique == Technique.FACTORY_RESET
            and self.device.category not in FACTORY_RESET_CATEGORIES
        ):
            self.add_error(
                "technique",
                forms.ValidationError(
                    FACTORY_RESET_ONLY_MOBILE,
                    params={"category": self.device.get_category_display()},
                ),
            )

        destroyed = method == Method.DESTROY and cleaned.get("result") == Erasure.Result.PASSED
        reason = cleaned.get("disposal_reason")
        if destroyed and not reason:
            self.add_error("disposal_reason", DISPOSAL_REASON_REQUIRED)
        elif reason and not destroyed:
            self.add_error("disposal_reason", DISPOSAL_ONLY_WHEN_DESTROYED)
        return cleaned

    # The model's constraint check needs the device; the service validates the row.
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.update({"device", "technician"})
        return exclusions


def _initial_values(technician):
    """Start and end around now, and the tool the technician used last time."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    values = {"started_at": now - datetime.timedelta(minutes=30), "ended_at": now}
    if technician is not None:
        last = (
            Erasure.objects.filter(technician=technician)
            .order_by("-recorded_at")
            .values("method", "technique", "tool_name", "tool_version", "verification")
            .first()
        )
        if last:
            values.update(last)
    return values


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
