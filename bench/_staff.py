"""Sign-in cookies for the benchmark's staff: an editor (with a verified one-time code) and a lawyer."""

import json
import os

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Case

    User = get_user_model()
    cookies = {}
    for username, group in (("bench-editor", "Editors"), ("bench-lawyer", "Lawyers")):
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=group))
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        if group == "Lawyers":
            # A lawyer edits their own cases: give them a team of 1% of the cases.
            team = Case.objects.order_by("pk").values_list("pk", flat=True)[::100]
            Case.team.through.objects.filter(user=user).delete()
            Case.team.through.objects.bulk_create([Case.team.through(case_id=pk, user=user) for pk in team])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["otp_device_id"] = device.persistent_id
        session.create()
        cookies[group] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    print(json.dumps(cookies))


if __name__ == "__main__":
    main()
