"""Enqueueing Celery tasks that have a way to catch up, without failing the request.

A task whose work is also found by a periodic sweep (the outbox, search indexing,
image renditions) must not turn a broker outage into an error for the person who
caused it: their case is saved, their page is published. ``SweptTask.apply_async``
logs the broker error and returns ``None`` instead of raising; the sweep sends the
work once the broker is back.

Without a broker (tasks run inline, ``CELERY_TASK_ALWAYS_EAGER``) the task runs
once in the request: an error it would retry on (``autoretry_for``: the search
cluster or the mail server down) is logged and left to the sweep too, instead of
being retried inline while the editor or resident waits. Any other error
propagates.
"""

from __future__ import annotations

import logging

from celery import Task
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("home.platform.queue")

BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)


class SweptTask(Task):
    """A task whose lost enqueue a sweep makes good (see module docstring)."""

    def apply_async(self, args=None, kwargs=None, **options):
        if self.app.conf.task_always_eager:
            retryable = tuple(getattr(self, "autoretry_for", ()) or ())
            try:
                # No inline retries: the first retryable failure ends the run.
                return super().apply_async(
                    args, kwargs, retries=self.max_retries or 0, **options
                )
            except retryable as error:
                logger.warning(
                    "%s%s failed, left for its sweep (%s: %s)",
                    self.name,
                    tuple(args or ()),
                    type(error).__name__,
                    error,
                )
                return None
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_ERRORS as error:
            logger.warning(
                "Broker unavailable, %s%s left for its sweep (%s: %s)",
                self.name,
                tuple(args or ()),
                type(error).__name__,
                error,
            )
            return None
