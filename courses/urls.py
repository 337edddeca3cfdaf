from django.urls import path

from courses import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/enrolments/<int:enrolment_id>/withdraw/", views.withdraw, name="enrolment_withdraw"),
    path("runs/<int:run_id>/enrol/", views.enrol, name="enrol"),
    path("modules/<int:module_id>/complete/", views.complete_module, name="module_complete"),
    path("search/", views.search, name="search"),
    path("dashboard/enrolments/<int:enrolment_id>/claim/", views.credit_claim, name="credit_claim"),
]
