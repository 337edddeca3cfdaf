from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.signals import account_anonymised

        def forget_stored_responses(*, user, **kwargs):
            # A stored response replays what the API answered the person: personal data
            # beyond the participation record, erased with the account.
            from api.models import IdempotentRequest

            IdempotentRequest.objects.filter(user=user).delete()

        account_anonymised.connect(
            forget_stored_responses, dispatch_uid="api_forget_stored_responses", weak=False
        )
