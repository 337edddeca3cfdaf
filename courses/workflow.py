"""What happens when the "Faculty endorsement" workflow finishes (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports this module while it loads its own models, so it imports nothing of
ours at module level; the work is :func:`courses.services.endorsement_publish`.
"""


def finish_endorsement(workflow_state, user=None):
    """Publish the approved revision and record the Faculty's endorsement of it."""
    from courses.services import endorsement_publish

    endorsement_publish(workflow_state=workflow_state, user=user)
