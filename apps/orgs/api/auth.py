"""``/api/v1/auth/``: sign-up, login, refresh, logout, me, switch-org, password reset.

The access token is returned in the body; the refresh token lives only in an httpOnly
cookie whose path is limited to these endpoints, and is rotated on every refresh.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.core.api import tenant_exempt
from apps.core.errors import NotAuthenticated, PermissionDenied, TooManyRequests
from apps.core.examples import request_example, response_example
from apps.core.tenancy import SESSION_ORG_KEY, resolve_membership
from apps.core.throttling import ScopedRateThrottle
from apps.orgs import services
from apps.orgs.auth import (
    AUTH_VERSION_CLAIM,
    ORG_CLAIM,
    clear_refresh_cookie,
    family_revoked,
    issue_tokens,
    parse_refresh,
    revoke_family,
    set_refresh_cookie,
    token_family,
    token_response_body,
)
from apps.orgs.models import Membership, User
from apps.orgs.serializers import (
    LoginInputSerializer,
    MeSerializer,
    ResetConfirmInputSerializer,
    ResetRequestInputSerializer,
    ResetRequestOutputSerializer,
    SignupInputSerializer,
    SwitchOrgInputSerializer,
    TokenSerializer,
)

TOKEN_EXAMPLE = response_example(
    "Tokens",
    {
        "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
        "token_type": "Bearer",
        "expires_in": 900,
        "org": "2b1d5c8e-6a4f-4e61-9a1e-0d2f3c4b5a69",
        "role": "manager",
    },
)


@tenant_exempt("before login: no organization yet")
class PublicAuthView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    # Public, yet they refuse credentials (401 wrong password or refresh token, 403 not a
    # member of the organization asked for) and an e-mail already taken (409 on sign-up).
    schema_error_codes = ("401", "403", "409")

    def get_authenticate_header(self, request: Request) -> str:
        # Without authenticators DRF turns a 401 (a bad refresh cookie) into a 403.
        return 'Bearer realm="api"'


def _token_response(tokens: Any, status_code: int = status.HTTP_200_OK) -> Response:
    response = Response(token_response_body(tokens), status=status_code)
    set_refresh_cookie(response, tokens.refresh)
    return response


def _membership_for_login(user: User, organization_id: Any) -> Membership:
    memberships = Membership.objects.select_related("organization").filter(user=user)
    if organization_id:
        memberships = memberships.filter(organization_id=organization_id)
    membership = memberships.order_by("created_at").first()
    if membership is None:
        raise PermissionDenied(
            "This account is not a member of that organization.", code="no_membership"
        )
    return membership


class SignupView(PublicAuthView):
    @extend_schema(
        tags=["auth"],
        request=SignupInputSerializer,
        responses={201: TokenSerializer},
        examples=[
            request_example(
                "Sign up",
                {
                    "email": "claire@example.com",
                    "password": "a-long-passphrase",
                    "full_name": "Claire Martin",
                    "organization_name": "Les Nuits Sonores",
                    "timezone": "Europe/Paris",
                    "language": "fr",
                },
            ),
            TOKEN_EXAMPLE,
        ],
        summary="Create an account, its organization and the owner membership",
    )
    def post(self, request: Request) -> Response:
        serializer = SignupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.user_signup(**serializer.validated_data)
        return _token_response(
            issue_tokens(result.user, result.membership), status.HTTP_201_CREATED
        )


class LoginView(PublicAuthView):
    @extend_schema(
        tags=["auth"],
        request=LoginInputSerializer,
        responses={200: TokenSerializer},
        examples=[
            request_example(
                "Login", {"email": "manager@demo.test", "password": "demo-password-2026"}
            ),
            TOKEN_EXAMPLE,
        ],
        summary="Log in; the refresh token is set in an httpOnly cookie",
    )
    def post(self, request: Request) -> Response:
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request
        user = authenticate(django_request, email=data["email"].lower(), password=data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                raise TooManyRequests(
                    "Too many failed logins; this account is locked for a while from this address.",
                    code="account_locked",
                )
            raise NotAuthenticated("Invalid e-mail or password.", code="invalid_credentials")
        membership = _membership_for_login(user, data.get("organization"))  # type: ignore[arg-type]
        # What django.contrib.auth.login() would send: axes resets the failure count of
        # this account and address (AXES_RESET_ON_SUCCESS) and last_login is updated.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        return _token_response(issue_tokens(user, membership))  # type: ignore[arg-type]


class RefreshView(PublicAuthView):
    @extend_schema(
        tags=["auth"],
        request=None,
        responses={200: TokenSerializer},
        examples=[TOKEN_EXAMPLE],
        summary="Rotate the refresh cookie and get a new access token",
        description=(
            "Each refresh token works once. Presenting one again revokes the whole login "
            "(every refresh token rotated from it): whoever holds a copy must log in again."
        ),
    )
    def post(self, request: Request) -> Response:
        old = parse_refresh(request.COOKIES.get(settings.REFRESH_COOKIE_NAME))
        family = token_family(old)
        if family_revoked(family):
            raise NotAuthenticated("This login was revoked; log in again.", code="token_not_valid")
        user = User.objects.filter(pk=old.get("user_id"), is_active=True).first()
        if user is None or old.get(AUTH_VERSION_CLAIM) != user.auth_version:
            raise NotAuthenticated("Refresh token is no longer valid.", code="token_not_valid")
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user, organization_id=_org_claim(old))
            .first()
        )
        if membership is None:
            raise NotAuthenticated("Membership ended; log in again.", code="token_not_valid")
        _consume_refresh(old)
        return _token_response(issue_tokens(user, membership, family=family))


def _org_claim(token: Any) -> str:
    try:
        return str(uuid.UUID(str(token.get(ORG_CLAIM))))
    except ValueError:
        raise NotAuthenticated("Refresh token is invalid.", code="token_not_valid") from None


def _consume_refresh(token: Any) -> None:
    """Blacklist a refresh token once; a second use (even concurrent) revokes its family."""
    if not _blacklist_once(token):
        revoke_family(token)
        raise NotAuthenticated(
            "Refresh token already used; this login is revoked.", code="token_not_valid"
        )


@transaction.atomic
def _blacklist_once(token: Any) -> bool:
    # OutstandingToken orders by user, an outer join that FOR UPDATE refuses: order by pk.
    outstanding = (
        OutstandingToken.objects.select_for_update().filter(jti=token["jti"]).order_by("pk").first()
    )
    if outstanding is None:
        raise NotAuthenticated("Unknown refresh token.", code="token_not_valid")
    _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    return created


def _revoke_cookie_refresh(request: Request) -> None:
    """Blacklist the cookie's refresh token if it is still alive (a dead one is fine)."""
    raw = request.COOKIES.get(settings.REFRESH_COOKIE_NAME)
    if raw:
        with contextlib.suppress(NotAuthenticated, InvalidToken):
            _consume_refresh(parse_refresh(raw))


class LogoutView(PublicAuthView):
    @extend_schema(tags=["auth"], request=None, responses={204: None}, summary="Log out")
    def post(self, request: Request) -> Response:
        _revoke_cookie_refresh(request)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_refresh_cookie(response)
        if hasattr(request, "session"):
            request.session.flush()
        return response


@tenant_exempt("the caller's own account, across organizations")
class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], responses={200: MeSerializer}, summary="The current user")
    def get(self, request: Request) -> Response:
        membership = resolve_membership(request)
        user = User.objects.prefetch_related("memberships__organization").get(pk=request.user.pk)  # type: ignore[misc]
        return Response(MeSerializer(user, context={"membership": membership}).data)


@tenant_exempt("chooses the organization; checks the membership itself")
class SwitchOrgView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        tags=["auth"],
        request=SwitchOrgInputSerializer,
        responses={200: TokenSerializer},
        examples=[TOKEN_EXAMPLE],
        summary="Act for another organization: new tokens for that membership",
    )
    def post(self, request: Request) -> Response:
        serializer = SwitchOrgInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.switch_membership(
            user=request.user,  # type: ignore[arg-type]
            organization_id=serializer.validated_data["organization"],
        )
        if hasattr(request, "session"):
            request.session[SESSION_ORG_KEY] = str(membership.organization_id)
        _revoke_cookie_refresh(request)
        return _token_response(issue_tokens(request.user, membership))  # type: ignore[arg-type]


class ResetRequestView(PublicAuthView):
    @extend_schema(
        tags=["auth"],
        request=ResetRequestInputSerializer,
        responses={202: ResetRequestOutputSerializer},
        summary="Ask for a password reset e-mail (always 202)",
    )
    def post(self, request: Request) -> Response:
        serializer = ResetRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            token = services.password_reset_request(email=serializer.validated_data["email"])
        body: dict[str, Any] = {
            "detail": "If an account uses this e-mail, a message is on its way."
        }
        if settings.DEBUG and token:
            body["reset_token"] = token
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ResetConfirmView(PublicAuthView):
    @extend_schema(
        tags=["auth"],
        request=ResetConfirmInputSerializer,
        responses={204: None},
        summary="Set a new password; every session and refresh token ends",
    )
    def post(self, request: Request) -> Response:
        serializer = ResetConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(
            token=serializer.validated_data["token"],
            new_password=serializer.validated_data["new_password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
