"""The staff roles and the model permissions each one holds: the one source of truth for group permissions.

`sync_roles` makes the groups match this table exactly; it runs after every `migrate` (post_migrate) and as
the `sync_roles` command. Which *records* a role reaches (own team's cases, confidential content) is decided
in `cases.permissions`; this table only says which kinds of record a role may touch at all.
"""

from django.core.exceptions import ImproperlyConfigured

ALL = ("view", "add", "change", "delete")
EDIT = ("view", "add", "change")

EDITOR_MODELS = [
    "caselink",
    "participation",
    "counsel",
    "party",
    "court",
    "proceeding",
    "filing",
    "hearing",
    "decision",
    "deadline",
    "technology",
    "legalground",
    "calendaroverride",
    "vendor",
    "system",
    "deployment",
    "challenge",
    "remedy",
]

# What every staff role holds alike.
STAFF = {
    "cases.reminderdelivery": ("view",),
    "cases.userprofile": ("view", "change"),
    "cases.decisionidentifier": ALL,
    "cases.proceedingnumber": ALL,
    # Revisions are decided through the review actions (editors only), never edited.
    "cases.revision": ("view",),
    # Re-reading a document changes its text record; the admin shows each user only the texts they may read.
    "cases.documenttext": ("view", "change"),
    # To pick colleagues for a case team.
    "auth.user": ("view",),
}

# group name: {"app_label.model_name": verbs}; a verb is a permission codename's prefix (view_case, publish_case).
ROLES = {
    "Editors": {
        "cases.case": (*ALL, "publish"),
        **{f"cases.{model}": ALL for model in EDITOR_MODELS},
        **STAFF,
    },
    "Lawyers": {
        "cases.case": EDIT,
        "cases.caselink": ALL,
        "cases.participation": ALL,
        "cases.counsel": ALL,
        # Delete only the parties they created that are in no case (cases.admin.parties).
        "cases.party": ALL,
        "cases.court": EDIT,
        "cases.proceeding": EDIT,
        "cases.filing": ALL,
        "cases.hearing": ALL,
        "cases.decision": EDIT,
        "cases.deadline": ALL,
        # Lawyers tag cases with the vocabularies; only editors change them.
        "cases.technology": ("view",),
        "cases.legalground": ("view",),
        # They say what their cases challenge, picking from the records editors keep.
        "cases.vendor": ("view",),
        "cases.system": ("view",),
        "cases.deployment": ("view",),
        "cases.challenge": ALL,
        "cases.remedy": ALL,
        **STAFF,
    },
}


def sync_roles(apps=None, using="default", **kwargs):
    """Create the role groups and set their permissions to exactly those in ROLES (a post_migrate receiver)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.using(using).select_related("content_type")
    }
    for name, grants in ROLES.items():
        wanted = [(key.split(".")[0], f"{verb}_{key.split('.')[1]}") for key, verbs in grants.items() for verb in verbs]
        missing = [f"{app}.{codename}" for app, codename in wanted if (app, codename) not in known]
        if missing:
            raise ImproperlyConfigured(f"cases.roles: {name} names unknown permissions: {', '.join(missing)}")
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([known[key] for key in wanted])
