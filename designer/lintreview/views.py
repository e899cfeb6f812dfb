"""Lint review in the browser and the findings API: thin views over linting, services, core."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from designer.catalog import services as catalog
from designer.catalog.access import team_view
from designer.catalog.models import Team
from designer.catalog.selectors import element_pks, membership_for
from designer.core.lint.docs import rule_doc
from designer.core.lint.engine import OFF
from designer.core.lint.finding import SEVERITY_RANK, Finding
from designer.core.lint.fixes import fix_target
from designer.core.lint.registry import RULES
from designer.core.lint.sarif import to_sarif

from . import selectors as linting
from . import services as svc
from .fixes import editor_url, fix_apply, fix_plan
from .forms import LintConfigForm, WaiverForm

GROUPS = ("severity", "rule", "element")


def _lint(team: Team) -> linting.TeamLint:
    return linting.team_findings(team)


def _row(slug: str, f: Finding, pks: dict[str, int], lapsed: Any = None, back: str = "") -> dict[str, Any]:
    pk = pks.get(f.key)
    row: dict[str, Any] = {"f": f, "lapsed": lapsed, "element_url": "", "fix_url": "", "quick_fix": "",
                           "rename": None, "rule_url": reverse("lint_rule", args=[slug, f.rule])
                           if f.rule in RULES else ""}
    if pk is not None:
        row["element_url"] = reverse("element_detail", args=[slug, f.collection, pk])
    row["fix_url"] = editor_url(slug, f, pk, back)
    if pk is not None and fix_target(f.fix):
        # A mechanical fix: one click on its preview applies it.
        row["quick_fix"] = reverse("lint_apply_fix", args=[slug]) + "?" + urlencode({"fp": f.fingerprint, "next": back})
    return row


def _find(lint: linting.TeamLint, fingerprint: str) -> Finding:
    for f in lint.all_findings or lint.findings:
        if f.fingerprint == fingerprint:
            return f
    raise Http404("That finding is no longer reported (it may have been fixed).")


# ------------------------------------------------------------------ findings page
@team_view()
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """While a background lint runs: its progress (polled by the page); then a page refresh."""
    lint = _lint(request.team)  # type: ignore[attr-defined]
    if lint.pending:
        return render(request, "lint/_checking.html", {"lint": lint})
    return HttpResponseClientRefresh()



@team_view()
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    lint = _lint(team)
    group = request.GET.get("group", "severity")
    group = group if group in GROUPS else "severity"
    sev = request.GET.get("severity", "")
    rule = request.GET.get("rule", "")
    coll = request.GET.get("coll", "")
    element = request.GET.get("element", "")
    q = request.GET.get("q", "").strip()[:200].lower()
    pks = element_pks(team)
    rows = []
    for f in lint.findings:
        if (sev and f.severity != sev) or (rule and f.rule != rule) or (coll and f.collection != coll):
            continue
        if element and f.key != element:
            continue
        if q and q not in f.message.lower() and q not in f.element.lower() and q not in f.rule:
            continue
        rows.append(_row(team.slug, f, pks, lint.lapsed.get(f.fingerprint), back=request.get_full_path()))
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        f = r["f"]
        label = f.severity if group == "severity" else f.rule if group == "rule" else f.key
        groups.setdefault(label, []).append(r)
    if group == "severity":
        ordered = sorted(groups.items(), key=lambda kv: SEVERITY_RANK.get(kv[0], 9))
    else:
        ordered = sorted(groups.items())
    waived = []
    for w, covered in lint.waived:
        waived.append({"w": w, "f": covered,
                       "row": _row(team.slug, covered, pks) if covered is not None else None})
    ctx = {
        "lint": lint, "groups": ordered, "group": group, "shown": len(rows),
        "filters": {"severity": sev, "rule": rule, "coll": coll, "element": element, "q": q},
        "severities": list(SEVERITY_RANK), "rules_seen": sorted({f.rule for f in lint.findings}),
        "collections": [c for c in ("messages", "services", "channels", "flows", "model")],
        "waived": waived, "waive_form": WaiverForm(),
    }
    return render(request, "lint/findings.html", ctx)


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def waive(request: HttpRequest) -> HttpResponse:
    """Waive one finding with a required reason (GET shows the form on its own page)."""
    team = request.team  # type: ignore[attr-defined]
    lint = _lint(team)
    data = request.POST if request.method == "POST" else None
    form = WaiverForm(data, initial={"fingerprint": request.GET.get("fp", "")})
    fp = request.POST.get("fingerprint") if request.method == "POST" else request.GET.get("fp", "")
    finding = _find(lint, fp or "")
    if request.method == "POST" and form.is_valid():
        try:
            svc.waiver_create(team=team, user=request.user, finding=finding, reason=form.cleaned_data["reason"])
        except svc.ReviewError as exc:
            for field, errs in exc.errors.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            flash.success(request, f"Waived {finding.rule} on {finding.element or 'the model'}.")
            return redirect("lint_findings", slug=team.slug)
    status = 422 if request.method == "POST" else 200
    row = _row(team.slug, finding, element_pks(team), lint.lapsed.get(finding.fingerprint))
    return render(request, "lint/waive.html", {"form": form, "row": row}, status=status)


@team_view(min_role="editor")
@require_POST
def revoke(request: HttpRequest, wid: int) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    waiver = linting.team_waiver(team, wid)
    if waiver is None:
        raise Http404("No such waiver.")
    svc.waiver_revoke(team=team, user=request.user, waiver=waiver)
    flash.success(request, f"Revoked the waiver of {waiver.rule} on {waiver.element_key}.")
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("lint_findings", slug=team.slug)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the ``next`` the page was given, when it is a path on this site."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    ok = nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
    return nxt if ok else default


@team_view(min_role="editor")
@require_http_methods(["GET", "POST"])
def apply_fix(request: HttpRequest) -> HttpResponse:
    """A finding's mechanical fix: GET previews what it changes, POST applies it (one click) and
    goes back to where the user came from, saying what was done."""
    team = request.team  # type: ignore[attr-defined]
    fp = request.POST.get("fingerprint") if request.method == "POST" else request.GET.get("fp", "")
    finding = _find(_lint(team), fp or "")
    plan = fix_plan(team, finding)
    findings_url = reverse("lint_findings", args=[team.slug])
    back = safe_next(request, findings_url)
    pks = element_pks(team)
    editor = editor_url(team.slug, finding, pks.get(finding.key), back)
    if request.method == "POST" and plan is not None:
        try:
            done = fix_apply(team=team, user=request.user, finding=finding)
        except catalog.ServiceError as exc:
            error = "; ".join(str(m) for msgs in exc.errors.values() for m in msgs) if isinstance(
                exc, catalog.ValidationFailed) else str(exc)
            ctx = {"finding": finding, "plan": plan, "next": back, "editor": editor, "error": error or str(exc)}
            tpl = "lint/fix.html#preview" if request.htmx else "lint/fix.html"  # type: ignore[attr-defined]
            return render(request, tpl, ctx, status=422)
        flash.success(request, done)
        return HttpResponseClientRedirect(back) if request.htmx else redirect(back)  # type: ignore[attr-defined]
    ctx = {"finding": finding, "plan": plan, "next": back, "editor": editor}
    tpl = "lint/fix.html#preview" if request.htmx else "lint/fix.html"  # type: ignore[attr-defined]
    return render(request, tpl, ctx, status=200 if plan is not None or request.method == "GET" else 422)


# ------------------------------------------------------------------ rule pages
def _rule_ctx(rule_id: str, team: Team | None) -> dict[str, Any]:
    info = RULES.get(rule_id)
    if info is None:
        raise Http404("No such rule.")
    cfg = (team.lint_config or {}) if team is not None else {}
    team_sev = (cfg.get("severities") or {}).get(rule_id, "")
    return {"info": info, "doc": rule_doc(info), "team_severity": team_sev or info.default_severity,
            "overridden": bool(team_sev), "team_options": {**dict(info.options), **dict((cfg.get("options") or {}).get(rule_id) or {})}}


def _rule_index_ctx(team: Team | None) -> dict[str, Any]:
    cfg = (team.lint_config or {}) if team is not None else {}
    sev = cfg.get("severities") or {}
    cats: dict[str, list[dict[str, Any]]] = {}
    for rule_id, info in sorted(RULES.items()):
        cats.setdefault(info.category, []).append(
            {"info": info, "team_severity": sev.get(rule_id, info.default_severity)})
    return {"categories": sorted(cats.items())}


@team_view()
def rule_index(request: HttpRequest) -> HttpResponse:
    return render(request, "lint/rules.html", _rule_index_ctx(request.team))  # type: ignore[attr-defined]


@team_view()
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    return render(request, "lint/rule.html", _rule_ctx(rule_id, request.team))  # type: ignore[attr-defined]


def public_rule_index(request: HttpRequest) -> HttpResponse:
    return render(request, "lint/rules.html", _rule_index_ctx(None))


def public_rule(request: HttpRequest, rule_id: str) -> HttpResponse:
    """The rule's help page without team data: the SARIF helpUri points here."""
    return render(request, "lint/rule.html", _rule_ctx(rule_id, None))


# ------------------------------------------------------------------ team configuration
@team_view(min_role="owner")
@require_http_methods(["GET", "POST"])
def lint_settings(request: HttpRequest) -> HttpResponse:
    team = request.team  # type: ignore[attr-defined]
    form = LintConfigForm(request.POST or None, config=team.lint_config or {},
                          initial={"lock_version": team.lock_version})
    if request.method == "POST" and form.is_valid():
        severities, options = form.values()
        if form.is_valid():  # values() adds JSON errors
            try:
                svc.lint_config_save(team=team, user=request.user, severities=severities, options=options,
                                     lock_version=form.cleaned_data.get("lock_version"))
            except catalog.ValidationFailed as exc:
                for field, errs in exc.errors.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                flash.success(request, "Lint configuration saved.")
                return redirect("lint_settings", slug=team.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "lint/settings.html", {"form": form, "OFF": OFF}, status=status)


# ------------------------------------------------------------------ API
def _api_team(request: HttpRequest, slug: str) -> Team | HttpResponse:
    auth = request.headers.get("Authorization", "")
    if auth:
        scheme, _, secret = auth.partition(" ")
        token = catalog.token_authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            resp = JsonResponse({"error": "invalid or revoked token"}, status=401)
            resp["WWW-Authenticate"] = 'Bearer realm="designer"'
            return resp
        if token.team.slug != slug:
            return JsonResponse({"error": "no such team"}, status=404)
        return token.team
    if not request.user.is_authenticated:
        resp = JsonResponse({"error": "authentication required (session or Bearer token)"}, status=401)
        resp["WWW-Authenticate"] = 'Bearer realm="designer"'
        return resp
    try:
        return membership_for(request.user, slug).team
    except Http404:
        return JsonResponse({"error": "no such team"}, status=404)


def finding_json(f: Finding) -> dict[str, Any]:
    """The same shape as ``manage.py lint --format json`` (no file, so no line or column)."""
    from designer.cli.lint import finding_dict

    return finding_dict(f, None)


@require_GET
def api_findings(request: HttpRequest, slug: str) -> HttpResponse:
    """GET /api/teams/<slug>/findings?format=json|sarif[&waived=exclude].

    By default every finding (the same list as ``manage.py lint`` on the exported file);
    ``waived=exclude`` leaves out waived ones. In SARIF, waived findings carry a suppression
    with the waiver's reason.
    """
    team = _api_team(request, slug)
    if isinstance(team, HttpResponse):
        return team
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "sarif"):
        return JsonResponse({"error": "format must be json or sarif"}, status=400)
    lint = _lint(team)
    waivers = {w.fingerprint: w for w, f in lint.waived if f is not None and not getattr(w, "lapsed", False)}
    found = list(lint.all_findings or lint.findings)
    if request.GET.get("waived") == "exclude":
        found = [f for f in found if f.fingerprint not in waivers]
    if fmt == "sarif":
        log = to_sarif(found, help_base=request.build_absolute_uri(reverse("public_rule_index")))
        for result in log["runs"][0]["results"]:
            w = waivers.get(result["partialFingerprints"]["designerFinding/v1"])
            if w is not None:
                result["suppressions"] = [{"kind": "external", "justification": w.reason}]
        resp = HttpResponse(json.dumps(log, indent=2, ensure_ascii=False),
                            content_type="application/sarif+json; charset=utf-8")
        return resp
    return JsonResponse([finding_json(f) for f in found], safe=False, json_dumps_params={"ensure_ascii": False})

