"""Issue 12, replies: an AsyncAPI 3 operation's ``reply`` links the request to its reply message
(``Message.reply``) on import, and a model's reply is written back as the operation's ``reply``."""
from __future__ import annotations

from pathlib import Path

import yaml

from designer.core.formats import asyncapi, native

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"


def _replies(model: object) -> dict[str, str]:
    return {m.name: m.reply for m in model.messages if m.reply}  # type: ignore[attr-defined]


def test_a_real_request_reply_document_links_its_replies_and_round_trips_them() -> None:
    doc = REAL / "asyncapi+spec@v3.0.0" / "examples" / "kraken-websocket-request-reply-multiple-channels-asyncapi.yml"
    model = asyncapi.load(doc.read_text())
    assert _replies(model) == {"ping": "pong", "subscribe": "subscriptionStatus", "unsubscribe": "subscriptionStatus"}
    again = asyncapi.load(asyncapi.dump_yaml(model))
    assert _replies(again) == _replies(model)
    assert "reply: pong" in native.dump(again)  # and the design file carries it


def test_the_demo_query_is_exported_with_its_reply_and_read_back() -> None:
    demo = native.load((ROOT / "designer" / "catalog" / "demo" / "shop.yaml").read_text())
    text = asyncapi.dump_yaml(demo)
    ops = yaml.safe_load(text)["operations"]
    asker = ops["shipping-service.send.GetOrderStatus"]
    assert asker["reply"]["messages"] == [{"$ref": "#/channels/OrderStatusReported/messages/OrderStatusReported"}]
    responder = ops["order-service.receive.GetOrderStatus"]
    assert responder["reply"]["channel"] == {"$ref": "#/channels/OrderStatusReported"}
    assert _replies(asyncapi.load(text)) == {"GetOrderStatus": "OrderStatusReported"}
