"""Public-site views for courses: module pages, enrolment, progress, dashboard, search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST, require_safe

from courses.exceptions import (
    CreditClaimError,
    EnrolmentError,
    EvaluationError,
    ExternalCreditError,
    ModuleAccessError,
    ProfileIncompleteError,
    WaitlistError,
)
from courses.forms import CreditClaimForm, ExternalCreditForm
from courses.models import CourseEvaluationPage, CourseRun, Enrolment, ModulePage, WaitlistEntry
from courses.selectors import (
    credit_claim_context,
    evaluation_context,
    external_credit_for_evidence,
    learner_dashboard,
    module_access,
    module_context,
    search_results,
)
from courses.services import (
    credit_claim_submit,
    enrolment_create,
    enrolment_record_visit,
    enrolment_withdraw,
    evaluation_submit,
    external_credit_add,
    module_complete,
)
from courses.waitlists import (
    waitlist_join,
    waitlist_leave,
    waitlist_offer_accept,
    waitlist_offer_refusal,
    waitlist_position,
)


def serve_module(request, module: ModulePage):
    """Serve a module's content only to those with access; everyone else gets a locked page."""
    access = module_access(user=request.user, module=module)
    if not access.allowed:
        course = module.get_parent().specific
        return TemplateResponse(
            request,
            "courses/module_locked.html",
            {"page": module, "course": course},
            status=403,
        )
    if access.enrolment is not None:
        enrolment_record_visit(enrolment=access.enrolment, module=module)
    context = module.get_context(request)
    context["module_context"] = module_context(module=module, enrolment=access.enrolment, request=request)
    context["as_staff"] = access.as_staff
    context["module_authors"] = list(
        module.module_authors.select_related("faculty_member").prefetch_related("faculty_member__disclosures")
    )
    return TemplateResponse(request, module.get_template(request), context)


def module_preview_context(request, module: ModulePage) -> dict:
    """The module page's context for the editor's preview: the page as staff see it.

    ``module`` is the editor's unsaved instance — new (no id yet) or an edit of a saved
    page — so its course comes from its place in the tree and its authors from the form,
    and the other apps' sections, which read saved rows, are left out.
    """
    context = module.get_context(request)
    context["module_context"] = module_context(
        module=module, enrolment=None, request=request, with_panels=False
    )
    context["as_staff"] = True
    context["module_authors"] = [author for author in module.module_authors.all() if author.faculty_member_id]
    return context


@login_required
@require_POST
def enrol(request, run_id: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    course_url = run.course.get_url(request)
    try:
        enrolment_create(learner=request.user, run=run)
    except ProfileIncompleteError as error:
        messages.info(request, error.message)
        return redirect(f"{reverse('profile')}?{urlencode({'next': course_url})}")
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect(course_url)
    messages.success(
        request,
        f"You are enrolled in {run.course.title}, {run.label} run "
        f"({run.starts_on:%d %b} – {run.ends_on:%d %b %Y}).",
    )
    return redirect(course_url)


@login_required
@require_POST
def waitlist_join_view(request, run_id: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    course_url = run.course.get_url(request)
    try:
        entry = waitlist_join(learner=request.user, run=run)
    except WaitlistError as error:
        if "profile" in error.message:
            messages.info(request, error.message)
            return redirect(f"{reverse('profile')}?{urlencode({'next': course_url})}")
        messages.error(request, error.message)
        return redirect(course_url)
    messages.success(
        request,
        f"You are on the waitlist of the {run.label} run, number {waitlist_position(entry=entry)} in line. "
        "When a seat frees up we e-mail you, and hold it for you for a while.",
    )
    return redirect(course_url)


@login_required
@require_POST
def waitlist_leave_view(request, entry_id: int):
    entry = get_object_or_404(WaitlistEntry.objects.select_related("run", "run__course"), pk=entry_id)
    try:
        waitlist_leave(entry=entry, learner=request.user)
    except WaitlistError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You have left the waitlist of {entry.run}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "dashboard"
    return redirect(target)


@login_required
def waitlist_offer(request, entry_id: int):
    """The seat a waitlist offered the doctor: accept it (enrol) or decline it."""
    entry = WaitlistEntry.objects.select_related("run", "run__course").filter(pk=entry_id).first()
    if entry is None or entry.learner_id != request.user.pk:
        return render(
            request,
            "courses/waitlist_offer.html",
            {"entry": None, "refusal": "This seat was offered to another doctor; it is not yours to accept."},
            status=403,
        )
    if request.method == "POST":
        try:
            enrolment = waitlist_offer_accept(entry_id=entry.pk, learner=request.user)
        except ProfileIncompleteError as error:
            messages.info(request, error.message)
            return redirect(f"{reverse('profile')}?{urlencode({'next': request.path})}")
        except (WaitlistError, EnrolmentError) as error:
            messages.error(request, error.message)
            return redirect(request.path)
        messages.success(
            request, f"You are enrolled in {enrolment.run.course.title}, {enrolment.run.label} run."
        )
        return redirect("dashboard")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    refusal = waitlist_offer_refusal(entry=entry)
    return render(
        request,
        "courses/waitlist_offer.html",
        {
            "entry": entry,
            "refusal": refusal,
            "position": None if refusal is None else waitlist_position(entry=entry),
        },
        status=200,
    )


@login_required
def withdraw(request, enrolment_id: int):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("run", "run__course"), pk=enrolment_id, learner=request.user
    )
    if request.method == "POST":
        try:
            enrolment_withdraw(enrolment=enrolment)
        except EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"You have withdrawn from {enrolment.run}. Your seat is released.")
        return redirect("dashboard")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "courses/withdraw_confirm.html", {"enrolment": enrolment})


@login_required
@require_POST
def complete_module(request, module_id: int):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    try:
        result = module_complete(learner=request.user, module=module)
    except ModuleAccessError as error:
        messages.error(request, error.message)
        return redirect(module.get_parent().get_url(request))
    context = module_context(
        module=module, enrolment=result.completion.enrolment, request=request, with_panels=False
    )
    if result.course_completed:
        messages.success(request, f"Congratulations — you have completed {context.course.title}.")
        return redirect("dashboard")
    messages.success(request, f"“{module.title}” marked as complete.")
    if context.next is not None:
        return redirect(context.next.url)
    return redirect(context.course.get_url(request))


@login_required
def dashboard(request):
    data = learner_dashboard(user=request.user, request=request)
    return render(request, "courses/dashboard.html", {"dashboard": data})


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_results(user=request.user, query=query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "results": page})


def serve_evaluation(request, page: CourseEvaluationPage):
    """The course evaluation: shown to an enrolled learner whose earlier steps are done; one submission."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
    context = evaluation_context(page=page, user=request.user)
    form = None
    status = 200
    if context.refusal is None:
        if request.method == "POST":
            form = page.get_form(request.POST, page=page, user=request.user)
            if form.is_valid():
                try:
                    evaluation_submit(learner=request.user, page=page, form_data=form.cleaned_data)
                except EvaluationError as error:
                    # A second submission racing the first, or a step undone meanwhile.
                    form.add_error(None, error.message)
                    status = 400
                else:
                    messages.success(request, "Thank you: your evaluation is recorded.")
                    return redirect(context.next_url or context.course.get_url(request))
            else:
                status = 400
        else:
            form = page.get_form(page=page, user=request.user)
    elif request.method == "POST":
        status = 403
    return TemplateResponse(
        request,
        page.get_template(request),
        {"page": page, "self": page, "evaluation": context, "form": form},
        status=status,
    )


@login_required
def credit_claim(request, enrolment_id: int):
    """Attestation and credit claim for one of the learner's own enrolments."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("run", "run__course"), pk=enrolment_id, learner=request.user
    )
    form = CreditClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                credit_claim_submit(
                    learner=request.user,
                    enrolment=enrolment,
                    minutes_spent=form.minutes_spent,
                    attested=form.cleaned_data["attest"],
                )
            except CreditClaimError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(
                    request,
                    f"Your credit for {enrolment.run.course.title} is claimed. Your certificate is being prepared.",
                )
                return redirect("transcript")
        else:
            status = 400
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    context = credit_claim_context(enrolment=enrolment)
    return render(request, "courses/credit_claim.html", {"claim": context, "form": form}, status=status)


@login_required
def external_credit_new(request):
    """Add credit earned elsewhere to the transcript, with its evidence."""
    form = ExternalCreditForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                external_credit_add(learner=request.user, **form.cleaned_data)
            except ExternalCreditError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, "The credit is on your transcript, marked as self-reported.")
                return redirect("transcript")
        else:
            status = 400
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "courses/external_credit_form.html", {"form": form}, status=status)


@login_required
def external_evidence(request, pk: int):
    """The evidence file of an external credit, to its owner and administrators only (never a public address)."""
    credit = external_credit_for_evidence(user=request.user, pk=pk)
    if credit is None:
        raise Http404("No evidence here.")
    from lms.evidence import EVIDENCE_KINDS

    response = FileResponse(
        credit.evidence.open("rb"),
        as_attachment=True,
        filename=f"evidence-{credit.pk}.{credit.evidence_kind}",
        content_type=EVIDENCE_KINDS[credit.evidence_kind],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Calendars ----------------------------------------------------------------------------


def _calendar_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        # The address is the secret: never cached by a proxy, never sent on as a referrer.
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = "public, max-age=900"
    return response


@require_safe
def course_calendar(request, course_id: int):
    """``/calendar/courses/<id>.ics``: the public calendar of a live course's runs (404 otherwise)."""
    from courses.calendars import course_runs_calendar
    from courses.selectors import live_course_get

    course = live_course_get(course_id=course_id)
    if course is None:
        raise Http404("No such course.")
    return _calendar_response(
        course_runs_calendar(course=course), filename=f"{course.slug}-runs.ics", private=False
    )


@require_safe
def learner_calendar_feed(request, token: str):
    """``/calendar/<secret>.ics``: a doctor's private feed. A wrong or revoked secret is a 404."""
    from courses.calendars import learner_calendar
    from lms.selectors import calendar_feed_user

    user = calendar_feed_user(token=token)
    if user is None:
        raise Http404("No such calendar.")
    return _calendar_response(learner_calendar(user=user), filename="my-courses.ics", private=True)
