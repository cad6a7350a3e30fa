from ruta.testing.access import ANONYMOUS, UrlRule

RULES = [
    UrlRule("api:api-root", frozenset({ANONYMOUS}), ok=404, notes="no browsable docs: they would load a CDN"),
    UrlRule("api:health", frozenset({ANONYMOUS})),
    UrlRule("api:openapi-json", frozenset({ANONYMOUS})),
]
