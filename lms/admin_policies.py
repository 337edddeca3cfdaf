"""Admin access rules shared by the apps: the policy for service-written rows, and the
permission guard of the custom admin screens."""

from wagtail.permission_policies import ModelPermissionPolicy


class ServiceWrittenPermissionPolicy(ModelPermissionPolicy):
    """Staff with the model's view permission may list and inspect its rows; the generic
    add, edit and delete views are refused to everyone, because these rows (enrolments,
    attempts, endorsements, certificates) change only through their services, which
    keep counters, constraints and the audit trail right. The admin's own action screens
    call those services and check their permissions themselves.
    """

    refused = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def require_permission(request, perm: str) -> None:
    """Refuse (403) an admin screen to a user without ``perm``; the custom screens' one guard."""
    from django.core.exceptions import PermissionDenied

    if not request.user.has_perm(perm):
        raise PermissionDenied
