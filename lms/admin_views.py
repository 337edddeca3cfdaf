"""The academy's own admin screens, on Wagtail's generic views: one base for them all, and
the viewset mixin that registers them with the snippet they act on.

A screen is an :class:`AdminAction` of a ``SnippetViewSet`` (``admin_actions``): the
viewset serves it under its own URL prefix and namespace (``<prefix>/revoke/<pk>/``,
named ``<namespace>:revoke``), passes it the viewset's breadcrumbs and icon, and offers
it as a button — on the listing's header for actions on the whole collection, in the
inspect view's "Actions" menu and each row's menu for actions on one object — only to
those the model's permission policy allows, and only where the action applies
(:mod:`lms.admin_policies`). The screen asks the same policy again, so a button and its
screen never disagree:

* the person may not act → ``PermissionDenied`` (Wagtail answers it: the admin's home
  with "Sorry, you do not have permission", or 403 to a script);
* the action does not apply to the object as it is (a revoked certificate cannot be
  reissued) → the screen says why, offers no form, and a POST changes nothing;
* bad input → the form again with its errors; a service's refusal
  (:class:`~lms.exceptions.DomainError`, e.g. a race lost to another administrator) →
  the form again with the service's message. Services are atomic: a refusal changes
  nothing.

A GET never changes anything; every change is a POST, protected by Django's CSRF
middleware. Views parse the form, call one service (which writes the audit log) and
report; they hold no rules of their own. Templates extend
``lms/admin/action_form.html`` (or Wagtail's ``wagtailadmin/generic/base.html``) and fill
in what the screen is about; they carry no inline scripts or styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import IndexView, InspectView

from lms.admin_policies import ActionPermissionPolicy
from lms.exceptions import DomainError

#: What Wagtail's own index and inspect views require (any of them, on the model).
BROWSE_ACTIONS = ("add", "change", "delete", "view")


@dataclass(frozen=True)
class AdminAction:
    """One admin screen of a viewset.

    ``name`` is the permission policy's action and the URL name in the viewset's
    namespace; ``label`` and ``icon`` name the button and (unless ``title`` does) the
    page. An action ``on_object`` has the route ``<name>/<pk>/`` and a button per
    object, ordered by ``priority``; otherwise the route is ``<name>/`` and the button
    sits on the listing's header. ``route`` overrides the route; ``button=False``
    registers a screen reached from elsewhere (a page that links to it, a form that
    posts to it).
    """

    name: str
    view_class: type
    label: str
    icon: str = ""
    title: str = ""
    on_object: bool = True
    route: str = ""
    button: bool = True
    priority: int = 100

    def get_route(self) -> str:
        if self.route:
            return self.route
        slug = self.name.replace("_", "-")
        return f"{slug}/<int:pk>/" if self.on_object else f"{slug}/"


@dataclass(frozen=True)
class BoundAdminAction:
    """An :class:`AdminAction` with its URL name in a registered viewset."""

    action: AdminAction
    url_name: str

    def url(self, instance=None) -> str:
        if self.action.on_object:
            return reverse(self.url_name, args=[quote(instance.pk)])
        return reverse(self.url_name)


def _action_policy(model) -> ActionPermissionPolicy:
    policy = policy_registry.get_by_type(model)
    if not isinstance(policy, ActionPermissionPolicy):
        raise ImproperlyConfigured(
            f"{model.__name__} has admin actions, so it needs an ActionPermissionPolicy "
            f"(register_permission_policy), not {type(policy).__name__}."
        )
    return policy


# --- The screens --------------------------------------------------------------------------------


class AdminScreenMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """An academy admin screen for ``action`` on ``model``, checked by the model's policy.

    The viewset passes ``model``, ``action``, ``page_title``, ``header_icon``,
    ``breadcrumbs_items`` and its URL names. A collection screen is refused to anyone the
    policy does not allow ``action``; :class:`AdminObjectMixin` checks the object instead.
    """

    model = None
    action = ""
    refusal: str | None = None
    url_namespace = None
    index_url_name = None
    inspect_url_name = None
    edit_url_name = None

    def sibling_url(self, action: str, *args) -> str:
        """The URL of another of the viewset's screens (``action``), with ``args``."""
        return reverse(f"{self.url_namespace}:{action}", args=args)

    def get_template_names(self):
        # A screen's template is named after its action: ``<app_label>/admin/<action>.html``.
        return [f"{self.model._meta.app_label}/admin/{self.action}.html", *super().get_template_names()]

    @cached_property
    def permission_policy(self) -> ActionPermissionPolicy:
        if self.model is None or not self.action:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model and an action.")
        return _action_policy(self.model)

    def dispatch(self, request, *args, **kwargs):
        self.check_permission()
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self) -> None:
        if not self.permission_policy.user_has_permission(self.request.user, self.action):
            raise PermissionDenied

    @cached_property
    def user_may_browse(self) -> bool:
        """Whether the person may open the model's listing and inspect views."""
        return self.permission_policy.user_has_any_permission(self.request.user, BROWSE_ACTIONS)

    def url_for(self, instance) -> str | None:
        """Where ``instance`` is shown to this person (its inspect view), if anywhere."""
        if instance is not None and self.inspect_url_name and self.user_may_browse:
            return reverse(self.inspect_url_name, args=[quote(instance.pk)])
        return None

    def edit_url_for(self, instance) -> str | None:
        """The edit view of ``instance``, if this person may change it."""
        if instance is not None and self.edit_url_name:
            if self.permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
                return reverse(self.edit_url_name, args=[quote(instance.pk)])
        return None

    @cached_property
    def index_url(self) -> str | None:
        if self.index_url_name and self.user_may_browse:
            return reverse(self.index_url_name)
        return None

    def get_breadcrumbs_items(self):
        items = []
        if self.index_url:
            items.append({"url": self.index_url, "label": capfirst(self.model._meta.verbose_name_plural)})
        subject = self.get_page_subtitle()
        if getattr(self, "object", None) is not None:
            items.append({"url": self.url_for(self.object) or "", "label": subject})
        items.append({"url": "", "label": self.get_page_title(), "sublabel": subject})
        return self.breadcrumbs_items + items

    def get_cancel_url(self) -> str:
        return (
            get_valid_next_url_from_request(self.request)
            or self.url_for(getattr(self, "object", None))
            or self.index_url
            or reverse("wagtailadmin_home")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_cancel_url()
        return context


class AdminObjectMixin:
    """A screen about one object: loads it (404 if missing), refuses (403) a person the
    policy does not allow the action *on this object*, and records in ``refusal`` why
    the action does not apply to it now, if it does not."""

    pk_url_kwarg = "pk"
    object = None

    def get_queryset(self):
        return self.model._default_manager.all()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def check_permission(self) -> None:
        self.object = self.get_object()
        policy = self.permission_policy
        if not policy.user_has_permission_for_instance(self.request.user, self.action, self.object):
            raise PermissionDenied
        self.refusal = policy.action_refusal(self.action, self.object)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["refusal"] = self.refusal
        return context


class AdminFormView(AdminScreenMixin, FormView):
    """The one form-view base of the academy's action screens.

    Subclasses name the ``form_class`` (none: a confirmation), the ``submit_label`` and
    :meth:`perform`, which calls one service with the cleaned data and returns the
    success message; a :class:`~lms.exceptions.DomainError` it raises is shown on the
    form. Afterwards the person goes to :meth:`get_success_url` (the ``next`` they came
    from, else the object's page, else the listing). ``initial_from_query`` names the
    fields a link may pre-fill (``?run=12``).
    """

    template_name = "lms/admin/action_form.html"
    form_class = forms.Form
    submit_label = "Confirm"
    submit_classname = ""
    cancel_label = "Cancel"
    help_kind = "info"
    initial_from_query: Sequence[str] = ()

    def get_initial(self):
        return {name: self.request.GET[name] for name in self.initial_from_query if name in self.request.GET}

    def post(self, request, *args, **kwargs):
        if self.refusal:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form) -> str:
        """Call the screen's one service with ``form.cleaned_data``; return the success message."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.get_cancel_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.get_full_path()
        return context


class AdminObjectFormView(AdminObjectMixin, AdminFormView):
    """An action screen on one object (revoke this certificate, withdraw this enrolment).

    Where the action does not apply to the object now, the screen shows the reason in
    place of the form and a POST is answered the same way, changing nothing.
    """


class AdminObjectView(AdminObjectMixin, AdminScreenMixin, TemplateView):
    """A read-only screen about one object (a quiz's item statistics)."""


class AdminTemplateView(AdminScreenMixin, TemplateView):
    """A read-only screen about the collection (a run's certificates)."""


# --- Registering them -------------------------------------------------------------------------


class AdminActionButtonsMixin:
    """For a viewset's index and inspect views: the buttons of the viewset's actions, each
    offered only where the policy allows it and the object's state lets it apply."""

    admin_actions: Sequence[BoundAdminAction] = ()

    @cached_property
    def action_policy(self) -> ActionPermissionPolicy:
        return _action_policy(self.model)

    def _shown(self, *, on_object: bool):
        return [
            bound
            for bound in self.admin_actions
            if bound.action.button and bound.action.on_object is on_object
        ]

    def collection_action_buttons(self) -> list[HeaderButton]:
        user = self.request.user
        return [
            HeaderButton(bound.action.label, url=bound.url(), icon_name=bound.action.icon or None)
            for bound in self._shown(on_object=False)
            if self.action_policy.user_has_permission(user, bound.action.name)
        ]

    def object_actions_allowed(self, instance) -> list[BoundAdminAction]:
        user = self.request.user
        return [
            bound
            for bound in self._shown(on_object=True)
            if self.action_policy.user_may_act_on(user, bound.action.name, instance)
        ]

    def action_allowed(self, name: str, instance) -> bool:
        """Whether to offer the action ``name`` (a policy action) on ``instance``."""
        return self.action_policy.user_may_act_on(self.request.user, name, instance)

    def action_url(self, name: str, instance=None) -> str:
        """The URL of the viewset's action ``name`` (on ``instance``, for an object's action)."""
        bound = next((bound for bound in self.admin_actions if bound.action.name == name), None)
        if bound is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no admin action {name!r}.")
        return bound.url(instance)


class AdminActionIndexView(AdminActionButtonsMixin, IndexView):
    """A snippet listing with the viewset's collection actions in its header and the
    applicable object actions in each row's menu."""

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *self.collection_action_buttons()]

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        next_url = self.request.get_full_path()
        for bound in self.object_actions_allowed(instance):
            buttons.append(
                MenuItem(
                    bound.action.label,
                    url=f"{bound.url(instance)}?{urlencode({'next': next_url})}",
                    icon_name=bound.action.icon or None,
                    priority=bound.action.priority,
                )
            )
        return buttons


class AdminActionInspectView(AdminActionButtonsMixin, InspectView):
    """A snippet's inspect view with the applicable object actions in its "Actions" menu."""

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *(
                Button(
                    bound.action.label,
                    url=bound.url(self.object),
                    icon_name=bound.action.icon or None,
                    priority=bound.action.priority,
                )
                for bound in self.object_actions_allowed(self.object)
            ),
        ]


class AdminActionsViewSetMixin:
    """For a ``SnippetViewSet``: registers ``admin_actions`` under the viewset and gives
    its index and inspect views their buttons (views subclass
    :class:`AdminActionIndexView` / :class:`AdminActionInspectView`)."""

    admin_actions: Sequence[AdminAction] = ()
    index_view_class = AdminActionIndexView
    inspect_view_class = AdminActionInspectView

    @cached_property
    def bound_admin_actions(self) -> tuple[BoundAdminAction, ...]:
        return tuple(
            BoundAdminAction(action, self.get_url_name(action.name)) for action in self.admin_actions
        )

    def get_admin_action_view_kwargs(self, action: AdminAction) -> dict:
        kwargs = self.get_common_view_kwargs(
            action=action.name,
            page_title=action.title or action.label,
            header_icon=action.icon or self.icon,
            url_namespace=self.url_namespace,
        )
        kwargs["inspect_url_name"] = self.get_url_name("inspect") if self.inspect_view_enabled else None
        return kwargs

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(admin_actions=self.bound_admin_actions, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(admin_actions=self.bound_admin_actions, **kwargs)

    def get_urlpatterns(self):
        urlpatterns = list(super().get_urlpatterns())
        taken = {pattern.name for pattern in urlpatterns}
        for action in self.admin_actions:
            if action.name in taken:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: the action {action.name!r} is already a URL name."
                )
            taken.add(action.name)
            view = self.construct_view(action.view_class, **self.get_admin_action_view_kwargs(action))
            urlpatterns.append(path(action.get_route(), view, name=action.name))
        return urlpatterns

    def on_register(self):
        super().on_register()
        self.check_admin_actions()

    def check_admin_actions(self) -> None:
        """Refuse to start with an action the model's permission policy does not name."""
        policy = _action_policy(self.model)
        for action in self.admin_actions:
            if action.name not in policy.actions:
                raise ImproperlyConfigured(
                    f"{self.model.__name__}'s permission policy does not say who may {action.name!r}."
                )
