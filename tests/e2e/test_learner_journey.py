"""A doctor's first visit, in a real browser: sign up to progress on the dashboard."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.courses.factories import CourseRunFactory, ModulePageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_verify_profile_enrol_study_and_see_progress(page):
    run = CourseRunFactory(capacity=20)
    course = run.course
    first = ModulePageFactory(parent=course, title="Pain assessment")
    ModulePageFactory(parent=course, title="Multimodal analgesia")

    # Sign up.
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("new.doctor@example.org")
    page.get_by_label("Password", exact=True).fill("Sciatica-Relief-2027")
    page.get_by_label("Password (again)").fill("Sciatica-Relief-2027")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    # Verify the e-mail address with the link we were sent.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    # A new doctor is asked for their profile first.
    expect(page.get_by_role("heading", name=re.compile("profile", re.I))).to_be_visible()
    page.get_by_label(re.compile("Full name")).fill("Dr Kavya Raghunathan")
    page.get_by_label("Medical council").select_option(label="Karnataka Medical Council")
    page.get_by_label("Registration number").fill("KMC 123456")
    page.get_by_label("Specialty").select_option(label="Anaesthesiology")
    page.get_by_label(re.compile("institution", re.I)).fill("St John's Medical College Hospital")
    page.get_by_label("City").fill("Bengaluru")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("heading", name=re.compile("dashboard", re.I))).to_be_visible()

    # Enrol in this month's run.
    page.goto(course.url)
    page.get_by_role("button", name=f"Enrol in the {run.label} run").click()
    expect(page.get_by_role("heading", name=f"You are enrolled in the {run.label} run")).to_be_visible()

    # Open a module and mark it complete.
    page.get_by_role("link", name="Pain assessment").first.click()
    expect(page.get_by_role("heading", name="Pain assessment", level=1)).to_be_visible()
    expect(page.get_by_text("platelet-rich plasma dosing")).to_be_visible()
    page.get_by_role("button", name=re.compile("Mark as complete", re.I)).click()

    # The dashboard's progress bar has moved to one module of two.
    page.goto("/dashboard/")
    bar = page.get_by_role("progressbar").first
    expect(bar).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_text(re.compile(r"1 of 2 modules"))).to_be_visible()
    assert first.pk
