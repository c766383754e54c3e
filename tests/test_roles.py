"""The roles table is the one source of the groups' permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from cases import roles

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.select_related("content_type")
    }


def expected(group_name):
    return {
        f"{key.split('.')[0]}.{verb}_{key.split('.')[1]}"
        for key, verbs in roles.ROLES[group_name].items()
        for verb in verbs
    }


@pytest.mark.parametrize("group_name", list(roles.ROLES))
def test_groups_match_the_table_after_migrate(group_name):
    assert codenames(group_name) == expected(group_name)


def test_sync_roles_command_restores_the_table_exactly(capsys):
    lawyers = Group.objects.get(name="Lawyers")
    lawyers.permissions.add(Permission.objects.get(codename="publish_case"))
    lawyers.permissions.remove(Permission.objects.get(codename="view_technology"))
    call_command("sync_roles")
    assert codenames("Lawyers") == expected("Lawyers")
    assert "Synced roles" in capsys.readouterr().out


def test_lawyers_pick_tags_but_only_editors_change_them():
    assert "cases.view_technology" in codenames("Lawyers") and "cases.change_technology" not in codenames("Lawyers")
    assert "cases.change_technology" in codenames("Editors")
    assert "cases.publish_case" not in codenames("Lawyers")


def test_a_misspelt_permission_fails_loudly(monkeypatch):
    monkeypatch.setitem(roles.ROLES, "Lawyers", {"cases.cas": ("view",)})
    with pytest.raises(ImproperlyConfigured, match="cases.view_cas"):
        roles.sync_roles()
