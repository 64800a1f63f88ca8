"""A form renderer that gives every Django widget GOV.UK Frontend markup.

Forms that extend ``GovUKForm`` render with ``{{ form }}``; fields choose their GOV.UK component from the
widget (see ``templates/frontend/forms/field.html``). The error summary is a separate
include (``frontend/components/error_summary.html``) because GOV.UK puts it at the
top of the main content, above the heading, not inside the form.
"""

from django import forms
from django.forms.renderers import DjangoTemplates


class GovUKFormRenderer(DjangoTemplates):
    """Django's own widget templates plus ours for the form and each field.

    Chosen per form (``GovUKForm``) rather than with the global ``FORM_RENDERER``,
    so the Wagtail admin keeps its own form markup.
    """

    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"


class GovUKForm(forms.Form):
    """Base for every public form: renders with GOV.UK markup."""

    default_renderer = GovUKFormRenderer()


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
