"""Media storage that survives a full disk: the record is saved without its file, and staff are told."""

import contextvars
import errno
import logging
import os
from contextlib import suppress

from django.contrib import messages
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Names of the uploads that could not be stored during the current request.
_failed_uploads = contextvars.ContextVar("failed_uploads", default=None)
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class MediaStorage(FileSystemStorage):
    """File system storage that turns "disk full" into an empty file field instead of a lost form."""

    def save(self, name, content, max_length=None):
        try:
            return super().save(name, content, max_length=max_length)
        except OSError as error:
            if error.errno not in DISK_FULL:
                raise
            logger.error("Disk full: could not store upload %r under %s", getattr(content, "name", name), self.location)
            failed = _failed_uploads.get()
            if failed is not None:
                failed.append(getattr(content, "name", None) or name)
            # An empty name leaves the field blank, so the rest of the record still saves.
            return ""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno in DISK_FULL:
                with suppress(FileNotFoundError):
                    os.remove(self.path(name))  # the partly written file
            raise


class UploadFailureMiddleware:
    """Tell the user which uploaded files were not stored because the disk was full."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _failed_uploads.set([])
        try:
            response = self.get_response(request)
            for name in _failed_uploads.get():
                messages.error(
                    request,
                    _(
                        "The server's disk is full, so the file “%(name)s” was not stored. "
                        "Everything else was saved; upload the file again once space is freed."
                    )
                    % {"name": name},
                )
            return response
        finally:
            _failed_uploads.reset(token)
