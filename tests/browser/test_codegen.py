"""Journey: preview a service's generated code, download it, and find the files shown in the zip."""
from __future__ import annotations

import zipfile
from typing import Any

from playwright.sync_api import expect


def test_it_previews_then_downloads_a_zip_holding_the_files_shown(page: Any, tmp_path: Any) -> None:
    page.goto("/t/demo-shop/services/")
    page.click("text=order-service")
    page.click("a.button:has-text('Code')")
    expect(page.locator("#code-viewer h1")).to_contain_text("order-service")
    page.click(".lang-tabs a:has-text('typescript')")
    expect(page.locator("#code-viewer h1")).to_contain_text("typescript")
    shown = page.locator("#file-tree a").evaluate_all("links => links.map(a => a.dataset.path)")
    assert any(p.endswith(".ts") for p in shown)
    page.locator("#file-tree a", has_text="package.json").click()
    expect(page.locator("#file-path")).to_contain_text("package.json")
    expect(page.locator(".hl")).to_contain_text('"name"')
    with page.expect_download() as download:
        page.click("#download-zip")
    target = tmp_path / "code.zip"
    download.value.save_as(target)
    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == sorted(shown)


def test_it_builds_the_whole_team_bundle_with_progress(page: Any, tmp_path: Any) -> None:
    page.goto("/t/demo-shop/code/")
    page.select_option("select[name=lang]", "go")
    page.click("text=Build a zip of every service")
    expect(page.locator("#bundle-progress")).to_contain_text("Ready", timeout=30000)
    with page.expect_download() as download:
        page.click("#bundle-download")
    target = tmp_path / "team.zip"
    download.value.save_as(target)
    with zipfile.ZipFile(target) as zf:
        assert any(name.endswith("order-service/go.mod") for name in zf.namelist())
