"""Pagination helpers."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts another queryset than the one it pages: the rows shown may
    need joins (names of related rows) that counting them does not, and on a large table the
    count without them is much cheaper. ``counted`` must hold the same rows.

    With ``bound``, counting stops past ``bound`` rows (``more`` then says there are more): a
    search that matches a fifth of a million cases shows its first page without counting them all."""

    def __init__(self, object_list: Any, per_page: int, *, counted: QuerySet[Any], bound: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self._counted = counted
        self.bound = bound

    @cached_property
    def count(self) -> int:
        if self.bound is None:
            return self._counted.count()
        return self._counted[:self.bound + 1].count()

    @property
    def more(self) -> bool:
        return self.bound is not None and self.count > self.bound
