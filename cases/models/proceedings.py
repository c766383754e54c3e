import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..deadlines.rules import procedure_fits
from ..uploads import document_upload_to, validate_document
from .base import Result
from .courts import validate_timezone
from .queries import CaseChildQuerySet, ProceedingQuerySet


class Proceeding(models.Model):
    """One case before one court; a case's proceedings form its appeal chain."""

    class Procedure(models.TextChoices):
        UNKNOWN = "", _("Unknown: set it to get deadlines")
        GPK = "gpk", _("Russia: civil procedure (GPK)")
        KAS = "kas", _("Russia: administrative cases (KAS)")
        APK = "apk", _("Russia: commercial courts (APK)")
        KOAP = "koap", _("Russia: administrative offences (KoAP)")
        UPK = "upk", _("Russia: criminal procedure (UPK)")
        FEDERAL_CIVIL = "federal-civil", _("United States: federal civil")
        STATE = "state", _("United States: state court")
        CPR = "cpr", _("England and Wales: Civil Procedure Rules")
        ECHR = "echr", _("European Court of Human Rights")
        OTHER = "other", _("Other")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings", verbose_name=_("case"))
    court = models.ForeignKey(
        "cases.Court", on_delete=models.PROTECT, related_name="proceedings", verbose_name=_("court or forum")
    )
    docket_number = models.CharField(
        _("docket or application number"), max_length=100, blank=True, help_text=_("E.g. 11519/20 at the ECHR.")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    procedure = models.CharField(
        _("procedure"),
        max_length=20,
        choices=Procedure.choices,
        blank=True,
        help_text=_("Decides which deadline rules apply. Unknown or other: no deadline is generated."),
    )
    judges = models.CharField(_("judges"), max_length=500, blank=True, help_text=_("Names, separated by commas."))
    appeals_from = models.ForeignKey(
        "self",
        # Not PROTECT: deleting the whole case takes its appeal chain with it; one link alone stays refused.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("appeal from"),
        help_text=_("The lower proceeding of the same case that this one reviews."),
    )

    objects = ProceedingQuerySet.as_manager()
    history = HistoricalRecords()

    # What the same save proposes for the rows checked against this one, where a form saves them together:
    # {proceeding id: id it will appeal from} of this case's proceedings, {decision id: date, None if deleted}.
    # A row absent from them is checked as stored.
    proposed_links = None
    proposed_decision_dates = None

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="proceeding_ends_after_start",
                violation_error_message=_("A proceeding cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=~models.Q(appeals_from=models.F("id")),
                name="proceeding_not_appeal_of_itself",
                violation_error_message=_("A proceeding cannot appeal from itself."),
            ),
        ]

    def __str__(self):
        number = f" {self.docket_number}" if self.docket_number else ""
        return f"{self.court}{number}"

    def clean(self):
        errors = {}
        if self.appeals_from_id and self.case_id and self.appeals_from.case_id != self.case_id:
            errors["appeals_from"] = _("A proceeding can only appeal from another proceeding of the same case.")
        elif self.pk and self.appeals_from_id == self.pk:
            # The constraint compares with the id, which a form leaves out of its checks.
            errors["appeals_from"] = _("A proceeding cannot appeal from itself.")
        elif self.pk and self.appeals_from_id:
            links = dict(Proceeding.objects.filter(case_id=self.case_id).values_list("pk", "appeals_from"))
            links |= self.proposed_links or {}
            cycle = appeal_cycle(self.pk, links | {self.pk: self.appeals_from_id})
            if cycle:
                errors["appeals_from"] = appeal_cycle_message(cycle, {self.pk: self})
        if self.procedure and self.court_id and not procedure_fits(self.procedure, self.court.country.code):
            country = self.court.country.name or _("an international forum")
            errors["procedure"] = _("%(procedure)s does not fit a court in %(country)s.") % {
                "procedure": self.get_procedure_display(),
                "country": country,
            }
        if self.pk:
            errors |= self._clean_dependants()
        if errors:
            raise ValidationError(errors)

    def _clean_dependants(self):
        """Check this proceeding against the records that depend on it: its decisions and its appeals."""
        errors = {}
        if self.started_on:
            dates = dict(self.decisions.values_list("pk", "announced_on")) | (self.proposed_decision_dates or {})
            early = min((day for day in dates.values() if day and day < self.started_on), default=None)
            if early is not None:
                message = _("A decision of this proceeding is dated %(date)s, before this start date.")
                errors["started_on"] = message % {"date": early}
        if self.case_id and self.appeals.exclude(case_id=self.case_id).exists():
            errors["case"] = _("Proceedings of its present case appeal from this one; it cannot move to another case.")
        return errors


def appeal_cycle(start, links):
    """Return the keys on the circle that start's appeal chain makes in links ({key: appeals from}), else []."""
    chain, node = [start], links.get(start)
    while node is not None:
        if node == start:
            return chain
        if node in chain:
            return []  # a circle further up the chain: its own rows report it
        chain.append(node)
        node = links.get(node)
    return []


def appeal_cycle_message(cycle, known):
    """Return the message naming the proceedings on cycle; known maps keys to proceedings or labels."""
    missing = [key for key in cycle if key not in known]
    known = known | {p.pk: p for p in Proceeding.objects.filter(pk__in=missing).select_related("court")}
    names = [str(known[key]) for key in [*cycle, cycle[0]]]
    return _("An appeal chain cannot go round in a circle: %(chain)s.") % {"chain": " → ".join(names)}


class Filing(models.Model):
    """A docket entry: something a party or the court put on file."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint or claim")
        APPLICATION = "application", _("Application")
        MOTION = "motion", _("Motion")
        BRIEF = "brief", _("Brief or submission")
        EVIDENCE = "evidence", _("Evidence")
        APPEAL = "appeal", _("Appeal")
        JUDGMENT = "judgment", _("Judgment")
        ORDER = "order", _("Order")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="filings", verbose_name=_("proceeding")
    )
    filed_on = models.DateField(_("filed on"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    filed_by = models.ForeignKey(
        "cases.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name=_("filed by"),
    )
    document = models.FileField(
        _("document"),
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF, DOCX, ODT, RTF, TXT, PNG or JPEG."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Filings stay confidential until you tick this: they may hold strategy."),
    )

    objects = CaseChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        # The home page and the feed read the latest public filings off this index instead of sorting them all.
        indexes = [
            models.Index(
                models.F("filed_on").desc(),
                models.F("id").desc(),
                name="filing_public_latest_idx",
                condition=models.Q(is_public=True),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.filed_by_id and self.proceeding_id and self.filed_by.case_id != self.proceeding.case_id:
            raise ValidationError({"filed_by": _("The filing party must take part in this case.")})


class Hearing(models.Model):
    """A hearing, stored in UTC and shown in its court's time zone."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("proceeding")
    )
    starts_at = models.DateTimeField(_("starts at"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("The court's time zone, e.g. Europe/Moscow."),
    )
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Courtroom or address."))
    summary = models.TextField(_("what happened"), blank=True)
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Untick for closed or private hearings."))

    objects = CaseChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(timezone=""),
                name="hearing_has_timezone",
                violation_error_message=_("Choose the time zone the hearing takes place in."),
            )
        ]

    def __str__(self):
        return f"{self.proceeding} {self.local_starts_at:%Y-%m-%d %H:%M}"

    @property
    def local_starts_at(self):
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.timezone or "UTC"))


class Decision(models.Model):
    """A ruling or judgment that disposes of a proceeding, in whole or in part."""

    class ClientOutcome(models.TextChoices):
        UNKNOWN = "", _("Unknown")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        MIXED = "mixed", _("Mixed")

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("proceeding")
    )
    announced_on = models.DateField(_("announced on"))
    final_form_on = models.DateField(
        _("date in final form"),
        null=True,
        blank=True,
        help_text=_("When the reasoned decision was made (US: entered). Russian appeal periods run from it."),
    )
    served_on = models.DateField(
        _("served on our client"),
        null=True,
        blank=True,
        help_text=_("When our client received a copy. KoAP complaints and ECHR applications run from it."),
    )
    legal_effect_on = models.DateField(
        _("took legal effect on"),
        null=True,
        blank=True,
        help_text=_(
            "Blank: computed where the law fixes it (appellate rulings: when pronounced). Fill in to override."
        ),
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    client_outcome = models.CharField(
        _("for our client"),
        max_length=10,
        choices=ClientOutcome.choices,
        blank=True,
        help_text=_("Blank: worked out from the result at first instance, else unknown. Won: no appeal deadline."),
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document"), upload_to=document_upload_to, blank=True, validators=[validate_document])
    is_final = models.BooleanField(
        _("final"), default=False, help_text=_("No ordinary appeal lies; the case is over at this level.")
    )
    is_public = models.BooleanField(_("public"), default=True)

    objects = CaseChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["announced_on", "pk"]
        get_latest_by = "announced_on"
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(
                models.F("announced_on").desc(),
                models.F("id").desc(),
                name="decision_public_latest_idx",
                condition=models.Q(is_public=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(final_form_on__isnull=True) | models.Q(final_form_on__gte=models.F("announced_on")),
                name="decision_final_form_not_before_announcement",
                violation_error_message=_("The decision cannot be in final form before it was announced."),
            ),
            models.CheckConstraint(
                condition=models.Q(served_on__isnull=True) | models.Q(served_on__gte=models.F("announced_on")),
                name="decision_served_not_before_announcement",
                violation_error_message=_("A copy cannot be served before the decision was announced."),
            ),
            models.CheckConstraint(
                condition=models.Q(legal_effect_on__isnull=True)
                | models.Q(legal_effect_on__gte=models.F("announced_on")),
                name="decision_effect_not_before_announcement",
                violation_error_message=_("A decision cannot take legal effect before it was announced."),
            ),
        ]

    def __str__(self):
        return f"{self.get_result_display()}, {self.announced_on}"

    def clean(self):
        if (
            self.proceeding_id
            and self.proceeding.started_on
            and self.announced_on
            and self.announced_on < self.proceeding.started_on
        ):
            raise ValidationError(
                {
                    "announced_on": _("A decision cannot be dated before its proceeding started (%(date)s).")
                    % {"date": self.proceeding.started_on}
                }
            )
