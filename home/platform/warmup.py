"""A new web worker gets ready before it takes its first request.

Django builds its URL resolver (importing every app's views), opens its database
connection and the cache's connection pool on the first request that needs them:
about 0.3 s of CPU per worker here. gunicorn starts every worker at once (at boot,
and again whenever ``max_requests`` recycles one), so under load the first requests
each worker took waited for that work on top of their own, and the slowest one in a
hundred did. ``cms/deploy/gunicorn.conf.py`` calls ``warm_worker`` from
``post_worker_init``, before the worker accepts connections.

Best effort: a database or cache that cannot be reached now is left to the first
request (which answers as it would have), never a worker that fails to boot.
"""

from __future__ import annotations

import gc
import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

# Paths whose resolving imports the views behind most requests: the page tree's
# catch-all, the case API and the admin.
PATHS = ("/", "/api/v1/cases/", "/admin/")


def warm_worker() -> None:
    for path in PATHS:
        try:
            resolve(path)
        except Resolver404:
            pass
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        logger.warning("Worker started without a database connection: %s", error)
    cache.get("warmup")  # the council's cache acts as a miss while Redis is down
    # Everything loaded so far lives as long as the worker: collect once now and
    # leave it out of later full collections, which otherwise walk all of it
    # (0.4-0.6 s once in each worker's first seconds under load, seen here).
    gc.collect()
    gc.freeze()
