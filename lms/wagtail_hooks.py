"""Wagtail admin hooks of ``lms``: deleting a user goes through :func:`lms.services.account_anonymise`.

Participation records must be kept six years (every foreign key from them to the user is
``PROTECT``), so the admin's "Delete user" — one user or the bulk action — never deletes
the row: it anonymises the account, keeping its records, and says so. Who may use it is
Wagtail's own rule (``user_can_delete_user``), checked before these hooks run.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages

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


@hooks.register("before_bulk_action")
def anonymise_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or action_class_instance.model is not get_user_model():
        return None
    done = sum(_anonymise(request, user) for user in objects)
    if done:
        messages.success(
            request,
            f"{done} account(s) deleted: their personal details are erased and their course records "
            "and certificates are kept.",
        )
    return redirect(action_class_instance.next_url or "wagtailusers_users:index")


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("lms.account_anonymise", "Delete account", "Account deleted (anonymised)")
