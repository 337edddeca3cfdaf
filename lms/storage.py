"""Where uploaded and generated files live, and why none of them is a plain public file.

Every stored file — module handouts (Wagtail documents), certificate PDFs, Wagtail
images and their renditions, and whatever goes into the named ``"private"`` storage
(evidence uploads, exports, transcripts) — is private. A file's URL is never the storage
backend's own address:

* a document is served by Wagtail's serve view (``/documents/<id>/<name>``), after the
  ``before_serve_document`` hooks decide who may read it
  (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``);
* a certificate PDF is streamed by ``certificates.views.download`` to its holder and to
  staff;
* an image or rendition is reached at ``MEDIA_URL + name`` — :func:`lms.views.media_file`,
  which answers only for images :func:`lms.media.image_file_for_request` says the
  visitor may see, and 404 for every other name.

On a filesystem (``make run``, a single host with a volume) Django's
``FileSystemStorage`` already builds ``MEDIA_URL + name`` for ``"default"``, and
:class:`FolderFileSystemStorage` keeps ``"private"`` in its own folder of
``MEDIA_ROOT``; nothing else serves ``MEDIA_ROOT``. With S3-compatible object storage, :class:`PrivateS3Storage` keeps every
object private and returns the same guarded address from ``url()``; the media view
then redirects to :meth:`PrivateS3Storage.signed_url`, valid for
``settings.LMS_SIGNED_URL_SECONDS``.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from django.utils.functional import cached_property
from storages.backends.s3 import S3Storage


class FolderFileSystemStorage(FileSystemStorage):
    """A folder of ``MEDIA_ROOT`` (the ``"private"`` storage on a filesystem).

    Follows ``MEDIA_ROOT`` and ``MEDIA_URL`` when they change (tests give each run a
    media root of its own). Its URLs fall under the guarded media view, which serves no
    file of it.
    """

    def __init__(self, *, folder: str, **kwargs):
        self.folder = folder.strip("/")
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, self.folder)

    @cached_property
    def base_url(self):
        return urljoin(settings.MEDIA_URL, f"{self.folder}/")


class PrivateS3Storage(S3Storage):
    """Private S3 objects whose public address is the academy's guarded media view."""

    default_acl = "private"
    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The guarded ``/media/…`` address (never the bucket's)."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def signed_url(self, name: str) -> str:
        """A pre-signed GET URL for ``name`` that expires after ``LMS_SIGNED_URL_SECONDS``."""
        return super().url(name, expire=settings.LMS_SIGNED_URL_SECONDS)
