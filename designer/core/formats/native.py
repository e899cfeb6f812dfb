"""The native design-as-code format: a team's model as one YAML (or JSON) document.

``load(text)`` reads and validates a document into a :class:`~designer.core.model.Model`;
``dump(model)`` writes the canonical document for a model. Canonical means deterministic:
fixed key order, elements sorted by name, default values left out, so that
``dump(load(dump(model))) == dump(model)`` holds for every model and a diff of two exports shows
only real changes. The format is described in docs/model-format.md.

Every problem in a document is a :class:`FormatError` with the line and column of the node at
fault and a message that says how to fix it.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from designer.core.model import (
    BROKERS,
    COMPAT_MODES,
    DELIVERY_GUARANTEES,
    ENVELOPE_PROFILES,
    FLOW_STYLES,
    MESSAGE_KINDS,
    SEVERITIES,
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

from . import schemacheck, yamlsafe
from .errors import FormatError
from .yamlsafe import Path, Positions

FORMAT_VERSION = 1
OUTBOX_MODES: tuple[str, ...] = ("outbox", "cdc")
STEP_ACTIONS: tuple[str, ...] = ("sends", "receives")
LINT_LEVELS: tuple[str, ...] = SEVERITIES + ("off",)
# The version a `schema`/`example` shorthand stands for (and is written back as shorthand).
SHORTHAND_VERSION = "1.0.0"
SHORTHAND_STATUS = "draft"
DEFAULT_COMPAT: dict[str, str] = dict(Model().default_compat)

# Allowed keys per element, in the order `dump` writes them.
TOP_KEYS = (
    "version", "name", "description", "envelope", "compatibility", "lint",
    "services", "channels", "messages", "flows",
)
SERVICE_KEYS = ("name", "description", "owner", "repository", "language", "writes_database", "outbox")
CHANNEL_KEYS = ("name", "broker", "description", "owner", "partition_key", "ordered", "delivery")
MESSAGE_KEYS = (
    "name", "kind", "type", "description", "owner", "channel",
    "producers", "consumers", "schema", "example", "versions",
)
VERSION_KEYS = ("version", "status", "compat", "schema", "example")
PRODUCER_KEYS = ("service", "channel")
CONSUMER_KEYS = ("service", "channel", "idempotent", "dedup_key", "version")
FLOW_KEYS = ("name", "description", "style", "orchestrator", "steps")
STEP_KEYS = ("service", "message", "action", "note")
ENVELOPE_KEYS = ("profile", "schema")
LINT_KEYS = ("severities", "options")


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def load(text: str | bytes, source: str = "<string>", *, max_bytes: int = yamlsafe.DEFAULT_MAX_BYTES) -> Model:
    """Parse and validate a native document into a Model (``Model.locations`` filled).

    Raises :class:`FormatError` with the line and column of the offending node.
    """
    try:
        data, positions = yamlsafe.parse(text, max_bytes=max_bytes)
    except FormatError as exc:
        exc.source = source
        raise
    return from_data(data, positions, source)


def from_data(data: Any, positions: Positions | None = None, source: str = "<string>") -> Model:
    """Validate already-parsed data (e.g. from ``yamlsafe.parse`` or ``json.loads``) into a Model.

    ``positions`` (optional) lets errors and ``Model.locations`` carry lines and columns.
    """
    return _Reader(positions or Positions(), source).model(data)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover - parse() yields JSON values only


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


@dataclass
class _Names:
    """Names declared so far in one section, with the path of each (for 'first at' hints)."""

    paths: dict[str, Path] = field(default_factory=dict)


class _Reader:
    """One validation pass over a parsed document; collects positions into locations."""

    def __init__(self, positions: Positions, source: str) -> None:
        self.pos = positions
        self.source = source
        self.locations: dict[str, tuple[int, int]] = {}

    # ---- errors ----------------------------------------------------------------------------
    def fail(self, reason: str, path: Path, *, at_key: bool = False) -> FormatError:
        where = self.pos.nearest(path) if at_key else self.pos.nearest_value(path)
        if where is None:
            return FormatError(reason, source=self.source)
        return FormatError(reason, where[0], where[1], source=self.source)

    def where(self, path: Path) -> str:
        found = self.pos.nearest(path)
        return f" (first at line {found[0]}, column {found[1]})" if found else ""

    def locate(self, key: str, path: Path, *, at_key: bool = False) -> None:
        found = self.pos.key(path) if at_key else self.pos.value(path) or self.pos.key(path)
        if found is not None:
            self.locations.setdefault(key, found)

    # ---- typed field access ----------------------------------------------------------------
    def mapping(self, value: Any, path: Path, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping, got {_kind_of(value)}", path)
        return value

    def seq(self, value: Any, path: Path, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list, got {_kind_of(value)}", path)
        return value

    def keys(
        self, data: dict[str, Any], path: Path, allowed: tuple[str, ...], what: str
    ) -> dict[str, Any]:
        """Refuse unknown keys; return the ``x-`` extension keys (in document order)."""
        extensions: dict[str, Any] = {}
        for key, value in data.items():
            if key in allowed:
                continue
            if key.startswith("x-"):
                extensions[key] = value
                continue
            raise self.fail(f"unknown key {key!r} in {what}{_suggest(key, allowed)}", path + (key,), at_key=True)
        return extensions

    def text(self, data: dict[str, Any], key: str, path: Path, what: str, *, required: bool = False) -> str:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(f"{what} has no {key!r}", path, at_key=True)
            return ""
        value = data[key]
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                hint = f" (quote it: '{value}')"
            elif isinstance(value, bool):
                hint = " (quote it: YAML reads yes/no/on/off/true/false as booleans)"
            raise self.fail(f"{key!r} of {what} must be a string, got {_kind_of(value)}{hint}", path + (key,))
        if required and not value.strip():
            raise self.fail(f"{key!r} of {what} must not be empty", path + (key,))
        return value

    def flag(self, data: dict[str, Any], key: str, path: Path, what: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(f"{key!r} of {what} must be true or false, got {_kind_of(value)}", path + (key,))
        return value

    def choice(
        self, data: dict[str, Any], key: str, path: Path, what: str, choices: tuple[str, ...], default: str
    ) -> str:
        value = self.text(data, key, path, what)
        if not value and (key not in data or data[key] is None):
            return default
        if value not in choices:
            raise self.fail(
                f"{key!r} of {what} is {value!r}; expected one of {_one_of(choices)}{_suggest(value, choices)}",
                path + (key,),
            )
        return value

    def name_of(self, item: Any, path: Path, noun: str, index: int, names: _Names) -> tuple[dict[str, Any], str]:
        data = self.mapping(item, path, f"{noun} #{index + 1}")
        name = self.text(data, "name", path, f"{noun} #{index + 1}", required=True)
        if name in names.paths:
            raise self.fail(
                f"duplicate {noun} name {name!r}{self.where(names.paths[name])}", path + ("name",)
            )
        names.paths[name] = path
        return data, name

    # ---- the document ----------------------------------------------------------------------
    def model(self, data: Any) -> Model:
        if not isinstance(data, dict):
            raise self.fail(
                f"the document must be a mapping that starts with 'version: {FORMAT_VERSION}', "
                f"got {_kind_of(data)}",
                (),
            )
        self.keys(data, (), TOP_KEYS, "the document")  # top-level x- keys are allowed, not kept
        if "version" not in data:
            raise self.fail(f"missing 'version: {FORMAT_VERSION}' at the top of the document", ())
        version = data["version"]
        if isinstance(version, bool) or version != FORMAT_VERSION:
            raise self.fail(
                f"unsupported format version {version!r}; this reader understands 'version: {FORMAT_VERSION}'",
                ("version",),
            )
        name = self.text(data, "name", (), "the document")
        description = self.text(data, "description", (), "the document")
        envelope = self.envelope(data.get("envelope"), ("envelope",))
        compat = self.compatibility(data.get("compatibility"), ("compatibility",))
        lint = self.lint(data.get("lint"), ("lint",))

        services: list[Service] = []
        service_names = _Names()
        for i, item in enumerate(self.seq_or_empty(data, "services")):
            services.append(self.service(item, ("services", i), i, service_names))

        channels: list[Channel] = []
        channel_names = _Names()
        for i, item in enumerate(self.seq_or_empty(data, "channels")):
            channels.append(self.channel(item, ("channels", i), i, channel_names))

        messages: list[Message] = []
        relations: list[Relation] = []
        message_names = _Names()
        implied: dict[str, Path] = {}  # services created by reference, in order of first use
        for i, item in enumerate(self.seq_or_empty(data, "messages")):
            message, rels = self.message(item, ("messages", i), i, message_names, channel_names)
            messages.append(message)
            for rel, rel_path in rels:
                relations.append(rel)
                if rel.service not in service_names.paths and rel.service not in implied:
                    implied[rel.service] = rel_path
        for svc_name, svc_path in implied.items():
            services.append(Service(name=svc_name))
            self.locate(f"services/{svc_name}", svc_path)
            service_names.paths[svc_name] = svc_path

        flows: list[Flow] = []
        flow_names = _Names()
        for i, item in enumerate(self.seq_or_empty(data, "flows")):
            flows.append(self.flow(item, ("flows", i), i, flow_names, service_names, message_names))

        return Model(
            name=name,
            description=description,
            services=tuple(services),
            messages=tuple(messages),
            channels=tuple(channels),
            relations=tuple(relations),
            flows=tuple(flows),
            envelope=envelope,
            lint=lint,
            default_compat=compat,
            locations=self.locations,
        )

    def seq_or_empty(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        return self.seq(value, (key,), f"{key!r}")

    def envelope(self, value: Any, path: Path) -> Envelope:
        if value is None:
            return Envelope()
        data = self.mapping(value, path, "'envelope'")
        self.keys(data, path, ENVELOPE_KEYS, "'envelope'")
        profile = self.choice(data, "profile", path, "'envelope'", ENVELOPE_PROFILES, Envelope().profile)
        schema = data.get("schema")
        if schema is not None:
            self.schema_value(schema, path + ("schema",), "the envelope")
        if profile == "custom" and schema is None:
            raise self.fail("the 'custom' envelope profile needs a 'schema'", path, at_key=True)
        return Envelope(profile=profile, schema=schema)

    def compatibility(self, value: Any, path: Path) -> dict[str, str]:
        result = dict(DEFAULT_COMPAT)
        if value is None:
            return result
        data = self.mapping(value, path, "'compatibility'")
        self.keys(data, path, MESSAGE_KINDS, "'compatibility'")
        for kind in MESSAGE_KINDS:
            result[kind] = self.choice(data, kind, path, "'compatibility'", COMPAT_MODES, DEFAULT_COMPAT[kind])
        return result

    def lint(self, value: Any, path: Path) -> LintConfig:
        if value is None:
            return LintConfig()
        data = self.mapping(value, path, "'lint'")
        self.keys(data, path, LINT_KEYS, "'lint'")
        severities: dict[str, str] = {}
        sev_path = path + ("severities",)
        if data.get("severities") is not None:
            for rule, level in self.mapping(data["severities"], sev_path, "'lint.severities'").items():
                if not isinstance(level, str) or level not in LINT_LEVELS:
                    shown = level if isinstance(level, str) else _kind_of(level)
                    hint = _suggest(level, LINT_LEVELS) if isinstance(level, str) else ""
                    if isinstance(level, bool):
                        hint = " (quote 'off': YAML reads off/no as false)"
                    raise self.fail(
                        f"severity of rule {rule!r} is {shown!r}; expected one of {_one_of(LINT_LEVELS)}{hint}",
                        sev_path + (rule,),
                    )
                severities[rule] = level
        options: dict[str, Mapping[str, Any]] = {}
        opt_path = path + ("options",)
        if data.get("options") is not None:
            for rule, opts in self.mapping(data["options"], opt_path, "'lint.options'").items():
                options[rule] = self.mapping(opts, opt_path + (rule,), f"options of rule {rule!r}")
        return LintConfig(severities=severities, options=options)

    def schema_value(self, value: Any, path: Path, what: str) -> None:
        # JSON Schema 2020-12: a schema is an object or a boolean (true accepts all).
        if not isinstance(value, (dict, bool)):
            raise self.fail(f"the schema of {what} must be a mapping (a JSON Schema), got {_kind_of(value)}", path)
        problem = schemacheck.schema_problem(value)
        if problem is not None:  # the same check and words as the AsyncAPI reader (one loader)
            where, line = problem
            raise self.fail(f"the schema of {what} is not a usable JSON Schema: {line}", path + where)

    def service(self, item: Any, path: Path, index: int, names: _Names) -> Service:
        data, name = self.name_of(item, path, "service", index, names)
        what = f"service {name!r}"
        extensions = self.keys(data, path, SERVICE_KEYS, what)
        self.locate(f"services/{name}", path, at_key=True)
        outbox = self.text(data, "outbox", path, what)
        if outbox and outbox not in OUTBOX_MODES:
            raise self.fail(
                f"'outbox' of {what} is {outbox!r}; expected one of {_one_of(OUTBOX_MODES)} "
                "(leave it out when the service publishes without one)",
                path + ("outbox",),
            )
        return Service(
            name=name,
            description=self.text(data, "description", path, what),
            owner=self.text(data, "owner", path, what),
            repository=self.text(data, "repository", path, what),
            language=self.text(data, "language", path, what),
            writes_database=self.flag(data, "writes_database", path, what),
            outbox=outbox,
            extensions=extensions,
        )

    def channel(self, item: Any, path: Path, index: int, names: _Names) -> Channel:
        data, name = self.name_of(item, path, "channel", index, names)
        what = f"channel {name!r}"
        extensions = self.keys(data, path, CHANNEL_KEYS, what)
        self.locate(f"channels/{name}", path, at_key=True)
        defaults = Channel(name=name)
        return Channel(
            name=name,
            broker=self.choice(data, "broker", path, what, BROKERS, defaults.broker),
            description=self.text(data, "description", path, what),
            owner=self.text(data, "owner", path, what),
            partition_key=self.text(data, "partition_key", path, what),
            ordered=self.flag(data, "ordered", path, what),
            delivery=self.choice(data, "delivery", path, what, DELIVERY_GUARANTEES, defaults.delivery),
            extensions=extensions,
        )

    def channel_ref(self, data: dict[str, Any], path: Path, what: str, channels: _Names) -> str:
        channel = self.text(data, "channel", path, what)
        if channel and channel not in channels.paths:
            raise self.fail(
                f"{what} uses channel {channel!r}, which is not declared under 'channels'"
                f"{_suggest(channel, list(channels.paths))}",
                path + ("channel",),
            )
        return channel

    def message(
        self, item: Any, path: Path, index: int, names: _Names, channels: _Names
    ) -> tuple[Message, list[tuple[Relation, Path]]]:
        data, name = self.name_of(item, path, "message", index, names)
        what = f"message {name!r}"
        extensions = self.keys(data, path, MESSAGE_KEYS, what)
        self.locate(f"messages/{name}", path, at_key=True)
        kind = self.choice(data, "kind", path, what, MESSAGE_KINDS, "event")
        channel = self.channel_ref(data, path, what, channels)
        versions = self.versions(data, path, what, name)
        version_names = {v.version for v in versions}

        relations: list[tuple[Relation, Path]] = []
        for role, key, allowed in (
            ("produces", "producers", PRODUCER_KEYS),
            ("consumes", "consumers", CONSUMER_KEYS),
        ):
            seen: dict[tuple[str, str], Path] = {}
            list_path = path + (key,)
            raw = data.get(key)
            for j, entry in enumerate([] if raw is None else self.seq(raw, list_path, f"{key!r} of {what}")):
                rel = self.relation(entry, list_path + (j,), name, role, allowed, what, channels, version_names)
                ident = (rel.service, rel.channel)
                if ident in seen:
                    raise self.fail(
                        f"service {rel.service!r} is listed twice in {key!r} of {what}{self.where(seen[ident])}",
                        list_path + (j,),
                    )
                seen[ident] = list_path + (j,)
                relations.append((rel, list_path + (j,)))

        message = Message(
            name=name,
            kind=kind,
            type=self.text(data, "type", path, what),
            description=self.text(data, "description", path, what),
            owner=self.text(data, "owner", path, what),
            channel=channel,
            versions=versions,
            extensions=extensions,
        )
        return message, relations

    def versions(self, data: dict[str, Any], path: Path, what: str, name: str) -> tuple[Version, ...]:
        shorthand = [k for k in ("schema", "example") if data.get(k) is not None]
        if data.get("versions") is None:
            if not shorthand:
                return ()
            schema = data.get("schema")
            if schema is not None:
                self.schema_value(schema, path + ("schema",), what)
                self.locate(f"messages/{name}/schema", path + ("schema",), at_key=True)
            return (Version(version=SHORTHAND_VERSION, schema=schema, status=SHORTHAND_STATUS,
                            example=data.get("example")),)
        if shorthand:
            raise self.fail(
                f"{what} has both {shorthand[0]!r} and 'versions'; move the {shorthand[0]} into a version",
                path + (shorthand[0],),
                at_key=True,
            )
        list_path = path + ("versions",)
        result: list[Version] = []
        seen: dict[str, Path] = {}
        for j, entry in enumerate(self.seq(data["versions"], list_path, f"'versions' of {what}")):
            vpath = list_path + (j,)
            vdata = self.mapping(entry, vpath, f"version #{j + 1} of {what}")
            vwhat = f"version #{j + 1} of {what}"
            self.keys(vdata, vpath, VERSION_KEYS, vwhat)
            number = self.text(vdata, "version", vpath, vwhat, required=True)
            if number in seen:
                raise self.fail(f"{what} declares version {number!r} twice{self.where(seen[number])}",
                                vpath + ("version",))
            seen[number] = vpath
            vwhat = f"version {number!r} of {what}"
            schema = vdata.get("schema")
            if schema is not None:
                self.schema_value(schema, vpath + ("schema",), vwhat)
            compat = self.text(vdata, "compat", vpath, vwhat)
            if compat and compat not in COMPAT_MODES:
                raise self.fail(
                    f"'compat' of {vwhat} is {compat!r}; expected one of {_one_of(COMPAT_MODES)}"
                    f"{_suggest(compat.upper(), COMPAT_MODES)}",
                    vpath + ("compat",),
                )
            result.append(Version(
                version=number,
                schema=schema,
                status=self.choice(vdata, "status", vpath, vwhat, VERSION_STATUSES, SHORTHAND_STATUS),
                example=vdata.get("example"),
                compat=compat,
            ))
            self.locate(f"messages/{name}/versions/{number}", vpath, at_key=True)
            if schema is not None:
                self.locate(f"messages/{name}/versions/{number}/schema", vpath + ("schema",), at_key=True)
        # "messages/<name>/schema" points at the newest version's schema (the one linted by default).
        latest = result[-1] if result else None
        if latest is not None and latest.schema is not None:
            found = self.locations.get(f"messages/{name}/versions/{latest.version}/schema")
            if found is not None:
                self.locations[f"messages/{name}/schema"] = found
        return tuple(result)

    def relation(
        self,
        entry: Any,
        path: Path,
        message: str,
        role: str,
        allowed: tuple[str, ...],
        what: str,
        channels: _Names,
        versions: set[str],
    ) -> Relation:
        noun = "producer" if role == "produces" else "consumer"
        if isinstance(entry, str):
            if not entry.strip():
                raise self.fail(f"a {noun} of {what} has an empty service name", path)
            return Relation(service=entry, message=message, role=role)
        if not isinstance(entry, dict):
            raise self.fail(
                f"a {noun} of {what} must be a service name or a mapping with 'service', got {_kind_of(entry)}",
                path,
            )
        rwhat = f"a {noun} of {what}"
        self.keys(entry, path, allowed, rwhat)
        service = self.text(entry, "service", path, rwhat, required=True)
        rwhat = f"{noun} {service!r} of {what}"
        channel = self.channel_ref(entry, path, rwhat, channels)
        if role == "produces":
            return Relation(service=service, message=message, role=role, channel=channel)
        version = self.text(entry, "version", path, rwhat)
        if version and version not in versions:
            raise self.fail(
                f"{rwhat} pins version {version!r}, which {what} does not declare"
                f"{_suggest(version, sorted(versions))}",
                path + ("version",),
            )
        return Relation(
            service=service,
            message=message,
            role=role,
            channel=channel,
            idempotent=self.flag(entry, "idempotent", path, rwhat),
            dedup_key=self.text(entry, "dedup_key", path, rwhat),
            version=version,
        )

    def flow(
        self, item: Any, path: Path, index: int, names: _Names, services: _Names, messages: _Names
    ) -> Flow:
        data, name = self.name_of(item, path, "flow", index, names)
        what = f"flow {name!r}"
        self.keys(data, path, FLOW_KEYS, what)  # x- keys allowed on flows, not kept
        self.locate(f"flows/{name}", path, at_key=True)
        style = self.choice(data, "style", path, what, FLOW_STYLES, "choreography")
        orchestrator = self.text(data, "orchestrator", path, what)
        if orchestrator and orchestrator not in services.paths:
            raise self.fail(
                f"the orchestrator {orchestrator!r} of {what} is not a service"
                f"{_suggest(orchestrator, list(services.paths))}",
                path + ("orchestrator",),
            )
        steps: list[FlowStep] = []
        steps_path = path + ("steps",)
        raw = data.get("steps")
        for j, entry in enumerate([] if raw is None else self.seq(raw, steps_path, f"'steps' of {what}")):
            spath = steps_path + (j,)
            swhat = f"step {j + 1} of {what}"
            sdata = self.mapping(entry, spath, swhat)
            self.keys(sdata, spath, STEP_KEYS, swhat)
            service = self.text(sdata, "service", spath, swhat, required=True)
            message = self.text(sdata, "message", spath, swhat, required=True)
            if service not in services.paths:
                raise self.fail(
                    f"{swhat} names service {service!r}, which is not declared"
                    f"{_suggest(service, list(services.paths))}",
                    spath + ("service",),
                )
            if message not in messages.paths:
                raise self.fail(
                    f"{swhat} names message {message!r}, which is not declared"
                    f"{_suggest(message, list(messages.paths))}",
                    spath + ("message",),
                )
            steps.append(FlowStep(
                service=service,
                message=message,
                action=self.choice(sdata, "action", spath, swhat, STEP_ACTIONS, "sends"),
                note=self.text(sdata, "note", spath, swhat),
            ))
        return Flow(
            name=name,
            description=self.text(data, "description", path, what),
            style=style,
            orchestrator=orchestrator,
            steps=tuple(steps),
        )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def to_data(model: Model) -> dict[str, Any]:
    """The canonical plain-data form of ``model`` (what ``dump`` writes as YAML).

    Elements are sorted by name (flow steps and schema keys keep their order), fields equal to
    their default are left out, and a message with exactly one version ``1.0.0``, status draft
    and no compat mode is written with the ``schema``/``example`` shorthand. Relations are
    written under their message; a relation to a message the model does not have is dropped
    (the format cannot express it). A service that only a relation names is listed by name.
    """
    out: dict[str, Any] = {"version": FORMAT_VERSION}
    if model.name:
        out["name"] = model.name
    if model.description:
        out["description"] = model.description
    if model.envelope != Envelope():
        env: dict[str, Any] = {"profile": model.envelope.profile}
        if model.envelope.schema is not None:
            env["schema"] = model.envelope.schema
        out["envelope"] = env
    compat = {k: v for k, v in sorted(model.default_compat.items(), key=lambda kv: _kind_rank(kv[0]))
              if DEFAULT_COMPAT.get(k) != v}
    if compat:
        out["compatibility"] = compat
    lint: dict[str, Any] = {}
    if model.lint.severities:
        lint["severities"] = dict(sorted(model.lint.severities.items()))
    if model.lint.options:
        lint["options"] = {k: dict(v) for k, v in sorted(model.lint.options.items())}
    if lint:
        out["lint"] = lint
    # A service named only by a relation is written as a name-only entry: that is what `load`
    # creates for it, so the text is the same before and after a round trip.
    services = list(model.services)
    listed = {s.name for s in services}
    message_names = set(model.messages_by_name)
    for rel in model.relations:
        if rel.service not in listed and rel.message in message_names:
            listed.add(rel.service)
            services.append(Service(name=rel.service))
    if services:
        out["services"] = [_service_data(s) for s in sorted(services, key=lambda s: s.name)]
    if model.channels:
        out["channels"] = [_channel_data(c) for c in sorted(model.channels, key=lambda c: c.name)]
    if model.messages:
        out["messages"] = [_message_data(m, model) for m in sorted(model.messages, key=lambda m: m.name)]
    if model.flows:
        out["flows"] = [_flow_data(f) for f in sorted(model.flows, key=lambda f: f.name)]
    return out


def _kind_rank(kind: str) -> tuple[int, str]:
    return (MESSAGE_KINDS.index(kind) if kind in MESSAGE_KINDS else len(MESSAGE_KINDS), kind)


def _put(out: dict[str, Any], key: str, value: Any, default: Any = "") -> None:
    if value != default:
        out[key] = value


def _extensions(out: dict[str, Any], extensions: Mapping[str, Any]) -> dict[str, Any]:
    for key in sorted(extensions):
        out[key] = extensions[key]
    return out


def _service_data(s: Service) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name}
    _put(out, "description", s.description)
    _put(out, "owner", s.owner)
    _put(out, "repository", s.repository)
    _put(out, "language", s.language)
    _put(out, "writes_database", s.writes_database, False)
    _put(out, "outbox", s.outbox)
    return _extensions(out, s.extensions)


def _channel_data(c: Channel) -> dict[str, Any]:
    defaults = Channel(name=c.name)
    out: dict[str, Any] = {"name": c.name}
    _put(out, "broker", c.broker, defaults.broker)
    _put(out, "description", c.description)
    _put(out, "owner", c.owner)
    _put(out, "partition_key", c.partition_key)
    _put(out, "ordered", c.ordered, False)
    _put(out, "delivery", c.delivery, defaults.delivery)
    return _extensions(out, c.extensions)


def _message_data(m: Message, model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {"name": m.name}
    _put(out, "kind", m.kind, "event")
    _put(out, "type", m.type)
    _put(out, "description", m.description)
    _put(out, "owner", m.owner)
    _put(out, "channel", m.channel)
    producers = [
        r.service if not r.channel else {"service": r.service, "channel": r.channel}
        for r in sorted(model.producers(m.name), key=lambda r: (r.service, r.channel))
    ]
    if producers:
        out["producers"] = producers
    consumers = [_consumer_data(r) for r in sorted(model.consumers(m.name), key=lambda r: (r.service, r.channel))]
    if consumers:
        out["consumers"] = consumers
    versions = m.versions
    if (len(versions) == 1 and versions[0].version == SHORTHAND_VERSION and versions[0].status == SHORTHAND_STATUS
            and not versions[0].compat and (versions[0].schema is not None or versions[0].example is not None)):
        if versions[0].schema is not None:
            out["schema"] = versions[0].schema
        if versions[0].example is not None:
            out["example"] = versions[0].example
    elif versions:
        out["versions"] = [_version_data(v) for v in versions]
    return _extensions(out, m.extensions)


def _consumer_data(r: Relation) -> str | dict[str, Any]:
    out: dict[str, Any] = {"service": r.service}
    _put(out, "channel", r.channel)
    _put(out, "idempotent", r.idempotent, False)
    _put(out, "dedup_key", r.dedup_key)
    _put(out, "version", r.version)
    return r.service if len(out) == 1 else out


def _version_data(v: Version) -> dict[str, Any]:
    out: dict[str, Any] = {"version": v.version}
    _put(out, "status", v.status, SHORTHAND_STATUS)
    _put(out, "compat", v.compat)
    if v.schema is not None:
        out["schema"] = v.schema
    if v.example is not None:
        out["example"] = v.example
    return out


def _flow_data(f: Flow) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name}
    _put(out, "description", f.description)
    _put(out, "style", f.style, "choreography")
    _put(out, "orchestrator", f.orchestrator)
    if f.steps:
        steps = []
        for s in f.steps:
            step: dict[str, Any] = {"service": s.service, "message": s.message}
            _put(step, "action", s.action, "sends")
            _put(step, "note", s.note)
            steps.append(step)
        out["steps"] = steps
    return out


try:  # libyaml's emitter writes about 5x faster; both write the same YAML for our data.
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """Block style, no anchors: the canonical form spells every value out."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write shared sub-structures out in full: the canonical form has no anchors."""
        return True


# YAML 1.1 line breaks besides \n. PyYAML's emitter folds them inside plain, single-quoted and
# block scalars and they do not read back the same; double quotes write them as escapes.
_ODD_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    # Multi-line text reads best as a literal block; the emitter falls back to quotes when a
    # block cannot hold the string exactly (e.g. trailing spaces).
    style: str | None = None
    if not _ODD_BREAKS.isdisjoint(data):
        style = '"'
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)

# Long strings stay on one line: folding them is legal YAML but makes diffs noisy.
_NO_WRAP = 1 << 30


def dump(model: Model) -> str:
    """The canonical native document for ``model`` (deterministic; see :func:`to_data`)."""
    text: str = yaml.dump(
        to_data(model),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_WRAP,
    )
    return text
