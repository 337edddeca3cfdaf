from django.urls import path

from quizzes import views

urlpatterns = [
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<int:quiz_id>/start/", views.start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.take, name="attempt_take"),
    path("attempts/<int:attempt_id>/answers/", views.autosave, name="attempt_autosave"),
    path("attempts/<int:attempt_id>/result/", views.result, name="attempt_result"),
]
