"""Wagtail admin hooks of ``lms``: deleting a user goes through :func:`lms.services.account_anonymise`,
and staff profile pictures are served by the academy.

Participation records must be kept six years (every foreign key from them to the user is
``PROTECT``), so the admin's "Delete user" — one user or the bulk action — never deletes
the row: it anonymises the account, keeping its records, and says so. Who may use it is
Wagtail's own rule (``user_can_delete_user``), checked before these hooks run.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction

from lms.services import AccountDeletionError, account_anonymise


def _anonymise(request, user) -> bool:
    try:
        account_anonymise(user=user, by=request.user)
    except AccountDeletionError as error:
        messages.error(request, f"{user}: {error.message}")
        return False
    return True


@hooks.register("before_delete_user")
def anonymise_instead_of_deleting(request, user):
    if request.method != "POST":
        return None  # the confirmation page (templates/wagtailusers/users/confirm_delete.html) explains
    if _anonymise(request, user):
        messages.success(
            request,
            format_html(
                "Account {} deleted: its personal details are erased and its course records and "
                "certificates are kept.",
                user.pk,
            ),
        )
    return redirect("wagtailusers_users:index")


class AnonymiseUsersBulkAction(DeleteBulkAction):
    """The user listing's bulk "Delete": each account is anonymised, its records kept.

    Registered after Wagtail's own action of the same type (a later ``order``), which it
    replaces. The records that reference an account are the point of keeping it, so
    they do not block the action as Wagtail's references would.
    """

    display_name = "Delete (anonymise)"
    aria_label = "Delete the selected accounts, keeping their course records"
    template_name = "lms/admin/confirm_bulk_anonymise.html"

    def prepare_action(self, objects, objects_without_access):
        return None

    def get_execution_context(self):
        return {**super().get_execution_context(), "request": self.request}

    @classmethod
    def execute_action(cls, objects, model=None, request=None, **kwargs):
        return sum(_anonymise(request, user) for user in objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if not num_parent_objects:
            return None
        return (
            f"{num_parent_objects} account(s) deleted: their personal details are erased and their course "
            "records and certificates are kept."
        )


hooks.register("register_bulk_action", AnonymiseUsersBulkAction, order=100)


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("lms.account_anonymise", "Delete account", "Account deleted (anonymised)")


@hooks.register("get_avatar_url")
def uploaded_avatar_url(user, size):
    """An uploaded profile picture at the academy's guarded address (lms.views.admin_avatar);
    ``None`` otherwise, so Wagtail shows its own default picture from our static files
    (Gravatar is off: WAGTAIL_GRAVATAR_PROVIDER_URL)."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return reverse("admin_avatar", args=[user.pk])
    return None
