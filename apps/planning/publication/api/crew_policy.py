"""``/planning/crew-policy``: the organization's follow-up delays and open-shift mode."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import TenantAPIView
from apps.core.examples import request_example, response_example
from apps.orgs.models import MemberRole, User
from apps.planning.models import ClaimMode, CrewPolicy
from apps.planning.publication.api.common import INVITATION_TAG
from apps.planning.publication.policy import crew_policy, crew_policy_update

POLICY_EXAMPLE = {
    "invitation_reminder_delay_hours": 48,
    "invitation_reminder_max": 2,
    "open_shift_claim_mode": "approval",
}


class CrewPolicySerializer(serializers.Serializer[Any]):
    invitation_reminder_delay_hours = serializers.IntegerField(
        min_value=1, max_value=24 * 30, help_text="Hours without an answer before a reminder."
    )
    invitation_reminder_max = serializers.IntegerField(
        min_value=0, max_value=10, help_text="Reminders per invitation at most (0: none)."
    )
    open_shift_claim_mode = serializers.ChoiceField(
        choices=ClaimMode.choices,
        help_text="instant: a claim is accepted at once; approval: a manager approves it.",
    )


class CrewPolicyView(TenantAPIView):
    """Managers read, admins change."""

    serializer_class = CrewPolicySerializer
    read_role = MemberRole.MANAGER
    write_role = MemberRole.ADMIN

    def safely_get_queryset(self) -> QuerySet[Any]:
        return CrewPolicy.objects.all()

    @extend_schema(
        tags=[INVITATION_TAG],
        summary="The organization's reminder delays and open-shift mode (manager)",
        responses={200: CrewPolicySerializer},
        examples=[response_example("Defaults", POLICY_EXAMPLE)],
    )
    def get(self, request: Request) -> Response:
        return Response(CrewPolicySerializer(crew_policy(self.organization)).data)

    @extend_schema(
        tags=[INVITATION_TAG],
        summary="Change the reminder delays or the open-shift mode (admin)",
        request=CrewPolicySerializer(partial=True),
        responses={200: CrewPolicySerializer},
        examples=[
            request_example("Remind after a day", {"invitation_reminder_delay_hours": 24}),
            response_example("Changed", {**POLICY_EXAMPLE, "invitation_reminder_delay_hours": 24}),
        ],
    )
    def patch(self, request: Request) -> Response:
        serializer = CrewPolicySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = crew_policy_update(
            organization=self.organization,
            actor=cast(User, request.user),
            data=dict(serializer.validated_data),
        )
        return Response(CrewPolicySerializer(policy).data)
