"""CountedPaginator pages one queryset and counts another, cheaper one."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.geo.models import District
from ruta.lib.paging import CountedPaginator


@pytest.mark.django_db
def test_it_counts_the_rows_without_the_joins_the_columns_need(django_assert_num_queries: Any) -> None:
    rows = District.objects.order_by("code").values("code", "province__name")
    paginator = CountedPaginator(rows, 50, counted=District.objects.all())
    with django_assert_num_queries(1) as queries:
        count = paginator.count
    assert count == District.objects.count() > 50
    assert "JOIN" not in queries.captured_queries[0]["sql"].upper()
    last = paginator.page(paginator.num_pages)
    assert len(last.object_list) == paginator.count - 50 * (paginator.num_pages - 1)
    assert "province__name" in last.object_list[0]
