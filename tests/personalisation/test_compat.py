"""The private parts of Wagtail and wagtail-personalisation this app relies on
(``personalisation.compat``): if an upgrade changes one, this fails, not the site."""

from wagtail import hooks

from wagtail_personalisation import rules as library_rules

from personalisation import compat


def _kept(request):
    return "kept"


def _dropped(request):
    return "dropped"


def test_hooks_of_a_module_can_be_taken_out_of_wagtails_registry():
    with hooks.register_temporarily(
        [("test_compat_hook", _kept), ("test_compat_hook", _dropped)]
    ):
        taken = compat.unregister_hooks("test_compat_hook", __name__, {"_dropped"})
        assert taken == 1
        assert [fn for fn in hooks.get_hooks("test_compat_hook")] == [_kept]
        hooks.register("test_compat_hook", _dropped)  # for the context to remove


def test_the_librarys_session_writing_page_hooks_are_gone():
    modules = {
        fn.__module__
        for name in ("before_serve_page", "construct_wagtail_userbar")
        for fn in hooks.get_hooks(name)
    }
    assert "wagtail_personalisation.wagtail_hooks" not in modules


def test_the_device_rule_parses_each_user_agent_once():
    compat.share_user_agent_parsing()
    assert hasattr(library_rules.parse, "cache_info")
    header = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) compat-test"
    before = library_rules.parse.cache_info().hits
    assert library_rules.parse(header).is_mobile
    assert library_rules.parse(header).is_mobile
    assert library_rules.parse.cache_info().hits == before + 1
