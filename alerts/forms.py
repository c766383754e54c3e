from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class FollowForm(forms.Form):
    """Follow one case (by slug) or a filtered list (by its query string)."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, initial=Frequency.IMMEDIATE)
    case = forms.SlugField(required=False, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
