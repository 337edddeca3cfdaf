"""Who may use which admin screen, in one place per model: Wagtail permission policies that
know the model's action screens.

Wagtail asks the policy registered for a model (``wagtail.permissions.register_permission_policy``)
who may list, inspect, add, change or delete its rows. The academy's own screens —
revoke a certificate, withdraw an enrolment, grant an extra attempt — ask the same
policy, by action name, so a screen, its button and its menu entry cannot disagree:

* :class:`ActionPermissionPolicy` maps each action to the Django permission it needs
  (``{"revoke": "certificates.revoke_certificate"}``), may give an action an object-level
  rule (a faculty member confirms their *own* disclosures), and asks the owning app
  whether an action applies to an object as it is now (``action_refusal``: a revoked
  certificate cannot be reissued). The last is the app's rule, not the admin's: the
  policy only calls the selector the app's service also obeys.
* :class:`ServiceWrittenPermissionPolicy` is the same for rows written only by their
  services (enrolments, attempts, endorsements, certificates): Wagtail's generic add,
  edit and delete views are refused to everyone, superusers included.

Screens and buttons use :meth:`ActionPermissionPolicy.user_has_permission` (may this
person do it at all: the listing's buttons, collection screens),
:meth:`~ActionPermissionPolicy.user_has_permission_for_instance` (may they do it to
this object: refused with 403) and :meth:`~ActionPermissionPolicy.user_may_act_on`
(the button's question: allowed *and* applicable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Model, Q
from wagtail.permission_policies import ModelPermissionPolicy

InstanceRule = Callable[[object, Model], bool]
"""``rule(user, instance) -> bool``: whether ``user`` may perform the action on ``instance``."""

Refusal = Callable[[Model], "str | None"]
"""``refusal(instance) -> str | None``: why the action does not apply to ``instance`` now."""


def refused_unless_status(status: str, reason: str | Callable[[Model], str]) -> Refusal:
    """The refusal of an action that applies to a row in one ``status`` only (a job's
    download once it is ready, its confirmation while it is a preview): ``None`` in that
    status, otherwise ``reason`` — or ``reason(row)``, to name the row's state."""

    def refusal(row: Model) -> str | None:
        if row.status == status:
            return None
        return reason(row) if callable(reason) else reason

    return refusal


class ActionPermissionPolicy(ModelPermissionPolicy):
    """A model's permission policy, extended with its admin action screens.

    ``actions`` maps each action name to the ``app_label.codename`` permission it needs;
    any other action (``view``, ``add``, ``publish``…) is Wagtail's usual
    ``<action>_<model>`` permission. ``instance_rules`` decide an action on one object by
    themselves (they may allow people without the model-wide permission). ``refusals``
    are the owning app's rules for whether an action applies to an object in its current
    state: each returns the reason shown to the person, or ``None``.
    """

    def __init__(
        self,
        model,
        *,
        actions: Mapping[str, str] | None = None,
        instance_rules: Mapping[str, InstanceRule] | None = None,
        refusals: Mapping[str, Refusal] | None = None,
        auth_model=None,
    ):
        super().__init__(model, auth_model=auth_model)
        self.actions = dict(actions or {})
        self.instance_rules = dict(instance_rules or {})
        self.refusals = dict(refusals or {})
        unknown = (set(self.instance_rules) | set(self.refusals)) - set(self.actions)
        if unknown:
            raise ValueError(f"Rules for actions the policy does not name: {sorted(unknown)}")
        for action, permission in self.actions.items():
            if permission.count(".") != 1:
                raise ValueError(
                    f"Action {action!r} needs an 'app_label.codename' permission, not {permission!r}."
                )

    def _get_permission_name(self, action: str) -> str:
        return self.actions.get(action) or super()._get_permission_name(action)

    def users_with_any_permission(self, actions: Iterable[str]):
        names = {self._get_permission_name(action) for action in actions}
        if not names:
            return get_user_model().objects.none()
        which = Q()
        for name in names:
            app_label, codename = name.split(".")
            which |= Q(content_type__app_label=app_label, codename=codename)
        permissions = Permission.objects.filter(which)
        return (
            get_user_model()
            .objects.filter(
                (
                    Q(is_superuser=True)
                    | Q(user_permissions__in=permissions)
                    | Q(groups__permissions__in=permissions)
                )
                & Q(is_active=True)
            )
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        rule = self.instance_rules.get(action)
        if rule is not None:
            return bool(user.is_authenticated and user.is_active and rule(user, instance))
        return self.user_has_permission(user, action)

    def action_refusal(self, action: str, instance) -> str | None:
        """Why ``action`` does not apply to ``instance`` as it is now (the owning app's rule), or ``None``."""
        rule = self.refusals.get(action)
        return rule(instance) if rule is not None else None

    def user_may_act_on(self, user, action: str, instance) -> bool:
        """Whether to offer ``user`` the action on ``instance``: they may, and it applies."""
        return (
            self.user_has_permission_for_instance(user, action, instance)
            and self.action_refusal(action, instance) is None
        )


class ServiceWrittenPermissionPolicy(ActionPermissionPolicy):
    """Staff with the model's view permission may list and inspect its rows; the generic
    add, edit and delete views are refused to everyone, because these rows (enrolments,
    attempts, endorsements, certificates) change only through their services, which
    keep counters, constraints and the audit trail right. The model's action screens
    (``actions``) call those services.
    """

    refused = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.refused])
