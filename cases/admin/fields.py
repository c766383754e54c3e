"""Form fields that let lawyers type what they mean instead of the stored format."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class OffsetsField(forms.Field):
    """Reminder offsets typed as "14, 7, 3, 1, 0" (days before), stored as a list of whole days."""

    widget = forms.TextInput(attrs={"size": 20, "inputmode": "numeric", "placeholder": "14, 7, 3, 1, 0"})
    default_error_messages = {"invalid": _("Type whole days separated by commas, e.g. 14, 7, 3, 1, 0.")}

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        parts = [part for part in re.split(r"[\s,;]+", value or "") if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(part) for part in parts]

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True
