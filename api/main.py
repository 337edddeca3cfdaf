"""The ``NinjaAPI`` of ``/api/v1/``: routers, the body parser, problem-details errors, the OpenAPI document.

* Bodies are read by :func:`lms.http.json_body` (size, nesting depth, content type,
  UTF-8, no NaN): a body it refuses is a 400 or 413 problem and nothing runs.
* The OpenAPI 3.1 document (``/api/v1/openapi.json``, browsable at ``/api/v1/docs``)
  names, for every operation, the OAuth2 scope it needs (``{}`` where a visitor may
  call it too) and serves errors as ``application/problem+json``.
"""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from api import errors
from api.auth import OAuth2
from api.endpoints import attempts, catalogue, certificates, enrolments, me, reports
from lms.http import json_body

API_BODY_MAX_BYTES = 64 * 1024
API_BODY_MAX_DEPTH = 4


class JsonBodyParser(Parser):
    def parse_body(self, request: HttpRequest):
        return json_body(request, max_bytes=API_BODY_MAX_BYTES, max_depth=API_BODY_MAX_DEPTH)


class AcademyOpenAPISchema(OpenAPISchema):
    def operation_security(self, operation):
        result = []
        for auth in operation.auth_callbacks:
            if isinstance(auth, OAuth2):
                result.append({"OAuth2": [auth.scope]})
                self.securitySchemes["OAuth2"] = auth.openapi_security_schema
            elif hasattr(auth, "openapi_security_schema"):
                name = type(auth).__name__
                result.append({name: []})
                self.securitySchemes[name] = auth.openapi_security_schema
            else:  # anonymous: credentials are optional
                result.append({})
        return result or None


class AcademyAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = AcademyOpenAPISchema(self, path_prefix)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[errors.PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = AcademyAPI(
    title="IPSC Pain Academy API",
    version="1",
    description=(
        "The academy's courses, a doctor's enrolments, assessments and certificates, and public "
        "certificate verification. Errors are RFC 9457 problem details. Browser sessions send the "
        "CSRF token (X-CSRFToken) on unsafe methods; apps use OAuth2 (/o/authorize/, /o/token/)."
    ),
    urls_namespace="api-v1",
    parser=JsonBodyParser(),
)
errors.install(api)
api.add_router("", catalogue.router)
api.add_router("", me.router)
api.add_router("", enrolments.router)
api.add_router("", attempts.router)
api.add_router("", certificates.router)
api.add_router("", certificates.public)
api.add_router("", reports.router)
