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
