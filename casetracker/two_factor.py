"""Who must pass a second factor, and how staff enrol a TOTP device with recovery codes."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

EDITORS_GROUP = "Editors"
RECOVERY_CODE_COUNT = 10


def requires_two_factor(user):
    """Return whether user must present a one-time code to enter the admin."""
    if not user.is_authenticated:
        return False
    if settings.REQUIRE_2FA_FOR_ALL or user.is_superuser:
        return True
    return user.groups.filter(name=EDITORS_GROUP).exists()


@transaction.atomic
def enroll_totp(user):
    """Replace user's authenticator and recovery codes; return (TOTP device, recovery codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return device, codes


def qr_svg(device):
    """Return the device's otpauth:// address as an inline SVG QR code (no script, CSP-safe)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_text(device):
    """Return the device's QR code drawn with characters, for a terminal."""
    code = qrcode.QRCode(border=1)
    code.add_data(device.config_url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
