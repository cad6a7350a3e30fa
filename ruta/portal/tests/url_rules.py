from ruta.testing.access import ANONYMOUS, UrlRule

RULES = [
    UrlRule("portal:home", frozenset({ANONYMOUS})),
    UrlRule("portal:safe_browsing", frozenset({ANONYMOUS})),
]
