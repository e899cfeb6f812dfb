"""Per-client bounded queues: a stuck client loses its oldest frames, counted; others do not."""
from __future__ import annotations

import orjson

from designer.traffic.fanout import Client, TeamHub


def frame(first: int, n: int) -> list[dict[str, object]]:
    return [{"id": first + i, "type": "event", "event_id": f"e{first + i}"} for i in range(n)]


async def test_a_stuck_client_drops_its_oldest_frames_and_is_told_how_many() -> None:
    hub = TeamHub(1)
    stuck, healthy = Client(max_frames=3), Client(max_frames=3)
    hub.join(stuck)
    hub.join(healthy)
    sent = []
    for k in range(5):
        hub.dispatch(frame(1 + 10 * k, 10))
        text = healthy.take()
        assert text is not None
        sent.append(orjson.loads(text))
    assert [len(b["messages"]) for b in sent] == [10] * 5 and all(b["dropped"] == 0 for b in sent)
    late = orjson.loads(stuck.take() or "")
    assert late["dropped"] == 20
    assert [m["id"] for m in late["messages"]][0] == 21 and len(late["messages"]) == 30


async def test_a_frame_delivered_twice_is_sent_once() -> None:
    hub = TeamHub(1)
    c = Client()
    hub.join(c)
    hub.dispatch(frame(1, 3))
    hub.dispatch(frame(1, 3))
    assert len(orjson.loads(c.take() or "")["messages"]) == 3
    assert c.take() is None


async def test_resuming_beyond_the_buffer_reports_a_gap() -> None:
    hub = TeamHub(1)
    hub.buffer = type(hub.buffer)(maxlen=5)
    hub.dispatch(frame(1, 10))
    c = Client()
    replayed, gap = hub.resume(c, 2)
    assert (replayed, gap) == (5, True)
    replayed, gap = hub.resume(Client(), 7)
    assert (replayed, gap) == (3, False)
