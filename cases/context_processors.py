"""Values every public template uses."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def public_site(request):
    """Add the site URL and links to this page in every language."""
    current = get_language()
    path = request.get_full_path()
    languages = []
    for code, _ in settings.LANGUAGES:
        url = translate_url(path, code)
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return {"SITE_URL": settings.SITE_URL, "languages": languages}
