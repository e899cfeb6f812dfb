"""A small builder of core models for diagram tests (no database, no file format)."""
from __future__ import annotations

from designer.core.model import Channel, Flow, FlowStep, Message, Model, Relation, Service

HOSTILE = '<script>alert(1)</script>'
BREAKOUT = '"]; evil ['


class ModelBuilder:
    """Collects services, messages, channels, relations and flows; ``build()`` freezes them."""

    def __init__(self, name: str = "shop") -> None:
        self.name = name
        self.services: dict[str, Service] = {}
        self.messages: dict[str, Message] = {}
        self.channels: dict[str, Channel] = {}
        self.relations: list[Relation] = []
        self.flows: list[Flow] = []

    def service(self, name: str, **kw: object) -> ModelBuilder:
        self.services[name] = Service(name, **kw)  # type: ignore[arg-type]
        return self

    def message(self, name: str, kind: str = "event", **kw: object) -> ModelBuilder:
        self.messages[name] = Message(name, kind, **kw)  # type: ignore[arg-type]
        return self

    def channel(self, name: str, **kw: object) -> ModelBuilder:
        self.channels[name] = Channel(name, **kw)  # type: ignore[arg-type]
        return self

    def sends(self, service: str, message: str, channel: str = "") -> ModelBuilder:
        self.services.setdefault(service, Service(service))
        self.messages.setdefault(message, Message(message))
        self.relations.append(Relation(service, message, "produces", channel=channel))
        return self

    def receives(self, service: str, message: str, channel: str = "") -> ModelBuilder:
        self.services.setdefault(service, Service(service))
        self.messages.setdefault(message, Message(message))
        self.relations.append(Relation(service, message, "consumes", channel=channel))
        return self

    def flow(self, name: str, steps: list[tuple[str, str, str]], style: str = "choreography",
             orchestrator: str = "") -> ModelBuilder:
        self.flows.append(Flow(name, style=style, orchestrator=orchestrator,
                               steps=tuple(FlowStep(s, m, a) for s, m, a in steps)))
        return self

    def build(self) -> Model:
        return Model(name=self.name, services=tuple(self.services.values()),
                     messages=tuple(self.messages.values()), channels=tuple(self.channels.values()),
                     relations=tuple(self.relations), flows=tuple(self.flows))


def shop() -> Model:
    """order -> OrderPlaced -> payment -> PaymentTaken -> shipping; a command and a query too."""
    return (
        ModelBuilder()
        .service("order-service", description="Takes orders", owner="sales")
        .service("payment-service", description="Takes payments", owner="finance")
        .service("shipping-service", description="Ships", owner="sales")
        .channel("orders", description="Order events", owner="sales")
        .channel("payments", broker="rabbitmq")
        .message("OrderPlaced", "event", description="An order was placed", channel="orders")
        .message("PaymentTaken", "event", channel="payments")
        .message("ShipOrder", "command", channel="orders")
        .message("GetOrder", "query")
        .sends("order-service", "OrderPlaced")
        .receives("payment-service", "OrderPlaced")
        .sends("payment-service", "PaymentTaken")
        .receives("shipping-service", "PaymentTaken")
        .sends("order-service", "ShipOrder")
        .receives("shipping-service", "ShipOrder")
        .sends("shipping-service", "GetOrder")
        .receives("order-service", "GetOrder")
        .flow("checkout", [("order-service", "OrderPlaced", "sends"),
                           ("payment-service", "OrderPlaced", "receives"),
                           ("payment-service", "PaymentTaken", "sends"),
                           ("order-service", "ShipOrder", "sends"),
                           ("shipping-service", "ShipOrder", "receives")],
              style="orchestration", orchestrator="order-service")
        .build()
    )


def hostile() -> Model:
    """Names and descriptions that try to break out of DOT strings, HTML labels and SVG."""
    return (
        ModelBuilder(name=BREAKOUT)
        .service(HOSTILE, description=BREAKOUT + "\n" + HOSTILE, owner=BREAKOUT)
        .service(BREAKOUT, description='back\\slash \\N \\G "quoted"', owner=HOSTILE)
        .message('Evil"Event\\', "event", description='<img src=x onerror=alert(1)>',
                 channel=BREAKOUT)
        .message("Multi\nLine\r\nName\x00\x07", "command")
        .channel(BREAKOUT, description=HOSTILE)
        .sends(HOSTILE, 'Evil"Event\\')
        .receives(BREAKOUT, 'Evil"Event\\')
        .sends(BREAKOUT, "Multi\nLine\r\nName\x00\x07")
        .receives(HOSTILE, "Multi\nLine\r\nName\x00\x07")
        .build()
    )
