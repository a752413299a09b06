"""Two-factor authentication: a TOTP code from an authenticator app (django-otp) after the password, for the users
whose role is flagged `requires_otp` (the case worker and the administrator roles, `fixtures/roles.json`) and for
every superuser, while settings.TREEM_OTP_REQUIRED is on (docs/security.md, "Two-factor authentication").

Enrolment: the user gets one unconfirmed TOTP device (its secret shown as a QR code and as text) and confirms it
with a code; from then on every login asks for a code (`SecondFactorMiddleware` lets no other page through). An
administrator resets a lost device (`device_reset`, audited); the user enrols again at the next login. API tokens of
such a user are accepted only when made after the user's device was confirmed (`token_allowed`): a token is made
from a verified session, and a reset device voids the tokens made before it.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .services import _audit, _lock_managed

DEVICE_NAME = "Treem"


def second_factor_required(user: Any) -> bool:
    """Whether `user` (authenticated) must confirm the login with a TOTP code."""
    if not settings.TREEM_OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    role = user.role
    return bool(role is not None and role.requires_otp)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed device, made once: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 as authenticator apps take it typed in, in groups of four: `ABCD EFGH ...`."""
    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def qr_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code: one <path>, no script, no style (the CSP allows it);
    its size comes from the stylesheet (.otp-qr)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = _SIZE.sub("", image.to_string(encoding="unicode"), count=2)
    head = format_html('<svg role="img" aria-label="{}" focusable="false" ', label)
    return mark_safe(svg.replace("<svg ", head, 1))  # noqa: S308 - our own drawing, the label escaped


@transaction.atomic
def enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the user's new device with a code it shows; other devices of the user go. Audited."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(token)):  # gone meanwhile (reset) or a wrong code
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.created_at = timezone.now()  # when it became the second factor: tokens made before it are void
    device.save(update_fields=["confirmed", "created_at"])
    _audit(actor=user, action="change", user=user, summary=f"user {user.username}: two-factor device enrolled")
    return True


def verify(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a code against the user's confirmed device (django-otp throttles the device after each miss)."""
    return verify_token(user, device.persistent_id, _digits(token)) is not None


def _digits(token: str) -> str:
    return "".join(c for c in token if not c.isspace())


@transaction.atomic
def device_reset(*, actor: User, user: User) -> int:
    """An administrator removes a managed user's devices (a lost or replaced phone); the user enrols a new one at the
    next page. Tokens made before the new device stop working (`token_allowed`). Returns the devices removed."""
    user = _lock_managed(actor, user)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    _audit(
        actor=actor, action="change", user=user, summary=f"user {user.username}: two-factor device reset",
        extra={"devices_removed": removed},
    )  # fmt: skip
    return removed


def token_allowed(user: User, issued_at: dt.datetime) -> bool:
    """An API token made at `issued_at` stands for `user` only when the user needs no second factor, or has a device
    confirmed before the token was made (tokens are made from a verified session: see api.views)."""
    if not second_factor_required(user):
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True, created_at__lte=issued_at).exists()
