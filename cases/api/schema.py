"""OpenAPI adjustments drf-spectacular cannot infer."""

from drf_spectacular.extensions import OpenApiSerializerExtension


class SelectableFieldsSerializerExtension(OpenApiSerializerExtension):
    """A case's fields may be narrowed with `fields=`, so none of them is required in the schema."""

    target_class = "cases.api.serializers.CaseSerializer"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema.pop("required", None)
        return schema
