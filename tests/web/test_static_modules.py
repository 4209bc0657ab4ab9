"""The pages' ES modules as production serves them: collected with hashed names (WhiteNoise).

Templates name each page's entry module with ``{% static %}``, which becomes a hashed name
after ``collectstatic``; the modules import one another by relative, unhashed paths, which
``collectstatic`` keeps beside the hashed copies. With no bundler, a module moved or renamed
without its imports would fail only in the browser, in production: these tests fail first.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")
# `import … from "x"`, `export … from "x"` and `import "x"`: the statements, not the text of
# strings or comments that mention them.
MODULE_SPECIFIER = re.compile(
    r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']""",
    re.MULTILINE,
)
PRODUCTION_STORAGES = {  # as config.settings.production, which needs production secrets
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``static/`` collected as in the Docker image (the apps' own files left out)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def imports_of(module: Path) -> list[str]:
    text = module.read_text(encoding="utf-8")
    return [a or b for a, b in MODULE_SPECIFIER.findall(text)]


def test_every_static_file_a_page_names_is_collected_under_a_hashed_name(
    collected: Path,
) -> None:
    names = {
        name for page in TEMPLATES.glob("*.html") for name in STATIC_TAG.findall(page.read_text())
    }
    assert "web/board/main.js" in names
    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STORAGES):
        for name in names:
            url = staticfiles_storage.url(name)  # as {% static %}; ValueError if not collected
            assert url != f"/static/{name}", "not under its hashed name"
            assert (collected / url.removeprefix("/static/")).is_file(), url


def test_every_import_between_the_modules_finds_its_file_once_collected(
    collected: Path,
) -> None:
    for module in sorted((collected / "web").rglob("*.js")):
        url = module.relative_to(collected).as_posix()
        for specifier in imports_of(module):
            assert specifier.startswith(("./", "../")), f"{url}: bare import {specifier!r}"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(url), specifier))
            assert (collected / target).is_file(), f"{url} imports {specifier}: not collected"
    assert imports_of(collected / "web" / "board" / "main.js"), "the import pattern found none"
