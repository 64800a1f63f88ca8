from django.utils.functional import SimpleLazyObject


def site_chrome(request):
    """``chrome``: the current site's branding, navigation and footer, loaded only if a
    template uses it (see ``home.chrome``)."""
    from home.chrome import site_chrome as get_chrome

    return {"chrome": SimpleLazyObject(lambda: get_chrome(request))}
