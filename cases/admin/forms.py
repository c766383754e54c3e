"""Admin forms that need more than the model gives: hearing times in the court's zone, narrowed choices,
appeal chains checked across rows, counsel typed on its party's row."""

import re
import zoneinfo

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..deadlines.generate import check_triggers
from ..models import Case, Counsel, Court, Decision, Filing, Hearing, Participation, Party, Proceeding
from ..models.proceedings import appeal_cycle, appeal_cycle_message
from .deadlines import DeadlineForm

TIMEZONE_CHOICES = [("", "---------")] + [(name, name) for name in sorted(zoneinfo.available_timezones())]


class RowForm(forms.ModelForm):
    """A table row of an inline: each widget is named after its field, as a row has headings, not labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-links wrapper
            widget.attrs.setdefault("aria-label", str(field.label))


class CaseForm(forms.ModelForm):
    """The case form, with a plainer message for a slug that is taken."""

    class Meta:
        model = Case
        fields = [
            "title",
            "title_ru",
            "original_title",
            "slug",
            "country",
            "status",
            "outcome",
            "filed_on",
            "facts_date",
        ]
        fields += ["summary"]
        fields += ["summary_ru", "description", "technologies", "grounds", "related_cases", "lead_lawyer", "team"]
        fields += ["internal_notes"]
        error_messages = {
            "slug": {"unique": _("Another case already uses this slug. Choose another, or leave it blank.")},
        }


# Who may act as counsel, as the Counsel model limits its organisation.
COUNSEL_KINDS = Counsel._meta.get_field("organisation").get_limit_choices_to()["kind__in"]


def counsel_label(counsel):
    """Return counsel as typed in the compact field: "Name (Firm)", "Name" or "Firm"."""
    if counsel.name and counsel.organisation_id:
        return f"{counsel.name} ({counsel.organisation.name})"
    return counsel.name or counsel.organisation.name


class ParticipationInlineForm(RowForm):
    """A party's role in the case, with its counsel typed on the same row."""

    counsel_text = forms.CharField(
        label=_("counsel"),
        required=False,
        max_length=2000,
        help_text=_("Separate with semicolons, e.g. “Kirill Koroteev (Roskomsvoboda); Liberty”."),
        widget=forms.TextInput(attrs={"list": "counsel-organisations"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["counsel_text"] = "; ".join(counsel_label(c) for c in self.instance.counsel.all())

    def clean_counsel_text(self):
        entries = []
        for entry in filter(None, (part.strip() for part in self.cleaned_data["counsel_text"].split(";"))):
            match = re.fullmatch(r"(?P<name>[^()]*?)\s*(?:\((?P<firm>[^()]+)\))?", entry)
            if match is None:
                message = _("Write each counsel as “Name”, “Name (Firm)” or “Firm”: %(entry)s")
                raise ValidationError(message, params={"entry": entry})
            name, firm_name = match["name"].strip(), (match["firm"] or "").strip()
            firm = self.find_firm(firm_name or name)
            if firm_name and firm is None:
                message = _("No firm or NGO called “%(name)s” yet: add it as a party first.")
                raise ValidationError(message, params={"name": firm_name})
            if not firm_name:
                # A bare name is the firm's when a firm has it, else the lawyer's.
                name = "" if firm is not None else name
            if len(name) > 200:
                raise ValidationError(_("A lawyer's name has at most 200 characters."))
            entries.append((name, firm))
        return entries

    @staticmethod
    def find_firm(name):
        if not name:
            return None
        same_name = models.Q(name__iexact=name) | models.Q(name_ru__iexact=name)
        return Party.objects.filter(same_name, kind__in=COUNSEL_KINDS).order_by("pk").first()


class HearingForm(RowForm):
    """Take a hearing's date and time as the clock on the courtroom wall, in the hearing's time zone."""

    timezone = forms.ChoiceField(
        label=_("time zone"),
        choices=TIMEZONE_CHOICES,
        help_text=_("The start time is read in this zone. New hearings start with the court's."),
        error_messages={"required": _("Choose the time zone the hearing takes place in, e.g. Europe/Moscow.")},
    )

    class Meta:
        model = Hearing
        fields = ["starts_at", "timezone", "place", "summary", "is_public"]
        help_texts = {"starts_at": _("Local time at the court, in the time zone beside it.")}

    def __init__(self, *args, default_timezone=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Show the stored UTC instant back as the court's local time, without a zone to convert it again.
            self.initial["starts_at"] = self.instance.local_starts_at.replace(tzinfo=None)
        elif default_timezone:
            self.initial.setdefault("timezone", default_timezone)

    def clean(self):
        cleaned = super().clean()
        starts_at, zone_name = cleaned.get("starts_at"), cleaned.get("timezone")
        if starts_at and zone_name:
            # The field read the wall-clock time in the site's zone; read it again in the hearing's.
            wall_clock = timezone.make_naive(starts_at)
            cleaned["starts_at"] = timezone.make_aware(wall_clock, zoneinfo.ZoneInfo(zone_name))
        return cleaned


class HearingInlineFormSet(BaseInlineFormSet):
    """Start new hearing rows, including those added in the browser, in the court's time zone."""

    def get_form_kwargs(self, index):
        court = self.instance.court if self.instance.court_id else None
        return super().get_form_kwargs(index) | {"default_timezone": court.timezone if court else None}


class CaseChoicesFormSet(BaseInlineFormSet):
    """Offer in `narrowed_field` only records of the parent's case, fetched once for all the rows."""

    narrowed_field = None

    def narrowed_queryset(self):
        raise NotImplementedError

    @cached_property
    def _narrowed(self):
        queryset = self.narrowed_queryset()
        return queryset, [("", "---------")] + [(obj.pk, str(obj)) for obj in queryset]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self.narrowed_field)
        if field is not None:
            field.queryset, field.choices = self._narrowed


class FilingInlineFormSet(CaseChoicesFormSet):
    """A filing is filed by one of this case's parties."""

    narrowed_field = "filed_by"

    def narrowed_queryset(self):
        return Participation.objects.filter(case_id=self.instance.case_id).select_related("party")


# The value of "Appeal from" that means the proceeding in the row above, saved or not.
ROW_ABOVE = "above"


class AppealFromField(forms.ModelChoiceField):
    """A proceeding of this case, or the row above: a chain can be entered before any of it is saved."""

    def to_python(self, value):
        return ROW_ABOVE if value == ROW_ABOVE else super().to_python(value)


class ProceedingInlineForm(RowForm):
    """A proceeding row on its case's page, which may appeal from the row above it."""

    row_above = None  # the form of the row above, when this row appeals from it

    def clean(self):
        cleaned = super().clean()
        self.appeals_from_above = cleaned.get("appeals_from") == ROW_ABOVE
        if self.appeals_from_above:
            cleaned["appeals_from"] = None
        return cleaned

    def save(self, commit=True):
        if self.row_above is not None:
            # Saved before this row, so the link gets its id when this row is saved.
            self.instance.appeals_from = self.row_above.instance
        return super().save(commit)


class ProceedingInlineFormSet(CaseChoicesFormSet):
    """A proceeding appeals from another proceeding of the same case, never itself, never in a circle."""

    narrowed_field = "appeals_from"

    def narrowed_queryset(self):
        return Proceeding.objects.filter(case_id=self.instance.pk).select_related("court")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("appeals_from")
        if field is None:
            return
        own = form.instance.pk
        choices = [choice for choice in field.choices if not own or choice[0] != own]
        if index != 0:
            choices.insert(1, (ROW_ABOVE, _("↑ the proceeding in the row above")))
        if own:
            field.queryset = field.queryset.exclude(pk=own)
        field.choices = choices

    def full_clean(self):
        # Each row's own model check follows the chain through the other rows: as this save leaves them.
        proposed = self.proposed_links()
        for form in self.forms:
            form.instance.proposed_links = proposed
        super().full_clean()

    def proposed_links(self):
        """Return {proceeding id: id it appeals from} of the saved rows as posted, before any field is cleaned.

        A value that is no proceeding of this case counts as none: its field refuses it anyway.
        """
        links, above = {}, None
        for form in self.forms:
            pk = form.instance.pk
            if not pk and not form.has_changed():
                continue  # an empty extra row
            if self.can_delete and form["DELETE"].data:
                if pk:
                    links[pk] = None
                continue
            raw = str(form["appeals_from"].data or "") if "appeals_from" in form.fields else ""
            target = above if raw == ROW_ABOVE else int(raw) if raw.isdigit() else None
            if pk:
                links[pk] = target
            above = pk
        return links

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        links = {}
        if self.instance.pk:
            links = dict(Proceeding.objects.filter(case_id=self.instance.pk).values_list("pk", "appeals_from"))
        rows, above = {}, None
        for index, form in enumerate(self.forms):
            if not form.has_changed() and not form.instance.pk:
                continue  # an empty extra row
            key = form.instance.pk or ("row", index)
            if self._should_delete_form(form):
                links.pop(key, None)
                continue
            if getattr(form, "appeals_from_above", False):
                if above is None:
                    form.add_error("appeals_from", _("There is no proceeding in the row above."))
                    continue
                form.row_above = rows[above]
                links[key] = above
            else:
                target = form.cleaned_data.get("appeals_from")
                links[key] = target.pk if target else None
            rows[key], above = form, key
        labels = {key: form.instance for key, form in rows.items()}
        for key, form in rows.items():
            cycle = appeal_cycle(key, links)
            if cycle:
                form.add_error("appeals_from", appeal_cycle_message(cycle, labels))


class ProceedingForm(forms.ModelForm):
    """A proceeding on its own page appeals from another proceeding of its case, never itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("appeals_from")
        if field is not None and self.instance.pk:
            field.queryset = (
                field.queryset.filter(case_id=self.instance.case_id)
                .exclude(pk=self.instance.pk)
                .select_related("court")
            )


class CourtForm(forms.ModelForm):
    """A court, with its time zone chosen from the list rather than typed."""

    timezone = forms.ChoiceField(label=_("time zone"), choices=TIMEZONE_CHOICES)

    class Meta:
        model = Court
        fields = ["name", "name_ru", "slug", "country", "level", "timezone", "appeals_to"]


class StoredDocument:
    """What the file widget shows for a stored document: a link to the permission-checking download view."""

    def __init__(self, url):
        self.url = url

    def __str__(self):
        return str(_("Download"))


class DocumentInput(AdminFileWidget):
    """A file input whose "currently" link goes through the download view, never to the storage path."""

    download_url = None

    def format_value(self, value):
        if self.is_initial(value) and self.download_url:
            return StoredDocument(self.download_url)
        return None


class DocumentForm(forms.ModelForm):
    """Point the document widget of a filing or decision at its download URL."""

    document_kind = None  # "filing" or "decision", as in the download URL

    class Meta:
        widgets = {"document": DocumentInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("document")
        if field is not None and self.instance.pk:
            field.widget.download_url = reverse("cases:document_download", args=[self.document_kind, self.instance.pk])


class FilingForm(DocumentForm):
    document_kind = "filing"

    class Meta(DocumentForm.Meta):
        model = Filing
        fields = ["filed_on", "kind", "title", "filed_by", "description", "document", "is_public"]


class DecisionInlineFormSet(BaseInlineFormSet):
    """A proceeding's decisions: its start date is checked against their dates as this save leaves them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # The proceeding's form is checked before these rows: give it their posted dates first.
            self.instance.proposed_decision_dates = self.proposed_dates()

    def proposed_dates(self):
        """Return {decision id: posted announcement date, or None if deleted} of the saved rows.

        A date that cannot be read counts as stored: its own field refuses it anyway.
        """
        dates = {}
        for form in self.initial_forms:
            if self.can_delete and form["DELETE"].data:
                dates[form.instance.pk] = None
                continue
            if "announced_on" not in form.fields:
                continue
            try:
                dates[form.instance.pk] = form.fields["announced_on"].clean(form["announced_on"].data)
            except ValidationError:
                continue
        return dates


class DecisionForm(DocumentForm):
    document_kind = "decision"

    def _post_clean(self):
        super()._post_clean()
        # save_decision refuses dates its deadline rules cannot use; say so on the form instead of failing later.
        if self.instance.proceeding_id and not self.errors:
            try:
                check_triggers(self.instance)
            except ValidationError as error:
                self._update_errors(error)

    class Meta(DocumentForm.Meta):
        model = Decision
        fields = ["announced_on", "final_form_on", "served_on", "legal_effect_on", "result", "client_outcome"]
        fields += ["is_final", "summary", "document", "is_public"]


class DeadlineInlineForm(RowForm, DeadlineForm):
    """A deadline row on its proceeding's page, with a way to close it through the deadline actions."""

    class Mark(models.TextChoices):
        DONE = "done", _("Mark done")
        CANCEL = "cancel", _("Cancel it")

    mark = forms.ChoiceField(label=_("close"), choices=[("", "---------"), *Mark.choices], required=False)

    class Meta(DeadlineForm.Meta):
        fields = ["title", "kind", "due_on", "due_time", "responsible"]

    def clean(self):
        # The row has no case field: it is the proceeding's, and the reminder checks need it.
        if self.instance.proceeding_id:
            self.cleaned_data["case"] = self.instance.proceeding.case
        return super().clean()
