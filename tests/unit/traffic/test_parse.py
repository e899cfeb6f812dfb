"""Parsing the CloudEvents HTTP binding (structured, binary, batch) and the brief's envelope."""
from __future__ import annotations

import datetime as dt

import orjson
import pytest
from cloudevents.core.bindings import http as core_http
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as CoreCloudEvent
from cloudevents.v1.conversion import to_binary, to_structured
from cloudevents.v1.http import CloudEvent

from designer.core.traffic import (
    ObservedEvent,
    ParseError,
    TooManyEvents,
    UnsupportedMediaType,
    event_from_dict,
    parse_event,
    parse_request,
)

from .builders import brief, ce, valid_order

ATTRS = {
    "type": "com.shop.order.placed", "source": "/services/orders", "id": "evt-42",
    "time": "2024-05-01T10:00:00Z", "subject": "order 7%", "correlationid": "corr-9",
    "causationid": "evt-41", "partitionkey": "order-7", "sequence": "12",
}


def sdk_event() -> CloudEvent:
    return CloudEvent(dict(ATTRS), valid_order())


def assert_normalised(event: ObservedEvent) -> None:
    assert event.id == "evt-42"
    assert event.type == "com.shop.order.placed"
    assert event.source == "/services/orders"
    assert event.specversion == "1.0"
    assert event.subject == "order 7%"
    assert event.correlation_id == "corr-9"
    assert event.causation_id == "evt-41"
    assert event.partition_key == "order-7"
    assert event.sequence == "12"
    assert event.data == valid_order()
    assert event.envelope == "cloudevents"
    assert event.timestamp == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC).timestamp()


def test_it_parses_a_structured_cloudevent_made_by_the_sdk() -> None:
    headers, body = to_structured(sdk_event())
    parsed = parse_request(body, headers)
    assert parsed.mode == "structured"
    assert_normalised(parsed.events[0])


def test_it_parses_a_binary_cloudevent_made_by_the_sdk() -> None:
    headers, body = to_binary(sdk_event())
    headers = {**headers, "Content-Type": "application/json"}
    parsed = parse_request(body, headers)
    assert parsed.mode == "binary"
    assert_normalised(parsed.events[0])
    assert parsed.events[0].datacontenttype == "application/json"


def test_it_decodes_percent_encoded_binary_headers_from_the_core_sdk() -> None:
    event = CoreCloudEvent({**ATTRS, "specversion": "1.0", "datacontenttype": "application/json",
                            "time": dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)}, valid_order())
    message = core_http.to_binary(event, JSONFormat())
    assert "%25" in message.headers["ce-subject"]  # the SDK really did percent-encode
    parsed = parse_event(message.body, message.headers)
    assert_normalised(parsed)


def test_it_parses_a_structured_cloudevent_from_the_core_sdk() -> None:
    event = CoreCloudEvent({**ATTRS, "specversion": "1.0", "datacontenttype": "application/json",
                            "time": dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)}, valid_order())
    message = core_http.to_structured(event, JSONFormat())
    assert_normalised(parse_event(message.body, message.headers))


def test_binary_mode_without_content_type_reads_json_data() -> None:
    headers, body = to_binary(sdk_event())
    assert "content-type" not in {k.lower() for k in headers}
    assert parse_event(body, headers).data == valid_order()


def test_binary_mode_keeps_text_data_as_a_string() -> None:
    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t",
               "content-type": "text/plain; charset=utf-8"}
    event = parse_event("héllo".encode(), headers)
    assert event.data == "héllo"
    assert event.datacontenttype == "text/plain; charset=utf-8"


def test_binary_mode_carries_opaque_data_as_base64() -> None:
    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t",
               "content-type": "application/octet-stream"}
    event = parse_event(b"\x00\x01\x02", headers)
    assert event.data == "AAEC"
    assert event.raw["data_base64"] == "AAEC"


def test_binary_mode_names_the_missing_header_attribute() -> None:
    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-type": "t", "content-type": "application/json"}
    with pytest.raises(ParseError, match="missing required CloudEvents attribute 'source'"):
        parse_request(b"{}", headers)


def test_binary_mode_reports_bad_json_data() -> None:
    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t",
               "content-type": "application/json"}
    with pytest.raises(ParseError, match="malformed JSON"):
        parse_request(b"{nope", headers)


def test_it_parses_a_batch_of_sdk_events() -> None:
    bodies = [orjson.loads(to_structured(CloudEvent({**ATTRS, "id": f"e{i}"}, valid_order()))[1])
              for i in range(3)]
    parsed = parse_request(orjson.dumps(bodies), {"Content-Type": "application/cloudevents-batch+json"})
    assert parsed.mode == "batch"
    assert [e.id for e in parsed.events] == ["e0", "e1", "e2"]
    assert parsed.errors == []


def test_a_bad_event_in_a_batch_does_not_reject_the_others() -> None:
    good = ce()
    bad = ce()
    del bad["type"]
    parsed = parse_request(orjson.dumps([good, bad, 7]), {"content-type": "application/cloudevents-batch+json"})
    assert len(parsed.events) == 1
    errors = parsed.errors
    assert [e.index for e in errors] == [1, 2]
    assert "event 1: missing required CloudEvents attribute 'type'" == errors[0].reason
    assert "must be a JSON object" in errors[1].reason


def test_a_batch_that_is_not_an_array_is_rejected() -> None:
    with pytest.raises(ParseError, match="a batch must be a JSON array, got an object"):
        parse_request(orjson.dumps(ce()), {"content-type": "application/cloudevents-batch+json"})


def test_a_batch_over_the_limit_is_too_large() -> None:
    with pytest.raises(TooManyEvents) as info:
        parse_request(orjson.dumps([ce()] * 5), {"content-type": "application/cloudevents-batch+json"},
                      max_batch=4)
    assert info.value.status == 413
    assert "limit is 4" in info.value.reason


def test_it_parses_the_brief_envelope_as_plain_json() -> None:
    parsed = parse_request(orjson.dumps(brief(correlationId="c1", partitionKey="k", sequence=3)),
                           {"Content-Type": "application/json; charset=utf-8"})
    assert parsed.mode == "brief"
    event = parsed.events[0]
    assert (event.id, event.type, event.source, event.version) == ("evt-1", "com.shop.order.placed", "orders", "1.0.0")
    assert event.envelope == "brief"
    assert event.correlation_id == "c1"
    assert event.partition_key == "k"
    assert event.sequence == "3"
    assert event.data == valid_order()
    assert event.timestamp is not None


def test_a_json_array_of_brief_envelopes_is_a_batch() -> None:
    parsed = parse_request(orjson.dumps([brief(), brief(eventId="evt-2")]), {"content-type": "application/json"})
    assert parsed.mode == "batch"
    assert [e.id for e in parsed.events] == ["evt-1", "evt-2"]


@pytest.mark.parametrize("field", ["eventId", "eventType", "source", "timestamp", "version"])
def test_the_brief_envelope_names_its_missing_field(field: str) -> None:
    env = brief()
    del env[field]
    with pytest.raises(ParseError, match=f"missing required envelope field '{field}'"):
        parse_request(orjson.dumps(env), {"content-type": "application/json"})


@pytest.mark.parametrize("attr", ["specversion", "id", "source", "type"])
def test_a_structured_event_names_its_missing_attribute(attr: str) -> None:
    event = ce()
    del event[attr]
    with pytest.raises(ParseError, match=f"missing required CloudEvents attribute '{attr}'"):
        parse_request(orjson.dumps(event), {"content-type": "application/cloudevents+json"})


def test_plain_json_with_a_specversion_is_read_as_a_cloudevent() -> None:
    event = parse_event(orjson.dumps(ce()), {"content-type": "application/json"})
    assert event.envelope == "cloudevents"


def test_bad_json_reports_its_position() -> None:
    with pytest.raises(ParseError) as info:
        parse_request(b'{"id": "1",\n  "type": }', {"content-type": "application/cloudevents+json"})
    assert info.value.status == 400
    assert "malformed JSON at line 2 column" in info.value.reason


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_a_wrong_content_type_is_unsupported_media(content_type: str) -> None:
    with pytest.raises(UnsupportedMediaType) as info:
        parse_request(b"{}", {"content-type": content_type} if content_type else {})
    assert info.value.status == 415
    assert "unsupported content type" in info.value.reason


def test_a_non_utf8_cloudevents_charset_is_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType):
        parse_request(b"{}", {"content-type": "application/cloudevents+json; charset=latin-1"})


def test_an_unknown_specversion_is_rejected() -> None:
    with pytest.raises(ParseError, match="unsupported CloudEvents specversion '0.3'"):
        event_from_dict(ce(specversion="0.3"))


def test_a_time_that_is_not_rfc3339_is_rejected() -> None:
    with pytest.raises(ParseError, match="'time' is not an RFC 3339 timestamp"):
        event_from_dict(ce(time="yesterday"))


def test_a_non_string_id_is_rejected() -> None:
    with pytest.raises(ParseError, match="'id' must be a string"):
        event_from_dict(ce(id=7))


def test_data_and_data_base64_together_are_rejected() -> None:
    with pytest.raises(ParseError, match="not both"):
        event_from_dict(ce(data_base64="AAEC"))


def test_a_structured_event_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(ParseError, match="got an array"):
        parse_request(b"[]", {"content-type": "application/cloudevents+json"})


def test_parse_event_refuses_a_batch() -> None:
    with pytest.raises(ParseError, match="expected a single event"):
        parse_event(orjson.dumps([ce()]), {"content-type": "application/cloudevents-batch+json"})
