"""Password hashing: Argon2id at OWASP's recommended parameters.

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, spent 1.2–1.8 s of CPU per login on
the 2-core machines this runs on (login POSTs took 2.4–2.8 s; see docs/PERFORMANCE.md).
OWASP's Password Storage Cheat Sheet puts Argon2id first and gives m=19 MiB, t=2, p=1 as its
baseline configuration: memory-hard, so a GPU or ASIC attacker gains far less than against
PBKDF2, and about 0.15 s here. Django's own Argon2 defaults (100 MiB, p=8) cost a second on
two cores for no protection a single login can use. Existing PBKDF2 hashes still verify and
are re-hashed with Argon2id at the user's next login (settings.PASSWORD_HASHERS order).
"""
from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's baseline cost: 19 MiB of memory, 2 passes, 1 lane."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
