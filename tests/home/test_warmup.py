"""A gunicorn worker gets ready before its first request (``home.platform.warmup``),
and still boots when the database cannot be reached."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import runpy, sys
import django
django.setup()
config = runpy.run_path("cms/deploy/gunicorn.conf.py")
before = "services.api.views" in sys.modules
config["post_worker_init"](None)
print("views", before, "services.api.views" in sys.modules)
"""


def test_a_worker_loads_the_views_before_its_first_request_even_without_a_database():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        # Nothing listens on port 9: the connection is refused at once.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "views False True" in done.stdout, done.stdout
    assert "Worker started without a database connection" in done.stderr
