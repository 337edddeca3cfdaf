"""The academy's REST API (``/api/v1/``, issue 13): django-ninja, OpenAPI 3.1, OAuth2.

This package is the top layer (import-linter: ``api → certificates → quizzes → courses
→ lms``) and an interface only. Its endpoints parse input, call one function of an
app's public surface (``courses.api``, ``quizzes.api``, ``certificates.api``; the
contracts forbid anything else), and shape the answer with the Pydantic schemas in
:mod:`api.schemas`, which are the contract the OpenAPI document publishes. The rules
(access, capacity, grading, what a learner may see before review) stay in the apps,
so the API and the pages cannot disagree.

* :mod:`api.main` — the ``NinjaAPI``: the JSON body parser (the limits of
  :func:`lms.http.json_body`), errors as RFC 9457 problem details (:mod:`api.errors`)
  and the OpenAPI document's finishing touches (scopes per operation).
* :mod:`api.auth` — who is asking: the site's session (with CSRF) or an OAuth2 bearer
  token from django-oauth-toolkit carrying the operation's scope.
* :mod:`api.services` — what the API itself keeps: ``Idempotency-Key`` records.
* :mod:`api.endpoints` — one router per resource.
"""
