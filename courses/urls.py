from django.urls import path

from courses import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/enrolments/<int:enrolment_id>/withdraw/", views.withdraw, name="enrolment_withdraw"),
    path("runs/<int:run_id>/enrol/", views.enrol, name="enrol"),
    path("runs/<int:run_id>/waitlist/join/", views.waitlist_join_view, name="waitlist_join"),
    path("waitlist/<int:entry_id>/leave/", views.waitlist_leave_view, name="waitlist_leave"),
    path("waitlist/<int:entry_id>/offer/", views.waitlist_offer, name="waitlist_offer"),
    path("modules/<int:module_id>/complete/", views.complete_module, name="module_complete"),
    path("search/", views.search, name="search"),
    path("calendar/courses/<int:course_id>.ics", views.course_calendar, name="course_calendar"),
    path("calendar/<str:token>.ics", views.learner_calendar_feed, name="calendar_feed"),
    path("dashboard/enrolments/<int:enrolment_id>/claim/", views.credit_claim, name="credit_claim"),
    path("transcript/external/add/", views.external_credit_new, name="external_credit_add"),
    path("transcript/external/<int:pk>/evidence/", views.external_evidence, name="external_credit_evidence"),
]
