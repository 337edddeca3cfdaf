"""Who the token or session acts for: the account and the doctor's profile."""

from ninja import Router

from api.auth import LEARNING, session_or_token
from api.schemas import MeOut, Problem
from lms.selectors import doctor_profile_for

router = Router(tags=["Me"], auth=session_or_token(LEARNING))


@router.get(
    "/me", response={200: MeOut, 400: Problem, 401: Problem, 403: Problem}, summary="The signed-in doctor"
)
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "profile": doctor_profile_for(user=user),
    }
