"""System checks: every rule type offered in the segment builder can work there."""

from django.apps import apps
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from personalisation.compat import rule_type_problems
from personalisation.rule_types import offered_labels


@register()
def rule_types(app_configs, **kwargs):
    errors = []
    for label in offered_labels():
        try:
            model = apps.get_model(label)
        except LookupError:
            if label.startswith("wagtail_personalisation."):
                errors.append(
                    Error(
                        f"wagtail-personalisation has no rule type {label}.",
                        hint="Check personalisation.rule_types after an upgrade.",
                        id="personalisation.E001",
                    )
                )
            continue
        errors += [
            Error(
                f"Rule type {label} {problem}.",
                hint="See personalisation/rule_types.py.",
                obj=model,
                id="personalisation.E002",
            )
            for problem in rule_type_problems(model)
        ]
    return errors


@register(Tags.database)
def visit_count_rules(app_configs, databases=None, **kwargs):
    """Visit count rules are no longer offered (they never matched: visits are not
    recorded per visitor). Segments that still hold one are named, so an editor can
    rebuild them."""
    from wagtail_personalisation.rules import VisitCountRule

    names = set()
    # Like Django's own database checks: only the databases asked about (``migrate``
    # and ``check --database``), none otherwise.
    for alias in databases or ():
        try:
            names.update(
                VisitCountRule.objects.using(alias)
                .values_list("segment__name", flat=True)
                .distinct()
            )
        except DatabaseError:  # not migrated yet (``migrate`` runs this check first)
            continue
    return [
        Warning(
            f"Segment {name!r} has a visit count rule, which never matches.",
            hint="Visit counts are not recorded per visitor (see "
            "docs/personalisation.md): rebuild the segment without it.",
            id="personalisation.W001",
        )
        for name in sorted(names)
    ]
