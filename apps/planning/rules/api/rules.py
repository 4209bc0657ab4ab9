"""``/api/v1/planning/rules``: the rule catalog as the organization runs it.

- ``GET planning/rules``: every rule with the organization's settings (every member).
- ``GET|PUT planning/rules/{code}``: one rule; changing it needs the admin role.

Thin views: an input serializer, one selector or service, an output serializer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.examples import request_example, response_example
from apps.orgs.models import MemberRole
from apps.planning.models import RuleSetting
from apps.planning.rules import catalog
from apps.planning.rules.selectors import rule_get, rule_list
from apps.planning.rules.services import rule_update

RULES_TAG = "planning: rules"

# --- Serializers ----------------------------------------------------------------------


class RuleSerializer(serializers.Serializer[catalog.EffectiveRule]):
    """A rule of the catalog merged with the organization's setting."""

    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=catalog.SEVERITIES, source="config.severity")
    enabled = serializers.BooleanField(source="config.enabled")
    params = serializers.DictField(child=serializers.FloatField(), source="config.params")
    description = serializers.CharField(source="definition.description")
    default_severity = serializers.CharField(source="definition.severity")
    default_params = serializers.DictField(
        child=serializers.FloatField(), source="definition.default_params"
    )
    is_default = serializers.BooleanField()
    locked = serializers.BooleanField(
        source="definition.locked", help_text="Always on and hard (double_booking)."
    )

    def to_representation(self, instance: catalog.EffectiveRule) -> dict[str, Any]:
        # Parameters keep the numbers as stored (11, not 11.0).
        data: dict[str, Any] = super().to_representation(instance)
        data["params"] = dict(instance.config.params)
        data["default_params"] = instance.definition.default_params
        return data


class RuleListSerializer(serializers.Serializer[Any]):
    rules = RuleSerializer(many=True)


class RuleUpdateSerializer(serializers.Serializer[Any]):
    """Omitted fields keep their value; ``params`` is merged over the current ones."""

    severity = serializers.ChoiceField(choices=catalog.SEVERITIES, required=False)
    enabled = serializers.BooleanField(required=False)
    params = serializers.DictField(required=False, help_text="Known parameter names only.")


# --- Examples -------------------------------------------------------------------------

_RULE_EXAMPLE = {
    "code": "min_rest",
    "severity": "hard",
    "enabled": True,
    "params": {"min_rest_hours": 11},
    "description": catalog.CATALOG["min_rest"].description,
    "default_severity": "hard",
    "default_params": {"min_rest_hours": 11},
    "is_default": True,
    "locked": False,
}
CODE_PARAMETER = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(catalog.CATALOG),
    description="Code of the rule in the catalog.",
)


# --- Views ----------------------------------------------------------------------------


class RuleListView(TenantAPIView):
    """The catalog as the organization runs it; every member reads it."""

    queryset = RuleSetting.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return RuleSetting.objects.all()

    @extend_schema(
        tags=[RULES_TAG],
        summary="The rule catalog with the organization's settings",
        operation_id="planning_rules_list",
        responses={200: RuleListSerializer},
        examples=[response_example("Catalog", {"rules": [_RULE_EXAMPLE]})],
    )
    def get(self, request: Request) -> Response:
        rules = rule_list(organization=self.organization)
        return Response(RuleListSerializer({"rules": rules}).data)


class RuleDetailView(TenantAPIView):
    """One rule; admins change its severity, switch and parameters."""

    write_role = MemberRole.ADMIN
    queryset = RuleSetting.objects.all()

    def safely_get_queryset(self) -> QuerySet[Any]:
        return RuleSetting.objects.all()

    @extend_schema(
        tags=[RULES_TAG],
        summary="One rule with the organization's settings",
        parameters=[CODE_PARAMETER],
        responses={200: RuleSerializer},
        examples=[response_example("Rule", _RULE_EXAMPLE)],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(RuleSerializer(rule_get(organization=self.organization, code=code)).data)

    @extend_schema(
        tags=[RULES_TAG],
        summary="Tune a rule (admin): severity, enabled, parameters",
        parameters=[CODE_PARAMETER],
        request=RuleUpdateSerializer,
        responses={200: RuleSerializer},
        examples=[
            request_example(
                "Shorter rest, soft",
                {"severity": "soft", "enabled": True, "params": {"min_rest_hours": 9}},
            ),
            response_example(
                "Tuned",
                {
                    **_RULE_EXAMPLE,
                    "severity": "soft",
                    "params": {"min_rest_hours": 9},
                    "is_default": False,
                },
            ),
        ],
    )
    def put(self, request: Request, code: str) -> Response:
        serializer = RuleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = rule_update(
            organization=self.organization,
            actor=self.membership.user,
            code=code,
            **serializer.validated_data,
        )
        return Response(RuleSerializer(rule).data)
