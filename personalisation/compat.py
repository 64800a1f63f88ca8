"""Private parts of Wagtail and wagtail-personalisation this app relies on.

Checked against Wagtail 8.0.1 and wagtail-personalisation 1.0.0; each function
says what it relies on, and ``tests/personalisation/test_compat.py`` pins that
behaviour, so an upgrade that changes it fails there first.
"""

from wagtail import hooks


def unregister_hooks(hook_name: str, module: str, names) -> int:
    """Take functions of ``module`` named in ``names`` out of ``hook_name``'s list;
    how many were taken.

    Wagtail has no way to unregister a hook: its registry is the private dict
    ``wagtail.hooks._hooks`` of hook name to a list of ``(function, order)`` pairs,
    read every time ``hooks.get_hooks`` is called. The list is changed in place.
    On upgrade: if the registry changes shape, the library's session-writing page
    hooks run again (every page ``Vary: Cookie`` and uncacheable) or this raises at
    start-up.
    """
    registered = hooks._hooks.get(hook_name, [])
    kept = [
        (fn, order)
        for fn, order in registered
        if not (fn.__module__ == module and fn.__name__ in names)
    ]
    taken = len(registered) - len(kept)
    registered[:] = kept
    return taken


def share_user_agent_parsing(maxsize: int = 2048) -> None:
    """Keep the parsed results of recent User-Agent headers for the device rule.

    wagtail-personalisation's ``DeviceRule`` calls ``parse`` (from the
    user-agents package), imported into ``wagtail_personalisation.rules``, every
    time it is tested. Parsing is a pure function of the header, so that name is
    wrapped in an LRU cache. On upgrade: if the module stops importing ``parse`` by
    that name, this does nothing and device rules are only slower.
    """
    import functools

    from wagtail_personalisation import rules

    parse = getattr(rules, "parse", None)
    if parse is not None and not hasattr(parse, "cache_info"):
        rules.parse = functools.lru_cache(maxsize=maxsize)(parse)


def offer_rule_types(offered) -> None:
    """Make ``offered`` (an iterable of ``app_label.ModelName``) the rule types of
    wagtail-personalisation's segment builder, unless the project set its own.

    ``Segment.__init__`` builds the builder's rule panels each time from
    ``AbstractBaseRule.__subclasses__()`` (direct subclasses only, in import order),
    kept in the order of the ``WAGTAIL_PERSONALISATION_RULES`` setting when that is
    set. On upgrade: if the library stops reading the setting, every rule model is
    offered again (the visit count rule among them); if it stops reading
    ``__subclasses__``, rules outside the library vanish from the builder.
    """
    from django.conf import settings

    if getattr(settings, "WAGTAIL_PERSONALISATION_RULES", None) is None:
        settings.WAGTAIL_PERSONALISATION_RULES = offered


def rule_type_problems(model) -> list[str]:
    """What stops wagtail-personalisation from handling rule model ``model``.

    The builder offers only direct subclasses of ``AbstractBaseRule`` and finds a
    rule type's rows through the relation named from its table: its
    ``RulePanel("<db_table>_related")`` becomes ``"<db_table>s"``, which must be
    the ``segment`` key's ``related_name`` (``"%(app_label)s_%(class)ss"``), so the
    table must keep Django's default name. Evaluation calls ``test_user(request)``.
    """
    from wagtail_personalisation.rules import AbstractBaseRule

    problems = []
    if AbstractBaseRule not in model.__bases__:
        problems.append("does not subclass AbstractBaseRule directly")
    relation = f"{model._meta.db_table}s"
    if (
        model._meta.get_field("segment")
        .remote_field.related_name.replace("%(app_label)s", model._meta.app_label)
        .replace("%(class)s", model.__name__.lower())
        != relation
    ):
        problems.append(
            f"its table {model._meta.db_table!r} is not Django's default name, so "
            "the segment builder cannot find its rules"
        )
    if model.test_user is AbstractBaseRule.test_user:
        problems.append("does not define test_user(request)")
    return problems


def build_segment_builder_panels() -> None:
    """Give ``Segment`` its builder panels now, not at its first instance.

    wagtail-personalisation assigns ``Segment.panels`` (the segment form with one
    panel per offered rule type) inside ``Segment.__init__``. wagtail-modeladmin
    builds the add/edit form from ``Segment.panels`` when it exists and otherwise
    from every model field, with no rules: so until something in the process had
    made a ``Segment``, "Add segment" showed a form without rules. Making one
    (nothing is saved) builds the panels. On upgrade: if the library defines the
    panels on the class, this is harmless.
    """
    from wagtail_personalisation.models import Segment

    Segment()
