"""``manage.py simulate`` and ``manage.py tap`` end to end, on the test database."""
from __future__ import annotations

import os
import threading
import time
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from designer.traffic.models import KeptFinding, TrafficCounter
from tests.integration.traffic.taps_kit import body
from tests.services_up import reachable

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_simulate_plays_the_model_with_faults_into_the_pipeline(shop: Any) -> None:
    team, _, _ = shop()
    out = StringIO()
    call_command("simulate", "--team", team.slug, "--rate", "500", "--count", "120", "--faults", "0.5",
                 "--seed", "3", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("sent 12") and "with injected faults" in line
    assert sum(TrafficCounter.objects.filter(team=team).values_list("events", flat=True)) >= 120
    kinds = set(KeptFinding.objects.filter(team=team).values_list("kind", flat=True))
    assert {"undeclared-type", "duplicate-id"} <= kinds


def test_simulate_plays_one_flow(shop: Any) -> None:
    team, _, _ = shop()
    out = StringIO()
    call_command("simulate", "--team", team.slug, "--flow", "checkout", "--rate", "500", "--count", "9", stdout=out)
    types = set(TrafficCounter.objects.filter(team=team).values_list("message_type", flat=True))
    assert types <= {"com.shop.order.placed", "com.shop.payment.captured", "com.shop.shipment.dispatched"}
    assert "sent 9 events" in out.getvalue()


@pytest.mark.parametrize(("args", "says"), [
    (["--rate", "0"], "--rate must be between"),
    (["--rate", "5", "--faults", "2"], "--faults must be a probability"),
    (["--rate", "5", "--flow", "nope"], "no flow named 'nope'"),
])
def test_simulate_refuses_bad_arguments_with_exit_code_2(shop: Any, args: list[str], says: str) -> None:
    team, _, _ = shop()
    with pytest.raises(CommandError, match=says) as exc:
        call_command("simulate", "--team", team.slug, *args, "--count", "1")
    assert exc.value.returncode == 2


def test_tap_refuses_an_unknown_team_or_scheme_with_exit_code_2(shop: Any) -> None:
    team, _, _ = shop()
    for args, says in ((["redis://127.0.0.1:6379/6", "--team", "nope", "--stream", "s"], "no team"),
                       (["gopher://x", "--team", team.slug], "unsupported broker URL scheme")):
        with pytest.raises(CommandError, match=says) as exc:
            call_command("tap", *args, "--duration", "1")
        assert exc.value.returncode == 2


def test_tap_feeds_a_redis_stream_into_the_team_and_prints_its_status(shop: Any) -> None:
    import redis

    if not reachable("redis://127.0.0.1:6379", 6379):
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must run on 127.0.0.1 on CI")
        pytest.skip("Redis is not running on 127.0.0.1")
    team, _, _ = shop()
    stream = f"cmd-{uuid.uuid4().hex[:8]}"
    r = redis.Redis.from_url("redis://127.0.0.1:6379/6")

    def publish() -> None:
        time.sleep(1.5)  # after the tap connected (it reads new entries only)
        r.xadd(stream, {"event": body("c1")})
        r.xadd(stream, {"event": body("c1")})  # a redelivery: a duplicate id

    t = threading.Thread(target=publish)
    t.start()
    out = StringIO()
    try:
        call_command("tap", "redis://127.0.0.1:6379/6", "--team", team.slug, "--stream", stream,
                     "--count", "2", "--duration", "15", stdout=out)
    finally:
        t.join()
        r.delete(stream)
        r.close()
    text = out.getvalue()
    assert ": connecting" in text and ": connected" in text and ": stopped" in text
    assert "received 2 events (0 rejected, 1 findings, 0 reconnects)" in text
    assert KeptFinding.objects.filter(team=team, kind="duplicate-id").exists()
