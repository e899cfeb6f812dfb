"""The code page: preview generated projects, download them as zips, build team bundles."""
from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from designer.catalog.models import Service
from designer.catalog.selectors import team_model
from designer.codeweb.models import CodeBundle
from designer.core.codegen import LANGUAGES, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(demo_team: Any, member_client: Any) -> Any:
    return member_client(demo_team, "viewer")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_previews_every_file_of_a_service_and_highlights_the_chosen_one(demo_team: Any, viewer: Any, lang: str) -> None:
    svc = Service.objects.get(team=demo_team, name="order-service")
    files = generate(team_model(demo_team), lang, "order-service")
    url = reverse("codegen_service", args=[demo_team.slug, svc.pk])
    page = viewer.get(url, {"lang": lang}).content.decode()
    for path in files:
        assert f'data-path="{path}"' in page
    chosen = sorted(files)[0]
    page = viewer.get(url, {"lang": lang, "file": chosen}).content.decode()
    assert f"<code>{chosen}</code>" in page and 'class="hl"' in page
    assert "revision" in page


def test_it_zips_exactly_the_files_shown(demo_team: Any, viewer: Any) -> None:
    svc = Service.objects.get(team=demo_team, name="payment-service")
    resp = viewer.get(reverse("codegen_service_zip", args=[demo_team.slug, svc.pk]), {"lang": "go"})
    assert resp["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.content)) as zf:
        contents = {name: zf.read(name).decode() for name in zf.namelist()}
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    assert contents == generate(team_model(demo_team), "go", "payment-service")
    assert modes["bin/validate"] == 0o755 and modes["go.mod"] == 0o644  # the validator runs as is
    again = viewer.get(reverse("codegen_service_zip", args=[demo_team.slug, svc.pk]), {"lang": "go"})
    assert again.content == resp.content  # deterministic


def test_it_builds_a_team_bundle_with_progress_and_every_service(demo_team: Any, viewer: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resp = viewer.post(reverse("codegen_bundle_new", args=[demo_team.slug]), {"lang": "all"})
    bundle = CodeBundle.objects.get(team=demo_team)
    assert resp.status_code == 302
    assert bundle.status == "ready" and bundle.percent == 100 and bundle.done == bundle.total == 4 * 5
    page = viewer.get(reverse("codegen_bundle", args=[demo_team.slug, bundle.pk])).content.decode()
    assert "Ready" in page and "Download zip" in page
    data = viewer.get(reverse("codegen_bundle_download", args=[demo_team.slug, bundle.pk])).content
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    for lang in LANGUAGES:
        for svc in ("order-service", "payment-service", "inventory-service", "shipping-service", "email-service"):
            assert any(n.startswith(f"{demo_team.slug}-all/{lang}/{svc}/") for n in names), (lang, svc)


def test_it_refuses_an_unknown_language(demo_team: Any, viewer: Any) -> None:
    svc = Service.objects.filter(team=demo_team).first()
    assert viewer.get(reverse("codegen_service", args=[demo_team.slug, svc.pk]), {"lang": "cobol"}).status_code == 404
    assert viewer.post(reverse("codegen_bundle_new", args=[demo_team.slug]), {"lang": "cobol"}).status_code == 404


def test_it_answers_404_to_non_members(demo_team: Any, make_team: Any, member_client: Any) -> None:
    outsider = member_client(make_team(), "owner")
    svc = Service.objects.filter(team=demo_team).first()
    for url in (reverse("codegen", args=[demo_team.slug]), reverse("codegen_service", args=[demo_team.slug, svc.pk]),
                reverse("codegen_service_zip", args=[demo_team.slug, svc.pk])):
        assert outsider.get(url).status_code == 404


def test_it_escapes_hostile_names_in_the_preview(make_team: Any, member_client: Any) -> None:
    from designer.catalog import services as svc

    team = make_team()
    owner = member_client(team, "owner")
    s = svc.element_create(team=team, user=owner.user, kind="service", data={"name": "<script>alert(1)</script>",
                                                                             "description": "</textarea><script>x</script>"})
    page = owner.get(reverse("codegen_service", args=[team.slug, s.pk]), {"lang": "python", "file": "README.md"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "<script>x</script>" not in page
