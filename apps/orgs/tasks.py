"""E-mails about accounts, sent after commit by Celery."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from apps.orgs.models import User


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_password_reset_email(self: object, user_id: str, token: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    context = {"user": user, "token": token, "base_url": settings.PUBLIC_BASE_URL}
    send_mail(
        subject="Reset your password",
        message=render_to_string("emails/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_organization_invitation_email(self: object, invitation_id: str) -> bool:
    """Send the invitation to join an organization once; returns whether it was sent now."""
    from apps.orgs import onboarding
    from apps.orgs.models import OrganizationInvitation, OrganizationInvitationStatus

    invitation = (
        OrganizationInvitation.objects.select_related("organization", "artist", "invited_by")
        .filter(pk=invitation_id, status=OrganizationInvitationStatus.PENDING, sent_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    onboarding.invitation_email(invitation, onboarding.make_token(invitation)).send()
    return onboarding.organization_invitation_mark_sent(invitation_id=invitation.pk)
