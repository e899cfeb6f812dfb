"""Bounded state the traffic checks keep between events.

Everything here is fed by untrusted traffic (ids, partition keys and even type names come from
whoever posts events), so every structure has a hard cap on its size and evicts the oldest
entries first. Time is always passed in (``now`` in epoch seconds): nothing reads a clock.
"""
from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable, Iterator
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """A mapping that keeps at most ``max_size`` entries, dropping the least recently used."""

    def __init__(self, max_size: int) -> None:
        """Create an empty map holding at most ``max_size`` (>= 1) entries."""
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self._data: OrderedDict[K, V] = OrderedDict()
        self.evicted = 0  # how many entries were dropped to stay under the cap

    def get(self, key: K) -> V | None:
        """The value for ``key`` (marking it recently used), or None."""
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def set(self, key: K, value: V) -> None:
        """Store ``value`` under ``key``, evicting the least recently used entry if full."""
        data = self._data
        if key in data:
            data.move_to_end(key)
        data[key] = value
        if len(data) > self.max_size:
            data.popitem(last=False)
            self.evicted += 1

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def items(self) -> Iterator[tuple[K, V]]:
        """Entries from least to most recently used."""
        return iter(list(self._data.items()))


class DedupWindow:
    """Remembers event ids seen within the last ``window`` seconds, at most ``max_ids`` of them.

    Ids are kept in arrival order with the time they were first seen; expired ids are dropped
    from the front on every call, and when the cap is reached the oldest id goes even if it is
    still inside the window (memory beats completeness under a flood).
    """

    def __init__(self, window: float = 600.0, max_ids: int = 100_000) -> None:
        """``window`` seconds of memory (10 minutes covers typical broker redelivery delays);
        ``max_ids`` caps memory (~100 bytes an id, so ~10 MB at the default)."""
        if window <= 0 or max_ids < 1:
            raise ValueError("window must be positive and max_ids at least 1")
        self.window = window
        self.max_ids = max_ids
        self._seen: OrderedDict[Hashable, float] = OrderedDict()
        self.evicted = 0  # ids dropped by the cap before their window ended

    def seen(self, key: Hashable, now: float) -> float | None:
        """Record ``key`` at ``now``; return when it was first seen if it is a duplicate, else None."""
        seen = self._seen
        horizon = now - self.window
        # Arrival order is (nearly) time order, so expired entries sit at the front.
        while seen:
            first_time = next(iter(seen.values()))
            if first_time >= horizon:
                break
            seen.popitem(last=False)
        previous = seen.get(key)
        if previous is not None:
            return previous
        seen[key] = now
        if len(seen) > self.max_ids:
            seen.popitem(last=False)
            self.evicted += 1
        return None

    def __len__(self) -> int:
        return len(self._seen)


class RateCounter:
    """Per-type counts per minute over the last ``minutes`` minutes (a ring per type).

    At most ``max_types`` types are tracked (least recently seen dropped first) because type
    names come from the traffic and an attacker could invent millions of them.
    """

    def __init__(self, minutes: int = 60, max_types: int = 1_000) -> None:
        """Keep ``minutes`` one-minute buckets (an hour of sparkline) for up to ``max_types`` types."""
        if minutes < 1:
            raise ValueError("minutes must be at least 1")
        self.minutes = minutes
        # type -> (ring of counts, minute number of each slot)
        self._rings: BoundedLRU[str, tuple[list[int], list[int]]] = BoundedLRU(max_types)

    def add(self, type_: str, now: float, count: int = 1) -> None:
        """Count ``count`` events of ``type_`` in the minute containing ``now``."""
        minute = int(now // 60)
        ring = self._rings.get(type_)
        if ring is None:
            ring = ([0] * self.minutes, [-1] * self.minutes)
            self._rings.set(type_, ring)
        counts, stamps = ring
        slot = minute % self.minutes
        if stamps[slot] != minute:
            stamps[slot] = minute
            counts[slot] = 0
        counts[slot] += count

    def series(self, type_: str, now: float) -> list[int]:
        """Counts for ``type_``, oldest minute first, ending with the minute containing ``now``."""
        ring = self._rings.get(type_)
        current = int(now // 60)
        out = [0] * self.minutes
        if ring is None:
            return out
        counts, stamps = ring
        for i in range(self.minutes):
            minute = current - self.minutes + 1 + i
            slot = minute % self.minutes
            if stamps[slot] == minute:
                out[i] = counts[slot]
        return out

    def types(self) -> list[str]:
        """The tracked types, least recently seen first."""
        return [t for t, _ in self._rings.items()]

    def __len__(self) -> int:
        return len(self._rings)


class SampleStore:
    """The last ``per_type`` payloads seen for each type, for at most ``max_types`` types."""

    def __init__(self, per_type: int = 20, max_types: int = 1_000) -> None:
        """20 samples a type is enough to inspect and to infer a schema from, and bounded."""
        if per_type < 1:
            raise ValueError("per_type must be at least 1")
        self.per_type = per_type
        self._samples: BoundedLRU[str, deque[Any]] = BoundedLRU(max_types)

    def add(self, type_: str, payload: Any) -> None:
        """Keep ``payload`` as the newest sample of ``type_``."""
        ring = self._samples.get(type_)
        if ring is None:
            ring = deque(maxlen=self.per_type)
            self._samples.set(type_, ring)
        ring.append(payload)

    def get(self, type_: str) -> list[Any]:
        """Samples of ``type_``, oldest first (empty if none)."""
        ring = self._samples.get(type_)
        return list(ring) if ring is not None else []

    def types(self) -> list[str]:
        """The types with samples, least recently seen first."""
        return [t for t, _ in self._samples.items()]

    def __len__(self) -> int:
        return len(self._samples)
