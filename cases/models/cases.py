from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import AuditHistory, Result, in_language, slug_url
from .queries import CaseQuerySet


class Case(models.Model):
    """A piece of surveillance litigation, followed through every court it reaches."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DECIDED = "decided", _("Decided")
        ON_APPEAL = "on_appeal", _("On appeal")
        SETTLED = "settled", _("Settled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300, help_text=_("Title in English, e.g. 'Popova v. Moscow DIT'."))
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    original_title = models.CharField(
        _("original-language title"), max_length=300, blank=True, help_text=_("The title as the court wrote it.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Public URL name. Left blank, it is made from the title (Cyrillic is transliterated)."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("A few sentences in English, in plain words."))
    summary_ru = models.TextField(_("summary in Russian"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Long account in Markdown. Raw HTML is removed when shown.")
    )
    country = CountryField(_("country"), help_text=_("Where the surveillance took place."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text=_("Overall result so far; recording a final decision updates it."),
    )
    filed_on = models.DateField(_("date filed"), null=True, blank=True)
    facts_date = models.DateField(
        _("date of the facts"),
        null=True,
        blank=True,
        help_text=_("When the events complained of happened; the ECHR deadline's Russia warning uses it."),
    )
    technologies = models.ManyToManyField(
        "cases.Technology", blank=True, related_name="cases", verbose_name=_("technologies")
    )
    grounds = models.ManyToManyField(
        "cases.LegalGround", blank=True, related_name="cases", verbose_name=_("rights and legal grounds")
    )
    related_cases = models.ManyToManyField("self", blank=True, verbose_name=_("related cases"))
    lead_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("lead lawyer"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="team_cases",
        verbose_name=_("case team"),
        help_text=_("Staff who may edit this case and receive its deadline reminders."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Strategy and private remarks. Never shown to the public.")
    )
    last_activity_on = models.DateField(
        _("latest activity"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Date of the newest filing, hearing or decision."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived by case_changed(): what the public saw change, as opposed to any edit (updated_at).
    public_updated_at = models.DateTimeField(
        _("public record updated at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the case's public page last changed; internal edits do not move it."),
    )
    public_digest = models.CharField(max_length=64, blank=True, editable=False)
    public_version = models.PositiveIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Its titles alone (cases.search.title_vector): a few words, so a search can rank every title match quickly.
    title_vector = SearchVectorField(null=True, editable=False)

    # Kept by plain updates from case_changed() and entity_changed(), never by save().
    DERIVED_FIELDS = ("public_updated_at", "public_digest", "public_version")

    objects = CaseQuerySet.as_manager()
    # The team decides who may edit the case: its changes are history too, as are the tags and links.
    history = AuditHistory(
        excluded_fields=["search_vector", "title_vector", "updated_at", *DERIVED_FIELDS],
        m2m_fields=["team", "technologies", "grounds", "related_cases"],
    )

    class Meta:
        ordering = ["-last_activity_on", "title"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility="draft", published_at__isnull=True)
                | models.Q(visibility="published", published_at__isnull=False),
                name="case_published_has_published_at",
                violation_error_message=_("A published case needs its publication time, and a draft has none."),
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "country", "status"], name="case_public_filter_idx"),
            # The API, feeds and exports list published cases newest first; without this they sort every row.
            models.Index(
                fields=["-published_at"], name="case_published_at_idx", condition=models.Q(visibility="published")
            ),
            # One per sort order of the public list (cases.filters.Sort), so a page is read off an index. The
            # orders with NULLS LAST are indexed by migration 0007 on PostgreSQL only (SQLite cannot).
            models.Index(
                fields=["title", "id"], name="case_public_title_idx", condition=models.Q(visibility="published")
            ),
            # Counting the public list's cases (all, or by country, status, outcome, year or date filed) and
            # joining them to a technology's, a party's or a search's cases reads this index alone, never the
            # wide case rows.
            models.Index(
                fields=["country", "status", "outcome", "filed_on", "id"],
                name="case_public_count_idx",
                condition=models.Q(visibility="published", published_at__isnull=False),
            ),
            # The admin's date hierarchy groups every case by date filed.
            models.Index(fields=["filed_on"], name="case_filed_on_idx"),
            # The admin lists cases in this order (its "-pk" last), so a page is read off the index.
            models.Index(fields=["-last_activity_on", "title", "-id"], name="case_admin_order_idx"),
            # The admin searches cases whose search index is not built yet field by field; usually there are none.
            models.Index(fields=["id"], name="case_unindexed_idx", condition=models.Q(search_vector=None)),
        ]
        permissions = [("publish_case", _("Can publish and unpublish cases"))]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(Case, self.title or self.title_ru or self.original_title, exclude_pk=self.pk)
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # An instance loaded before case_changed() last bumped them must not write its stale copies back.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("cases:case_detail", self.slug)

    @property
    def is_published(self):
        return self.visibility == self.Visibility.PUBLISHED

    @property
    def display_title(self):
        return in_language(self.title, self.title_ru)

    @property
    def display_summary(self):
        return in_language(self.summary, self.summary_ru)


class CaseLink(models.Model):
    """A press article, official page or other source about a case."""

    class Kind(models.TextChoices):
        PRESS = "press", _("Press")
        SOURCE = "source", _("Primary source")
        ORGANISATION = "organisation", _("Organisation page")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESS)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=1000)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("link")
        verbose_name_plural = _("press and sources")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "url"],
                name="caselink_unique_url_per_case",
                violation_error_message=_("This case already links to this address."),
            )
        ]

    def __str__(self):
        return self.title


class Participation(models.Model):
    """A party's role in one case."""

    class Role(models.TextChoices):
        PLAINTIFF = "plaintiff", _("Plaintiff, applicant or claimant")
        DEFENDANT = "defendant", _("Defendant or respondent")
        INTERVENER = "intervener", _("Intervener")
        THIRD_PARTY = "third_party", _("Third or interested party")
        AMICUS = "amicus", _("Amicus curiae")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations", verbose_name=_("case"))
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("party"),
        help_text=_("A party still in a case cannot be deleted."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("E.g. 'joined on appeal'."))
    is_client = models.BooleanField(
        _("our client"), default=False, help_text=_("Appeal deadlines are generated for our clients' side only.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "party__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("parties and roles")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"],
                name="participation_unique_role",
                violation_error_message=_("This party already has this role in the case."),
            ),
        ]
        # A party's cases (its page, the list filtered by it) read off this index, without visiting the rows.
        indexes = [models.Index(fields=["party", "case"], name="participation_party_case_idx")]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"


class Counsel(models.Model):
    """A lawyer, law firm or NGO representing a party in a case."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="counsel", verbose_name=_("represents")
    )
    name = models.CharField(_("lawyer"), max_length=200, blank=True, help_text=_("The lawyer's name, if a person."))
    organisation = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counsel_roles",
        verbose_name=_("firm or NGO"),
        limit_choices_to={"kind__in": ["ngo", "law_firm", "company"]},
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("counsel")
        verbose_name_plural = _("counsel")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name="") | models.Q(organisation__isnull=False),
                name="counsel_has_name_or_organisation",
                violation_error_message=_("Give the lawyer's name, the firm or NGO, or both."),
            ),
        ]

    def __str__(self):
        if self.name and self.organisation_id:
            return f"{self.name} ({self.organisation})"
        return self.name or str(self.organisation)
