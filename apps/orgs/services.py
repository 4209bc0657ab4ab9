"""Writes for accounts, organizations and memberships. Each one is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify

from apps.audit.actions import AuditAction
from apps.audit.services import record, set_audited, snapshot, update_audited
from apps.core.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from apps.core.integrity import constraint_errors
from apps.orgs.auth import blacklist_all_for_user
from apps.orgs.models import MemberRole, Membership, Organization, User

MEMBERSHIP_FIELDS = ("id", "organization", "user", "role")
ORGANIZATION_FIELDS = ("id", "name", "slug", "timezone", "language", "crew_contacts_visible")
PRIVILEGED_ROLES = (MemberRole.OWNER, MemberRole.ADMIN)


# The plain unique index and the case-insensitive one: either may catch a racing sign-up.
EMAIL_CONSTRAINTS = ("orgs_user_email_key", "orgs_user_email_ci_unique")


def _email_taken() -> ConflictError:
    message = "An account already uses this e-mail."
    return ConflictError(message, code="email_taken", fields={"email": [message]})


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validated_password(password: str, user: User | None = None, *, field: str = "password") -> str:
    """Django's password validators; the error names ``field``, the input that was weak."""
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The password is too weak.", fields={field: list(exc.messages)}
        ) from exc
    return password


@transaction.atomic
def organization_create(
    *, name: str, owner: User, timezone: str = "Europe/Paris", language: str = "fr"
) -> Organization:
    organization = Organization(
        name=name, slug=_unique_slug(name), timezone=timezone, language=language
    )
    organization.full_clean()
    organization.save()
    membership = Membership.objects.create(
        organization=organization, user=owner, role=MemberRole.OWNER
    )
    record(
        organization=organization,
        actor=owner,
        action=AuditAction.ORGANIZATION_CREATE,
        entity=organization,
        after=snapshot(organization, ORGANIZATION_FIELDS),
    )
    record(
        organization=organization,
        actor=owner,
        action=AuditAction.MEMBERSHIP_CREATE,
        entity=membership,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return organization


@dataclass(frozen=True)
class SignupResult:
    user: User
    membership: Membership


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    full_name: str,
    organization_name: str,
    timezone: str = "Europe/Paris",
    language: str = "fr",
) -> SignupResult:
    """Create a user, an organization and the user's owner membership, all or nothing."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise _email_taken()
    user = User(email=email, full_name=full_name, language=language)
    user.set_password(_validated_password(password, user))
    with constraint_errors(dict.fromkeys(EMAIL_CONSTRAINTS, _email_taken)):
        user.save()
    organization = organization_create(
        name=organization_name, owner=user, timezone=timezone, language=language
    )
    membership = Membership.objects.select_related("organization").get(
        organization=organization, user=user
    )
    return SignupResult(user=user, membership=membership)


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, data: dict[str, Any]
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    return update_audited(
        organization,
        data,
        fields=ORGANIZATION_FIELDS,
        editable=("name", "timezone", "language", "crew_contacts_visible"),
        check=Organization.full_clean,
        organization=organization,
        actor=actor,
        action=AuditAction.ORGANIZATION_UPDATE,
    )


def _require_may_grant(actor: Membership, role: str) -> None:
    if role in PRIVILEGED_ROLES and not actor.has_role(MemberRole.OWNER):
        raise PermissionDenied("Only an owner can grant the owner or admin role.")


def _require_may_manage(actor: Membership, target: Membership) -> None:
    if target.role in PRIVILEGED_ROLES and not actor.has_role(MemberRole.OWNER):
        raise PermissionDenied("Only an owner can change or remove an owner or an admin.")


def _require_another_owner(target: Membership) -> None:
    """The last owner can never be removed or demoted.

    Owner rows are locked so that two concurrent demotions cannot both pass the check.
    """
    owners = list(
        Membership.objects.select_for_update()
        .filter(organization_id=target.organization_id, role=MemberRole.OWNER)
        .values_list("id", flat=True)
    )
    if owners == [target.id]:
        raise ConflictError(
            "An organization keeps at least one owner; make someone else owner first.",
            code="last_owner",
        )


def check_membership_change(
    *, actor: Membership, target: Membership | None, new_role: str | None
) -> None:
    """The policy of every membership write, for callers that write another way (admin).

    ``target`` is the existing membership (None for an addition); ``new_role`` the role
    it would get (None for a removal). Raises the same errors as the services.
    """
    if not actor.has_role(MemberRole.ADMIN):
        raise PermissionDenied("Only admins manage the members of an organization.")
    if target is not None:
        _require_may_manage(actor, target)
    if new_role is not None:
        _require_may_grant(actor, new_role)
    if target is not None and target.role == MemberRole.OWNER and new_role != MemberRole.OWNER:
        _require_another_owner(target)


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return membership
    _require_may_manage(actor, membership)
    _require_may_grant(actor, role)
    if membership.role == MemberRole.OWNER:
        _require_another_owner(membership)
    return set_audited(
        membership,
        {"role": role},
        fields=MEMBERSHIP_FIELDS,
        organization=membership.organization,
        actor=actor.user,
        action=AuditAction.MEMBERSHIP_CHANGE_ROLE,
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_may_manage(actor, membership)
    if membership.role == MemberRole.OWNER:
        _require_another_owner(membership)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    record(
        organization=membership.organization,
        actor=actor.user,
        action=AuditAction.MEMBERSHIP_DELETE,
        entity=membership,
        before=before,
    )
    membership.delete()


# --- Password reset ---------------------------------------------------------------


def make_reset_token(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uid}:{default_token_generator.make_token(user)}"


def password_reset_request(*, email: str) -> str | None:
    """Send a reset link if the account exists; return the token (for DEBUG only).

    The caller answers 202 whatever happens, so nobody learns whether an account exists.
    """
    from apps.orgs.tasks import send_password_reset_email

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return None
    token = make_reset_token(user)
    transaction.on_commit(lambda: send_password_reset_email.delay(str(user.pk), token))
    return token


def _user_for_reset_token(token: str) -> User:
    invalid = ValidationFailed.for_field("token", "This reset link is invalid or has expired.")
    uid, _, secret = token.partition(":")
    try:
        user_id = force_str(urlsafe_base64_decode(uid))
        user = User.objects.get(pk=user_id, is_active=True)
    except (ValueError, TypeError, User.DoesNotExist, DjangoValidationError):
        raise invalid from None
    if not default_token_generator.check_token(user, secret):
        raise invalid
    return user


@transaction.atomic
def password_reset_confirm(*, token: str, new_password: str) -> User:
    """Set the password; every refresh token and every access token issued before dies."""
    user = _user_for_reset_token(token)
    user.set_password(_validated_password(new_password, user, field="new_password"))
    user.save(update_fields=["password"])
    User.objects.filter(pk=user.pk).update(auth_version=F("auth_version") + 1)
    user.refresh_from_db(fields=["auth_version"])
    blacklist_all_for_user(user)
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        record(
            organization=membership.organization,
            actor=user,
            action=AuditAction.USER_PASSWORD_RESET,
            entity=user,
        )
    return user


def switch_membership(*, user: User, organization_id: Any) -> Membership:
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user, organization_id=organization_id)
        .first()
    )
    if membership is None:
        raise NotFound.for_field("organization")
    return membership
