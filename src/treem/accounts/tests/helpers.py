"""Logging in in tests: `login` is `client.force_login` that also passes the second factor (accounts.twofactor) for
a user who needs it, as the code page would: a confirmed TOTP device and a verified session."""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.twofactor import confirmed_device, second_factor_required

BACKEND = "django.contrib.auth.backends.ModelBackend"


def otp_device(user: Any) -> TOTPDevice:
    """The user's confirmed device, made when missing."""
    return confirmed_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code(device: TOTPDevice, *, steps: int = 0) -> str:
    """The code the device's app shows now, or `steps` time steps (30 s) later: a wrong code for now when far off."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps)
    return f"{value:0{device.digits}d}"


def login(client: Any, user: Any) -> Any:
    """Sign `user` in on the test client; with the second factor passed when the user needs it."""
    client.force_login(user, backend=BACKEND)
    if second_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = otp_device(user).persistent_id
        session.save()
    return user
