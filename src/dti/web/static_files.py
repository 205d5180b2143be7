"""Static files under names that carry a hash of their content (dti.css → dti.5c1e0a43d1b2.css), compressed
beside themselves, once `dti manage collectstatic` has written them to STATIC_ROOT (`dti demo` does it): a
browser keeps such a file for good, and a changed file is a new name, never a stale copy.

Before that (a fresh checkout, the test suite's own server) pages name the package's files as they are and
WhiteNoise serves them from the package, kept by browsers for a minute only; `dti manage check --deploy` says so.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core import checks
from django.core.files.storage import storages
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a file added to the package since the last collectstatic keeps its plain name

    @property
    def collected(self) -> bool:
        return bool(self.hashed_files)

    def url(self, name, force=False):
        if not self.collected:
            return StaticFilesStorage.url(self, name)
        return super().url(name, force)


@checks.register(checks.Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    storage = storages["staticfiles"]
    if isinstance(storage, HashedStaticFiles) and not storage.collected:
        return [checks.Warning(
            f"Static files are not collected in {settings.STATIC_ROOT}: pages name them without hashes, so "
            "browsers keep them for a minute only.", hint="Run `dti manage collectstatic`.", id="dti.W001")]
    return []
