from ruta.testing.access import EVERY_ROLE, UrlRule

RULES = [
    UrlRule("accounts:login", EVERY_ROLE, ok=302, anonymous=200, notes="logged-in users are sent on"),
    UrlRule("accounts:home", EVERY_ROLE),
    UrlRule("accounts:password_change", EVERY_ROLE),
    UrlRule("accounts:two_factor", EVERY_ROLE, ok=302, notes="verified users are sent on"),
    UrlRule("accounts:logout", EVERY_ROLE, method="post", ok=302, anonymous=302),
    UrlRule("admin:index", frozenset({"admin"})),
]
