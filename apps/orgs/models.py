"""Accounts and tenancy: users, organizations and the memberships that join them."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not an IANA time zone.", code="invalid_timezone")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, identified by e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(
        max_length=8, blank=True, help_text="Preferred language; blank follows the organization."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by a password reset: access tokens issued before it stop working.
    auth_version = models.PositiveIntegerField(default=0)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ("email",)
        constraints = [
            models.UniqueConstraint(Lower("email"), name="orgs_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class Organization(models.Model):
    """The tenant: a production company, a venue or a festival."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    timezone = models.CharField(
        max_length=64, default="Europe/Paris", validators=[validate_timezone]
    )
    language = models.CharField(
        max_length=8, default="fr", choices=[("fr", "Français"), ("en", "English")]
    )
    crew_contacts_visible = models.BooleanField(
        default=False,
        help_text=(
            "Whether crew members (role tech) see each other's e-mail and phone. Managers "
            "and above, and each crew member for his or her own profile, always do."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class MemberRole(models.TextChoices):
    """Membership roles, from most to least powerful."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    TECH = "tech", "Tech"

    @staticmethod
    def at_least(role: str, minimum: str) -> bool:
        """The one role comparison: ``owner > admin > manager > tech``."""
        return ROLE_RANK[role] >= ROLE_RANK[minimum]


ROLE_RANK: dict[str, int] = {
    MemberRole.TECH: 1,
    MemberRole.MANAGER: 2,
    MemberRole.ADMIN: 3,
    MemberRole.OWNER: 4,
}


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.TECH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "user"), name="orgs_membership_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organization_id} as {self.role}"

    def has_role(self, minimum: str) -> bool:
        return MemberRole.at_least(self.role, minimum)


class OrganizationInvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class OrganizationInvitation(models.Model):
    """An invitation, sent by e-mail, to join an organization with a role.

    Whoever holds the signed link sets a password (no account yet) or logs in (an account
    uses the e-mail) and accepts; only then does a membership exist. ``artist`` links the
    account to an existing crew record on acceptance. One pending invitation per address
    and organization; a new one replaces it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.TECH)
    artist = models.ForeignKey(
        "crew.Artist",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Linked to the account on acceptance.",
    )
    status = models.CharField(
        max_length=16,
        choices=OrganizationInvitationStatus.choices,
        default=OrganizationInvitationStatus.PENDING,
    )
    nonce = models.CharField(max_length=64, help_text="Bound into the signed token.")
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="orgs_invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization_id} as {self.role} ({self.status})"


class RevokedTokenFamily(models.Model):
    """A login's chain of rotated refresh tokens, revoked as a whole.

    Every refresh token carries its family (claim ``fam``, minted at login and kept by
    each rotation). When a refresh token is presented a second time, someone holds a
    copy: the family is revoked, so neither the thief's nor the victim's successors can
    refresh any more and both must log in again.
    """

    family = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    revoked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"token family {self.family} of {self.user_id}"
