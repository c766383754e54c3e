"""Form fields that let lawyers type what they mean instead of the stored format."""

import re

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
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


class _DropMalformedIds:
    """Redraw a refused form without the posted ids its key field cannot read, instead of crashing on them.

    Django's autocomplete widgets look up every posted value to show it, so a forged "x" for a numeric id would
    raise while the form is shown again with its "Select a valid choice" message.
    """

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        readable = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class SafeAutocompleteSelect(_DropMalformedIds, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_DropMalformedIds, AutocompleteSelectMultiple):
    pass


class SafeAutocomplete:
    """Give a model admin's autocomplete fields the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
