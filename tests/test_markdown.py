from cases.markdown import render_markdown


def test_renders_markdown_with_headings_below_the_page_title():
    html = render_markdown("# Background\n\nSome **bold** text and a [link](https://example.org).")
    assert "<h2>Background</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and "noopener" in html


def test_removes_scripts_handlers_styles_and_images():
    html = render_markdown(
        "<script>alert(1)</script><img src=x onerror=alert(1)> ![pic](https://tracker.example/x.png) "
        '<a href="javascript:alert(1)">x</a> <p style="color:red">styled</p> <iframe src="https://x"></iframe>'
    )
    for bad in ["<script", "alert(1)</", "onerror", "<img", "javascript:", "style=", "<iframe"]:
        assert bad not in html


def test_empty_text():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
