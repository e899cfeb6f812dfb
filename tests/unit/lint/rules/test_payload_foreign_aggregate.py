from designer.core.lint.rules import payload_foreign_aggregate as rule
from designer.core.model import Service
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s, wire

CUSTOMER = obj(name=s(), tier=s())


def shop(schema: dict) -> list:  # type: ignore[type-arg]
    return [msg("OrderPlaced", schema=schema)]


def test_it_flags_an_entity_owned_by_a_service_named_after_it() -> None:
    m = model(shop(obj(orderId=s(), customer=CUSTOMER)), relations=wire("OrderPlaced", ["order-service"], []),
              services=[Service("customer-service")])
    (finding,) = run(rule, m)
    assert "customer-service" in finding.message and finding.path == "schema.properties.customer"


def test_it_learns_owners_from_single_producer_events_and_plurals() -> None:
    messages = shop(obj(products={"type": "array", "items": obj(title=s())}))
    messages.append(msg("ProductCreated", schema=obj(productId=s())))
    rels = wire("OrderPlaced", ["orders"], []) + wire("ProductCreated", ["catalog"], [])
    (finding,) = run(rule, model(messages, relations=rels))
    assert "catalog" in finding.message


def test_it_honours_an_explicit_x_owner() -> None:
    schema = obj(blob={**obj(a=s()), "x-owner": "billing"})
    found = run(rule, model(shop(schema), relations=wire("OrderPlaced", ["order-service"], [])))
    assert len(found) == 1


def test_it_passes_ids_and_own_entities() -> None:
    m = model(shop(obj(customerId=s(), order=obj(a=s()))), relations=wire("OrderPlaced", ["order-service"], []),
              services=[Service("customer-service")])
    assert run(rule, m) == []


def test_it_ignores_events_without_producers() -> None:
    assert run(rule, model(shop(obj(customer=CUSTOMER)), services=[Service("customer-service")])) == []
