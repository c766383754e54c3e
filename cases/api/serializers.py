"""Public representations of cases and what hangs off them, and the API's schema.

Case records themselves are built by `cases.records` (the API, exports and the dump share it); CaseSerializer
describes them for the OpenAPI schema and tests/test_records.py holds the two equal. Serializers read only what
`cases.selectors` loaded: `public_proceedings`, `public_filings`, `public_hearings` and `public_decisions` hold
nothing draft, confidential or private.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import records
from ..models import (
    Case,
    CaseLink,
    Challenge,
    Counsel,
    Court,
    Decision,
    DecisionIdentifier,
    Deployment,
    DocumentText,
    Filing,
    Hearing,
    Participation,
    Party,
    Proceeding,
    ProceedingNumber,
    Remedy,
    System,
    Vendor,
)


class SelectableFieldsMixin:
    """Let the caller keep only some fields: `Serializer(..., fields=["slug", "title"])`."""

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in set(self.fields) - set(fields):
                self.fields.pop(name)


def _absolute(serializer, path):
    request = serializer.context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return serializer.context.get("base_url", settings.SITE_URL) + path


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteUrlField(serializers.Field):
    """The object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return _absolute(self.parent, obj.get_absolute_url())


class PartySerializer(CountryFieldMixin, serializers.ModelSerializer):
    url = AbsoluteUrlField()

    class Meta:
        model = Party
        fields = ["slug", "name", "name_ru", "kind", "country", "website", "description", "url"]


class CourtSerializer(CountryFieldMixin, serializers.ModelSerializer):
    url = AbsoluteUrlField()
    appeals_to = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Slug of the court that hears appeals."
    )

    class Meta:
        model = Court
        fields = ["slug", "name", "name_ru", "country", "level", "timezone", "appeals_to", "url"]


class TaxonomySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_ru = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class CounselSerializer(serializers.ModelSerializer):
    organisation = PartySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Counsel
        fields = ["name", "organisation"]


class ParticipationSerializer(serializers.ModelSerializer):
    party = PartySerializer(read_only=True)
    counsel = CounselSerializer(many=True, read_only=True)

    class Meta:
        model = Participation
        fields = ["role", "note", "party", "counsel"]


class FiledBySerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Participation
        fields = ["party", "role"]


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class DocumentUrlField(serializers.Field):
    """Where the public may download the record's document, or null."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        if not obj.document:
            return None
        return _absolute(self.parent, reverse("cases:document_download", args=[self.kind, obj.pk]))


class FilingSerializer(serializers.ModelSerializer):
    filed_by = FiledBySerializer(read_only=True, allow_null=True)
    document_url = DocumentUrlField("filing")

    class Meta:
        model = Filing
        fields = ["id", "filed_on", "kind", "title", "description", "filed_by", "document_url"]


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "starts_at", "timezone", "place", "summary"]


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionIdentifier
        fields = ["scheme", "value"]


class ProceedingNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProceedingNumber
        fields = ["scheme", "value"]


class DecisionSerializer(serializers.ModelSerializer):
    document_url = DocumentUrlField("decision")
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "announced_on", "final_form_on", "result", "summary", "is_final", "identifiers", "document_url"]


class ProceedingSerializer(serializers.ModelSerializer):
    court = CourtSerializer(read_only=True)
    appeals_from = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the lower proceeding this one reviews."
    )
    filings = FilingSerializer(source="public_filings", many=True, read_only=True)
    hearings = HearingSerializer(source="public_hearings", many=True, read_only=True)
    decisions = DecisionSerializer(source="public_decisions", many=True, read_only=True)
    other_numbers = ProceedingNumberSerializer(
        source="numbers", many=True, read_only=True, help_text="Further docket or application numbers."
    )

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "court",
            "docket_number",
            "other_numbers",
            "started_on",
            "ended_on",
            "judges",
            "appeals_from",
            "filings",
            "hearings",
            "decisions",
        ]


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseLink
        fields = ["kind", "title", "url", "published_on"]


class AliasesField(serializers.ListField):
    """The record's other names and spellings."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), source="alias_list", read_only=True, **kwargs)


class VendorSerializer(CountryFieldMixin, serializers.ModelSerializer):
    url = AbsoluteUrlField()
    aliases = AliasesField()

    class Meta:
        model = Vendor
        fields = ["slug", "name", "aliases", "country", "website", "description", "url"]


class SystemSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField()
    aliases = AliasesField()
    vendor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    technologies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = System
        fields = ["slug", "name", "aliases", "vendor", "technologies", "description", "url"]


class DeploymentSerializer(CountryFieldMixin, serializers.ModelSerializer):
    url = AbsoluteUrlField()
    system = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    operator = PartySerializer(read_only=True)

    class Meta:
        model = Deployment
        fields = [
            "slug",
            "system",
            "operator",
            "country",
            "region",
            "city",
            "latitude",
            "longitude",
            "started_on",
            "ended_on",
            "status",
            "legal_basis",
            "scale",
            "scale_source_url",
            "url",
        ]


class RemedySerializer(serializers.ModelSerializer):
    class Meta:
        model = Remedy
        fields = ["kind", "date", "source_url", "public_note"]


class ChallengeSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(
        source="target_system", slug_field="slug", read_only=True, help_text="Slug of the system challenged."
    )
    deployment = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Slug of the deployment, or null."
    )
    remedies = RemedySerializer(many=True, read_only=True)

    class Meta:
        model = Challenge
        fields = ["system", "deployment", "claim", "remedies"]


class CaseSerializer(SelectableFieldsMixin, CountryFieldMixin, serializers.ModelSerializer):
    """A published case with its public parties, counsel, proceedings and their public records."""

    url = AbsoluteUrlField()
    technologies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    grounds = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    parties = ParticipationSerializer(source="participations", many=True, read_only=True)
    proceedings = ProceedingSerializer(source="public_proceedings", many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    related_cases = serializers.SerializerMethodField()
    challenges = ChallengeSerializer(
        source="public_challenges", many=True, read_only=True, help_text="The systems and deployments it challenges."
    )

    class Meta:
        model = Case
        fields = records.FIELDS

    def get_related_cases(self, case) -> list[str]:
        return [other.slug for other in case.public_related]


class DocumentPageSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="Page number; for formats without pages, part.")
    text = serializers.CharField(read_only=True)


class DocumentSerializer(serializers.ModelSerializer):
    """A public filing's or decision's document: what it is, how its text was read, and the text on request."""

    kind = serializers.CharField(read_only=True, help_text="filing or decision.")
    record_id = serializers.SerializerMethodField(help_text="Id of the filing or decision in its case record.")
    case = serializers.SerializerMethodField(help_text="Slug of the case.")
    title = serializers.SerializerMethodField()
    date = serializers.SerializerMethodField(help_text="Date filed or announced.")
    document_url = serializers.SerializerMethodField()
    text_url = serializers.SerializerMethodField(help_text="The extracted text as a web page with page anchors.")
    pages = DocumentPageSerializer(many=True, read_only=True, help_text="Only with text=true.")

    class Meta:
        model = DocumentText
        fields = [
            "id",
            "kind",
            "record_id",
            "case",
            "title",
            "date",
            "language",
            "method",
            "page_count",
            "pages_read",
            "sha256",
            "document_url",
            "text_url",
            "pages",
        ]
        extra_kwargs = {"sha256": {"help_text": "SHA-256 of the original file, hex."}}

    def __init__(self, *args, with_text=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_text:
            self.fields.pop("pages")

    def get_record_id(self, text) -> int:
        return text.owner.pk

    def get_case(self, text) -> str:
        return text.owner.proceeding.case.slug

    def get_title(self, text) -> str:
        owner = text.owner
        return owner.title if text.filing_id else owner.get_result_display()

    def get_date(self, text) -> datetime.date:
        return text.filing.filed_on if text.filing_id else text.decision.announced_on

    def get_document_url(self, text) -> str:
        return _absolute(self, reverse("cases:document_download", args=[text.kind, text.owner.pk]))

    def get_text_url(self, text) -> str:
        return _absolute(self, reverse("cases:document_text", args=[text.kind, text.owner.pk]))
