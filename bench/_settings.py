"""Production settings plus a trivial view to compare against, for the web benchmark."""

from casetracker.settings import *  # noqa: F403
from casetracker.settings import STORAGES

ROOT_URLCONF = "bench._urls"
# The benchmark does not run collectstatic; the manifest storage would refuse to render pages without it.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
