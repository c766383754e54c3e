"""The admin site: password plus a one-time code for editors (or everyone, with REQUIRE_2FA_FOR_ALL)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import enroll_totp, qr_svg, requires_two_factor


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


class EnrollForm(forms.Form):
    """Confirm a new authenticator with the current password, so a stolen session cannot swap it."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return self.cleaned_data["password"]


class CaseTrackerAdminSite(admin.AdminSite):
    """The default admin site, guarded by a second factor where one is required."""

    login_form = TwoFactorLoginForm
    login_template = "admin/login_2fa.html"

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (user.is_verified() or not requires_two_factor(user))

    def get_urls(self):
        urls = [path("two-factor/", self.admin_view(self.two_factor_view), name="two_factor")]
        return urls + super().get_urls()

    def two_factor_view(self, request):
        """Let staff set up (or replace) their authenticator app and recovery codes (admin_view: never cached)."""
        user = request.user
        form = EnrollForm(user, request.POST or None)
        context = {**self.each_context(request), "title": _("Two-factor authentication"), "form": form}
        context["required"] = requires_two_factor(user)
        context["has_device"] = user.totpdevice_set.filter(confirmed=True).exists()
        if request.method == "POST" and form.is_valid():
            device, codes = enroll_totp(user)
            context.update(qr_svg=qr_svg(device), config_url=device.config_url, codes=codes, has_device=True)
        return TemplateResponse(request, "admin/two_factor.html", context)
