"""The permission policies behind the admin's screens: actions mapped to permissions,
object-level rules, refusals, and rows only services write."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.models import Certificate
from courses.models import Endorsement, Enrolment, FacultyMember
from lms.admin_policies import ActionPermissionPolicy, ServiceWrittenPermissionPolicy
from lms.admin_views import AdminAction, AdminActionsViewSetMixin, AdminFormView
from lms.roles import ADMINISTRATORS, FACULTY_AUTHORS
from quizzes.models import Attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_group(name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


def test_an_action_needs_the_permission_it_is_mapped_to():
    policy = policy_registry.get_by_type(Attempt)
    administrator, author = in_group(ADMINISTRATORS), in_group(FACULTY_AUTHORS)
    direct = UserFactory(is_staff=True)
    direct.user_permissions.add(Permission.objects.get(codename="add_extraattemptgrant"))
    inactive = in_group(ADMINISTRATORS)
    inactive.is_active = False
    inactive.save()
    superuser = UserFactory(is_superuser=True)

    assert policy.user_has_permission(administrator, "grant_extra")
    assert policy.user_has_permission(direct, "grant_extra")
    assert not policy.user_has_permission(author, "grant_extra")
    assert set(policy.users_with_permission("grant_extra")) == {administrator, direct, superuser}
    assert policy.user_has_permission(administrator, "view")  # Wagtail's own actions are unchanged


def test_rows_only_services_write_refuse_the_generic_views_even_to_superusers():
    superuser = UserFactory(is_superuser=True)
    for model in (Enrolment, Attempt, Endorsement, Certificate):
        policy = policy_registry.get_by_type(model)
        assert isinstance(policy, ServiceWrittenPermissionPolicy)
        for action in ("add", "change", "delete"):
            assert not policy.user_has_permission(superuser, action), (model, action)
            assert not policy.user_has_permission_for_instance(superuser, action, model()), (model, action)
        assert not policy.users_with_any_permission(["add", "change", "delete"]).exists()
        assert policy.user_has_permission(superuser, "view")


def test_an_instance_rule_decides_the_action_on_one_object():
    policy = policy_registry.get_by_type(FacultyMember)
    own_account, colleague, administrator = (
        UserFactory(is_staff=True),
        UserFactory(),
        in_group(ADMINISTRATORS),
    )
    member = FacultyMember.objects.create(name="Dr Farah Khan", user=own_account)

    assert policy.user_has_permission_for_instance(own_account, "confirm_disclosures", member)
    assert not policy.user_has_permission(own_account, "confirm_disclosures")  # not anyone else's
    assert policy.user_has_permission_for_instance(administrator, "confirm_disclosures", member)
    assert not policy.user_has_permission_for_instance(colleague, "confirm_disclosures", member)
    own_account.is_active = False
    assert not policy.user_has_permission_for_instance(own_account, "confirm_disclosures", member)


def test_the_button_question_is_permission_and_applicability():
    policy = ActionPermissionPolicy(
        Certificate,
        actions={"revoke": "certificates.revoke_certificate"},
        refusals={"revoke": lambda certificate: None if certificate.status == "issued" else "Not issued."},
    )
    administrator, author = in_group(ADMINISTRATORS), in_group(FACULTY_AUTHORS)
    issued, revoked = Certificate(status="issued"), Certificate(status="revoked")
    assert policy.user_may_act_on(administrator, "revoke", issued)
    assert not policy.user_may_act_on(administrator, "revoke", revoked)
    assert policy.action_refusal("revoke", revoked) == "Not issued."
    assert not policy.user_may_act_on(author, "revoke", issued)
    assert policy.action_refusal("view", revoked) is None  # no rule: it applies


def test_a_job_action_applies_in_its_one_status_and_says_why_not_otherwise():
    from courses.models import BulkEnrolment, RunExport

    exports, bulk = policy_registry.get_by_type(RunExport), policy_registry.get_by_type(BulkEnrolment)

    assert exports.action_refusal("download", RunExport(status="ready")) is None
    assert exports.action_refusal("download", RunExport(status="running")) == "This export is being prepared."
    assert bulk.action_refusal("bulk_preview", BulkEnrolment(status="preview")) is None
    assert bulk.action_refusal("bulk_preview", BulkEnrolment(status="done")) == (
        "This file has been confirmed already: its progress and results are on its own page."
    )


def test_a_policy_refuses_rules_for_actions_it_does_not_name_and_malformed_permissions():
    with pytest.raises(ValueError, match="does not name"):
        ActionPermissionPolicy(Certificate, actions={}, refusals={"revoke": lambda c: None})
    with pytest.raises(ValueError, match="does not name"):
        ActionPermissionPolicy(Certificate, actions={}, instance_rules={"revoke": lambda u, c: True})
    with pytest.raises(ValueError, match="app_label.codename"):
        ActionPermissionPolicy(Certificate, actions={"revoke": "revoke_certificate"})


class _Screen(AdminFormView):
    pass


def viewset_with(action: AdminAction) -> SnippetViewSet:
    """An unregistered certificate viewset with one extra admin action."""
    viewset_class = type(
        "CertificatesWithAction",
        (AdminActionsViewSetMixin, SnippetViewSet),
        {"model": Certificate, "admin_url_namespace": f"test_{action.name}", "admin_actions": (action,)},
    )
    return viewset_class()


def test_a_viewset_refuses_an_action_that_shadows_one_of_wagtails_views():
    with pytest.raises(ImproperlyConfigured, match="already a URL name"):
        viewset_with(AdminAction("edit", _Screen, "Edit again")).get_urlpatterns()


def test_a_viewset_refuses_an_action_its_policy_does_not_know():
    with pytest.raises(ImproperlyConfigured, match="does not say who may 'shred'"):
        viewset_with(AdminAction("shred", _Screen, "Shred")).check_admin_actions()
