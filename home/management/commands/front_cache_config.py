"""Write the nginx front cache's configuration and its "service unavailable" page.

``cms/deploy/nginx.conf`` is a template; this fills it in, taking the cookies that keep
a request away from the shared cache from the application itself
(``home.platform.frontcache.personal_cookie_pattern``), and renders the static page
nginx answers with while the application is down. ``make serve`` runs it; for a real
deployment run it once per release and point nginx at the result.
"""

import os
import pwd
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from home.platform.frontcache import personal_cookie_pattern

TEMPLATE = Path(settings.BASE_DIR) / "cms" / "deploy" / "nginx.conf"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def render_nginx_conf(values: dict[str, str]) -> str:
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        start = text.index("{{")
        raise ValueError(f"no value for {text[start : text.index('}}', start) + 2]}")
    return text


class Command(BaseCommand):
    help = "Write nginx.conf and the 'service unavailable' page for the front cache."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Directory to write to")
        parser.add_argument("--listen", default="127.0.0.1:8140")
        parser.add_argument("--purge-listen", default="127.0.0.1:8142")
        parser.add_argument("--purge-allow", default="127.0.0.1")
        parser.add_argument("--upstream", default="127.0.0.1:8141")
        parser.add_argument("--workers", default="auto")
        parser.add_argument(
            "--access-log", default="", help="File to log requests to (off if empty)"
        )
        parser.add_argument(
            "--purge-module",
            default=str(PURGE_MODULE),
            help="The cache purge module to load ('' if built into nginx)",
        )

    def handle(self, *args, **options):
        output = Path(options["output"]).resolve()
        for sub in ("cache", "tmp", "errors"):
            (output / sub).mkdir(parents=True, exist_ok=True)
        (output / "errors" / "503.html").write_text(render_to_string("503.html"))
        user = ""
        if os.geteuid() == 0:
            # Started as root (a container): the workers take the identity of the
            # directory's owner rather than nginx's default unprivileged user, who
            # could not write to it.
            stat = output.stat()
            user = f"user {pwd.getpwuid(stat.st_uid).pw_name};"
        module = options["purge_module"]
        conf = render_nginx_conf(
            {
                "LOAD_MODULES": f"load_module {module};" if module else "",
                "USER": user,
                "WORKER_PROCESSES": options["workers"],
                "RUN_DIR": str(output),
                "MIME_TYPES": "/etc/nginx/mime.types",
                "ACCESS_LOG": options["access_log"] or "off",
                "UPSTREAM": options["upstream"],
                "PERSONAL_COOKIES": personal_cookie_pattern(),
                "LISTEN": options["listen"],
                "PURGE_LISTEN": options["purge_listen"],
                "PURGE_ALLOW": options["purge_allow"],
                "ERROR_PAGES": str(output / "errors"),
                "STATIC_ROOT": str(
                    Path(settings.STATIC_ROOT or Path(settings.BASE_DIR) / "static")
                ),
            }
        )
        (output / "nginx.conf").write_text(conf)
        self.stdout.write(str(output / "nginx.conf"))
