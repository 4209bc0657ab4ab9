"""``/api/v1/artists``: the crew, and each artist's private rate profile.

Every member reads the crew; managers and above write. Rates are private: managers see
everyone's, a crew member only his or her own (the artist linked to the account), and
they are absent from other artists' payloads.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.errors import PermissionDenied
from apps.core.revisions import CachedListMixin
from apps.core.schema import ErrorSerializer
from apps.crew import selectors
from apps.crew.api import examples
from apps.crew.api.base import CrewViewSet
from apps.crew.api.filters import ArtistFilter
from apps.crew.api.onboarding import (
    CREATED_WITH_WARNING,
    DUPLICATE_EMAIL,
    INVITE_LOGIN_SENT,
    ArtistCreatedSerializer,
)
from apps.crew.api.serializers import (
    ArtistInputSerializer,
    ArtistSerializer,
    RateProfileSerializer,
    sees_private,
)
from apps.crew.models import Artist
from apps.crew.policies import is_manager
from apps.crew.services.artists import (
    artist_create,
    artist_delete,
    artist_update,
    artist_update_rates,
)
from apps.orgs import onboarding
from apps.orgs.serializers import OrganizationInvitationSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Artists, by last and first name",
        description="Search (`search`) matches first name, last name and, for those who may "
        "see crew contacts, e-mail. Rates appear only on your own artist unless you are a "
        "manager; e-mail and phone too, unless the organization shares crew contacts.",
        responses={
            200: ArtistSerializer(many=True),
            404: OpenApiResponse(
                ErrorSerializer, description="A skill or tag id is not one of the organization's."
            ),
        },
    ),
    retrieve=extend_schema(summary="One artist"),
)
@extend_schema(tags=["crew"])
class ArtistViewSet(CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CrewViewSet):
    queryset = Artist.objects.none()  # only tells the schema generator the model
    serializer_class = ArtistSerializer
    filterset_class = ArtistFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # The crew list is read on every board load; it shows no planning, so a shift's or
    # an assignment's write leaves it cached (``apps.core.revisions``).
    cache_namespace = "artists"
    cache_survives_planning_writes = True

    def cache_visibility(self) -> str:
        """Managers see every rate and contact; anyone else sees their own artist's."""
        membership = self.membership
        if is_manager(membership.role):
            return "managers"
        return f"member:{membership.user_id}"

    @property
    def search_fields(self) -> tuple[str, ...]:
        """E-mail is searchable only by those who may read it: a search is an oracle."""
        membership = getattr(self.request, "membership", None)
        if membership is not None and (
            is_manager(membership.role) or membership.organization.crew_contacts_visible
        ):
            return ("first_name", "last_name", "email")
        return ("first_name", "last_name")

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.artist_list(organization=self.organization)

    def _render(self, artist: Artist, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=artist.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _input(self, request: Request, *, partial: bool = False) -> dict[str, Any]:
        return dict(self.validated(ArtistInputSerializer, partial=partial))

    @extend_schema(
        summary="Add an artist (manager); 409 with the existing id for a known e-mail",
        description=(
            "An artist whose e-mail another artist of the organization already has is refused "
            "(409 `duplicate_artist`, with `existing_id`). One with the same first and last "
            "name as another is created, with a `same_name` warning naming the others."
        ),
        request=ArtistInputSerializer,
        responses={201: ArtistCreatedSerializer},
        examples=[*examples.ARTIST_CREATE, CREATED_WITH_WARNING, DUPLICATE_EMAIL],
    )
    def create(self, request: Request) -> Response:
        artist = artist_create(
            organization=self.organization, actor=self.actor, **self._input(request)
        )
        fresh = self.get_queryset().get(pk=artist.pk)
        fresh.warnings = self._warnings(fresh)  # type: ignore[attr-defined]
        data = ArtistCreatedSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _warnings(artist: Artist) -> list[dict[str, Any]]:
        namesakes = selectors.artist_namesakes(artist=artist)
        if not namesakes:
            return []
        message = f"Another artist is named {artist.full_name}: check this is not a duplicate."
        return [{"code": "same_name", "message": message, "artist_ids": namesakes}]

    @extend_schema(
        summary="Give the artist a login: e-mail an invitation to join as tech (manager)",
        description=(
            "Sends the artist's e-mail address a signed link to join the organization with "
            "the `tech` role; on acceptance (setting a password, or logging in) the account "
            "is linked to this artist. 400 when the artist has no e-mail, 409 when the "
            "artist already has a login or the address is already a member's."
        ),
        request=None,
        responses={202: OrganizationInvitationSerializer},
        examples=[INVITE_LOGIN_SENT],
    )
    @action(detail=True, methods=["post"], url_path="invite-login")
    def invite_login(self, request: Request, pk: str | None = None) -> Response:
        invitation = onboarding.artist_invite_login(
            organization=self.organization, actor=self.membership, artist=self.get_object()
        )
        return Response(
            OrganizationInvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        summary="Edit an artist (manager)",
        request=ArtistInputSerializer,
        responses={200: ArtistSerializer},
        examples=examples.ARTIST_UPDATE,
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(request, partial=True)
        artist = artist_update(artist=self.get_object(), actor=self.actor, data=data)
        return self._render(artist)

    @extend_schema(
        summary="Delete an artist (manager); refused once assigned: deactivate instead",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        artist_delete(artist=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="An artist's rate profile (managers; a crew member only his or her own)",
        responses={200: RateProfileSerializer},
        examples=examples.RATES_READ,
    )
    @action(detail=True, methods=["get"], url_path="rates")
    def rates(self, request: Request, pk: str | None = None) -> Response:
        artist = self.get_object()
        if not sees_private(self.get_serializer_context(), artist.user_id):
            raise PermissionDenied("Rates are visible to managers and to the artist only.")
        return Response(RateProfileSerializer(artist).data)

    @extend_schema(
        summary="Replace an artist's rate profile (manager)",
        request=RateProfileSerializer,
        responses={200: RateProfileSerializer},
        examples=examples.RATES_UPDATE,
    )
    @rates.mapping.put
    def update_rates(self, request: Request, pk: str | None = None) -> Response:
        serializer = RateProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artist = artist_update_rates(
            artist=self.get_object(), actor=self.actor, **serializer.validated_data
        )
        return Response(RateProfileSerializer(artist).data)
