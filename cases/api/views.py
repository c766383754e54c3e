"""Read-only public endpoints; every queryset comes from cases.selectors."""

import django_filters as filters
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import exports, records, selectors
from ..filters import Q_MAX_LENGTH, CaseFilter, CaseSelection
from ..models import Deployment, DocumentText, System, Vendor
from ..search import search_documents
from . import schema  # noqa: F401  (registers the OpenAPI extensions)
from .pagination import CaseCursorPagination, PublicCursorPagination
from .renderers import CSVRenderer, JSONLinesRenderer
from .serializers import (
    CaseSerializer,
    CourtSerializer,
    DeploymentSerializer,
    DocumentSerializer,
    PartySerializer,
    SystemSerializer,
    TaxonomySerializer,
    VendorSerializer,
)
from .throttling import PublicApiThrottle

BAD_REQUEST = OpenApiResponse(description="An unknown query parameter, a bad filter value or a malformed cursor.")
THROTTLED = OpenApiResponse(description="Too many requests; retry after the Retry-After header's seconds.")
NOT_FOUND = OpenApiResponse(description="No published record has this slug.")
FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    {"type": "array", "items": {"type": "string", "enum": CaseSerializer.Meta.fields}},
    description="Comma-separated case fields to return, e.g. `slug,title,country`; empty for all.",
    style="form",
    explode=False,
)

TEXT_PARAMETER = OpenApiParameter(
    "text", OpenApiTypes.BOOL, description="`true` to include each document's text, page by page.", required=False
)


class ApiCaseFilter(CaseSelection):
    """The public list's filters; the API orders with `ordering`, so `sort` is left out."""

    sort = None


# Slug filters choose from live data, so the schema cannot list their values: document them as strings.
for _name in ("technology", "ground", "party", "system", "vendor", "operator"):
    extend_schema_field(OpenApiTypes.STR)(ApiCaseFilter.base_filters[_name])


class StrictOrderingFilter(OrderingFilter):
    """Refuse ordering by a field that is not offered, rather than ignoring it."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [field for field in fields if field.lstrip("-") not in allowed]
            if unknown:
                raise ValidationError({self.ordering_param: [_("Cannot order by %s.") % ", ".join(unknown)]})
        return super().get_ordering(request, queryset, view)


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared behaviour: anonymous throttling, slugs in URLs, cursors, and no unknown query parameters."""

    lookup_field = "slug"
    throttle_classes = [PublicApiThrottle]
    pagination_class = PublicCursorPagination
    renderer_classes = [JSONRenderer]
    control_parameters = {"format"}

    def allowed_parameters(self):
        allowed = set(self.control_parameters)
        if self.action == "list":
            allowed |= {"cursor", "page_size"}
            if getattr(self, "filterset_class", None):
                allowed |= set(self.filterset_class.base_filters)
            if getattr(self, "ordering_fields", None):
                allowed.add("ordering")
        return allowed

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ValidationError({"format": [_("Unknown format. Allowed: %s.") % formats]}) from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown filter %(name)s. Allowed: %(allowed)s.")
                        % {"name": name, "allowed": ", ".join(sorted(self.allowed_parameters()))}
                    ]
                    for name in unknown
                }
            )


@extend_schema_view(
    list=extend_schema(
        summary="List published cases",
        description="Filters are those of the public case list. `?format=csv` or `?format=jsonl` streams every "
        "matching case at once instead of a page.",
        parameters=[FIELDS_PARAMETER],
        responses={200: CaseSerializer(many=True), 400: BAD_REQUEST, 429: THROTTLED},
    ),
    retrieve=extend_schema(
        summary="One published case with its public parties, proceedings and records",
        parameters=[FIELDS_PARAMETER],
        responses={200: CaseSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 429: THROTTLED},
    ),
)
class CaseViewSet(PublicViewSet):
    serializer_class = CaseSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = ApiCaseFilter
    ordering_fields = ["published_at", "title", "slug"]
    ordering = ["-published_at"]
    pagination_class = CaseCursorPagination
    renderer_classes = [JSONRenderer, CSVRenderer, JSONLinesRenderer]
    control_parameters = {"format", "fields"}

    def get_queryset(self):
        return selectors.public_cases()

    def filter_queryset(self, queryset):
        if self.action == "list" and self.request.query_params.keys().isdisjoint(self.filterset_class.base_filters):
            # No filter asked for: building the FilterSet's form and choices would cost more than the page's rows.
            return StrictOrderingFilter().filter_queryset(self.request, queryset, self)
        return super().filter_queryset(queryset)

    def records(self, rows):
        """Return the records of case rows (from records.case_rows): only the asked-for fields are read."""
        base_url = self.request.build_absolute_uri("/").removesuffix("/")
        return list(records.records_of_rows(rows, base_url=base_url, fields=self.selected_fields()))

    def selected_fields(self):
        """Return the fields named by `fields=`, or None for all; unknown names give 400."""
        try:
            return exports.chosen_fields(self.request.query_params.get("fields") if self.request else None)
        except exports.UnknownFields as error:
            raise ValidationError({"fields": [str(error)]}) from None

    def list(self, request, *args, **kwargs):
        fmt = request.accepted_renderer.format
        if fmt in ("csv", "jsonl"):
            cases = self.filter_queryset(selectors.public_cases())
            try:
                return exports.export_response(cases, fmt, fields=self.selected_fields())
            except exports.TooManyCases as error:
                message = _("These filters match %(count)d cases; an export holds at most %(limit)d.") % {
                    "count": error.count,
                    "limit": error.limit,
                }
                raise ValidationError({"format": [message]}) from None
        # The serializer is the schema; records are built without its per-field machinery.
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(records.case_rows(cases, self.selected_fields()))
        return self.get_paginated_response(self.records(page))

    def retrieve(self, request, *args, **kwargs):
        cases = self.get_queryset().filter(slug=kwargs[self.lookup_field])
        found = self.records(records.case_rows(cases, self.selected_fields()))
        if not found:
            raise Http404
        return Response(found[0])


ENTITY_RESPONSES = {400: BAD_REQUEST, 429: THROTTLED}


@extend_schema_view(
    list=extend_schema(
        summary="Parties in published cases", responses={200: PartySerializer(many=True), **ENTITY_RESPONSES}
    ),
    retrieve=extend_schema(responses={200: PartySerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class PartyViewSet(PublicViewSet):
    serializer_class = PartySerializer

    def get_queryset(self):
        return selectors.public_parties()


@extend_schema_view(
    list=extend_schema(
        summary="Courts hearing published cases", responses={200: CourtSerializer(many=True), **ENTITY_RESPONSES}
    ),
    retrieve=extend_schema(responses={200: CourtSerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class CourtViewSet(PublicViewSet):
    serializer_class = CourtSerializer

    def get_queryset(self):
        return selectors.public_courts().prefetch_related(selectors.with_public_appeals_to())


@extend_schema_view(
    list=extend_schema(
        summary="Technologies challenged in published cases",
        responses={200: TaxonomySerializer(many=True), **ENTITY_RESPONSES},
    ),
    retrieve=extend_schema(responses={200: TaxonomySerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class TechnologyViewSet(PublicViewSet):
    serializer_class = TaxonomySerializer

    def get_queryset(self):
        return selectors.public_technologies()


def _slug_filter(label, source, field_name):
    """Return a filter by slugs of public records (from source), an unknown slug being a bad request."""
    # django-filter looks the chosen records up by their `to_field_name`, so the lookup goes by slug too.
    return filters.ModelMultipleChoiceFilter(
        label=label, to_field_name="slug", field_name=f"{field_name}__slug", queryset=lambda request: source()
    )


def _country_filter(field_name="country"):
    return filters.MultipleChoiceFilter(label="Country (ISO code)", field_name=field_name, choices=_countries)


def _countries():
    return CaseFilter.base_filters["country"].extra["choices"]()


class VendorFilter(filters.FilterSet):
    """Public vendors by country."""

    country = _country_filter()

    class Meta:
        model = Vendor
        fields = []


class SystemFilter(filters.FilterSet):
    """Public systems by vendor or technology."""

    vendor = _slug_filter("Slug of the vendor", selectors.public_vendors, "vendor")
    technology = _slug_filter("Slug of a technology", selectors.public_technologies, "technologies")

    class Meta:
        model = System
        fields = []


class DeploymentFilter(filters.FilterSet):
    """Public deployments by country, system, vendor, operator or status."""

    country = _country_filter()
    system = _slug_filter("Slug of the system", selectors.public_systems, "system")
    vendor = _slug_filter("Slug of the system's vendor", selectors.public_vendors, "system__vendor")
    operator = _slug_filter("Slug of the operator (a party)", selectors.public_operators, "operator")
    status = filters.MultipleChoiceFilter(label="Status", choices=Deployment.Status.choices)

    class Meta:
        model = Deployment
        fields = []


for _filter in [*SystemFilter.base_filters.values(), *DeploymentFilter.base_filters.values()]:
    if isinstance(_filter, filters.ModelMultipleChoiceFilter):
        extend_schema_field(OpenApiTypes.STR)(_filter)


class SurveillanceViewSet(PublicViewSet):
    """Vendors, systems and deployments: public when a published case challenges them or an editor published them."""

    filter_backends = [DjangoFilterBackend]


@extend_schema_view(
    list=extend_schema(
        summary="Vendors of public surveillance systems",
        responses={200: VendorSerializer(many=True), **ENTITY_RESPONSES},
    ),
    retrieve=extend_schema(responses={200: VendorSerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class VendorViewSet(SurveillanceViewSet):
    serializer_class = VendorSerializer
    filterset_class = VendorFilter

    def get_queryset(self):
        return selectors.public_vendors().order_by("slug")


@extend_schema_view(
    list=extend_schema(
        summary="Surveillance systems challenged in published cases or published on their own",
        responses={200: SystemSerializer(many=True), **ENTITY_RESPONSES},
    ),
    retrieve=extend_schema(responses={200: SystemSerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class SystemViewSet(SurveillanceViewSet):
    serializer_class = SystemSerializer
    filterset_class = SystemFilter

    def get_queryset(self):
        return selectors.public_systems().select_related("vendor").prefetch_related("technologies").order_by("slug")


@extend_schema_view(
    list=extend_schema(
        summary="Deployments challenged in published cases or published on their own",
        responses={200: DeploymentSerializer(many=True), **ENTITY_RESPONSES},
    ),
    retrieve=extend_schema(responses={200: DeploymentSerializer, 404: NOT_FOUND, **ENTITY_RESPONSES}),
)
class DeploymentViewSet(SurveillanceViewSet):
    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilter

    def get_queryset(self):
        return selectors.public_deployments().select_related("system", "operator").order_by("slug")


class DocumentFilter(filters.FilterSet):
    """Public documents by case, or by words in their text."""

    q = filters.CharFilter(label="Words in the document's text", method="filter_q", max_length=Q_MAX_LENGTH)
    case = filters.CharFilter(label="Slug of the case", method="filter_case", max_length=200)

    class Meta:
        model = DocumentText
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(pk__in=search_documents(selectors.searchable_document_texts(), value).values("pk"))

    def filter_case(self, queryset, name, value):
        return queryset.filter(Q(filing__proceeding__case__slug=value) | Q(decision__proceeding__case__slug=value))


class DocumentCursorPagination(PublicCursorPagination):
    ordering = "id"


@extend_schema_view(
    list=extend_schema(
        summary="Documents of published cases whose text has been read",
        parameters=[TEXT_PARAMETER],
        responses={200: DocumentSerializer(many=True), 400: BAD_REQUEST, 429: THROTTLED},
    ),
    retrieve=extend_schema(
        summary="One public document, with its text on request",
        parameters=[TEXT_PARAMETER],
        responses={200: DocumentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 429: THROTTLED},
    ),
)
class DocumentViewSet(PublicViewSet):
    serializer_class = DocumentSerializer
    lookup_field = "pk"
    filter_backends = [DjangoFilterBackend]
    filterset_class = DocumentFilter
    pagination_class = DocumentCursorPagination
    control_parameters = {"format", "text"}

    def get_queryset(self):
        texts = selectors.public_document_texts()
        return texts.prefetch_related("pages") if self.with_text() else texts

    def with_text(self):
        return self.request.query_params.get("text", "").lower() in ("1", "true")

    def get_serializer(self, *args, **kwargs):
        return super().get_serializer(*args, with_text=self.with_text(), **kwargs)
