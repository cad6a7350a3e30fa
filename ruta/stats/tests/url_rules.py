from __future__ import annotations

from ruta.testing.access import ANONYMOUS, EVERY_ROLE, UrlRule

IMPORTERS = frozenset({"me_officer"})
OPERATORS = frozenset({"me_officer", "coordinator"})

RULES = [
    UrlRule("stats:import_cem", IMPORTERS),
    UrlRule("stats:import_confirm", IMPORTERS, method="post", ok=404, denied=404,
            kwargs=lambda cast: {"job_id": "00000000-0000-0000-0000-000000000000"},
            notes="no such job: 404 for everyone; the job's owner is tested in test_import_screen"),
    UrlRule("api:stats_cem", OPERATORS, denied=404, anonymous=401),
]

MONITORING = frozenset({"coordinator", "me_officer", "donor"})
RULES += [
    UrlRule("stats:index", MONITORING),
    UrlRule("stats:table_csv", MONITORING, kwargs=lambda cast: {"slug": "month"}, ok=404,
            notes="no year imported in the URL test: 404 for readers; tested with data in test_statistics_page"),
]
RULES += [UrlRule("stats:cases", frozenset({"case_supervisor", "me_officer"}))]

# The public statistics page (/cifras/): no login; its CSV files too.
PUBLIC = EVERY_ROLE | {ANONYMOUS}
RULES += [
    UrlRule("figures:index", PUBLIC, notes="public: no login"),
    UrlRule("figures:table_csv", PUBLIC, kwargs=lambda cast: {"slug": "peru"},
            notes="published national figures: no year needed"),
]
