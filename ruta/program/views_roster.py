"""A class registered as a roster in one go: the school, district, group and date once, then a
row per person; all or nothing. Each row is searched before registering (similar name, birth
year ±1, same district or school): a row that may be someone already registered is shown with
them, and the facilitator says which (marked present) or that the person is new."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.lib.ids import parse_id
from ruta.program import actions
from ruta.program.forms import MAX_ROSTER_ROWS, NEW_PERSON, ROSTER_ROWS, RosterForm, RosterRows
from ruta.program.models import normalise_name
from ruta.program.policy import can_record, get_activity_for_user, sees_names
from ruta.program.search import similar_people


def _row_count(raw: str | None) -> int:
    n = parse_id(raw or "") or ROSTER_ROWS
    return max(1, min(n, MAX_ROSTER_ROWS))


@staff_view(can_record, deny=404)
def roster(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    user = request.user
    if request.method != "POST":
        n = _row_count(request.GET.get("filas"))
        form = RosterForm(user=user, first_district=activity.district_id, initial={
            "registered_on": activity.date, "district": activity.district_id, "group": activity.target_group})
        rows = RosterRows(prefix="p", initial=[{} for _ in range(n)])
        return _page(request, activity, form, rows, {}, n)
    form = RosterForm(request.POST, user=user, first_district=activity.district_id)
    rows = RosterRows(request.POST, prefix="p")
    if "more" in request.POST:
        return _more_rows(request, activity, form, rows)
    candidates: dict[int, list[Any]] = {}
    if form.is_valid() and rows.is_valid():
        d = form.cleaned_data
        people: dict[int, actions.NewParticipant] = {}
        existing: dict[int, int] = {}
        seen: dict[tuple[str, int], int] = {}
        for i, row in enumerate(rows.forms):
            if row.is_empty():
                continue
            r = row.cleaned_data
            name, age = (r.get("name") or "").strip(), int(r["age"])
            key = (normalise_name(name), age)
            if name and key in seen:
                row.add_error("name", _("This person is already on row %(n)d.") % {"n": seen[key] + 1})
                continue
            seen[key] = i
            same = r.get("same_as") or ""
            if parse_id(same) is not None:
                existing[i] = int(same)
                continue
            if same != NEW_PERSON:
                found = similar_people(activity.programme, name=name, birth_year=d["registered_on"].year - age,
                                       district_id=d["district"].pk, school=form.school_text(),
                                       today=timezone.localdate(), by_name=sees_names(user))
                if found:
                    candidates[i] = found
            people[i] = actions.NewParticipant(
                sex=r["sex"], group=d["group"], district_id=d["district"].pk, registered_on=d["registered_on"],
                age=age, organisation=form.school_text(), guardian_consent=bool(r.get("guardian_consent")),
                name=name, school_id=d["school"].pk if d.get("school") else None)
        bad = any(row.errors for row in rows.forms)
        if not people and not existing and not bad:
            form.add_error(None, _("Type at least one person."))
        elif candidates:
            form.add_error(None, _("Nothing was saved yet: %(n)d rows may be people already registered. "
                                   "For each, choose who it is or “a new person”, then save again.")
                           % {"n": len(candidates)})
        elif not bad:
            try:
                created = actions.register_roster(activity, people, existing, actor=user)
            except actions.RosterError as exc:
                for i, problems in exc.rows.items():
                    for field, message in problems.items():
                        target = rows.forms[i]
                        target.add_error(field if field in target.fields else None, message)
            except ValidationError:
                form.add_error(None, _("A person chosen is no longer in this programme; search again."))
            else:
                messages.success(request, _("%(new)d registered and %(known)d already registered: all marked "
                                            "present.") % {"new": len(created), "known": len(existing)})
                return redirect("program:activity", pk=activity.pk)
    if any(row.errors for row in rows.forms) and not form.non_field_errors():
        form.add_error(None, _("Nothing was saved: correct the rows marked below."))
    return _page(request, activity, form, rows, candidates, len(rows.forms), status=200 if candidates else 400)


def _more_rows(request: AuthenticatedHttpRequest, activity: Any, form: RosterForm, rows: Any) -> HttpResponse:
    """"More rows" is a button of the form: the page comes back with what was typed, unsaved
    and unchecked, and ten empty rows more (up to the limit)."""
    if not rows.management_form.is_valid():
        return _page(request, activity, RosterForm(user=request.user, first_district=activity.district_id),
                     RosterRows(prefix="p", initial=[{} for _ in range(ROSTER_ROWS)]), {}, ROSTER_ROWS, status=400)
    typed = [{name: row[name].value() for name in row.fields} for row in rows.forms]
    n = min(len(typed) + ROSTER_ROWS, MAX_ROSTER_ROWS)
    kept = RosterForm(user=request.user, first_district=activity.district_id,
                      initial={name: form[name].value() for name in form.fields})
    return _page(request, activity, kept, RosterRows(prefix="p", initial=typed + [{} for _ in range(n - len(typed))]),
                 {}, n)


def _page(request: AuthenticatedHttpRequest, activity: Any, form: RosterForm, rows: Any,
          candidates: dict[int, list[Any]], n: int, status: int = 200) -> HttpResponse:
    entries = [{"form": row, "number": i + 1, "candidates": candidates.get(i, [])} for i, row in enumerate(rows.forms)]
    return render(request, "program/roster.html", {
        "activity": activity, "programme": activity.programme, "form": form, "rows": rows, "entries": entries,
        "more": n < MAX_ROSTER_ROWS,
        "new_person": NEW_PERSON,
    }, status=status)
