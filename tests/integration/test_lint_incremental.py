"""Lint in the web app: incremental re-lint per revision, state shared through the cache,
a full lint only in the background (with progress), and a change visible at once."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from designer.catalog import services as catalog
from designer.catalog.models import Message, Team
from designer.catalog.selectors import team_model
from designer.core.lint.engine import Linter, lint
from designer.lintreview import relint, selectors

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _owner(team: Any) -> tuple[Client, Any]:
    user = get_user_model().objects.get(username="demo")
    client = Client()
    client.force_login(user)
    return client, user


def _as_a_new_process() -> None:
    """Forget what this process knows; the shared cache stays (as for another process)."""
    relint.forget_local()
    selectors._SHAPED.clear()


def _rename(team: Team, user: Any, old: str, new: str) -> None:
    msg = Message.objects.get(team=team, name=old)
    catalog.element_update(team=team, user=user, obj=msg, data={"name": new}, lock_version=msg.lock_version)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each ``Linter.lint`` call did ("full", "incremental", "cached")."""
    runs: list[str] = []
    original = Linter.lint

    def recording(self: Linter, *args: Any, **kwargs: Any) -> Any:
        out = original(self, *args, **kwargs)
        runs.append(self.last_run)
        return out

    monkeypatch.setattr(Linter, "lint", recording)
    return runs


def test_a_change_re_lints_incrementally_and_shows_on_the_findings_page(demo_team: Team, spy: list[str]) -> None:
    client, user = _owner(demo_team)
    assert client.get(f"/t/{demo_team.slug}/findings/").status_code == 200  # warm: the first lint
    spy.clear()
    _rename(demo_team, user, "OrderPlaced", "OrderPlace")
    html = client.get(f"/t/{demo_team.slug}/findings/").content.decode()
    assert "OrderPlace" in html and "event-name-past-tense" in html
    assert spy == ["incremental"]
    assert selectors.team_findings(demo_team).all_findings == lint(team_model(demo_team))


def test_another_process_continues_from_the_shared_state(demo_team: Team, spy: list[str]) -> None:
    client, user = _owner(demo_team)
    client.get(f"/t/{demo_team.slug}/findings/")
    _as_a_new_process()
    spy.clear()
    _rename(demo_team, user, "OrderShipped", "OrderShip")
    lint_now = selectors.team_findings(demo_team)
    assert spy == ["incremental"], "a fresh process starts from the linter state in the cache"
    assert any(f.element == "OrderShip" and f.rule == "event-name-past-tense" for f in lint_now.findings)
    assert lint_now.all_findings == lint(team_model(demo_team))


def test_a_cold_process_never_runs_a_full_lint_on_the_request(
    demo_team: Team, spy: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = _owner(demo_team)
    queued: list[int] = []
    monkeypatch.setattr("designer.lintreview.tasks.lint_team.delay", lambda team_id: queued.append(team_id))
    _as_a_new_process()
    cache.clear()
    html = client.get(f"/t/{demo_team.slug}/findings/").content.decode()
    assert spy == [] and queued == [demo_team.pk]
    assert "Checking the latest changes" in html and 'hx-get="/t/demo-shop/findings/status/"' in html
    # The worker reports progress; the status poll shows it.
    revision = team_model(demo_team).revision
    cache.set(relint._key(relint.identity(demo_team), "job"), {"revision": revision, "done": 27, "total": 54})
    status = client.get(f"/t/{demo_team.slug}/findings/status/")
    assert status.status_code == 200 and "27 of 54 rules" in status.content.decode()
    assert 'value="50"' in status.content.decode()
    assert queued == [demo_team.pk], "a running lint of this revision is not queued twice"
    # The worker finishes: the next poll refreshes the page, which shows the findings.
    relint.lint_team(demo_team.pk)
    assert spy == ["full"]
    status = client.get(f"/t/{demo_team.slug}/findings/status/")
    assert status.headers.get("HX-Refresh") == "true"
    page = client.get(f"/t/{demo_team.slug}/findings/").content.decode()
    assert "Checking the latest changes" not in page and "card-data-in-payload" in page


def test_a_big_change_goes_to_the_background(demo_team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    client, user = _owner(demo_team)
    client.get(f"/t/{demo_team.slug}/findings/")
    monkeypatch.setattr(relint, "INCREMENTAL_LIMIT", 0)
    queued: list[int] = []
    monkeypatch.setattr("designer.lintreview.tasks.lint_team.delay", lambda team_id: queued.append(team_id))
    _rename(demo_team, user, "OrderPlaced", "OrderPlace")
    lint_now = selectors.team_findings(demo_team)
    assert queued == [demo_team.pk] and lint_now.pending
    assert all(f.element != "OrderPlace" for f in lint_now.findings), "the previous revision's findings"


def test_the_status_of_another_team_is_a_404(demo_team: Team, make_team: Any) -> None:
    other = make_team()
    client, _ = _owner(demo_team)
    assert client.get(f"/t/{other.slug}/findings/status/").status_code == 404


def test_a_change_on_a_1000_message_team_shows_well_within_a_second(demo_team: Team) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from lint_bench import build_model

    client, user = _owner(demo_team)
    catalog.model_import(team=demo_team, user=user, model=build_model(1000, n_services=100), mode="replace",
                         replace_all=True)
    client.get(f"/t/{demo_team.slug}/findings/")  # the full lint (in-process here, a worker in production)
    client.get(f"/t/{demo_team.slug}/")
    timings = []
    for i in range(3):
        name = Message.objects.filter(team=demo_team, kind="event").order_by("name")[i].name
        _rename(demo_team, user, name, f"Thing{i}Ship")
        started = time.process_time()
        html = client.get(f"/t/{demo_team.slug}/findings/?rule=event-name-past-tense").content.decode()
        timings.append(time.process_time() - started)
        assert f"Thing{i}Ship" in html
    # The target is 200 ms of wall time (bench/lint_web_bench.py measures it). Here: the CPU time
    # of the request (the test client runs it on this thread), which a shared, loaded machine
    # inflates far less than wall time, with a generous margin; a full lint of this team costs
    # several times the bound.
    assert sorted(timings)[1] < 1.0, timings


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_background_lint_in_production_mode(demo_team: Team, celery_worker: Any) -> None:
    _as_a_new_process()
    first = selectors.team_findings(demo_team)  # cold: queued for the worker, not run here
    assert first.pending and first.findings == []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        selectors._SHAPED.clear()
        lint_now = selectors.team_findings(demo_team)
        if not lint_now.pending:
            break
        time.sleep(0.5)
    assert not lint_now.pending, "the worker did not finish the lint"
    assert lint_now.all_findings == lint(team_model(demo_team))
