import bleach
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from markupsafe import Markup


def comment_preview(request):
    text = request.POST.get("comment", "")
    # ruleid: py-mark-safe-user-data
    return render(request, "preview.html", {"body": mark_safe("<p>" + text + "</p>")})


def greeting(request):
    # ruleid: py-mark-safe-user-data
    banner = Markup(f"<b>Welcome back, {request.GET['name']}</b>")
    return render(request, "home.html", {"banner": banner})


def comment_preview_ok(request):
    text = request.POST.get("comment", "")
    # ok: py-mark-safe-user-data
    body = mark_safe("<p>" + escape(text) + "</p>")
    # ok: py-mark-safe-user-data
    rich = mark_safe(bleach.clean(request.POST["bio"], tags=["b", "i", "a"]))
    # ok: py-mark-safe-user-data
    line = format_html("<b>Welcome back, {}</b>", request.GET["name"])
    # ok: py-mark-safe-user-data
    footer = Markup("<hr><small>&copy; Example</small>")
    return body, rich, line, footer
