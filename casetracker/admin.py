"""The admin site: password plus a one-time code for editors (or everyone, with REQUIRE_2FA_FOR_ALL)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import requires_two_factor


class TwoFactorLoginForm(OTPAdminAuthenticationForm):
    """Admin login that checks the one-time code of users who must use two factors."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Enter the code from your authenticator app, or a recovery code."),
        "invalid_token": _("That code is wrong or expired. Try the current one, or a recovery code."),
    }

    def clean(self):
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and (requires_two_factor(user) or self.cleaned_data.get("otp_token")):
            if not any(devices_for_user(user, confirmed=True)):
                raise forms.ValidationError(
                    _(
                        "Your account needs two-factor authentication but has no authenticator yet. "
                        "Ask an administrator to run: manage.py setup_totp %(username)s"
                    ),
                    params={"username": user.get_username()},
                    code="no_device",
                )
            self.clean_otp(user)
        return self.cleaned_data

    def _chosen_device(self, user):
        """Pick the device from the code's shape: six digits are TOTP, anything else a recovery code."""
        token = (self.cleaned_data.get("otp_token") or "").strip()
        model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
        return model.objects.filter(user=user, confirmed=True).first()


class CaseTrackerAdminSite(admin.AdminSite):
    """The default admin site, guarded by a second factor where one is required."""

    login_form = TwoFactorLoginForm
    login_template = "admin/login_2fa.html"

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (user.is_verified() or not requires_two_factor(user))
