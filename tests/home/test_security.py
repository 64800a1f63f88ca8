"""The security header contract, on every page type, and safe rich text."""

import subprocess
import sys

import pytest

from home.platform.sanitise import sanitise_html
from tests.home.test_pages import PAGE_KEYS


@pytest.mark.django_db
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_type_sends_the_security_headers(client, council, key, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(council[key].url, secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    # The one inline script GOV.UK Frontend needs carries the nonce.
    assert f'<script nonce="{nonce}">document.body.className' in html
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_may_frame_its_own_previews(admin_client, home_page):
    response = admin_client.get("/admin/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    # Wagtail's choosers start from inline scripts; a nonce would make browsers
    # ignore 'unsafe-inline', so the admin's script-src has none.
    script_src = csp.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in script_src and "nonce-" not in script_src
    assert "gravatar.com" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_a_preview_may_be_framed_by_the_editor_and_the_public_page_may_not(
    admin_client, council, key
):
    page = council[key]
    page.title = f"{page.title} (draft)"
    page.save_revision()
    preview = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert preview.status_code == 200
    assert page.title in preview.content.decode()
    csp = preview["Content-Security-Policy"]
    assert (
        "frame-ancestors 'self'" in csp
        and "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
    )
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # Otherwise the preview is under the public policy, not the admin's.
    assert "'unsafe-inline'" not in csp
    public = admin_client.get(page.url)
    assert "(draft)" not in public.content.decode()
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert public["X-Frame-Options"] == "DENY"


def test_rich_text_is_sanitised_on_output():
    dirty = (
        '<p onclick="steal()">Hello <script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://example.com">ok</a></p>'
        '<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>'
    )
    clean = sanitise_html(dirty)
    assert "<script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "<iframe" not in clean and "<img" not in clean
    assert '<p class="govuk-body">' in clean
    assert 'href="https://example.com"' in clean


@pytest.mark.django_db
def test_rich_text_stored_with_a_script_renders_without_it(client, council):
    service = council["service"]
    service.body = [("paragraph", '<p>Safe</p><script>alert("x")</script>')]
    service.save_revision().publish()
    html = client.get(service.url).content.decode()
    assert 'alert("x")' not in html
    assert "Safe" in html


def _production_check(env: dict) -> subprocess.CompletedProcess:
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_check({"ALLOWED_HOSTS": "www.example.gov.uk"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _production_check({"SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


DEPLOYMENT = {
    "SECRET_KEY": "a-long-random-deploy-check-key-8f3k2j5h7g9d1s4a6q8w0e2r",
    "ALLOWED_HOSTS": "www.example.gov.uk",
}
REAL_BACK_OFFICES = {
    "EMAIL_URL": "smtp+tls://guildhall:secret@smtp.example.gov.uk:587",
    "CLAMD_URL": "tcp://clamd.internal:3310",
    "COUNCIL_TAX_BACKEND": "http",
    "COUNCIL_TAX_API_URL": "https://revenues.example.gov.uk/api",
    "COUNCIL_TAX_API_TOKEN": "token",
    "WASTE_BACKEND": "http",
    "WASTE_API_URL": "https://waste.example.gov.uk/api",
    "ADDRESS_LOOKUP_BACKEND": "os_places",
    "ADDRESS_LOOKUP_API_KEY": "key",
    "PAYMENT_PROVIDER": "govuk_pay",
    "GOVUK_PAY_API_KEY": "api_live_key",
    "GOVUK_PAY_WEBHOOK_SECRET": "webhook_live_secret",
    "CONCESSIONS_BACKEND": "http",
    "CONCESSIONS_API_URL": "https://benefits.example.gov.uk/api",
    "NOTIFY_PROVIDER": "govuk_notify",
    "NOTIFY_API_KEY": "live-00000000-0000-0000-0000-000000000000-"
    "00000000-0000-0000-0000-000000000000",
    "NOTIFY_EMAIL_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "NOTIFY_SMS_TEMPLATE_ID": "2a4b6e6c-7c5a-4d3b-9b76-2d4c6e8f0a1b",
    "NOTIFY_CALLBACK_TOKEN": "callback-token-from-the-council",
}
DEMO_FALLBACKS = {
    "myaccount.E005": "EMAIL_URL",
    "myaccount.E006": "COUNCIL_TAX_BACKEND",
    "myaccount.E007": "ADDRESS_LOOKUP_BACKEND",
    "services.E005": "WASTE_BACKEND",
    "services.E006": "CLAMD_URL",
    "services.E011": "PAYMENT_PROVIDER",
    "services.E012": "CONCESSIONS_BACKEND",
    "services.E014": "NOTIFY_PROVIDER",
}


def test_production_deploy_check_is_clean():
    result = _production_check(DEPLOYMENT | REAL_BACK_OFFICES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_cookies_over_plain_http_are_only_for_a_stack_on_one_machine():
    """``make serve`` and the load test serve plain http and turn secure cookies
    off; a deployment that did the same fails the deploy check."""
    result = _production_check(
        DEPLOYMENT | REAL_BACK_OFFICES | {"SECURE_COOKIES": "False"}
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "SESSION_COOKIE_SECURE" in output and "CSRF_COOKIE_SECURE" in output


def test_production_refuses_every_silent_demo_fallback():
    """Without EMAIL_URL, CLAMD_URL and the back offices a deployment would print
    reset links to the log and use the demo providers: each is an error."""
    result = _production_check(DEPLOYMENT)
    assert result.returncode != 0
    for check_id in DEMO_FALLBACKS:
        assert check_id in result.stderr, check_id


def test_a_deployment_may_allow_the_demo_fallbacks_by_name():
    result = _production_check(
        DEPLOYMENT
        | {
            "ALLOW_CONSOLE_EMAIL": "True",
            "ALLOW_DEMO_PROVIDERS": "address_lookup,council_tax,waste,clamav,payments,concessions,notify",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("check_id, variable", DEMO_FALLBACKS.items())
def test_each_demo_fallback_is_its_own_deploy_error(check_id, variable, settings):
    """Everything real but one: only that one is reported."""
    from myaccount.checks import no_silent_demo_behaviour
    from services.checks import no_silent_demo_integrations

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ALLOW_CONSOLE_EMAIL = False
    settings.ALLOW_DEMO_PROVIDERS = []
    settings.CLAMD_URL = REAL_BACK_OFFICES["CLAMD_URL"]
    settings.COUNCIL_TAX_BACKEND = "http"
    settings.WASTE_BACKEND = "http"
    settings.ADDRESS_LOOKUP_BACKEND = "os_places"
    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.CONCESSIONS_BACKEND = "http"
    settings.NOTIFY_PROVIDER = "govuk_notify"
    settings.NOTIFY_CALLBACK_TOKEN = "callback-token-from-the-council"
    fallback = {
        "EMAIL_URL": (
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend",
        ),
        "CLAMD_URL": ("CLAMD_URL", ""),
        "COUNCIL_TAX_BACKEND": ("COUNCIL_TAX_BACKEND", "local"),
        "WASTE_BACKEND": ("WASTE_BACKEND", "local"),
        "ADDRESS_LOOKUP_BACKEND": ("ADDRESS_LOOKUP_BACKEND", "local"),
        "PAYMENT_PROVIDER": ("PAYMENT_PROVIDER", "sandbox"),
        "CONCESSIONS_BACKEND": ("CONCESSIONS_BACKEND", "local"),
        "NOTIFY_PROVIDER": ("NOTIFY_PROVIDER", "local"),
    }[variable]
    setattr(settings, *fallback)

    def found():
        return [
            e.id
            for e in no_silent_demo_behaviour(None) + no_silent_demo_integrations(None)
        ]

    assert found() == [check_id]
    allowance = {
        "myaccount.E005": ("ALLOW_CONSOLE_EMAIL", True),
        "myaccount.E006": ("ALLOW_DEMO_PROVIDERS", ["council_tax"]),
        "myaccount.E007": ("ALLOW_DEMO_PROVIDERS", ["address_lookup"]),
        "services.E005": ("ALLOW_DEMO_PROVIDERS", ["waste"]),
        "services.E006": ("ALLOW_DEMO_PROVIDERS", ["clamav"]),
        "services.E011": ("ALLOW_DEMO_PROVIDERS", ["payments"]),
        "services.E012": ("ALLOW_DEMO_PROVIDERS", ["concessions"]),
        "services.E014": ("ALLOW_DEMO_PROVIDERS", ["notify"]),
    }[check_id]
    setattr(settings, *allowance)
    assert found() == []


def test_an_unknown_name_in_allow_demo_providers_is_an_error(settings):
    from myaccount.checks import no_silent_demo_behaviour

    settings.ALLOW_DEMO_PROVIDERS = ["council_tax", "everything"]
    ids = [e.id for e in no_silent_demo_behaviour(None)]
    assert "myaccount.E008" in ids


@pytest.mark.django_db
def test_rich_text_inside_accordions_and_details_is_sanitised(client, council):
    service = council["service"]
    service.body = [
        (
            "accordion",
            {
                "sections": [
                    {
                        "heading": "Open me",
                        "summary": "",
                        "content": "<p>In</p><script>alert(1)</script>",
                    }
                ]
            },
        ),
        (
            "details",
            {"summary": "More", "content": '<p onclick="x()">Details text</p>'},
        ),
    ]
    service.save_revision().publish()
    html = client.get(service.url).content.decode()
    assert "alert(1)" not in html and "onclick" not in html
    assert '<p class="govuk-body">Details text</p>' in html


@pytest.mark.django_db
def test_every_rendered_response_gets_its_own_nonce(client, council, settings):
    settings.PAGE_CACHE_SECONDS = 0
    nonces = set()
    for _ in range(3):
        response = client.get(council["service"].url)
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 3
