"""Query names ask for data with a retrieval verb and change nothing.

A query is answered by one responder and must not change state (command-query separation):
``GetCustomer``, ``ListOrders``, ``FindUserByEmail``, ``CountOpenTickets``, or a yes/no question
such as ``IsEmailTaken``.

Flags: a query named in the past tense (CustomerFetched), starting with a mutating verb
(DeleteCustomer: make it a command), or with no verb at all (CustomerDetails ->
GetCustomerDetails). A wire name ``entity.action`` is judged by its action (``order.get``,
``admin.apps.approved.list`` pass; ``conversations.info`` does not ask for anything).
Why: a query that reads like a state change hides side effects from callers who retry it or
cache its answer.
Source: Bertrand Meyer's command-query separation (CQS); Greg Young, CQRS Documents.

Fails:
    version: 1
    messages:
      - name: DeleteCustomer
        kind: query
Passes:
    version: 1
    messages:
      - name: GetCustomer
        kind: query
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.lint.rules import _names
from designer.core.model import Model
from designer.core.naming import query_verb
from designer.core.provenance import message_role

ID = "query-name-retrieval"
DEFAULT_SEVERITY = "warning"
CATEGORY = "naming"


def check(model: Model, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Flag queries that do not start with a retrieval verb or question word."""
    for message in model.messages:
        if message.kind != "query" or not _names.judged(message):
            continue
        verdict = query_verb(message.name)
        # The request of a request/reply API names what it asks for (CameraStatusRequest, ping,
        # sum): it is judged as a question, so only a name that reads as a fact is wrong.
        if verdict.ok or (message_role(message) == "request" and verdict.shape != "past"):
            continue
        fix = None
        text = f"Query {message.name!r}: {verdict.reason}."
        if verdict.suggestion:
            rename, fix = _names.message_rename(message, verdict.suggestion)
            text += rename
        yield Finding(ID, DEFAULT_SEVERITY, message.kind, message.name, text, fix, "name")
