"""allauth behaviour specific to the academy."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.http import urlencode

from lms.selectors import doctor_profile_is_complete


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """A new doctor (signed in once their address is confirmed) fills in their profile first."""
        return f"{reverse('profile')}?{urlencode({'next': super().get_signup_redirect_url(request)})}"

    def get_login_redirect_url(self, request):
        """Send a doctor without a complete profile to it first, then where they were going."""
        target = super().get_login_redirect_url(request)
        if request.user.is_authenticated and not doctor_profile_is_complete(user=request.user):
            if not request.user.has_perm("wagtailadmin.access_admin"):
                return f"{reverse('profile')}?{urlencode({'next': target})}"
        return target
