"""The surveillance a case challenges: vendors, their systems, where those are deployed, and what cases won."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import AuditHistory, country_name, slug_url

PUBLISH_HELP = _(
    "Show it publicly even if no published case challenges it. A record a published case challenges is public anyway."
)
ALIASES_HELP = _("Other names and spellings, one per line, e.g. НтехЛаб for NtechLab.")


def split_aliases(text):
    """Return the aliases in text, one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def alias_key(name):
    """Return how a name reads for comparison: case, spacing and punctuation aside, in either script."""
    from ..transliteration import search_key

    return slugify(search_key(name)).replace("-", "")


class SluggedRecord(models.Model):
    """A record with a public page at /<kind>/<slug>/, its slug made from its name when left blank."""

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, blank=True, help_text=_("Left blank, it is made from the name.")
    )
    is_published = models.BooleanField(_("publish on its own"), default=False, help_text=PUBLISH_HELP)

    url_name = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(type(self), self.slug_source(), exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url(f"cases:{self.url_name}", self.slug)

    def slug_source(self):
        return self.name

    @property
    def display_name(self):
        return self.name


class NamedRecord(SluggedRecord):
    """A vendor or system: known by a name and its aliases in either script, described in a few words."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    aliases = models.TextField(_("aliases"), blank=True, help_text=ALIASES_HELP)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return split_aliases(self.aliases)


class Vendor(NamedRecord):
    """A company or state developer that makes surveillance systems, e.g. NtechLab."""

    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()
    url_name = "vendor_detail"

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def clean(self):
        names = {alias_key(name): name for name in [self.name, *self.alias_list] if alias_key(name)}
        for other in Vendor.objects.exclude(pk=self.pk).only("name", "aliases"):
            clash = next((names[key] for key in map(alias_key, [other.name, *other.alias_list]) if key in names), None)
            if clash is None:
                continue
            message = _("“%(alias)s” is already a name of another vendor, “%(vendor)s”.")
            field = "name" if clash == self.name else "aliases"
            raise ValidationError({field: message % {"alias": clash, "vendor": other.name}})


class System(NamedRecord):
    """A surveillance product or programme, e.g. FindFace Security, Pegasus or a city's camera network."""

    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="systems",
        verbose_name=_("vendor"),
        help_text=_("Left blank for a programme with no known vendor."),
    )
    technologies = models.ManyToManyField(
        "cases.Technology", blank=True, related_name="systems", verbose_name=_("technologies")
    )

    history = AuditHistory(m2m_fields=["technologies"])
    url_name = "system_detail"

    class Meta:
        ordering = ["name"]
        verbose_name = _("surveillance system")
        verbose_name_plural = _("surveillance systems")


class Deployment(SluggedRecord):
    """A system used by an operator in a place over a period, e.g. face recognition on the Moscow metro."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        BANNED_BY_COURT = "banned_by_court", _("Banned by a court")

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("system"))
    operator = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("operator"),
        help_text=_("The agency, police force or city department that runs it: an organisation, not a person."),
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True, help_text=_("Of the city, for the map.")
    )
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("Left blank while ongoing."))
    legal_basis = models.TextField(_("legal basis"), blank=True, help_text=_("As the operator states it."))
    scale = models.CharField(
        _("scale"), max_length=300, blank=True, help_text=_("E.g. “105,000 cameras, 3.3 bn roubles of hardware”.")
    )
    scale_source_url = models.URLField(_("source of the scale"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    history = HistoricalRecords()
    url_name = "deployment_detail"

    class Meta:
        ordering = ["system__name", "country", "city", "pk"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="deployment_ends_after_start",
                violation_error_message=_("A deployment cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="deployment_coordinates_valid",
                violation_error_message=_("Give both latitude (−90 to 90) and longitude (−180 to 180), or neither."),
            ),
        ]

    def __str__(self):
        return f"{self.system_name} — {self.place}" if self.system_id else self.place

    @property
    def system_name(self):
        return self.system.name

    @property
    def place(self):
        return ", ".join(part for part in [self.city, self.region, country_name(self.country)] if part)

    def slug_source(self):
        return f"{self.system.name} {self.city or self.region or self.country.code}" if self.system_id else "deployment"

    def clean(self):
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A deployment cannot end before it starts.")
        if self.operator_id and self.operator.kind == self.operator.Kind.PERSON:
            errors["operator"] = _("The operator must be an organisation (an agency, police force or department).")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _("Give both coordinates, or neither.")
        if errors:
            raise ValidationError(errors)


class Challenge(models.Model):
    """What a case challenges: one deployment, or a system as a whole, with the claim made against it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="challenges", verbose_name=_("case"))
    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("deployment"),
    )
    system = models.ForeignKey(
        System,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("system"),
        help_text=_("Only when the case challenges the system as a whole rather than one deployment."),
    )
    claim = models.TextField(_("claim"), blank=True, help_text=_("What the case says is unlawful about it."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("challenged system or deployment")
        verbose_name_plural = _("what this case challenges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deployment__isnull=False, system__isnull=True)
                | models.Q(deployment__isnull=True, system__isnull=False),
                name="challenge_deployment_or_system",
                violation_error_message=_("Choose either a deployment or a system, not both."),
            ),
        ]

    def __str__(self):
        return str(self.deployment or self.system or _("(nothing chosen)"))

    @property
    def target_system(self) -> "System | None":
        """Return the system challenged, directly or through its deployment."""
        return self.deployment.system if self.deployment_id else self.system


class Remedy(models.Model):
    """What happened because of a case to what it challenged: switched off, data deleted, law amended…"""

    class Kind(models.TextChoices):
        SWITCHED_OFF = "switched_off", _("System switched off")
        DATA_DELETED = "data_deleted", _("Data deleted")
        LAW_AMENDED = "law_amended", _("Law amended")
        DAMAGES = "damages", _("Damages awarded")
        NONE = "none", _("No remedy")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="remedies", verbose_name=_("challenge")
    )
    kind = models.CharField(_("outcome"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    source_url = models.URLField(_("source"), max_length=1000)
    public_note = models.TextField(_("public note"), blank=True)
    private_note = models.TextField(
        _("private note"), blank=True, help_text=_("For the case's team. Never shown to the public.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("remedy outcome")
        verbose_name_plural = _("remedy outcomes")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date})"

    def clean(self):
        try:
            filed_on = self.challenge.case.filed_on
        except ObjectDoesNotExist:  # a new challenge's first remedy, checked before the challenge has a case
            filed_on = None
        if self.date and filed_on and self.date < filed_on:
            message = _("A remedy cannot come before its case was filed (%(date)s).")
            raise ValidationError({"date": message % {"date": filed_on.isoformat()}})
