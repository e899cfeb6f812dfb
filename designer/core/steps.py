"""Flow steps written as sentences: "order-service sends OrderPlaced", "payment-service receives it".

The flow page takes a step as one line typed at the keyboard. ``parse_step`` reads it into a
``StepSentence`` (service, action, message, the message kind when the sentence names one), and
``suggest_kind`` guesses the kind of a message that does not exist yet from its name, so a new
``PlaceOrder`` becomes a command and ``GetOrderStatus`` a query. ``step_suggestions`` offers the
sentences worth typing next (what the model's relations say, and "X receives it" for the
consumers of the last message). Pure: no Django, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from designer.core import naming
from designer.core.lint.engine import lint
from designer.core.lint.finding import Finding
from designer.core.model import MESSAGE_KINDS, FlowStep, Message, Model, Relation, Service

# Verbs a sentence may use, and the step action each means.
VERBS: dict[str, str] = {
    "sends": "sends", "send": "sends", "publishes": "sends", "publish": "sends", "emits": "sends",
    "produces": "sends", "raises": "sends", "issues": "sends", "asks": "sends",
    "receives": "receives", "receive": "receives", "consumes": "receives", "handles": "receives",
    "gets": "receives", "answers": "receives", "reacts": "receives",
}
# "reacts to X", "asks for X": a small word between the verb and the message is skipped.
_FILLERS = frozenset({"to", "for", "on", "the", "a", "an"})
_IT = frozenset({"it", "that", "this"})


class StepSyntaxError(ValueError):
    """A sentence that is not "<service> sends|receives <message>"; the text says how to write it."""


@dataclass(frozen=True)
class StepSentence:
    """One step read from a sentence; ``kind`` is "" when the sentence does not name one."""

    service: str
    action: str  # "sends" | "receives"
    message: str
    kind: str = ""


HOW = "Write a step as “order-service sends OrderPlaced” or “payment-service receives it”."


def parse_step(text: str, previous_message: str = "") -> StepSentence:
    """Read "<service> <verb> [event|command|query] <message|it>".

    ``it`` (or "that") stands for ``previous_message``, the message of the flow's last step.
    Raises ``StepSyntaxError`` with a message a person can act on.
    """
    words = text.split()
    if not words:
        raise StepSyntaxError(HOW)
    verb_at = next((i for i, w in enumerate(words) if i > 0 and w.lower() in VERBS), -1)
    if verb_at < 0:
        raise StepSyntaxError(f"No “sends” or “receives” in that step. {HOW}")
    service = " ".join(words[:verb_at])
    action = VERBS[words[verb_at].lower()]
    rest = words[verb_at + 1:]
    while rest and rest[0].lower() in _FILLERS and len(rest) > 1:
        rest = rest[1:]
    kind = ""
    if rest and rest[0].lower() in MESSAGE_KINDS and len(rest) > 1:
        kind, rest = rest[0].lower(), rest[1:]
    message = " ".join(rest)
    if not message:
        raise StepSyntaxError(f"Which message does {service} {action}? {HOW}")
    if message.lower() in _IT:
        if not previous_message:
            raise StepSyntaxError("“it” stands for the message of the step before; this is the first step, so name the message.")
        message = previous_message
    return StepSentence(service=service, action=action, message=message, kind=kind)


def suggest_kind(name: str) -> str:
    """The kind a new message's name suggests: a query verb, a past tense, an imperative."""
    if naming.query_verb(name).ok:
        return "query"
    if naming.event_tense(name).ok:
        return "event"
    if naming.command_mood(name).ok:
        return "command"
    return "event"


def step_suggestions(model: Model, flow: str, limit: int = 40) -> list[str]:
    """Sentences worth typing next in ``flow``: consumers of its last message first ("X receives
    it"), then every relation of the model that is not a step of the flow yet."""
    f = next((fl for fl in model.flows if fl.name == flow), None)
    done = {(s.service, s.action, s.message) for s in f.steps} if f else set()
    last = f.steps[-1].message if f and f.steps else ""
    out: list[str] = []
    for r in model.relations:
        action = "sends" if r.role == "produces" else "receives"
        if (r.service, action, r.message) in done:
            continue
        if r.message == last and action == "receives":
            out.insert(0, f"{r.service} receives it")
        else:
            out.append(f"{r.service} {action} {r.message}")
    return out[:limit]


# Findings about completing a brand-new element (its owner, its schema) are not about the step.
_NOT_ABOUT_THE_STEP = frozenset({"owner-and-docs-required", "message-schema-required"})


def step_findings(model: Model, flow: str, step: StepSentence, kind: str) -> list[Finding]:
    """What lint would newly report if ``step`` were added to ``flow`` (with the relation it
    implies, and the service or message it creates): the lint hints shown while typing a step.

    Only the neighbourhood of the step is linted — its message with every relation to it, the
    services those name and the flow — before and after, so this stays cheap on a large team.
    """
    role = "produces" if step.action == "sends" else "consumes"
    message = model.messages_by_name.get(step.message) or Message(name=step.message, kind=kind)
    relations = [r for r in model.relations if r.message == step.message]
    names = {step.service, *(r.service for r in relations)}
    services = tuple(model.services_by_name.get(n) or Service(name=n) for n in sorted(names))
    flows = tuple(f for f in model.flows if f.name == flow)
    before = replace(model, services=tuple(s for s in services if s.name in model.services_by_name),
                     messages=(message,) if step.message in model.messages_by_name else (),
                     relations=tuple(relations), flows=flows, channels=model.channels)
    added = [] if any(r.service == step.service and r.role == role for r in relations) else [
        Relation(step.service, step.message, role)]
    after = replace(model, services=services, messages=(message,), relations=(*relations, *added),
                    flows=tuple(replace(f, steps=(*f.steps, FlowStep(step.service, step.message, step.action)))
                                for f in flows), channels=model.channels)
    seen = {f.fingerprint for f in lint(before)}
    return [f for f in lint(after) if f.fingerprint not in seen and f.rule not in _NOT_ABOUT_THE_STEP]
