"""Two-factor admin login: editors (or everyone, with REQUIRE_2FA_FOR_ALL) need a one-time code."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from casetracker.two_factor import enroll_totp, qr_svg, requires_two_factor

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client, user, code=""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": PASSWORD, "otp_token": code},
    )


def test_editor_needs_the_code(editor):
    enroll_totp(editor)
    client = Client()

    response = log_in(client, editor)

    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_editor_with_the_right_code_gets_in(editor):
    device, _ = enroll_totp(editor)
    client = Client()

    response = log_in(client, editor, current_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_code_is_refused(editor):
    device, _ = enroll_totp(editor)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client = Client()

    response = log_in(client, editor, wrong)

    assert "That code is wrong or expired" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_recovery_code_works_once(editor):
    _, codes = enroll_totp(editor)

    assert log_in(Client(), editor, codes[0]).status_code == 302
    assert log_in(Client(), editor, codes[0]).status_code == 200
    assert StaticToken.objects.filter(device__user=editor).count() == len(codes) - 1


def test_editor_without_authenticator_is_told_how_to_get_one(editor):
    response = log_in(Client(), editor, "123456")

    assert "manage.py setup_totp editor" in response.content.decode()


def test_lawyer_logs_in_with_password_alone(lawyer):
    client = Client()

    assert log_in(client, lawyer).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_lawyer_with_a_device_may_still_use_it(lawyer):
    device, _ = enroll_totp(lawyer)
    client = Client()

    assert log_in(client, lawyer, current_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_require_for_all_covers_lawyers(lawyer, settings):
    settings.REQUIRE_2FA_FOR_ALL = True
    enroll_totp(lawyer)

    assert requires_two_factor(lawyer)
    assert log_in(Client(), lawyer).status_code == 200


def test_superuser_needs_two_factors(admin_user):
    assert requires_two_factor(admin_user)


def test_session_without_second_factor_cannot_use_admin(editor):
    client = Client()
    client.force_login(editor)  # a password-only session, e.g. from another login path

    assert client.get("/admin/").status_code == 302


def test_otp_login_fixture_passes_both_factors(otp_login, editor):
    assert otp_login(editor).get("/admin/").status_code == 200


def test_setup_totp_prints_qr_and_recovery_codes(editor, capsys):
    call_command("setup_totp", "editor")

    out = capsys.readouterr().out
    assert "otpauth://totp/" in out
    assert "Surveillance%20Litigation%20Tracker" in out
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    assert sum(1 for token in StaticToken.objects.values_list("token", flat=True) if token in out) == 10


def test_setup_totp_replaces_old_devices(editor):
    first, _ = enroll_totp(editor)
    second, _ = enroll_totp(editor)

    assert editor.totpdevice_set.get() == second
    assert first.key != second.key


def test_setup_totp_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("setup_totp", "nobody")


def test_qr_svg_is_an_inline_image(editor):
    device, _ = enroll_totp(editor)

    svg = qr_svg(device)

    assert svg.startswith("<svg") or svg.startswith("<?xml")
    assert "<script" not in svg


def test_two_factor_page_is_linked_from_the_admin(otp_login, editor):
    assert 'href="/admin/two-factor/"' in otp_login(editor).get("/admin/").content.decode()


def test_two_factor_page_needs_a_login():
    response = Client().get("/admin/two-factor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_two_factor_page_needs_the_password_to_replace_a_device(otp_login, editor):
    old, _ = enroll_totp(editor)
    client = otp_login(editor)

    response = client.post("/admin/two-factor/", {"password": "wrong"})

    assert "That is not your password." in response.content.decode()
    assert editor.totpdevice_set.get() == old


def test_two_factor_page_sets_up_a_new_authenticator(otp_login, lawyer):
    from tests.test_security_headers import inline_violations

    client = otp_login(lawyer)
    assert "optional for your account" in client.get("/admin/two-factor/").content.decode()

    response = client.post("/admin/two-factor/", {"password": PASSWORD})

    page = response.content.decode()
    device = lawyer.totpdevice_set.get()
    assert "<svg" in page and device.config_url.replace("&", "&amp;") in page
    codes = StaticToken.objects.filter(device__user=lawyer).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in page for code in codes)
    assert inline_violations(response, style_attributes=False) == []
    assert log_in(Client(), lawyer, current_code(device)).status_code == 302
