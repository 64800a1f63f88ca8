"""The Celery application.

Workers start with ``celery -A cms worker``. With no ``REDIS_URL`` configured the
settings make every task run inline (``task_always_eager``), so a fresh machine needs
no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
