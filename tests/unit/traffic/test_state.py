"""Bounded state: nothing grows past its cap, whatever the traffic."""
from __future__ import annotations

import pytest

from designer.core.traffic import TrafficChecker, event_from_dict
from designer.core.traffic_state import BoundedLRU, DedupWindow, RateCounter, SampleStore

from .builders import ce, checkout_model

NOW = 1_714_557_600.0


def test_a_hundred_thousand_ids_stay_under_the_cap() -> None:
    window = DedupWindow(window=3600, max_ids=10_000)
    for i in range(100_000):
        window.seen(f"id-{i}", NOW + i * 0.001)
    assert len(window) == 10_000
    assert window.evicted == 90_000
    assert window.seen("id-99999", NOW + 100) is not None  # the newest are still remembered
    assert window.seen("id-0", NOW + 100) is None  # the oldest were dropped


def test_expired_ids_are_dropped_as_time_passes() -> None:
    window = DedupWindow(window=10, max_ids=1_000)
    for i in range(100):
        window.seen(i, NOW)
    window.seen("later", NOW + 11)
    assert len(window) == 1


def test_the_checker_state_stays_bounded_under_a_flood() -> None:
    checker = TrafficChecker(checkout_model(), max_ids=1_000, max_partition_keys=500, max_types=50,
                             samples_per_type=2)
    for i in range(20_000):
        event = event_from_dict(ce(f"t{i % 200}", {}, id=f"e{i}", partitionkey=f"k{i}"))
        checker.check(event, NOW + i * 0.001)
    stats = checker.stats(NOW + 20)
    assert stats["tracked_ids"] <= 1_000
    assert stats["tracked_partitions"] <= 500
    assert len(checker.rates) <= 50
    assert len(checker.samples) <= 50
    assert all(len(checker.samples.get(t)) <= 2 for t in checker.samples.types())


def test_the_lru_drops_the_least_recently_used() -> None:
    lru: BoundedLRU[str, int] = BoundedLRU(2)
    lru.set("a", 1)
    lru.set("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.set("c", 3)
    assert "b" not in lru
    assert "a" in lru and "c" in lru
    assert lru.evicted == 1


def test_the_rate_ring_forgets_minutes_older_than_its_length() -> None:
    rates = RateCounter(minutes=3)
    rates.add("t", NOW)
    rates.add("t", NOW + 60, 4)
    assert rates.series("t", NOW + 60) == [0, 1, 4]
    assert rates.series("t", NOW + 60 * 10) == [0, 0, 0]
    assert rates.series("unknown", NOW) == [0, 0, 0]


def test_samples_keep_the_last_n() -> None:
    samples = SampleStore(per_type=2)
    for i in range(5):
        samples.add("t", i)
    assert samples.get("t") == [3, 4]


@pytest.mark.parametrize("make", [lambda: BoundedLRU(0), lambda: DedupWindow(0), lambda: RateCounter(0),
                                  lambda: SampleStore(0)])
def test_nonsense_limits_are_refused(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]
