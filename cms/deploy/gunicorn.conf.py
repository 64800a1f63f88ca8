"""gunicorn behind the nginx front cache (cms/deploy/nginx.conf).

Start with ``gunicorn cms.wsgi --config cms/deploy/gunicorn.conf.py``. Every value can
be changed from the environment, so the same file serves ``make serve`` and a real
deployment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8141")
# Sync workers: pages are short and CPU-bound, and nginx buffers slow clients.
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# nginx keeps connections to gunicorn open (upstream keepalive).
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Only nginx talks to gunicorn; it sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = "guildhall-web"


def post_worker_init(worker):
    """Resolve URLs and connect before the first request (home.platform.warmup)."""
    from home.platform.warmup import warm_worker

    warm_worker()
