"""Fuzz the Markdown sanitiser: whatever staff type, the HTML it returns carries no script, handler or foreign URL."""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown

PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<iframe src=//evil.example>",
    "<svg onload=alert(1)>",
    "<style>*{}</style>",
    '<a href="http://ok.example" onclick="x()">ok</a>',
    "<p style='background:url(//evil)'>x</p>",
    "![img](http://tracker.example/pixel.png)",
    "<math><mi xlink:href='javascript:1'>",
    "<!-- <script> -->",
    "```\n<script>\n```",
    "| a | b |\n|---|---|\n| <b onmouseover=x>1</b> | 2 |",
    "# Заголовок\n\nПопова против ДИТ 🙂 \u202eRTL",
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;",
    '[a](http://x.example "t" onmouseover="x")',
    "\n\n",
    "*",
    "> ",
]
markdown_texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=12).map("".join)


class Audit(HTMLParser):
    """Collect every tag, attribute and URL in rendered HTML."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()) and name != "rel" and name != "id":
                self.problems.append(f"attribute {tag}.{name}")
            if name == "href" and value and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in URL_SCHEMES:
                    self.problems.append(f"href scheme {scheme}")


@settings(max_examples=500, deadline=None)
@given(text=markdown_texts)
def test_rendered_markdown_is_always_safe(text):
    html = str(render_markdown(text))

    audit = Audit()
    audit.feed(html)
    assert audit.problems == [], html
    assert not re.search(r"<\s*(script|iframe|img|svg|style|math)", html, re.I)


def test_cyrillic_rtl_and_emoji_survive():
    html = str(render_markdown("# Заголовок\n\nПопова против ДИТ 🙂 \u202eRTL"))

    assert "Заголовок" in html and "🙂" in html and "Попова против ДИТ" in html
