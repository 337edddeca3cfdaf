"""Account pages of the public site: the doctor's profile, and the health probe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from lms.forms import DoctorProfileForm
from lms.selectors import doctor_profile_for
from lms.services import doctor_profile_save


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def profile_edit(request):
    profile = doctor_profile_for(user=request.user)
    next_url = _safe_next(request)
    if request.method == "POST":
        form = DoctorProfileForm(request.POST, instance=profile)
        if form.is_valid():
            doctor_profile_save(user=request.user, **form.cleaned_data)
            messages.success(request, "Your profile is saved.")
            return redirect(next_url or "dashboard")
        messages.error(request, "Please correct the highlighted fields.")
    else:
        initial = {}
        if profile is None and request.user.get_full_name():
            initial["full_name"] = request.user.get_full_name()
        form = DoctorProfileForm(instance=profile, initial=initial)
    return render(
        request,
        "lms/profile_form.html",
        {"form": form, "next": next_url, "is_new": profile is None},
    )
