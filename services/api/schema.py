"""The OpenAPI generator for the case API: it describes ``services.api.schema_urls``
only, for the served schema and for drf-spectacular's deploy check alike (Wagtail's
own admin and pages APIs are not ours to document)."""

from drf_spectacular.generators import SchemaGenerator

URLCONF = "services.api.schema_urls"


class CaseApiSchemaGenerator(SchemaGenerator):
    def __init__(self, *args, urlconf=None, **kwargs):
        super().__init__(*args, urlconf=urlconf or URLCONF, **kwargs)
