"""Diagram reads and writes: draw once per (team revision, view options), serve from the table.

``diagram_request`` finds or creates the cached row and enqueues the Celery task on commit;
``draw`` (called by the task) builds the DOT with the core, lays it out with graphviz and
stores the sanitised SVG. Views and the task call these; they never touch the rows themselves.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from designer import outage
from designer.catalog import render as rd
from designer.catalog.models import Team
from designer.catalog.selectors import element_pks, team_model
from designer.core.diagram import (
    DiagramError,
    DiagramOptions,
    FindingBadge,
    build_dot,
    focus_choices,
    node_id,
)
from designer.core.model import Model
from designer.lintreview import selectors as linting

from .models import DiagramRender
from .options import ViewOptions

log = logging.getLogger(__name__)

# A pending row older than this was lost (a worker died before finishing: the task's hard time
# limit is 90 s); the next request enqueues it again.
STALE_PENDING = timedelta(seconds=120)
# Renders of older revisions are kept this long (an open page may still be polling them).
KEEP_OLD = timedelta(minutes=10)


def current_revision(team: Team) -> int:
    """The team's model revision as stored now (not the possibly stale ``team`` instance)."""
    return int(Team.objects.filter(pk=team.pk).values_list("revision", flat=True).first() or 0)


def element_link(slug: str, key: str, pks: dict[str, int]) -> str:
    """The URL of an element's page: its pk page, or the by-name resolver for unknown keys."""
    coll, _, name = key.partition("/")
    pk = pks.get(key)
    if pk is not None:
        return reverse("element_detail", args=[slug, coll, pk])
    return reverse("diagram_go", args=[slug, coll, name])


def findings_link(slug: str, key: str, pks: dict[str, int]) -> str:
    """Where a finding badge leads: the findings page filtered to the element, when it exists."""
    return reverse("lint_findings", args=[slug]) + "?element=" + quote(key, safe="/")


def badges(team: Team, pks: dict[str, int]) -> dict[str, FindingBadge]:
    """(worst severity, count, link) per element with open findings (waived ones left out)."""
    lint = linting.team_findings(team)
    return {key: (sev, count, findings_link(team.slug, key, pks))
            for key, (sev, count) in sorted(lint.badges.items())}


def core_options(team: Team, view: ViewOptions, *, with_findings: bool = True) -> DiagramOptions:
    """The core's options for ``view``: links to the real element pages, finding badges."""
    pks = element_pks(team)
    slug = team.slug
    return DiagramOptions(
        scope=view.scope, flow=view.flow, focus=view.focus, hops=view.hops,
        direction=view.direction, show_channels=view.channels, show_queries=view.queries,
        cluster=view.cluster, findings=badges(team, pks) if with_findings else {},
        link_base=lambda key: element_link(slug, key, pks),
    )


def check(model: Model, team: Team, view: ViewOptions) -> None:
    """Raise ``DiagramError`` when ``view`` names a flow or element the model does not have."""
    build_dot(model, DiagramOptions(scope=view.scope, flow=view.flow, focus=view.focus, hops=view.hops,
                                    direction=view.direction, show_channels=view.channels,
                                    show_queries=view.queries, cluster=view.cluster))


def cached(team: Team, view: ViewOptions) -> bool:
    """True when ``view`` already has a render row for the current revision (so it was checked)."""
    return DiagramRender.objects.filter(team=team, revision=current_revision(team),
                                        options_key=view.key(team.slug)).exists()


def _find(team: Team, revision: int, key: str) -> DiagramRender | None:
    return DiagramRender.objects.filter(team=team, revision=revision, options_key=key).first()


def diagram_request(*, team: Team, view: ViewOptions) -> DiagramRender:
    """The cached render of ``view`` for the team's current revision, asking for it if needed.

    A new (or lost) row is created pending and the render task is enqueued after commit; on
    the embedded default the task runs in-process at once, so the row returned is usually
    ready already.
    """
    revision = current_revision(team)
    key = view.key(team.slug)
    row = _find(team, revision, key)
    enqueue = False
    if row is None:
        try:
            with transaction.atomic():
                row = DiagramRender.objects.create(team=team, revision=revision, options_key=key,
                                                   options=view.as_dict())
            enqueue = True
        except IntegrityError:  # another request created it first: it enqueued the task
            row = _find(team, revision, key)
            assert row is not None
    elif row.status == DiagramRender.PENDING and row.updated_at < timezone.now() - STALE_PENDING:
        DiagramRender.objects.filter(pk=row.pk).update(updated_at=timezone.now())
        enqueue = True
    if enqueue:
        from .tasks import render_diagram

        team_id, options = team.pk, view.as_dict()

        def enqueue_task() -> None:
            try:
                outage.require_task_queue("drawing a diagram")
                render_diagram.delay(team_id, revision, options)
            except (*outage.REDIS_ERRORS, outage.ServiceUnavailable) as exc:
                # The task queue (Redis) is down: draw here, as the embedded default does, so
                # diagram pages keep working during the outage.
                log.warning("diagram for team %s drawn in-process: the task queue is unreachable (%s)", team_id, exc)
                draw(team=team, revision=revision, view=view)
            except Exception:  # broker broken otherwise: the row stays pending, retried once stale
                log.exception("could not enqueue diagrams.render_diagram for team %s", team_id)

        transaction.on_commit(enqueue_task)
        row.refresh_from_db()
    return row


def draw(*, team: Team, revision: int, view: ViewOptions) -> DiagramRender | None:
    """Draw ``view`` of the team's model and store it (idempotent: a finished row is kept).

    Returns None when the model moved past ``revision`` before the task ran: a page showing
    the newer revision asks for its own render.
    """
    key = view.key(team.slug)
    row, _ = DiagramRender.objects.get_or_create(
        team=team, revision=revision, options_key=key, defaults={"options": view.as_dict()})
    if row.status != DiagramRender.PENDING:
        return row
    model = team_model(team)
    if int(model.revision or 0) != revision:
        DiagramRender.objects.filter(pk=row.pk).update(
            status=DiagramRender.FAILED, error="The model changed while this diagram was waiting; reload.")
        return None
    fields: dict[str, Any] = {}
    try:
        dot = build_dot(model, core_options(team, view))
        fields["dot"] = dot
        result = rd.render_diagram(dot, "svg")
        fields.update(status=DiagramRender.READY, svg=rd.sanitize_svg(result.data), engine=result.engine,
                      note=result.note[:300], seconds=result.seconds, error="")
    except (DiagramError, rd.RenderError, ValueError) as exc:
        # ValueError: sanitize_svg refused graphviz's output; the message is still one line.
        fields.update(status=DiagramRender.FAILED, error=str(exc), svg="")
    except Exception:  # a bug must not leave the page polling forever; the log has the trace
        log.exception("drawing the diagram of team %s failed", team.pk)
        fields.update(status=DiagramRender.FAILED, svg="",
                      error="an unexpected error stopped the drawing (it was logged)")
    DiagramRender.objects.filter(pk=row.pk).update(updated_at=timezone.now(), **fields)
    prune(team, revision)
    row.refresh_from_db()
    return row


def prune(team: Team, revision: int) -> int:
    """Drop renders of older revisions that nobody can still be waiting for."""
    deleted, _ = DiagramRender.objects.filter(
        team=team, revision__lt=revision, updated_at__lt=timezone.now() - KEEP_OLD).delete()
    return deleted


def ensure_ready(*, team: Team, view: ViewOptions) -> DiagramRender:
    """The render of ``view`` now, drawing it in this process if no worker has yet (downloads)."""
    row = diagram_request(team=team, view=view)
    if row.status == DiagramRender.PENDING:
        drawn = draw(team=team, revision=row.revision, view=view)
        row = drawn if drawn is not None else row
        row.refresh_from_db()
    return row


def png_of(row: DiagramRender) -> bytes:
    """The PNG of a ready render, drawn from its DOT on first use and kept on the row."""
    if row.png:
        return bytes(row.png)
    # The engine that drew the SVG: a graph that fell back to sfdp would time out in dot again.
    data = rd.render_diagram(row.dot, "png", row.engine or "dot").data
    DiagramRender.objects.filter(pk=row.pk).update(png=data)
    return data


def node_panel(team: Team, node: str) -> dict[str, Any] | None:
    """What the side panel of a diagram node shows: the element, its relations and links.

    ``node`` is the node's SVG id (``designer.core.diagram.node_id``); None when no element
    of the team's current model has it (a stale drawing, or a made-up id).
    """
    model = team_model(team)
    key = next((k for k, _, _ in focus_choices(model) if node_id(k) == node), None)
    if key is None:  # an undeclared service or message that only relations name
        names = {f"services/{r.service}" for r in model.relations} | {f"messages/{r.message}" for r in model.relations}
        key = next((k for k in sorted(names) if node_id(k) == node), None)
    if key is None:
        return None
    coll, _, name = key.partition("/")
    pks = element_pks(team)
    slug = team.slug

    def link(k: str) -> str:
        return element_link(slug, k, pks)

    def rel(service: str, message: str, channel: str) -> dict[str, str]:
        return {"service": service, "service_url": link(f"services/{service}"), "message": message,
                "message_url": link(f"messages/{message}"), "channel": channel}

    out: dict[str, Any] = {"key": key, "collection": coll, "name": name, "url": link(key),
                           "declared": key in pks, "pk": pks.get(key), "description": "", "kind": coll[:-1],
                           "sends": [], "receives": [], "messages": [], "flows": []}
    if coll == "services":
        s = model.services_by_name.get(name)
        out["description"] = s.description if s else ""
        out["sends"] = [rel(name, r.message, r.channel) for r in model.produced_by(name)]
        out["receives"] = [rel(name, r.message, r.channel) for r in model.consumed_by(name)]
        flows = [f.name for f in model.flows if f.orchestrator == name or any(st.service == name for st in f.steps)]
    elif coll == "messages":
        m = model.messages_by_name.get(name)
        out["description"] = m.description if m else ""
        out["kind"] = m.kind if m else "event"
        out["channel"] = m.channel if m else ""
        out["sends"] = [rel(r.service, name, r.channel) for r in model.producers(name)]
        out["receives"] = [rel(r.service, name, r.channel) for r in model.consumers(name)]
        flows = [f.name for f in model.flows if any(st.message == name for st in f.steps)]
    else:
        c = model.channels_by_name.get(name)
        out["description"] = c.description if c else ""
        out["broker"] = c.broker if c else ""
        out["messages"] = [{"name": m.name, "url": link(f"messages/{m.name}")}
                           for m in model.messages if m.channel == name]
        flows = []
    base = reverse("diagram", args=[slug])
    out["flows"] = [{"name": f, "url": base + "?" + ViewOptions(flow=f).query()} for f in sorted(set(flows))]
    out["focus_url"] = base + "?" + ViewOptions(focus=key).query()
    # The panel's "add sends / receives" offers the names it could pair with.
    out["node"] = node
    out["other_names"] = sorted(m.name for m in model.messages) if coll == "services" else sorted(
        sv.name for sv in model.services)
    lint = linting.team_findings(team)
    badge = lint.badges.get(key) if lint is not None else None
    if badge:
        out["findings"] = {"severity": badge[0], "count": badge[1], "url": findings_link(slug, key, pks)}
    return out
