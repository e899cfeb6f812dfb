"""Reading a native design file: one validation pass that says where each problem is.

Every problem is a :class:`FormatError` with the line and column of the node at fault and a
message that says how to fix it. An element's keys are its kind's attributes
(``designer.core.kinds``): each type of attribute has one reader here (``attrs``), so an
attribute added to a core dataclass is read without code in this module; what a kind holds
besides attributes (a message's versions and relations, a flow's steps) is read below.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.core.jsonvalue import KIND_PHRASES, json_kind
from designer.core.kinds import (
    CHANNEL,
    CHOICE,
    FLAG,
    FLOW,
    JSON_VALUE,
    MESSAGE,
    REF,
    RELATION,
    SERVICE,
    STEP,
    VERSION,
    Attr,
    Kind,
)
from designer.core.model import (
    COMPAT_MODES,
    ENVELOPE_PROFILES,
    MESSAGE_KINDS,
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

from .. import schemacheck, yamlsafe
from ..errors import FormatError
from ..yamlsafe import Path, Positions
from .keys import (
    CONSUMER_KEYS,
    DEFAULT_COMPAT,
    ENVELOPE_KEYS,
    FORMAT_VERSION,
    LINT_KEYS,
    LINT_LEVELS,
    PRODUCER_KEYS,
    SHORTHAND_STATUS,
    SHORTHAND_VERSION,
    STEP_KEYS,
    TOP_KEYS,
    VERSION_KEYS,
    element_keys,
)

# The keys each element kind may have, computed once; keyed by identity (hashing a Kind hashes
# all its attributes), which is safe for these module constants. Other kinds (a test's) on use.
_KEYS: dict[int, tuple[str, ...]] = {id(k): element_keys(k) for k in (SERVICE, CHANNEL, MESSAGE, FLOW)}


def _keys(kind: Kind) -> tuple[str, ...]:
    return _KEYS.get(id(kind)) or element_keys(kind)


# A producer says only its channel; a consumer also how it deduplicates and which version it pins.
_RELATION_READ: dict[str, tuple[Attr, ...]] = {
    role: tuple(RELATION.attr(name) for name in keys if name != "service")
    for role, keys in (("produces", PRODUCER_KEYS), ("consumes", CONSUMER_KEYS))
}


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


def element_from_data(kind: Kind, data: Any, source: str = "<string>") -> Any:
    """One element of ``kind`` from its design-file mapping (references are not checked)."""
    reader = _Reader(Positions(), source)
    _, values = reader.element(kind, data, (kind.section, 0), 0, _Names(), {})
    return kind.cls(**values)


def _kind_of(value: Any) -> str:
    kind = json_kind(value)
    return KIND_PHRASES.get(kind, kind)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _suggest_any_case(word: str, choices: tuple[str, ...] | list[str]) -> str:
    return _suggest(word, choices) or _suggest(word.upper(), choices) or _suggest(word.lower(), choices)


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

    def pick(self, attr: Attr, data: dict[str, Any], path: Path, what: str) -> str:
        """A choice attribute: its default when absent, else one of its choices."""
        value = self.text(data, attr.name, path, what)
        if not value and (attr.name not in data or data[attr.name] is None):
            return str(attr.default)
        if attr.blank and value == "":
            return value
        if value not in attr.choices:
            hint = f" {attr.hint}" if attr.hint else ""
            raise self.fail(
                f"{attr.name!r} of {what} is {value!r}; expected one of {_one_of(attr.choices)}"
                f"{_suggest_any_case(value, attr.choices)}{hint}",
                path + (attr.name,),
            )
        return value

    def ref(self, attr: Attr, data: dict[str, Any], path: Path, what: str, declared: _Names | None) -> str:
        """A reference attribute: the name of an element declared in the document."""
        value = self.text(data, attr.name, path, what, required=attr.required)
        if value and declared is not None and value not in declared.paths:
            raise self.fail(
                attr.missing.format(what=what, value=value) + _suggest(value, list(declared.paths)),
                path + (attr.name,),
            )
        return value

    def attrs(
        self, attrs: tuple[Attr, ...], data: dict[str, Any], path: Path, what: str,
        declared: Mapping[str, _Names],
    ) -> dict[str, Any]:
        """The values of ``attrs`` (see ``_READ``) in ``data``, each read the way its type is."""
        values: dict[str, Any] = {}
        for attr in attrs:
            if attr.type == FLAG:
                values[attr.name] = self.flag(data, attr.name, path, what)
            elif attr.type == CHOICE:
                values[attr.name] = self.pick(attr, data, path, what)
            elif attr.type == REF:
                values[attr.name] = self.ref(attr, data, path, what, declared.get(attr.ref))
            elif attr.type == JSON_VALUE:
                values[attr.name] = data.get(attr.name)
            else:
                values[attr.name] = self.text(data, attr.name, path, what, required=attr.required)
        return values

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
            services.append(Service(**self.element(SERVICE, item, ("services", i), i, service_names, {})[1]))

        channels: list[Channel] = []
        channel_names = _Names()
        for i, item in enumerate(self.seq_or_empty(data, "channels")):
            channels.append(Channel(**self.element(CHANNEL, item, ("channels", i), i, channel_names, {})[1]))

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
        reply = MESSAGE.attr("reply")
        for i, message in enumerate(messages):  # a reply may name a message declared later
            if message.reply and message.kind == "event":
                raise self.fail(f"message {message.name!r} is an event and has no reply; only a query or a "
                                f"command answers", ("messages", i, "reply"))
            if message.reply and message.reply not in message_names.paths:
                raise self.fail(
                    reply.missing.format(what=f"message {message.name!r}", value=message.reply)
                    + _suggest(message.reply, list(message_names.paths)),
                    ("messages", i, "reply"),
                )
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

    # ---- elements ----------------------------------------------------------------------------
    def element(
        self, kind: Kind, item: Any, path: Path, index: int, names: _Names, declared: Mapping[str, _Names],
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """An element's mapping and its kind's attribute values (name and extensions included);
        what the kind holds besides attributes is read by the caller."""
        data, name = self.name_of(item, path, kind.key, index, names)
        what = f"{kind.key} {name!r}"
        extensions = self.keys(data, path, _keys(kind), what)  # x- keys of flows are not kept
        self.locate(f"{kind.section}/{name}", path, at_key=True)
        values = self.attrs(kind.attrs_but_name, data, path, what, declared)
        values["name"] = name
        if kind.extensions:
            values["extensions"] = extensions
        return data, values

    def message(
        self, item: Any, path: Path, index: int, names: _Names, channels: _Names
    ) -> tuple[Message, list[tuple[Relation, Path]]]:
        data, values = self.element(MESSAGE, item, path, index, names, {"channel": channels})
        name = values["name"]
        what = f"message {name!r}"
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
        return Message(**values, versions=versions), relations

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
            values = self.attrs(VERSION.attrs_but_name, vdata, vpath, vwhat, {})
            if values["schema"] is not None:
                self.schema_value(values["schema"], vpath + ("schema",), vwhat)
            values["version"] = number
            result.append(Version(**values))
            self.locate(f"messages/{name}/versions/{number}", vpath, at_key=True)
            if values["schema"] is not None:
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
        values = self.attrs(_RELATION_READ[role], entry, path, rwhat, {"channel": channels})
        pinned = values.get("version", "")
        if pinned and pinned not in versions:
            raise self.fail(
                f"{rwhat} pins version {pinned!r}, which {what} does not declare"
                f"{_suggest(pinned, sorted(versions))}",
                path + ("version",),
            )
        return Relation(service=service, message=message, role=role, **values)

    def flow(
        self, item: Any, path: Path, index: int, names: _Names, services: _Names, messages: _Names
    ) -> Flow:
        _, values = self.element(FLOW, item, path, index, names, {"service": services})
        what = f"flow {values['name']!r}"
        steps: list[FlowStep] = []
        steps_path = path + ("steps",)
        raw = item.get("steps")
        declared = {"service": services, "message": messages}
        for j, entry in enumerate([] if raw is None else self.seq(raw, steps_path, f"'steps' of {what}")):
            spath = steps_path + (j,)
            swhat = f"step {j + 1} of {what}"
            sdata = self.mapping(entry, spath, swhat)
            self.keys(sdata, spath, STEP_KEYS, swhat)
            steps.append(FlowStep(**self.attrs(STEP.attrs_but_name, sdata, spath, swhat, declared)))
        return Flow(**values, steps=tuple(steps))
