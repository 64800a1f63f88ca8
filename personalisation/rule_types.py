"""The rule types editors can use in the segment builder, wherever they are defined.

A rule about a resident's cases belongs with the cases (``services``), a rule
about their council tax link with the accounts (``myaccount``): those apps sit above
this one, which must not import them. So an app defines its rule models itself,
as ``wagtail_personalisation.rules.AbstractBaseRule`` subclasses in its own
``models`` (its own tables and migrations), and registers each one here::

    from personalisation.rule_types import register_rule_type

    @register_rule_type
    class OpenCaseRule(AbstractBaseRule):
        ...

The segment builder then offers, in this order, wagtail-personalisation's own rules
(all but the visit count rule: see ``docs/personalisation.md``), this app's rules,
and the registered ones. A rule model that is not registered is not offered. The
rest needs nothing more: segments are evaluated from every installed rule model
(``personalisation.segments``), a saved or deleted rule of any of them reloads the
definitions (``personalisation.signal_handlers``), and the segment dashboard lists
them. What the library expects of a rule model for all that to work is checked at
start-up (``personalisation.checks``).

A rule's ``test_user(request)`` is called with the request only (never a user), at
most once per request; it should read what it needs once per request and answer
``False`` for anonymous visitors, odd requests and missing records rather than
raise (an exception counts as "no match").
"""

from __future__ import annotations

# wagtail-personalisation's rules the builder offers, by label.
LIBRARY_RULE_TYPES = (
    "wagtail_personalisation.TimeRule",
    "wagtail_personalisation.DayRule",
    "wagtail_personalisation.ReferralRule",
    "wagtail_personalisation.QueryRule",
    "wagtail_personalisation.DeviceRule",
    "wagtail_personalisation.UserIsLoggedInRule",
    "wagtail_personalisation.OriginCountryRule",
)
# This app's own (personalisation.rules).
OWN_RULE_TYPES = (
    "personalisation.WardRule",
    "personalisation.PreferredLanguageRule",
    "personalisation.CampaignRule",
)

_registered: list[type] = []


def label(model) -> str:
    """``app_label.ModelName``, as wagtail-personalisation names rule types."""
    return f"{model._meta.app_label}.{model.__name__}"


def register_rule_type(model: type) -> type:
    """Offer ``model`` in the segment builder (usable as a class decorator);
    registering it twice is harmless."""
    if model not in _registered:
        _registered.append(model)
    return model


def registered_rule_types() -> tuple[type, ...]:
    return tuple(_registered)


def offered_labels() -> list[str]:
    """Every rule type the segment builder offers, in its order."""
    labels = [*LIBRARY_RULE_TYPES, *OWN_RULE_TYPES]
    labels += [label(model) for model in _registered if label(model) not in labels]
    return labels


class OfferedRuleTypes:
    """The value of ``WAGTAIL_PERSONALISATION_RULES``: read each time the segment
    builder is built, so it lists rule types registered after start-up began."""

    def __iter__(self):
        return iter(offered_labels())

    def __len__(self):
        return len(offered_labels())

    def __contains__(self, item):
        return item in offered_labels()

    def __repr__(self):
        return f"OfferedRuleTypes({offered_labels()!r})"
