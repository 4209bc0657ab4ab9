"""Token issuance and authentication.

Access tokens are short-lived (at most 15 minutes) and carry the active organization
(``org``) and the user's ``auth_version``; a password reset bumps that version, so
access tokens issued before it stop working at once, and every outstanding refresh token
is blacklisted.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import (
    AuthenticationFailed,
    InvalidToken,
    TokenBackendError,
    TokenError,
)
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token
from rest_framework_simplejwt.utils import get_md5_hash_password

from apps.core.errors import error_body
from apps.core.joined_read import JoinedRead
from apps.core.tenancy import org_claim, remember_token_membership
from apps.orgs.models import Membership, RevokedTokenFamily, User

ORG_CLAIM = "org"
AUTH_VERSION_CLAIM = "av"
FAMILY_CLAIM = "fam"
# A membership with its user and organization, by user id and organization id: read on
# every API request, so its SQL is built once (``apps.core.joined_read``). The pair is
# unique (``orgs_membership_unique_user``): the first row is the only one.
TOKEN_MEMBERSHIP = JoinedRead(
    Membership,
    joins=("user", "organization"),
    where=(f"user__{jwt_settings.USER_ID_FIELD}", "organization_id"),
)


# Tokens a process remembers as validated (the least recently used go first): a few per
# active session, each for at most ``ACCESS_TOKEN_LIFETIME``.
VALIDATED_KEPT = 4096
_validated: OrderedDict[bytes, Token] = OrderedDict()
_validated_lock = threading.Lock()


def _own_copy(token: Token) -> Token:
    """A token object sharing nothing mutable with ``token``: its own attributes and
    payload."""
    copied = copy.copy(token)
    copied.payload = dict(token.payload)
    return copied


class OrgJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, plus the ``auth_version`` check.

    A token naming its organization (claim ``org``) is read with the membership of its user
    in that organization, user and organization joined: one query for both, and tenancy
    (``resolve_membership``) uses that membership instead of reading it again. Without
    such a membership (no or malformed claim, a removed member, a deleted organization)
    the user is read as simplejwt reads it and tenancy resolves (and refuses) as before.
    """

    def get_validated_token(self, raw_token: bytes) -> Token:
        """simplejwt's validation, remembered per process until the token expires.

        Checking a token's signature and claims gives the same answer for the same bytes
        until its ``exp``, and took 3 % of the service's CPU under ``make loadtest`` (every
        request of a session sends the same token). What can change meanwhile is checked on
        every request all the same: the user's ``auth_version`` and membership
        (``get_user``). A token past its ``exp`` is validated again, so refused.

        Each request gets a token object of its own (``_own_copy``): authentication leaves
        the membership it read on the request's token for tenancy to take
        (``apps.core.tenancy.remember_token_membership``), which must die with the request.
        """
        now = time.time()
        with _validated_lock:
            token = _validated.get(raw_token)
            if token is not None:
                _validated.move_to_end(raw_token)
        if token is not None and token.get("exp", 0) > now:
            return _own_copy(token)
        token = super().get_validated_token(raw_token)
        with _validated_lock:
            _validated[raw_token] = _own_copy(token)
            while len(_validated) > VALIDATED_KEPT:
                _validated.popitem(last=False)
        return token

    def get_user(self, validated_token: Token) -> Any:
        membership = self._token_membership(validated_token)
        if membership is None:
            user = super().get_user(validated_token)
        else:
            user = membership.user
            self._check_user(validated_token, user)
        if validated_token.get(AUTH_VERSION_CLAIM) != getattr(user, "auth_version", None):
            raise AuthenticationFailed("Token is no longer valid.", code="token_not_valid")
        if membership is not None:
            remember_token_membership(validated_token, membership)
        return user

    def _token_membership(self, validated_token: Token) -> Membership | None:
        """The token user's membership of the token's organization; ``None`` to fall back."""
        if jwt_settings.USER_ID_CLAIM not in validated_token:
            return None  # simplejwt refuses it
        try:
            org_id = org_claim(validated_token)
        except InvalidToken:
            return None  # tenancy refuses it, after the user is read, as before
        if org_id is None:
            return None
        user_id = validated_token[jwt_settings.USER_ID_CLAIM]
        try:
            return TOKEN_MEMBERSHIP.first(user_id, org_id)
        except (ValidationError, ValueError, TypeError):
            return None  # not an id: simplejwt's own query answers as it always did

    def _check_user(self, validated_token: Token, user: User) -> None:
        """The checks simplejwt's ``get_user`` makes of the user it read (simplejwt 5.5)."""
        if jwt_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        if jwt_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            jwt_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(
                _("The user's password has been changed."), code="password_changed"
            )

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


@dataclass(frozen=True)
class IssuedTokens:
    access: str
    refresh: str
    expires_in: int
    membership: Membership


def issue_tokens(user: User, membership: Membership, *, family: str | None = None) -> IssuedTokens:
    """A new access token and refresh token; ``family`` continues a login's rotation chain."""
    refresh = RefreshToken.for_user(user)
    refresh[ORG_CLAIM] = str(membership.organization_id)
    refresh[AUTH_VERSION_CLAIM] = user.auth_version
    refresh[FAMILY_CLAIM] = family or str(uuid.uuid4())
    access = refresh.access_token
    # The family is the refresh chain's business; access tokens do not carry it.
    access.payload.pop(FAMILY_CLAIM, None)
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    return IssuedTokens(
        access=str(access),
        refresh=str(refresh),
        expires_in=int(lifetime.total_seconds()),
        membership=membership,
    )


def parse_refresh(raw: str | None) -> RefreshToken:
    """Validate a refresh token (signature, expiry, type, blacklist) or raise 401.

    A genuine refresh token that was already used (blacklisted) is a replayed copy: its
    whole family is revoked before answering 401.
    """
    if not raw:
        raise InvalidToken("No refresh token.")
    try:
        return RefreshToken(raw)  # type: ignore[arg-type]
    except TokenError as exc:
        replayed = _replayed_payload(raw)
        if replayed is not None:
            revoke_family(replayed)
        raise InvalidToken("Refresh token is invalid, expired or already used.") from exc


def _replayed_payload(raw: str) -> dict[str, Any] | None:
    """The claims of a correctly signed, unexpired refresh token that was already used."""
    try:
        payload: dict[str, Any] = token_backend.decode(raw, verify=True)  # type: ignore[arg-type]
    except TokenBackendError:
        return None
    if payload.get("token_type") != "refresh" or not payload.get("jti"):
        return None
    used = BlacklistedToken.objects.filter(token__jti=payload["jti"]).exists()
    return payload if used else None


def token_family(token: Token | dict[str, Any]) -> str | None:
    """The refresh token's family as a UUID string; ``None`` for tokens minted before families."""
    raw = token.get(FAMILY_CLAIM)
    if raw is None:
        return None
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError as exc:
        raise InvalidToken("Refresh token is invalid.") from exc


def family_revoked(family: str | None) -> bool:
    return family is not None and RevokedTokenFamily.objects.filter(family=family).exists()


def revoke_family(token: Token | dict[str, Any]) -> None:
    """Revoke every refresh token of this login (in its own transaction: it must stay)."""
    family = token_family(token)
    if family is not None:
        RevokedTokenFamily.objects.get_or_create(
            family=family, defaults={"user_id": token.get("user_id")}
        )


def blacklist(token: RefreshToken) -> None:
    try:
        token.blacklist()
    except Exception:  # noqa: BLE001 - an untracked token has nothing to revoke
        return


def blacklist_all_for_user(user: User) -> int:
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    tokens = list(outstanding)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True
    )
    return len(tokens)


def token_response_body(tokens: IssuedTokens) -> dict[str, Any]:
    return {
        "access_token": tokens.access,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
        "org": str(tokens.membership.organization_id),
        "role": tokens.membership.role,
    }


def set_refresh_cookie(response: Response | HttpResponse, refresh: str) -> None:
    response.set_cookie(
        settings.REFRESH_COOKIE_NAME,
        refresh,
        max_age=int(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()),
        httponly=True,
        secure=settings.REFRESH_COOKIE_SECURE,
        samesite="Lax",
        path=settings.REFRESH_COOKIE_PATH,
    )


def clear_refresh_cookie(response: Response | HttpResponse) -> None:
    response.delete_cookie(
        settings.REFRESH_COOKIE_NAME, path=settings.REFRESH_COOKIE_PATH, samesite="Lax"
    )


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """django-axes lockout: the API's error shape with 429."""
    message = "Too many failed logins; this account is locked for a while from this address."
    return JsonResponse(error_body(429, "account_locked", message), status=429)
