"""E-mails rendered from a template trio (subject, text, HTML) in one language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def templated_email(
    *, template: str, context: dict[str, Any], to: str, language: str
) -> EmailMultiAlternatives:
    """``emails/<template>.subject.txt``, ``.txt`` and ``.html`` rendered in ``language``."""
    with translation.override(language):
        context = {"lang": language, **context}
        subject = render_to_string(f"emails/{template}.subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message
