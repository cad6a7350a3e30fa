"""The public site. Pages here set no cookies, load nothing from other origins and carry
the quick-exit button; they must stay under 30 KB compressed (bench/, docs/architecture.md "Budgets")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control


@cache_control(public=True, max_age=300)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@cache_control(public=True, max_age=300)
def safe_browsing(request: HttpRequest) -> HttpResponse:
    """Private browsing, clearing the history, shared phones, and the saved guide."""
    return render(request, "portal/safe_browsing.html")
