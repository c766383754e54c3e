"""Build admin form posts: the main form's fields plus each inline's management form and rows."""

from django.urls import reverse

CASE_INLINES = ["participations", "proceedings", "challenges", "links"]
PROCEEDING_INLINES = ["numbers", "filings", "hearings", "decisions", "deadlines"]


def post_data(fields, inlines, rows=None):
    """Return POST data for an admin change form; rows maps an inline prefix to a list of row dicts."""
    rows = rows or {}
    data = dict(fields)
    for prefix in inlines:
        forms = rows.get(prefix, [])
        data |= {
            f"{prefix}-TOTAL_FORMS": len(forms),
            f"{prefix}-INITIAL_FORMS": sum(1 for row in forms if "id" in row),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for index, row in enumerate(forms):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def case_post(case=None, rows=None, **fields):
    """Return POST data for the case form, starting from case's current values."""
    base = {"title": "New case", "country": "RU", "status": "pending", "slug": ""}
    if case is not None:
        base |= {"title": case.title, "country": str(case.country), "status": case.status, "slug": case.slug}
        base |= {"summary": case.summary, "internal_notes": case.internal_notes}
        if case.lead_lawyer_id:
            base["lead_lawyer"] = case.lead_lawyer_id
        base["team"] = list(case.team.values_list("pk", flat=True))
    return post_data(base | fields, CASE_INLINES, rows)


def proceeding_post(proceeding, rows=None, **fields):
    """Return POST data for the proceeding form, starting from proceeding's current values."""
    base = {
        "case": proceeding.case_id,
        "court": proceeding.court_id,
        "procedure": proceeding.procedure,
        "docket_number": proceeding.docket_number,
        "started_on": proceeding.started_on.isoformat() if proceeding.started_on else "",
        "ended_on": "",
        "judges": "",
        "appeals_from": proceeding.appeals_from_id or "",
    }
    return post_data(base | fields, PROCEEDING_INLINES, rows)


def change_url(obj):
    return reverse(f"admin:cases_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:cases_{model._meta.model_name}_add")


def errors_of(response):
    """Return the admin form's and its inlines' error texts from a re-rendered change form."""
    texts = [
        str(error) for field_errors in response.context["adminform"].form.errors.values() for error in field_errors
    ]
    for inline in response.context["inline_admin_formsets"]:
        for form_errors in inline.formset.errors:
            texts += [str(error) for field_errors in form_errors.values() for error in field_errors]
        texts += [str(error) for error in inline.formset.non_form_errors()]
    return texts
