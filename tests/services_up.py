"""Exit 0 when PostgreSQL and Redis answer at the given URLs; print why not otherwise."""
import socket
import sys
from urllib.parse import urlparse


def reachable(url: str, default_port: int) -> bool:
    u = urlparse(url)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or default_port), timeout=2):
            return True
    except OSError as exc:
        print(f"{u.scheme} at {u.hostname}:{u.port or default_port} is not reachable: {exc}")
        return False


if __name__ == "__main__":
    pg, redis = sys.argv[1], sys.argv[2]
    ok = reachable(pg, 5432) & reachable(redis, 6379)
    sys.exit(0 if ok else 1)
