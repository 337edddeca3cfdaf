"""The signature image chooser: only the restricted "Certificate signatures" collection.

Wagtail's own image chooser, limited to that collection for browsing, choosing and
uploading, so a signatory's signature can only be an image that academy administrators
alone may change. The signatory form checks the same rule on the server
(:class:`certificates.forms.SignatoryAdminForm`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from wagtail.images import get_image_model
from wagtail.images.views.chooser import (
    ImageChooseResultsView,
    ImageChooserViewSet,
    ImageChooseView,
    ImageChosenView,
    ImageUploadView,
)
from wagtail.images.widgets import AdminImageChooser

from certificates.selectors import signatures_collection

VIEWSET_NAME = "certificates_signature_chooser"


class _SignaturesOnly:
    def get_object_list(self):
        return super().get_object_list().filter(collection=signatures_collection())

    @cached_property
    def collections(self):
        return None  # one collection: no collection filter

    def get_creation_form(self):
        form = super().get_creation_form()
        if form is not None and "collection" in form.fields:
            collection = signatures_collection()
            form.fields["collection"].queryset = form.fields["collection"].queryset.filter(
                pk=getattr(collection, "pk", None)
            )
            form.fields["collection"].initial = collection
        return form


class SignatureChooseView(_SignaturesOnly, ImageChooseView):
    pass


class SignatureChooseResultsView(_SignaturesOnly, ImageChooseResultsView):
    pass


class SignatureUploadView(_SignaturesOnly, ImageUploadView):
    def save_form(self, form):
        form.instance.collection = signatures_collection()
        return super().save_form(form)


class SignatureChosenView(ImageChosenView):
    def get_object(self, pk):
        image = super().get_object(pk)
        if image.collection_id != getattr(signatures_collection(), "pk", None):
            raise PermissionDenied
        return image


class SignatureChooserViewSet(ImageChooserViewSet):
    choose_view_class = SignatureChooseView
    choose_results_view_class = SignatureChooseResultsView
    chosen_view_class = SignatureChosenView
    create_view_class = SignatureUploadView
    choose_one_text = "Choose a signature"
    choose_another_text = "Choose another signature"


class SignatureImageChooser(AdminImageChooser):
    choose_one_text = "Choose a signature"
    choose_another_text = "Change signature"
    chooser_modal_url_name = f"{VIEWSET_NAME}:choose"


signature_chooser_viewset = SignatureChooserViewSet(
    VIEWSET_NAME, model=get_image_model(), url_prefix="certificates/signature-chooser"
)
