"""Planning: projects, venues, roles, missions, shifts, assignments and what freezes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.core.models import TenantModel, UniquelyNamedTenantModel


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Project(TenantModel):
    """A production, a tour or a festival edition."""

    name = models.CharField(max_length=200)
    client = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    color = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("start_date", "name", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="planning_project_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Venue(UniquelyNamedTenantModel):
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta(UniquelyNamedTenantModel.Meta):
        ordering = ("name", "id")


class Role(UniquelyNamedTenantModel):
    """A position on a crew ("lighting desk"), with the skills it requires."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    required_skills = models.ManyToManyField("crew.Skill", blank=True, related_name="roles")
    color = models.CharField(max_length=7, blank=True)

    class Meta(UniquelyNamedTenantModel.Meta):
        ordering = ("name", "id")


class Mission(TenantModel):
    """A part of a project at one venue over a time window (a concert day, a load-in week)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="missions")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="missions")
    name = models.CharField(max_length=200)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    roles: models.ManyToManyField[Role, MissionRole] = models.ManyToManyField(
        Role, through="MissionRole", related_name="missions"
    )

    class Meta:
        ordering = ("start_at", "name", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__lt=F("end_at")), name="planning_mission_start_before_end"
            ),
        ]
        indexes = [models.Index(fields=("organization", "start_at", "end_at"))]

    def __str__(self) -> str:
        return self.name


class MissionRole(TenantModel):
    """One line of a mission's staffing plan: a role and how many people it needs."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="staffing")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    headcount = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("role__name",)
        constraints = [
            models.UniqueConstraint(
                fields=("mission", "role"), name="planning_mission_role_unique"
            ),
        ]


class ShiftTemplate(TenantModel):
    """A reusable shift: times are local wall-clock times in the organization's zone."""

    name = models.CharField(max_length=120)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="shift_templates")
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="Earlier than start_time means the next day.")
    headcount = models.PositiveIntegerField(default=1)
    max_headcount = models.PositiveIntegerField(default=1)
    break_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_headcount__gte=F("headcount")),
                name="planning_template_capacity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(start_time=F("end_time")), name="planning_template_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShiftStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class Shift(TenantModel):
    """One slot of work in a mission. ``headcount`` is the target, ``max_headcount`` the cap."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="shifts")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="shifts")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="shifts")
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    headcount = models.PositiveIntegerField(default=1)
    max_headcount = models.PositiveIntegerField(default=1)
    break_minutes = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ShiftStatus.choices, default=ShiftStatus.DRAFT)
    notes = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    open_to_crew = models.BooleanField(
        default=False, help_text="Qualified, free crew members may claim its free seats."
    )

    class Meta:
        ordering = ("start_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__lt=F("end_at")), name="planning_shift_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(max_headcount__gte=F("headcount")),
                name="planning_shift_capacity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=("organization", "start_at", "end_at")),
            models.Index(fields=("organization", "mission", "start_at")),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} {self.start_at:%Y-%m-%d %H:%M}"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.PROPOSED,
    AssignmentStatus.INVITED,
    AssignmentStatus.ACCEPTED,
)


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    AUTO = "auto", "Auto-assign"
    CLAIM = "claim", "Claimed by the crew member (open shift)"


class Assignment(TenantModel):
    """An artist on a shift.

    ``start_at``/``end_at`` repeat the shift's times so that PostgreSQL can enforce, with
    an exclusion constraint on this table alone, that an artist is never in two
    overlapping active assignments; the shift services keep them in step.
    """

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    artist = models.ForeignKey("crew.Artist", on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    locked = models.BooleanField(default=False, help_text="Auto-assign never moves it.")
    source = models.CharField(
        max_length=16, choices=AssignmentSource.choices, default=AssignmentSource.MANUAL
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auto_assign_job = models.ForeignKey(
        "AutoAssignJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("start_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("shift", "artist"),
                condition=Q(status__in=["proposed", "invited", "accepted"]),
                name="planning_assignment_one_active_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(start_at__lt=F("end_at")), name="planning_assignment_start_before_end"
            ),
        ]
        indexes = [
            models.Index(fields=("organization", "artist", "start_at")),
            models.Index(fields=("organization", "start_at", "end_at")),
            models.Index(fields=("shift", "status")),
        ]

    def __str__(self) -> str:
        return f"{self.artist_id} on {self.shift_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


class RuleSetting(TenantModel):
    """An organization's tuning of one rule of the catalog (absent row = catalog default)."""

    code = models.CharField(max_length=40)
    enabled = models.BooleanField(default=True)
    severity = models.CharField(max_length=8, choices=[("hard", "Hard"), ("soft", "Soft")])
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("code",)
        constraints = [
            models.UniqueConstraint(fields=("organization", "code"), name="planning_rule_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"


class Invitation(TenantModel):
    """A signed, expiring, single-use link to accept or decline an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    nonce = models.CharField(max_length=64, help_text="Bound into the signed token.")
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Last e-mail about it: the first, a resend or a reminder."
    )
    reminders_sent = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("assignment",),
                condition=Q(status="pending"),
                name="planning_invitation_one_pending",
            ),
        ]


class PlanningVersion(TenantModel):
    """What a publication froze: scope, number, who, when, snapshot and diff."""

    number = models.PositiveIntegerField()
    scope = models.JSONField(default=dict)
    scope_key = models.CharField(max_length=300, help_text="Canonical form of the scope.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()
    snapshot = models.JSONField(default=dict)
    diff = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ("-number",)
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "number"), name="planning_version_number_unique"
            ),
        ]
        indexes = [models.Index(fields=("organization", "scope_key", "-number"))]


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class AutoAssignJob(TenantModel):
    """An asynchronous run of the auto-assign engine."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    scope = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=200, blank=True)
    progress = models.FloatField(default=0.0)
    coverage_before = models.FloatField(null=True, blank=True)
    coverage_after = models.FloatField(null=True, blank=True)
    slots_total = models.PositiveIntegerField(default=0)
    slots_filled = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # A running job belongs to its runner until then; the runner renews it while alive,
    # the sweep re-queues the job once it has lapsed (``services.run.LeaseKeeper``).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "idempotency_key"),
                condition=~Q(idempotency_key=""),
                name="planning_job_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=("status", "created_at")),
            models.Index(fields=("status", "lease_expires_at"), name="planning_job_lease_idx"),
        ]


class ConflictWaiver(TenantModel):
    """An admin's override of a hard rule, stored on an assignment (who, when, why).

    The conflict stays listed, marked waived, but no longer blocks publication. The waiver
    holds only while the conflict is the same: ``fingerprint`` digests the rule, its
    parameters, the shifts involved and their times (``rules.facts.Conflict.fingerprint``). A
    change that makes the conflict different voids it (``voided_at``, audited).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="waivers")
    rule = models.CharField(max_length=32)
    fingerprint = models.CharField(max_length=64)
    reason = models.TextField()
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waived_by_label = models.CharField(
        max_length=254, blank=True, help_text="The e-mail of who waived, kept if the user goes."
    )
    waived_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("waived_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("assignment", "rule", "fingerprint"),
                condition=Q(voided_at__isnull=True),
                name="planning_waiver_one_live_per_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} waived on {self.assignment_id}"


def default_reminder_delay_hours() -> int:
    return int(settings.CREW_INVITATION_REMINDER_DELAY_HOURS)


def default_reminder_max() -> int:
    return int(settings.CREW_INVITATION_REMINDER_MAX)


def default_open_shift_claim_mode() -> str:
    return str(settings.CREW_OPEN_SHIFT_CLAIM_MODE)


class ClaimMode(models.TextChoices):
    INSTANT = "instant", "Confirmed at once"
    APPROVAL = "approval", "Waits for a manager's approval"


class CrewPolicy(TenantModel):
    """How an organization follows its crew up; no row means the settings' defaults."""

    organization = models.OneToOneField(  # type: ignore[assignment]
        "orgs.Organization", on_delete=models.CASCADE, related_name="crew_policy"
    )
    invitation_reminder_delay_hours = models.PositiveIntegerField(
        default=default_reminder_delay_hours,
        help_text="Hours without an answer before a reminder (and between reminders).",
    )
    invitation_reminder_max = models.PositiveIntegerField(
        default=default_reminder_max, help_text="At most this many reminders per invitation."
    )
    open_shift_claim_mode = models.CharField(
        max_length=16, choices=ClaimMode.choices, default=default_open_shift_claim_mode
    )


class MessageKind(models.TextChoices):
    INVITATION_DIGEST = "invitation_digest", "Invitations (one message per person)"
    INVITATION_REMINDER = "invitation_reminder", "Invitation reminder"
    MANAGER_DIGEST = "manager_digest", "Manager's daily digest"
    SHIFT_REMINDER = "shift_reminder", "Day-before shift reminder"


class SentMessage(TenantModel):
    """One e-mail the follow-ups sent, under a unique key: what makes each one idempotent.

    The row is inserted in the transaction that sends the message; a second run (beat
    firing twice, a redelivered task) finds the key taken and sends nothing.
    """

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=MessageKind.choices)
    recipient = models.EmailField()
    artist = models.ForeignKey(
        "crew.Artist", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("-sent_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "key"), name="planning_sent_message_key_unique"
            ),
        ]
        indexes = [models.Index(fields=("organization", "kind", "-sent_at"))]


class StoredConflict(models.Model):
    """A conflict as the rules found it, kept up to date by every planning write.

    Derived data: ``apps.planning.rules.stored`` writes these rows in the write's own
    transaction (replacing, set-based, just what the write touches), and the timeline,
    the conflict lists and the publish preview read them instead of running every rule
    over their range. One row per conflict, not per pair: ``members`` lists every
    assignment and shift it involves (a duty period names all its shifts), ``start_at`` /
    ``end_at`` span them (what a range read and an upkeep select on). ``artist_id`` is
    set on the rules about one artist, ``shift_id`` on those about one shift (capacity,
    break). ``details`` hold the conflict's data with instants tagged (``stored.pack``)
    and ``params`` the rule's parameters, so the waivers' fingerprint (``fingerprint``)
    and the message are the ones a fresh check gives. Not a ``TenantModel``: no
    timestamps or UUIDs for rows rewritten on every write.
    """

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(max_length=32)
    severity = models.CharField(max_length=4)
    artist_id = models.UUIDField(null=True, blank=True)
    shift_id = models.UUIDField(null=True, blank=True)
    at = models.DateTimeField()
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    assignment_keys = models.JSONField(default=list)
    shift_keys = models.JSONField(default=list)
    members = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    params = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=("organization", "start_at", "end_at")),
            models.Index(fields=("organization", "artist_id", "start_at")),
            models.Index(fields=("organization", "shift_id")),
        ]

    def __str__(self) -> str:
        return f"{self.rule} at {self.at:%Y-%m-%d %H:%M}"


class ConflictUpkeepStatus(models.TextChoices):
    FRESH = "fresh", "Stored conflicts are current"
    RECOMPUTING = "recomputing", "A job is recomputing every stored conflict"


class ConflictUpkeep(models.Model):
    """Whether an organization's ``StoredConflict`` rows can be read.

    No row: never computed (reads compute). ``recomputing``: a rule change (or another
    change that touches everything) asked for a full recompute in a job; reads compute
    meanwhile and the board shows it. Writes take this row ``FOR SHARE`` and the full
    recompute ``FOR UPDATE``, so neither misses the other's rows.
    """

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ConflictUpkeepStatus.choices)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.status}"
