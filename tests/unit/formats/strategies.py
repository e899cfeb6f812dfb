"""Hypothesis strategies for whole models, hostile names included (round-trip tests)."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from designer.core.formats.native import LINT_LEVELS, OUTBOX_MODES, STEP_ACTIONS
from designer.core.model import (
    BROKERS,
    COMPAT_MODES,
    DELIVERY_GUARANTEES,
    ENVELOPE_PROFILES,
    FLOW_STYLES,
    MESSAGE_KINDS,
    VERSION_STATUSES,
    Channel,
    Envelope,
    Flow,
    FlowStep,
    LintConfig,
    Message,
    Model,
    Relation,
    Service,
    Version,
)
from designer.core.schema_compile import schema_problems

# Names that break naive writers: markup, SQL, YAML specials, numbers, spaces, unicode.
HOSTILE = [
    "<script>alert(1)</script>", "'; DROP TABLE services; --", "yes", "no", "on", "off", "null",
    "~", "true", "False", ":", "a: b", "#", "# comment", "- item", "  leading spaces",
    "trailing ", "123", "1.0", "0x1F", "1e3", "-", "?", "&anchor", "*alias", "!tag", "|", ">",
    "@", "`", "%", "{}", "[]", '"', "'", "\\", "<<", "=", "Ünïcödé", "注文", "🚀 rocket",
    "tab\there", "line\nbreak", "para\u2028sep", "\x85nel", "cr\rlf", "zero\u200bwidth", "\ufeffbom", ".inf", "NaN",
    "2025-03-15", "12:30", "---", "...", "x-not-an-extension",
]

_chars = st.characters(blacklist_categories=("Cs",))
free_text = st.text(_chars, max_size=12)
names = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(_chars, min_size=1, max_size=12).filter(lambda s: s.strip() != ""),
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), free_text, st.sampled_from(HOSTILE),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(free_text, st.sampled_from(HOSTILE)), inner, max_size=3),
    ),
    max_leaves=8,
)
# Any mapping the readers accept as a schema: they refuse what the schema compiler calls unusable
# (a keyword with a value of the wrong kind, such as {"else": null}).
schemas = st.one_of(
    st.booleans(),
    st.dictionaries(st.one_of(free_text, st.sampled_from(HOSTILE)), json_values, max_size=4),
).filter(lambda s: not schema_problems(s))
extensions = st.dictionaries(st.text(_chars, max_size=6).map(lambda s: "x-" + s), json_values, max_size=2)


def _unique_names(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(names, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def models(draw: st.DrawFn) -> Model:
    """A valid model: references resolve, names are unique per kind, anything else goes."""
    service_names = draw(_unique_names(0, 4))
    services = tuple(
        Service(
            name=n,
            description=draw(free_text),
            owner=draw(free_text),
            repository=draw(free_text),
            language=draw(free_text),
            writes_database=draw(st.booleans()),
            outbox=draw(st.sampled_from(("",) + OUTBOX_MODES)),
            extensions=draw(extensions),
        )
        for n in service_names
    )
    channel_names = draw(_unique_names(0, 3))
    channels = tuple(
        Channel(
            name=n,
            broker=draw(st.sampled_from(BROKERS)),
            description=draw(free_text),
            owner=draw(free_text),
            partition_key=draw(free_text),
            ordered=draw(st.booleans()),
            delivery=draw(st.sampled_from(DELIVERY_GUARANTEES)),
            extensions=draw(extensions),
        )
        for n in channel_names
    )
    channel_choice = st.sampled_from([""] + channel_names)
    # Relations may name services that are not listed: the loader creates them.
    related_service = st.one_of(st.sampled_from(service_names), names) if service_names else names
    messages: list[Message] = []
    relations: list[Relation] = []
    for n in draw(_unique_names(0, 4)):
        version_names = draw(st.lists(
            st.one_of(st.sampled_from(["1.0.0", "1.1.0", "2.0.0"]), names), max_size=3, unique=True))
        versions = tuple(
            Version(
                version=v,
                schema=draw(st.one_of(st.none(), schemas)),
                status=draw(st.sampled_from(VERSION_STATUSES)),
                example=draw(json_values),
                compat=draw(st.sampled_from(("",) + COMPAT_MODES)),
            )
            for v in version_names
        )
        messages.append(Message(
            name=n,
            kind=draw(st.sampled_from(MESSAGE_KINDS)),
            type=draw(free_text),
            description=draw(free_text),
            owner=draw(free_text),
            channel=draw(channel_choice),
            versions=versions,
            extensions=draw(extensions),
        ))
        for role in ("produces", "consumes"):
            seen: set[tuple[str, str]] = set()
            for _ in range(draw(st.integers(0, 3))):
                rel = Relation(
                    service=draw(related_service),
                    message=n,
                    role=role,
                    channel=draw(channel_choice),
                    idempotent=draw(st.booleans()) if role == "consumes" else False,
                    dedup_key=draw(free_text) if role == "consumes" else "",
                    version=draw(st.sampled_from([""] + version_names)) if role == "consumes" else "",
                )
                if (rel.service, rel.channel) not in seen:
                    seen.add((rel.service, rel.channel))
                    relations.append(rel)
    all_services = list(dict.fromkeys(service_names + [r.service for r in relations]))
    flows: list[Flow] = []
    if all_services and messages:
        for n in draw(_unique_names(0, 2)):
            steps = tuple(
                FlowStep(
                    service=draw(st.sampled_from(all_services)),
                    message=draw(st.sampled_from([m.name for m in messages])),
                    action=draw(st.sampled_from(STEP_ACTIONS)),
                    note=draw(free_text),
                )
                for _ in range(draw(st.integers(0, 3)))
            )
            flows.append(Flow(
                name=n,
                description=draw(free_text),
                style=draw(st.sampled_from(FLOW_STYLES)),
                orchestrator=draw(st.sampled_from([""] + all_services)),
                steps=steps,
            ))
    profile = draw(st.sampled_from(ENVELOPE_PROFILES))
    envelope_schema = draw(schemas) if profile == "custom" else draw(st.one_of(st.none(), schemas))
    return Model(
        name=draw(free_text),
        description=draw(free_text),
        services=services,
        messages=tuple(messages),
        channels=channels,
        relations=tuple(relations),
        flows=tuple(flows),
        envelope=Envelope(profile=profile, schema=envelope_schema),
        lint=LintConfig(
            severities=draw(st.dictionaries(names, st.sampled_from(LINT_LEVELS), max_size=3)),
            options=draw(st.dictionaries(names, st.dictionaries(free_text, json_values, max_size=2), max_size=2)),
        ),
        default_compat={k: draw(st.sampled_from(COMPAT_MODES)) for k in MESSAGE_KINDS},
    )
