"""Crew: the people planners book, what they can do, when they can work, what they cost."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.core.models import TenantModel, UniquelyNamedTenantModel


class Skill(UniquelyNamedTenantModel):
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta(UniquelyNamedTenantModel.Meta):
        ordering = ("name",)


class Tag(UniquelyNamedTenantModel):
    name = models.CharField(max_length=80)
    color = models.CharField(max_length=7, blank=True, help_text="#rrggbb")

    class Meta(UniquelyNamedTenantModel.Meta):
        ordering = ("name",)


class EmploymentType(models.TextChoices):
    INTERMITTENT = "intermittent", "Intermittent du spectacle"
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    FREELANCE = "freelance", "Freelance"
    VOLUNTEER = "volunteer", "Volunteer"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Artist(TenantModel):
    """Any bookable person: performer or technician."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.INTERMITTENT
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="artists")
    primary_skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The artist's main trade; one of ``skills``, the others are secondary.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="artists")
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="artists",
        help_text="The account this crew member logs in with (role tech).",
    )
    # Rate profile: private to managers and to the artist.
    day_rate = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    half_day_rate = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    hourly_rate = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, default="EUR")
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        ordering = ("last_name", "first_name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "user"),
                condition=Q(user__isnull=False),
                name="crew_artist_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(day_rate__gte=0) | Q(day_rate__isnull=True),
                name="crew_artist_day_rate_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(half_day_rate__gte=0) | Q(half_day_rate__isnull=True),
                name="crew_artist_half_day_rate_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0) | Q(hourly_rate__isnull=True),
                name="crew_artist_hourly_rate_non_negative",
            ),
        ]
        indexes = [models.Index(fields=("organization", "last_name", "first_name"))]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AvailabilityKind(models.TextChoices):
    AVAILABLE = "available", "Available"
    UNAVAILABLE = "unavailable", "Unavailable"


class AvailabilityStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", "Leave"
    SICKNESS = "sickness", "Sickness"
    OTHER_JOB = "other_job", "Other job"
    PERSONAL = "personal", "Personal"


class Availability(TenantModel):
    """A declared window (``available``) or an absence (``unavailable``)."""

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="availabilities")
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=AvailabilityKind.choices)
    status = models.CharField(
        max_length=16, choices=AvailabilityStatus.choices, default=AvailabilityStatus.PENDING
    )
    reason = models.CharField(max_length=16, choices=AbsenceReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Once a manager approved an absence, its crew member no longer removes it alone: a
    # withdrawal is requested (withdrawal_requested_at) and a manager decides.
    first_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("start_at", "id")
        verbose_name_plural = "availabilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__lt=F("end_at")), name="crew_availability_start_before_end"
            ),
            models.UniqueConstraint(
                fields=("artist", "kind", "start_at", "end_at"),
                name="crew_availability_unique_window",
            ),
        ]
        indexes = [
            models.Index(fields=("organization", "artist", "start_at")),
            models.Index(fields=("organization", "start_at", "end_at")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.artist_id} {self.start_at:%Y-%m-%d %H:%M}"
