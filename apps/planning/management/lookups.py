"""The organization and the acting manager named on a planning command's line."""

from __future__ import annotations

from django.core.management.base import CommandError

from apps.orgs.models import MemberRole, Membership, Organization, User


def organization_by_slug(slug: str) -> Organization:
    """``--org``: the organization with that slug, or a ``CommandError``."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise CommandError(f"No organization with slug {slug!r}.")
    return organization


def manager_by_email(organization: Organization, email: str | None) -> User | None:
    """``--actor``: a manager (or above) of the organization, audited as the author.

    No e-mail means no actor (the audit says ``system``).
    """
    if not email:
        return None
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=organization, user__email__iexact=email)
        .first()
    )
    if membership is None:
        raise CommandError(f"{email} is not a member of {organization.slug}.")
    if not membership.has_role(MemberRole.MANAGER):
        raise CommandError(f"{email} is not a manager of {organization.slug}.")
    return membership.user
