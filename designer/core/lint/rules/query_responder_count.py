"""A query has exactly one responder.

A query (request/reply) expects one answer from the service that owns the data. With no
responder the requester times out; with two, it gets two answers or a race, and the data has
two owners. This is AsyncAPI 3's ``reply`` model: one operation replies.

Flags: a query with no consuming (responding) service, or with more than one.
Why: request/reply needs exactly one authoritative responder.
Source: AsyncAPI 3.0 operation ``reply``; CQS.
Fails:
    version: 1
    messages:
      - name: GetOrderStatus
        kind: query
        producers: [web-shop]
Passes:
    version: 1
    messages:
      - name: GetOrderStatus
        kind: query
        producers: [web-shop]
        consumers: [order-service]
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import Model

ID = "query-responder-count"
DEFAULT_SEVERITY = "error"
CATEGORY = "topology"
SCOPE = "model"
READS = "topology"  # names, kinds, types, channels and relations only: no schemas


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Yield a finding per query without exactly one responding service."""
    for message in model.messages:
        if message.kind != "query":
            continue
        responders = sorted({r.service for r in model.consumers(message.name)})
        if len(responders) == 1:
            continue
        text = ("No service answers this query; declare its one responder as a consumer."
                if not responders else
                f"Answered by {len(responders)} services ({', '.join(responders[:5])}); a query "
                f"has exactly one responder, the owner of the data. Keep one.")
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, text, path="consumers")
