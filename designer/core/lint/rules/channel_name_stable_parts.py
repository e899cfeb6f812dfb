"""Channel names avoid parts that change: team, service and environment names.

A topic outlives the team that created it, the service that first wrote to it and the
environment it was tried in, and most brokers cannot rename a topic. Name it after the data
(``orders.placed``), keep environments in separate clusters or prefixes set by deployment,
and keep ownership in the model.

Flags: a channel name that contains an environment word (dev, staging, prod, qa, test, uat...),
the name of a service of the model with two or more words (``order-service``) or ending in
service/svc/api/app, or an owner (team) name. One-word service names are not flagged: they
are usually the domain itself (``billing``).
Why: renaming a topic means a migration of every producer and consumer.
Source: Chris Riccomini, "How to paint a bike shed: Kafka topic naming conventions"; Kafka
topic naming guidance.

Fails:
    version: 1
    services:
      - name: order-service
    channels:
      - name: prod.order-service.orders
        broker: kafka
Passes:
    version: 1
    services:
      - name: order-service
    channels:
      - name: orders.placed
        broker: kafka
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model
from designer.core.naming import split_identifier

ID = "channel-name-stable-parts"
DEFAULT_SEVERITY = "info"
CATEGORY = "naming"
OPTIONS: dict[str, Any] = {
    "environments": ["dev", "development", "staging", "stage", "stg", "prod", "production", "qa",
                     "test", "uat", "sandbox", "preprod", "local"],
    "ignore": [],  # words never flagged, e.g. a service name that really is the domain
}
# Words that mark a deployable unit rather than a domain (order-service, payments-api).
SERVICE_MARKERS = frozenset({"service", "svc", "api", "app", "srv", "server", "worker"})


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in split_identifier(name))


def _index(names: list[tuple[str, tuple[str, ...]]]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Word sequences keyed by their first word, so each channel word looks up only candidates."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for label, words in names:
        if words:
            out.setdefault(words[0], []).append((label, words))
    return out


def _found_in(words: tuple[str, ...], index: dict[str, list[tuple[str, tuple[str, ...]]]]) -> list[str]:
    hits: dict[str, None] = {}
    for i, w in enumerate(words):
        for label, seq in index.get(w, ()):
            if words[i:i + len(seq)] == seq:
                hits[label] = None
    return list(hits)


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag channel names that embed environment, service or team names."""
    envs = {str(e).lower() for e in options.get("environments", OPTIONS["environments"])}
    ignore = {str(e).lower() for e in options.get("ignore", [])}
    services: list[tuple[str, tuple[str, ...]]] = []
    for s in model.services:
        words = _words(s.name)
        if s.name.lower() in ignore:
            continue
        if len(words) >= 2 or (words and words[-1] in SERVICE_MARKERS):
            services.append((s.name, words))
    owners = {o for o in (s.owner for s in model.services) if o} | {
        o for o in (c.owner for c in model.channels) if o}
    teams = [(o, _words(o)) for o in sorted(owners) if o.lower() not in ignore]
    service_index, team_index = _index(services), _index(teams)
    for channel in model.channels:
        words = _words(channel.name)
        found: list[str] = []
        found += [f"environment {w!r}" for w in dict.fromkeys(words) if w in envs and w not in ignore]
        found += [f"service {name!r}" for name in _found_in(words, service_index)]
        found += [f"team {name!r}" for name in _found_in(words, team_index)]
        if found:
            yield Finding(
                ID, DEFAULT_SEVERITY, "channel", channel.name,
                f"Channel {channel.name!r} contains {', '.join(found)}; topics cannot be renamed, so "
                "name them after the data they carry and keep owners and environments outside.",
                None, "name",
            )
