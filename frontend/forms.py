"""A form renderer that gives every Django widget GOV.UK Frontend markup.

Forms that extend ``GovUKForm`` render with ``{{ form }}``; fields choose their GOV.UK component from the
widget (see ``templates/frontend/forms/field.html``). The error summary is a separate
include (``frontend/components/error_summary.html``) because GOV.UK puts it at the
top of the main content, above the heading, not inside the form.
"""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

# Control characters (new lines and tabs included) have no place in a one-line
# answer: a name or a reference with a new line in it breaks email headers and
# CSV exports downstream. NUL never reaches a form (``home.platform.input``).
_CONTROL_RUN = re.compile(r"[\x00-\x1f\x7f]+")


def single_line(value: str) -> str:
    """``value`` with each run of control characters replaced by one space."""
    return _CONTROL_RUN.sub(" ", value)


def _one_line_to_python(to_python):
    def wrapped(value):
        value = to_python(value)
        return single_line(value).strip() if isinstance(value, str) else value

    wrapped.one_line = True
    return wrapped


def _is_one_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    )


class GovUKFormRenderer(DjangoTemplates):
    """Django's own widget templates plus ours for the form and each field.

    Chosen per form (``GovUKForm``) rather than with the global ``FORM_RENDERER``,
    so the Wagtail admin keeps its own form markup.
    """

    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"


class GovUKForm(forms.Form):
    """Base for every public form: renders with GOV.UK markup, and one-line text
    fields (every ``CharField`` but text areas and passwords) come out with control
    characters folded into spaces."""

    default_renderer = GovUKFormRenderer()

    def full_clean(self):
        # Here rather than in __init__: subclasses add fields after super().__init__.
        for field in self.fields.values():
            if _is_one_line(field) and not getattr(field.to_python, "one_line", False):
                field.to_python = _one_line_to_python(field.to_python)
        super().full_clean()


def widget_kind(widget: forms.Widget) -> str:
    """The GOV.UK component that renders ``widget``."""
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    # CheckboxSelectMultiple subclasses RadioSelect in Django: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"
