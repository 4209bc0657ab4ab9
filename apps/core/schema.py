"""OpenAPI: every operation documents the error responses it can give.

The ``Error`` component is the one JSON shape of ``apps.core.errors``; this schema class
adds it under the status codes an operation can answer, so integrators read the errors
in the schema rather than discovering them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class WaiverSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    by = serializers.CharField(help_text="Who waived it (e-mail).")
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class ConflictSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["hard", "soft"])
    rule = serializers.CharField(help_text="Code of the rule in the catalog, e.g. min_rest.")
    message = serializers.CharField(
        help_text="In the reader's language, with names and local times."
    )
    details = serializers.DictField(help_text="Rule-specific facts (ids, minutes, limits).")
    waived = WaiverSerializer(
        required=False,
        help_text="An admin waived this hard conflict: it no longer blocks publication.",
    )
    waiver_voided = WaiverSerializer(
        required=False,
        help_text="A waiver was given, but the conflict changed since: it no longer holds.",
    )


class ErrorBodySerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages (validation errors, ids not found in a body).",
    )
    conflicts = ConflictSerializer(many=True, required=False)
    request_id = serializers.CharField(allow_null=True)


@extend_schema_serializer(
    component_name="Error",
    examples=[
        OpenApiExample(
            "Validation error",
            value={
                "error": {
                    "status": 400,
                    "code": "invalid",
                    "message": "end_at: must be after start_at.",
                    "fields": {"end_at": ["must be after start_at."]},
                    "request_id": "9f1c2a4e",
                }
            },
            response_only=True,
        ),
        OpenApiExample(
            "Hard conflict",
            value={
                "error": {
                    "status": 409,
                    "code": "hard_conflict",
                    "message": "The change breaks a hard planning rule.",
                    "conflicts": [
                        {
                            "type": "hard",
                            "rule": "double_booking",
                            "message": "Already booked 18:00-23:00 on another shift.",
                            "details": {"other_shift": "5b0c..."},
                        }
                    ],
                    "request_id": "9f1c2a4e",
                }
            },
            response_only=True,
        ),
    ],
)
class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    "400": "Invalid input (body, query parameter, a NUL byte, malformed JSON); `fields` names "
    "each bad field.",
    "401": "Missing, expired or invalid credentials.",
    "403": "Your role does not allow this action.",
    "404": "No such object in your organization (an id in the path, the query or the body, "
    "a page past the last one, a crew profile your account is not linked to).",
    "406": "The `Accept` header asks for a format this operation does not produce.",
    "409": "Conflicts with the current state (hard rule, uniqueness, transition).",
    "412": "`If-Match` names a version that is no longer current; `current_etag` gives it.",
    "410": "The link has expired.",
    "413": "The request body is larger than the documented limit (DATA_UPLOAD_MAX_MEMORY_SIZE, "
    "2.5 MiB by default); code `payload_too_large`.",
    "415": "The body is not JSON (`Content-Type: application/json`).",
    "429": "Throttled; see Retry-After.",
    "503": "A dependency (the database) is unavailable; code `service_unavailable`, "
    "retry after the seconds in Retry-After.",
}


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` of the version you edited (every single-object answer carries one): the "
        "write is refused with 412 if someone changed the row since. Optional."
    ),
)


# JSON Schema's ``format: time`` is RFC 3339's full-time, with an offset; a wall-clock time
# of the organization's zone has none ("18:30", "18:30:00", "18:30:00.250000").
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class AutoSchema(SpectacularAutoSchema):
    """Documents, for every operation, the error statuses it can answer.

    The rules live here, once, rather than in each view: any request can be malformed (400)
    or ask for a format we do not produce (406); every authenticated operation can answer
    401/403; an organization's view can answer 404 for an id from the path, the query or
    the body (or a page past the last); writes can conflict (409), be stale (412), too big
    (413) or not JSON (415). A view adds statuses of its own with ``schema_error_codes``.
    """

    def _error_codes(self) -> list[str]:
        # Imported here: apps.core.api imports the models, this module is loaded by settings.
        from apps.core.api import TenantAPIView

        method = self.method.upper()
        writes = method in {"POST", "PUT", "PATCH"}
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = {"400", "406", "503"}
        if not public:
            codes |= {"401", "403"}
        if "{" in self.path or writes or isinstance(self.view, TenantAPIView):
            codes.add("404")
        if method in {"POST", "PUT", "PATCH", "DELETE"} and not public:
            codes.add("409")
        if method in {"PUT", "PATCH", "DELETE"} and not public and "{" in self.path:
            codes.add("412")
        if writes:
            codes |= {"413", "415"}
        if getattr(self.view, "throttle_classes", None) or getattr(
            self.view, "throttle_scope", None
        ):
            codes.add("429")
        codes |= set(getattr(self.view, "schema_error_codes", ()))
        return sorted(codes)

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema and isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema.pop("format")
            schema["pattern"] = LOCAL_TIME_PATTERN
            schema.setdefault("example", "18:30:00")
        if (
            schema
            and isinstance(field, serializers.EmailField)
            and schema.get("format") == "email"
            and _model_field_is_blank(field)
        ):
            # The serializer says e-mail, the model allows none: "" is a possible answer.
            outer = {"readOnly", "writeOnly", "nullable", "description", "title"}
            inner = {k: schema.pop(k) for k in list(schema) if k not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]
        return schema

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self.method.upper() in {"PUT", "PATCH", "DELETE"} and "412" in self._error_codes():
            parameters.append(IF_MATCH)
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS.get(code, "See `code`.")
                responses[code] = response
        return responses


def _model_field_is_blank(field: Any) -> bool:
    """Whether the model field behind a serializer field accepts an empty value."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:  # a method or a property: never blank by the model's say
        return False
