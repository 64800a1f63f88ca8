"""Template helpers for GOV.UK form markup and page chrome."""

from django import template

from frontend import govuk_style
from frontend.forms import widget_kind

register = template.Library()


@register.filter
def govuk_widget_kind(bound_field) -> str:
    return widget_kind(bound_field.field.widget)


@register.filter
def field_errors(form) -> list[tuple[str, str]]:
    """(anchor id, message) pairs for the error summary, in field order.

    Non-field errors link to the first field so the summary link still moves focus
    to something the resident can change.
    """
    if not form or not form.errors:
        return []
    items = []
    first_id = None
    for field in form:
        if field.is_hidden:
            continue
        anchor = field.id_for_label or field.auto_id
        first_id = first_id or anchor
        for error in field.errors:
            items.append((anchor, error))
    for error in form.non_field_errors():
        items.insert(0, (first_id or "main-content", error))
    for field in form.hidden_fields():
        for error in field.errors:
            items.append((first_id or "main-content", error))
    return items


_WIDGET_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def govuk_widget(bound_field, extra_classes: str = ""):
    """Render the field's widget with GOV.UK classes and its hint/error described."""
    kind = widget_kind(bound_field.field.widget)
    classes = [_WIDGET_CLASSES.get(kind, "govuk-input")]
    if bound_field.errors and kind in {
        "input",
        "password",
        "textarea",
        "select",
        "file",
    }:
        classes.append(f"{classes[0]}--error")
    existing = bound_field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    if extra_classes:
        classes.append(extra_classes)
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    attrs = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def pagination_items(page_obj) -> list[int | None]:
    """The page numbers the GOV.UK pagination shows: the first and last, the current
    page and two either side, with ``None`` where numbers are left out (an ellipsis).
    Django's elided range, so the work does not grow with the number of pages."""
    return [
        number if isinstance(number, int) else None
        for number in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        )
    ]


# Times, dates and money in GOV.UK style (``frontend.govuk_style``). Like Django's
# ``date`` filter they receive aware datetimes in the council's time zone.


@register.filter(expects_localtime=True)
def govuk_time(value) -> str:
    """``{{ slot.starts_at|govuk_time }}``: "2:32pm", "midday"."""
    return govuk_style.govuk_time(value)


@register.filter(expects_localtime=True)
def govuk_date(value, size: str = "") -> str:
    """``{{ page.date|govuk_date }}``: "6 December 2026"; ``govuk_date:"short"``
    gives "6 Dec 2026" for tables."""
    return govuk_style.govuk_date(value, short=size == "short")


@register.filter(expects_localtime=True)
def govuk_datetime(value, size: str = "") -> str:
    """``{{ case.created_at|govuk_datetime }}``: "6 December 2026 at 2:32pm";
    ``govuk_datetime:"short"`` gives "6 Dec 2026, 2:32pm" for tables."""
    return govuk_style.govuk_datetime(value, short=size == "short")


@register.filter
def govuk_money(value) -> str:
    """``{{ account.balance|govuk_money }}``: "£1,602.00"."""
    return govuk_style.govuk_money(value)
