from ruta.testing.access import ANONYMOUS, UrlRule

RULES = [
    UrlRule("pathway:guide", frozenset({ANONYMOUS}), notes="public guide, first question"),
    UrlRule("pathway:guide", frozenset({ANONYMOUS}), method="post",
            data=lambda cast: {"step": "reporter_role", "reporter_role": "teacher"},
            notes="answers travel in POST bodies, never in URLs; no CSRF token: it changes nothing"),
    UrlRule("pathway:offline_data", frozenset({ANONYMOUS}), notes="rules and directory for the offline guide"),
    UrlRule("pathway:service_worker", frozenset({ANONYMOUS})),
    UrlRule("api:pathway_plan", frozenset({ANONYMOUS}), method="post", ok=400, notes="no body: 400 with messages"),
]
