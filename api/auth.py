"""Who is asking: the site's session (browser, with CSRF) or an OAuth2 bearer token (apps).

Every operation lists both, token first (:func:`learner_auth` and friends). A request
with neither is answered 401 with a ``WWW-Authenticate`` challenge; a valid token that
lacks the operation's scope is answered 403 (``insufficient_scope``, RFC 6750).

* :class:`SessionAuth` — a signed-in doctor's session cookie. Unsafe methods need the
  CSRF token (``X-CSRFToken`` header), as every form of the site does.
* :class:`OAuth2` — a bearer token issued by django-oauth-toolkit (``/o/token/``):
  authorization code with PKCE (a mobile app acting for a doctor) or client credentials
  (an institution's integration, acting as the staff account that registered the
  application). Tokens are checked by the toolkit itself (expiry, revocation in the
  admin, scopes); they are stored only as checksums (``OAUTH2_PROVIDER``).

What an operation receives as ``request.auth`` is always a user: the doctor, or for
client credentials the application's owner. Object-level rules are then the apps' own.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.security.base import AuthBase
from oauth2_provider.oauth2_backends import get_oauthlib_core


class InsufficientScope(HttpError):
    def __init__(self, scope: str):
        super().__init__(403, f"This access token was not granted the “{scope}” scope this request needs.")
        self.scope = scope


class SessionAuth(NinjaSessionAuth):
    """The site's session; CSRF-checked on unsafe methods, and only when a session cookie is sent."""

    def __call__(self, request: HttpRequest):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # not a browser session: leave the request to the next scheme (or 401)
        return super().__call__(request)


class OAuth2(AuthBase):
    """An OAuth2 bearer token granted ``scope``; ``user_required`` refuses client-credentials tokens."""

    openapi_type = "oauth2"
    openapi_description = (
        "OAuth2 by django-oauth-toolkit. Authorization code with PKCE (S256) for apps acting for "
        "a doctor; client credentials for an institution's integration."
    )

    def __init__(self, scope: str, *, user_required: bool = True):
        self.scope = scope
        self.user_required = user_required
        self.openapi_flows = {
            "authorizationCode": {
                "authorizationUrl": "/o/authorize/",
                "tokenUrl": "/o/token/",
                "refreshUrl": "/o/token/",
                "scopes": settings.OAUTH2_SCOPES,
            },
            "clientCredentials": {"tokenUrl": "/o/token/", "scopes": settings.OAUTH2_SCOPES},
        }
        super().__init__()

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        core = get_oauthlib_core()
        valid, oauth_request = core.verify_request(request, scopes=[self.scope])
        if not valid:
            if core.verify_request(request, scopes=[])[0]:  # a good token, without this scope
                raise InsufficientScope(self.scope)
            # A token was sent and is no good (unknown, expired, revoked): say so, rather
            # than quietly treating the request as a visitor's or a session's.
            raise AuthenticationError()
        token = oauth_request.access_token
        user = oauth_request.user
        if user is None:  # client credentials: the application acts as the account that owns it
            if self.user_required:
                raise HttpError(
                    403, "This request acts for a doctor: use a token from the authorization code flow."
                )
            user = token.application.user
        if user is None or not user.is_active:
            raise AuthenticationError()
        request.user = user
        request.oauth_token = token
        return user


def anonymous(request: HttpRequest):
    """Lets a request without credentials through (the catalogue is public, as on the site)."""
    return request.user


def session_or_token(scope: str, *, user_required: bool = True) -> list:
    """The authentication of an operation that needs ``scope`` (sessions carry every learner scope)."""
    return [OAuth2(scope, user_required=user_required), SessionAuth()]


def public_or_token(scope: str) -> list:
    """Open to everyone; a token, if one is sent, must be valid and carry ``scope``."""
    return [OAuth2(scope, user_required=False), SessionAuth(), anonymous]


CATALOGUE = "catalogue:read"
LEARNING = "learning"
CERTIFICATES = "certificates:read"
ADMIN_REPORTS = "admin:reports"
