"""Settings come from the environment; a malformed variable stops start-up naming it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS",
                                                            "BEHIND_TLS_PROXY", "CHANNEL_LAYER_PREFIX")}
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name,value", [
    ("DEBUG", "maybe"),
    ("DATABASE_URL", "mysql://root@localhost/x"),
    ("REDIS_URL", "http://localhost:6379"),
    ("DESIGNER_MAX_UPLOAD_BYTES", "lots"),
])
def test_it_stops_on_a_malformed_variable_and_names_it(name: str, value: str) -> None:
    extra = {"SECRET_KEY": "x" * 50} if name in ("DATABASE_URL", "REDIS_URL") else {}
    result = manage("check", **{name: value}, **extra)
    assert result.returncode == 2
    assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_it_requires_a_secret_key_in_production_mode() -> None:
    result = manage("check", DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres")
    assert result.returncode == 2 and "SECRET_KEY" in result.stderr


def test_it_accepts_a_sqlite_database_url(tmp_path: Path) -> None:
    db = tmp_path / "prod.sqlite3"
    result = manage("migrate", "-v", "0", DATABASE_URL=f"sqlite:///{db}", SECRET_KEY="y" * 50)
    assert result.returncode == 0, result.stderr
    assert db.exists() and db.stat().st_size > 0


def test_it_passes_the_deployment_checks_in_production_mode() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL="redis://127.0.0.1:6379/5",
                    SECRET_KEY="test-only-secret-key-for-production-mode-0123456789abcdef", DEBUG="0")
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres", "REDIS_URL": "redis://127.0.0.1:6379/5",
              "DEBUG": "0"}


def test_it_refuses_a_secret_key_shorter_than_50_characters_in_production_mode() -> None:
    result = manage("check", **PRODUCTION, SECRET_KEY="k" * 49)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "SECRET_KEY is too short (49 characters): use at least 50" in result.stderr


def _proxy_header(**env: str) -> str:
    code = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    result = manage("shell", "-c", code, **PRODUCTION, SECRET_KEY="s-" * 30, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_it_trusts_x_forwarded_proto_only_behind_a_declared_tls_proxy() -> None:
    assert _proxy_header() == "None"
    assert _proxy_header(BEHIND_TLS_PROXY="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert _proxy_header(BEHIND_TLS_PROXY="0") == "None"
