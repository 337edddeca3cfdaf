"""API access in the Wagtail admin: OAuth2 applications and their tokens (revoke = delete).

Administrators register an institution's integration or the academy's app here (DOT's
own ``Application`` model: the client secret is shown once, on the add form, and stored
hashed). Every issued access and refresh token is listed with its application, user,
scopes and expiry; deleting one revokes it at once (tokens are stored as checksums, so
the list shows no token values). Deleting an application revokes all of its tokens.
"""

from oauth2_provider.models import AccessToken, Application, RefreshToken
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup


class ApplicationViewSet(SnippetViewSet):
    model = Application
    icon = "link-external"
    menu_label = "Applications"
    list_display = ["name", "client_type", "authorization_grant_type", "user", "created"]
    list_filter = ["client_type", "authorization_grant_type"]
    search_fields = ["name", "client_id"]
    search_backend_name = None
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("client_type"),
        FieldPanel("authorization_grant_type"),
        FieldPanel("redirect_uris"),
        FieldPanel("user", help_text="Client-credentials applications act as this (staff) account."),
        FieldPanel("client_id", read_only=True),
        FieldPanel(
            "client_secret",
            help_text="Copy it now: it is stored hashed and cannot be shown again once saved.",
        ),
        FieldPanel("skip_authorization"),
    ]


class AccessTokenViewSet(SnippetViewSet):
    model = AccessToken
    icon = "key"
    menu_label = "Access tokens"
    list_display = ["application", "user", "scope", "expires", "created"]
    list_filter = ["application"]
    search_backend_name = None
    ordering = ["-created"]
    panels = [FieldPanel("expires", help_text="Shorten to end the token sooner; delete it to revoke it now.")]


class RefreshTokenViewSet(SnippetViewSet):
    model = RefreshToken
    icon = "key"
    menu_label = "Refresh tokens"
    list_display = ["application", "user", "created", "revoked"]
    search_backend_name = None
    ordering = ["-created"]
    panels = [FieldPanel("revoked")]


class ApiAccessGroup(SnippetViewSetGroup):
    menu_label = "API access"
    menu_icon = "link-external"
    menu_order = 180
    items = (ApplicationViewSet, AccessTokenViewSet, RefreshTokenViewSet)


register_snippet(ApiAccessGroup)
