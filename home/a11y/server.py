"""A local HTTP server for the audit when no base URL is given: the project's own WSGI
application (with static files) on 127.0.0.1, in a thread of the audit process."""

import threading
from wsgiref.simple_server import WSGIRequestHandler

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import (
    ThreadedWSGIServer,
    get_internal_wsgi_application,
)
from django.db import connections


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Handler(StaticFilesHandler):
    """Closes the thread's database connections after each request, as Django's own
    request cycle does, so the audit leaves none open."""

    def __call__(self, environ, start_response):
        try:
            return super().__call__(environ, start_response)
        finally:
            connections.close_all()


class LocalServer:
    def __init__(self):
        self.httpd = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
        self.httpd.set_app(_Handler(get_internal_wsgi_application()))
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
