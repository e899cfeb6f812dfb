"""The language registry: each language package declares LANGUAGE; generate() looks it up."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from designer.core.codegen import LANGUAGES, CodegenError, generate, language, registry
from designer.core.codegen.registry import STYLES, Language, LanguageContractError, language_from_package
from designer.core.formats import load_any

ROOT = Path(__file__).resolve().parents[3]
SHOP = ROOT / "designer/catalog/demo/shop.yaml"


def test_registry_has_every_language_in_offer_order() -> None:
    langs = registry()
    assert tuple(langs) == LANGUAGES == ("python", "typescript", "java", "go")
    for name, lang in langs.items():
        assert isinstance(lang, Language) and lang.name == name and lang.title
        assert lang.templates.is_dir() and any(lang.templates.glob("*.j2"))
        assert {lang.naming.types, lang.naming.fields, lang.naming.packages} <= set(STYLES)
        assert lang.naming.keywords, name


def test_naming_policy_is_what_the_generator_uses() -> None:
    model = load_any(SHOP.read_text(encoding="utf-8"), str(SHOP))
    files = generate(model, "python")
    # The package folder is the snake-case service name, as python's Naming.packages says.
    assert language("python").naming.packages == "snake"
    assert any("/" in p and p.split("/")[1].islower() for p in files)
    assert "class" in language("java").naming.keywords and "func" in language("go").naming.keywords


def test_unknown_language_message_is_unchanged() -> None:
    model = load_any(SHOP.read_text(encoding="utf-8"), str(SHOP))
    with pytest.raises(CodegenError, match=r"unknown language 'cobol'; choose one of python, typescript, java, go"):
        generate(model, "cobol")


def test_a_package_breaking_the_contract_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "fakecodegen"
    (pkg / "nolang").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "nolang" / "__init__.py").write_text("def generate_service(shape):\n    return {}\n")
    (pkg / "misnamed").mkdir()
    (pkg / "misnamed" / "__init__.py").write_text(
        "from designer.core.codegen.python import LANGUAGE\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(LanguageContractError, match=r"fakecodegen.nolang: missing LANGUAGE"):
        language_from_package("fakecodegen", "nolang")
    with pytest.raises(LanguageContractError, match=r"LANGUAGE.name 'python' does not match .*'misnamed'"):
        language_from_package("fakecodegen", "misnamed")


def test_cli_help_lists_languages_without_importing_generators_or_jinja2() -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "manage.py", "codegen", "--help"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "one of python, typescript, java, go" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "designer.core.codegen" in imported
    assert not {"jinja2", "designer.core.codegen.python", "designer.core.codegen.go"} & imported
