"""Naming findings on imported AsyncAPI documents: only on names their authors wrote, each
message judged as what it is (a reply as a reply, a request as its query or command), and a
rename of a released wire-level name reported as a breaking change instead of a fix."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from designer.cli.localfiles import files_for
from designer.core.formats import load_files
from designer.core.lint.engine import lint
from designer.core.lint.finding import Finding
from designer.core.model import Message, Model

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "asyncapi_real"
NAMING = {"event-name-past-tense", "command-name-imperative", "query-name-retrieval", "event-name-command-shaped",
          "event-name-no-before-after", "naming-casing-consistent"}


def load(doc: str) -> Model:
    path = REAL / doc
    files, main = files_for(path, path.read_bytes())
    return load_files(files, main=main)


def naming(model: Model) -> list[Finding]:
    return [f for f in lint(model, strict=True) if f.rule in NAMING]


def release(model: Model, *names: str) -> Model:
    def released(m: Message) -> Message:
        if m.name not in names:
            return m
        return dataclasses.replace(m, versions=tuple(dataclasses.replace(v, status="released") for v in m.versions))

    return dataclasses.replace(model, messages=tuple(released(m) for m in model.messages))


def test_replies_and_requests_of_a_request_reply_api_are_not_told_to_be_past_tense() -> None:
    model = load("asyncapi+spec@v3.0.0/examples/kraken-websocket-request-reply-multiple-channels-asyncapi.yml")
    judged = {f.element for f in naming(model) if f.rule != "naming-casing-consistent"}
    assert not judged & {"ping", "pong", "subscriptionStatus", "dummyCurrencyInfo", "subscribe", "unsubscribe"}


def test_names_nobody_gave_a_message_are_not_judged() -> None:
    model = load("asyncapi+spec@v2.6.0/examples/rpc-client.yml")  # anonymous messages named after operations
    assert {m.name for m in model.messages} == {"requestSum", "receiveSumResult"}
    assert naming(model) == []


def test_a_command_named_with_a_phrasal_verb_is_a_command_with_a_fine_name() -> None:
    model = load("asyncapi+spec@v3.0.0/examples/streetlights-mqtt-asyncapi.yml")
    assert model.messages_by_name["turnOnOff"].kind == "command"
    assert [f for f in naming(model) if f.element == "turnOnOff"] == []


def test_a_tense_rename_is_a_fix_while_draft_and_a_breaking_change_once_released() -> None:
    model = load("asyncapi+spec@v2.6.0/examples/slack-rtm.yml")
    draft = next(f for f in naming(model) if f.element == "channelArchive" and f.rule == "event-name-past-tense")
    assert draft.fix is not None and draft.fix.value == "channelArchived"
    released = next(f for f in naming(release(model, "channelArchive"))
                    if f.element == "channelArchive" and f.rule == "event-name-past-tense")
    assert released.fix is None
    assert "breaking change" in released.message and "released version 1.0.0" in released.message


def test_a_casing_fix_on_a_released_payload_name_is_reported_as_breaking() -> None:
    model = load("asyncapi+spec@v3.0.0/examples/kraken-websocket-request-reply-multiple-channels-asyncapi.yml")
    before = [f for f in naming(model) if f.rule == "naming-casing-consistent" and f.element == "subscribe"]
    assert before and all("write it" in f.message for f in before)
    after = [f for f in naming(release(model, "subscribe")) if f.rule == "naming-casing-consistent"
             and f.element == "subscribe"]
    assert after and all(f.fix is None and "breaking change" in f.message for f in after)


def test_a_channel_carrying_a_released_message_is_not_offered_a_rename() -> None:
    model = load("springwolf+springwolf-core/springwolf-examples/springwolf-amqp-example/src/test/resources/asyncapi.yaml")
    flagged = [f for f in naming(model) if f.kind == "channel" and f.fix is not None]
    assert flagged, "the corpus document has an off-style channel name"
    channel = flagged[0].element
    on_it = [m.name for m in model.messages
             if any(r.channel == channel for r in (*model.producers(m.name), *model.consumers(m.name)))]
    again = [f for f in naming(release(model, *on_it)) if f.kind == "channel" and f.element == channel]
    assert again and again[0].fix is None and "breaking change" in again[0].message


def test_topic_levels_and_parameters_are_not_taken_for_casing() -> None:
    # MQTT topics (smartylighting/streetlights/1/0/action/{streetlightId}/dim) beside a dotted
    # channel (some.channel): "/" and "." both separate levels, {streetlightId} is a parameter.
    model = load("asyncapi+html-template/test/spec/asyncapi_v3.yml")
    assert any("/" in c.name for c in model.channels) and any("." in c.name for c in model.channels)
    assert [f for f in naming(model) if f.kind == "channel"] == []


def test_a_message_named_with_a_verb_of_saying_is_a_command() -> None:
    # sayHello (received by the application) and a WebSocket echo server's echo: requests to do
    # something, not facts to be put in the past tense.
    for doc, name in (("lerenn+asyncapi-codegen/test/v3/issues/190/asyncapi.yaml", "sayHello"),
                      ("asyncapi+generator/apps/generator/test/docs/ws.yml", "echo")):
        model = load(doc)
        assert model.messages_by_name[name].kind == "command"
        assert [f.message for f in naming(model) if f.element == name] == []


def test_single_letter_codes_of_a_real_api_are_not_casing_findings() -> None:
    model = load("asyncapi+spec@v2.0.0/examples/2.0.0/slack-rtm.yml")
    assert [f.message for f in naming(model) if f.rule == "naming-casing-consistent"] == []
    assert any(f.rule == "event-name-past-tense" and f.element == "channelArchive" for f in naming(model))
