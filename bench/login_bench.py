"""The login POST's answer time with the password hasher we ship (Argon2id, OWASP baseline)
and with Django's default (PBKDF2-SHA256, 1,000,000 iterations), side by side.

Run: .venv/bin/python bench/login_bench.py [--runs N]

Uses a throw-away SQLite database; each run posts the login form through Django's test client
(session, CSRF middleware and all) for a user whose hash was made by the hasher measured.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
_tmp = tempfile.mkdtemp(prefix="login-bench-")
os.environ.update({"DESIGNER_SQLITE_PATH": os.path.join(_tmp, "db.sqlite3"),
                   "DESIGNER_SECRET_FILE": os.path.join(_tmp, "secret"),
                   "DJANGO_SETTINGS_MODULE": "designer.settings"})
for var in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(var, None)

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

HASHERS = {
    "argon2id (shipped)": settings.PASSWORD_HASHERS,
    "pbkdf2_sha256 1M (Django default)": ["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
}


def measure(label: str, hashers: list[str], runs: int) -> float:
    with override_settings(PASSWORD_HASHERS=hashers):
        user_model = get_user_model()
        name = label.split()[0]
        user_model.objects.filter(username=name).delete()
        user_model.objects.create_user(name, password="bench-password-1")
        times = []
        for _ in range(runs):
            client = Client()
            start = time.perf_counter()
            resp = client.post("/accounts/login/", {"username": name, "password": "bench-password-1"})
            times.append(time.perf_counter() - start)
            assert resp.status_code == 302, resp.status_code
        return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    print(f"login POST, median of {runs} (load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores)")
    for label, hashers in HASHERS.items():
        print(f"  {label:36s} {measure(label, hashers, runs) * 1000:7.0f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)
