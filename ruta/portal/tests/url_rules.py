from ruta.accounts.roles import Role
from ruta.testing.access import ANONYMOUS, UrlRule

RULES = [
    UrlRule("portal:home", frozenset({ANONYMOUS})),
    UrlRule("portal:safe_browsing", frozenset({ANONYMOUS})),
    UrlRule("portal:help_near", frozenset({ANONYMOUS})),
    UrlRule("portal:if_it_happened", frozenset({ANONYMOUS})),
    UrlRule("portal:what_is_violence", frozenset({ANONYMOUS})),
    UrlRule("portal:consent", frozenset({ANONYMOUS})),
    UrlRule("portal:rights", frozenset({ANONYMOUS})),
    UrlRule("portal:if_someone_tells", frozenset({ANONYMOUS})),
    UrlRule("portal:boys_and_diversity", frozenset({ANONYMOUS})),
    UrlRule("portal:questions", frozenset({ANONYMOUS})),
    UrlRule("portal:site_reach", frozenset({Role.COORDINATOR, Role.ME_OFFICER})),
]
