"""``revoke_token`` and ``remove_member``: the same service functions as the Tokens and Members
pages, clear errors for unknown teams, users and tokens — through call_command and as
subprocesses on a real site."""
from __future__ import annotations

import io
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import CommandError, call_command

from designer.asgi import application
from designer.catalog import services as svc
from designer.catalog.live import ACCESS_CLOSE_CODE
from designer.catalog.models import ApiToken, Change, Membership
from tests.security.conftest import manage


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_revoke_token_by_secret_or_prefix_records_who_did_it(demo_team: Any) -> None:
    secret = run("create_token", "--team", demo_team.slug).strip()
    other = run("create_token", "--team", demo_team.slug).strip()
    assert "revoked" in run("revoke_token", "--team", demo_team.slug, "--token", secret)
    tok = ApiToken.objects.get(prefix=secret[:12])
    assert tok.revoked_at is not None and svc.token_authenticate(secret) is None
    assert Change.objects.filter(team=demo_team, action="revoke", element_kind="token", element_name=tok.prefix).exists()
    assert "revoked" in run("revoke_token", "--team", demo_team.slug, "--token", other[:12])
    assert svc.token_authenticate(other) is None
    assert "already revoked" in run("revoke_token", "--team", demo_team.slug, "--token", secret)


@pytest.mark.django_db
def test_revoke_token_names_what_is_unknown(demo_team: Any, make_team: Any) -> None:
    secret = run("create_token", "--team", demo_team.slug).strip()
    with pytest.raises(CommandError, match="no team with slug 'nope'"):
        run("revoke_token", "--team", "nope", "--token", secret)
    with pytest.raises(CommandError, match="has no token 'efd_unknown0'"):
        run("revoke_token", "--team", demo_team.slug, "--token", "efd_unknown0000000000")
    elsewhere = make_team()
    with pytest.raises(CommandError, match="has no token") as err:  # another team's token is not found
        run("revoke_token", "--team", elsewhere.slug, "--token", secret)
    assert secret not in str(err.value)  # the whole secret is never echoed
    assert svc.token_authenticate(secret) is not None


@pytest.mark.django_db
def test_remove_member_and_its_errors(demo_team: Any, make_user: Any) -> None:
    alice = make_user("alice")
    svc.membership_set(team=demo_team, actor=None, user=alice, role="editor")
    assert "removed alice" in run("remove_member", "--team", demo_team.slug, "--user", "alice")
    assert not Membership.objects.filter(team=demo_team, user=alice).exists()
    assert Change.objects.filter(team=demo_team, action="member", element_name="alice", after__isnull=True).exists()
    with pytest.raises(CommandError, match="alice is not a member"):
        run("remove_member", "--team", demo_team.slug, "--user", "alice")
    with pytest.raises(CommandError, match="no user named 'bob'"):
        run("remove_member", "--team", demo_team.slug, "--user", "bob")
    with pytest.raises(CommandError, match="no team with slug 'nope'"):
        run("remove_member", "--team", "nope", "--user", "alice")
    owner = Membership.objects.get(team=demo_team, role="owner").user
    with pytest.raises(CommandError, match="at least one owner"):
        run("remove_member", "--team", demo_team.slug, "--user", owner.username)
    assert Membership.objects.filter(team=demo_team, user=owner).exists()


@pytest.mark.django_db(transaction=True)
async def test_remove_member_closes_the_members_open_page(demo_team: Any, make_user: Any) -> None:
    alice = await database_sync_to_async(make_user)("alice")
    await database_sync_to_async(svc.membership_set)(team=demo_team, actor=None, user=alice, role="viewer")
    comm = WebsocketCommunicator(application, f"/ws/teams/{demo_team.slug}/model/",
                                 headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    comm.scope["user"] = alice
    assert (await comm.connect(timeout=5))[0]
    try:
        await database_sync_to_async(run)("remove_member", "--team", demo_team.slug, "--user", "alice")
        out = await comm.receive_output(timeout=1)
        assert out == {"type": "websocket.close", "code": ACCESS_CLOSE_CODE}
    finally:
        await comm.disconnect()


def test_the_commands_as_subprocesses(site_env: dict[str, str]) -> None:
    secret = manage(site_env, "create_token", "--team", "demo-shop").stdout.strip()
    done = manage(site_env, "revoke_token", "--team", "demo-shop", "--token", secret)
    assert f"revoked {secret[:12]}… of demo-shop" in done.stdout
    again = manage(site_env, "revoke_token", "--team", "demo-shop", "--token", secret)
    assert "already revoked" in again.stdout
    unknown = manage(site_env, "revoke_token", "--team", "demo-shop", "--token", "efd_nothing_here", check=False)
    assert unknown.returncode == 1 and "has no token 'efd_nothing_'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    env = {**site_env, "DJANGO_SUPERUSER_PASSWORD": "a-long-password-for-bob"}
    manage(env, "createsuperuser", "--noinput", "--username", "cli-bob", "--email", "bob@example.com")
    manage(site_env, "add_member", "--team", "demo-shop", "--user", "cli-bob", "--role", "viewer")
    gone = manage(site_env, "remove_member", "--team", "demo-shop", "--user", "cli-bob")
    assert "removed cli-bob from demo-shop" in gone.stdout
    twice = manage(site_env, "remove_member", "--team", "demo-shop", "--user", "cli-bob", check=False)
    assert twice.returncode == 1 and "cli-bob is not a member of this team" in twice.stderr
    nobody = manage(site_env, "remove_member", "--team", "no-such-team", "--user", "cli-bob", check=False)
    assert nobody.returncode == 1 and "no team with slug 'no-such-team'" in nobody.stderr
