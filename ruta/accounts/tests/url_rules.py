from ruta.testing.access import EVERY_ROLE, UrlRule

RULES = [
    UrlRule("accounts:login", EVERY_ROLE, ok=302, anonymous=200, notes="logged-in users are sent on"),
    UrlRule("accounts:home", EVERY_ROLE),
    UrlRule("accounts:password_change", EVERY_ROLE),
    UrlRule("accounts:two_factor", EVERY_ROLE, ok=302, notes="verified users are sent on"),
    UrlRule("accounts:logout", EVERY_ROLE, method="post", ok=302, anonymous=302),
    UrlRule("admin:index", frozenset({"admin"})),
    UrlRule("accounts:lockouts", frozenset({"admin", "case_supervisor"})),
    UrlRule("accounts:lift_lockout", frozenset({"admin", "case_supervisor"}),
            kwargs=lambda cast: {"attempt_id": 999999}, method="post", ok=404,
            notes="no such lockout: 404 for those who may lift, 403 for everyone else"),
]
