"""Audit every live page, journey step and My Account page for WCAG 2.2 A/AA.

    manage.py a11y_audit                          # every site, served locally
    manage.py a11y_audit --site parks.example     # one site (hostname or name)
    manage.py a11y_audit --base-url https://www.council.example --output var/a11y

Without ``--base-url`` the site is served from this process on 127.0.0.1 and each
site's hostname is pointed at it inside the browser, so microsites are visited on
their own hostnames. With ``--base-url`` the default site is audited at that URL
and other sites at their own root URLs; the command must then run beside the
deployment (same database and session store) to sign in as demo residents.

Writes ``report.json`` and ``report.html`` to ``--output``, records the run for the
admin report and the accessibility statements, and exits with status 1 when there
is any violation (2 when the audit could not run), so pipelines can gate on it.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site


class Command(BaseCommand):
    help = "Accessibility audit (axe-core WCAG 2.2 A/AA, scripted checks, HTML validation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            action="append",
            default=[],
            help="Hostname or site name to audit (repeatable; default: every site).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Audit a running deployment at this URL instead of a local server.",
        )
        parser.add_argument(
            "--output",
            default="var/a11y",
            help="Folder for report.json, report.html and the pages' HTML.",
        )
        parser.add_argument(
            "--url",
            action="append",
            default=[],
            help="An extra absolute URL to check (repeatable).",
        )
        parser.add_argument(
            "--only-urls",
            action="store_true",
            help="Check only the --url pages (no page tree, journeys or accounts).",
        )
        parser.add_argument("--no-journeys", action="store_true")
        parser.add_argument("--no-account-pages", action="store_true")
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not save the run for the admin report and statements.",
        )

    def handle(self, *args, **options):
        from home.a11y.audit import Audit
        from home.a11y.browser import BrowserMissing, start_browser
        from home.a11y.report import write_reports
        from home.a11y.server import LocalServer
        from home.models import AccessibilityAuditRun

        sites = list(
            Site.objects.select_related("root_page").order_by("-is_default_site", "pk")
        )
        if options["site"]:
            wanted = {s.lower() for s in options["site"]}
            sites = [
                s
                for s in sites
                if s.hostname.lower() in wanted or (s.site_name or "").lower() in wanted
            ]
            if not sites:
                raise CommandError(f"no site matches {', '.join(options['site'])}")
        if options["only_urls"]:
            if not options["url"]:
                raise CommandError("--only-urls needs at least one --url")
            sites = []
        output = Path(options["output"]).resolve()
        base_url = options["base_url"].rstrip("/")
        log = self.stdout.write if options["verbosity"] > 1 else (lambda *_: None)

        def run(url_for, host_rules):
            try:
                driver = start_browser(host_rules)
            except BrowserMissing as error:
                self.stderr.write(str(error))
                raise SystemExit(2) from error
            try:
                audit = Audit(
                    sites=sites,
                    url_for=url_for,
                    output=output,
                    include_journeys=not options["no_journeys"],
                    include_account_pages=not options["no_account_pages"],
                    extra_urls=options["url"],
                    log=log,
                )
                return audit.run(driver)
            finally:
                driver.quit()

        if base_url:
            default = urlsplit(base_url)

            def url_for(site, path):
                if site.is_default_site:
                    return base_url + path
                return site.root_url + path

            report = run(url_for, None)
        else:
            with LocalServer() as server, _served_as_in_production(sites):

                def url_for(site, path):
                    return f"http://{site.hostname}:{server.port}{path}"

                report = run(url_for, {s.hostname: "127.0.0.1" for s in sites})
            default = None
        report["base_url"] = base_url or "local server"
        json_path, html_path = write_reports(report, output)
        if not options["no_record"]:
            AccessibilityAuditRun.objects.create(
                started_at=report["started"],
                finished_at=report["finished"],
                base_url=base_url or (default.geturl() if default else ""),
                pages_checked=report["pages_checked"],
                states_checked=report["states_checked"],
                violation_count=report["violation_count"],
                report=report,
            )
        summary = (
            f"{report['pages_checked']} pages and {report['states_checked']} journey "
            f"states checked: {report['violation_count']} violation(s). "
            f"Reports: {html_path} and {json_path}"
        )
        if report["violation_count"]:
            for rule in report["by_rule"]:
                self.stderr.write(
                    f"  {rule['rule']} ({', '.join(rule['criteria']) or 'no WCAG criterion'},"
                    f" {rule['impact']}): {len(rule['pages'])} page(s), e.g. "
                    f"{rule['pages'][0]['name']} - {rule['help']}"
                )
            self.stderr.write(summary)
            raise SystemExit(1)
        self.stdout.write(summary)


class _served_as_in_production:
    """Serve pages as production does while the local server runs: no debug error
    pages, and every site's hostname allowed."""

    def __init__(self, sites):
        self.hosts = [s.hostname for s in sites]

    def __enter__(self):
        self.saved = (settings.DEBUG, list(settings.ALLOWED_HOSTS))
        settings.DEBUG = False
        if "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *self.hosts]
        return self

    def __exit__(self, *exc):
        settings.DEBUG, settings.ALLOWED_HOSTS = self.saved
