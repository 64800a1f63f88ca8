"""Run the production-shaped stack on this machine: nginx (front cache) → gunicorn,
a Celery worker and beat, on PostgreSQL and Redis, with production settings.

    python cms/deploy/serve.py start   # foreground; Ctrl-C stops everything
    python cms/deploy/serve.py stop    # from another terminal

``make serve`` / ``make serve-stop`` run these. Everything lives under ``var/serve/``
(configuration, cache, logs, process ids, static files); nothing needs root. The
processes are the ones in ``cms/deploy/Procfile`` and the configuration files are
``cms/deploy/nginx.conf`` and ``cms/deploy/gunicorn.conf.py``: the same files are the
starting point of a real deployment (docs/front-cache.md).

Ports (``SERVE_PORT``, default 8140): nginx on SERVE_PORT, gunicorn on SERVE_PORT+1,
nginx's purge listener on SERVE_PORT+2 (127.0.0.1 only).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = Path(os.environ.get("SERVE_DIR", ROOT / "var" / "serve")).resolve()
STATE = RUN_DIR / "processes.json"
PROCFILE = ROOT / "cms" / "deploy" / "Procfile"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
STOP_SECONDS = 15


def say(message: str) -> None:
    print(f"serve: {message}", flush=True)


def fail(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    for needed in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(needed):
            fail(
                f"{needed} is not set: the production-shaped stack runs on PostgreSQL "
                "and Redis (see README, 'Running the production stack locally')"
            )
    secret_file = RUN_DIR / "secret_key"
    if not env.get("SECRET_KEY"):
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        env["SECRET_KEY"] = secret_file.read_text().strip()
    bin_dir = str(Path(python()).parent)
    defaults = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,parks.localhost",
        # No TLS on this machine (put it in nginx, or in the load balancer).
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "False",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
        # The local stand-ins for the council's back offices, by name.
        "ALLOW_CONSOLE_EMAIL": "True",
        "ALLOW_DEMO_PROVIDERS": "address_lookup,council_tax,waste,clamav",
        "STATIC_ROOT": str(RUN_DIR / "static"),
        "FRONTEND_CACHE_NGINX_URL": f"http://127.0.0.1:{port + 2}",
        "GUNICORN_BIND": f"127.0.0.1:{port + 1}",
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "2",
        "RUN_DIR": str(RUN_DIR),
        "DEMO_HOSTNAME": "127.0.0.1",
        "DEMO_PORT": str(port),
    }
    for name, value in defaults.items():
        env.setdefault(name, value)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [python(), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        text=True,
        capture_output=capture,
    )
    if result.returncode:
        fail(
            f"manage.py {' '.join(args)} failed"
            + (f":\n{result.stderr}" if capture else "")
        )
    return result.stdout or ""


_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def procfile(env: dict[str, str]) -> dict[str, list[str]]:
    """The Procfile's commands, with ``${NAME:-default}`` filled in from ``env``."""
    commands = {}
    for line in PROCFILE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, command = line.split(":", 1)
        command = _VARIABLE.sub(
            lambda m: env.get(m.group(1)) or (m.group(2) or ""), command
        )
        commands[name.strip()] = shlex.split(command)
    return commands


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_processes(processes: dict[str, int]) -> None:
    """SIGTERM each process group (nginx first, so nothing reaches a stopped app),
    then SIGKILL whatever is left after ``STOP_SECONDS``."""
    order = ["nginx", *[name for name in processes if name != "nginx"]]
    for name in order:
        pid = processes.get(name)
        if pid and alive(pid):
            say(f"stopping {name} ({pid})")
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_SECONDS
    for name, pid in processes.items():
        while alive(pid) and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
        if alive(pid):
            say(f"{name} ({pid}) did not stop: killing it")
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def start() -> int:
    port = int(os.environ.get("SERVE_PORT", "8140"))
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    if STATE.exists():
        running = json.loads(STATE.read_text())
        if alive(running.get("supervisor", 0)):
            fail(f"already running (pid {running['supervisor']}); `make serve-stop`")
        stop_processes(running.get("processes", {}))
    if not Path(NGINX).exists():
        fail("nginx is not installed (apt-get install nginx)")
    if not PURGE_MODULE.exists():
        fail(
            f"{PURGE_MODULE} is missing (apt-get install libnginx-mod-http-cache-purge)"
        )
    env = environment(port)
    say("migrating the database")
    manage(env, "migrate", "--noinput")
    if "HomePage" not in manage(
        env,
        "shell",
        "-c",
        "from home.models import HomePage;"
        "print('HomePage' if HomePage.objects.exists() else '')",
        capture=True,
    ):
        say("empty database: loading the demo council")
        manage(env, "load_demo")
    say("collecting static files")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(
        env,
        "front_cache_config",
        "--output",
        str(RUN_DIR / "nginx"),
        "--listen",
        f"127.0.0.1:{port}",
        "--upstream",
        f"127.0.0.1:{port + 1}",
        "--purge-listen",
        f"127.0.0.1:{port + 2}",
        "--access-log",
        str(RUN_DIR / "nginx-access.log"),
        "--workers",
        "2",
        capture=True,
    )
    commands = procfile(env)
    commands["nginx"] = [
        NGINX,
        "-p",
        str(RUN_DIR / "nginx"),
        "-c",
        str(RUN_DIR / "nginx" / "nginx.conf"),
        "-e",
        str(RUN_DIR / "nginx" / "nginx-error.log"),
        "-g",
        "daemon off;",
    ]
    processes: dict[str, int] = {}
    children: dict[str, subprocess.Popen] = {}

    def save():
        STATE.write_text(
            json.dumps({"supervisor": os.getpid(), "processes": processes})
        )

    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for name in ("web", "worker", "beat", "nginx"):
        log = open(RUN_DIR / f"{name}.log", "ab")
        children[name] = subprocess.Popen(  # noqa: S603 - the Procfile and nginx
            commands[name],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes[name] = children[name].pid
        save()
        say(f"started {name} ({children[name].pid}): {' '.join(commands[name])}")
    say(
        f"http://127.0.0.1:{port}/ (nginx) → gunicorn 127.0.0.1:{port + 1}; "
        f"logs in {RUN_DIR}; Ctrl-C or `make serve-stop` stops everything"
    )
    status = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                say(
                    f"{name} exited with status {child.returncode}: see {RUN_DIR}/{name}.log"
                )
                stopping = True
                status = 1
                break
        time.sleep(0.3)
    stop_processes(processes)
    for child in children.values():
        try:
            child.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
    STATE.unlink(missing_ok=True)
    say("stopped")
    return status


def stop() -> int:
    if not STATE.exists():
        say("not running")
        return 0
    state = json.loads(STATE.read_text())
    supervisor = state.get("supervisor", 0)
    if supervisor and alive(supervisor):
        os.kill(supervisor, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS + 5
        while alive(supervisor) and time.monotonic() < deadline:
            time.sleep(0.2)
    # Whatever the supervisor did not stop (it was killed, say).
    stop_processes({k: v for k, v in state.get("processes", {}).items() if alive(v)})
    STATE.unlink(missing_ok=True)
    say("stopped")
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    if action not in ("start", "stop"):
        fail("usage: serve.py start|stop")
    sys.exit(start() if action == "start" else stop())
