"""``{% finding_links f as links %}``: where a finding's one-click fix (with its preview) and
its editor are, for lists of findings outside the findings page (an element's page)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from designer.catalog.selectors import element_pks
from designer.core.lint.finding import Finding
from designer.core.lint.fixes import fix_target
from designer.lintreview.fixes import editor_url

register = template.Library()


@register.simple_tag(takes_context=True)
def finding_links(context: Any, finding: Finding) -> dict[str, str]:
    """{"quick_fix": preview URL or "", "editor": URL or ""} for ``finding`` on this page."""
    request = context.get("request")
    team = context.get("team")
    if request is None or team is None or not context.get("can_edit"):
        return {"quick_fix": "", "editor": ""}
    pks = context.get("_element_pks")
    if pks is None:  # once per page, not once per finding
        pks = element_pks(team)
        context.dicts[0]["_element_pks"] = pks
    back = request.get_full_path()
    pk = pks.get(finding.key)
    quick = ""
    if pk is not None and fix_target(finding.fix):
        quick = reverse("lint_apply_fix", args=[team.slug]) + "?" + urlencode({"fp": finding.fingerprint, "next": back})
    return {"quick_fix": quick, "editor": editor_url(team.slug, finding, pk, back)}
