import jinja2
from jinja2 import Environment, FileSystemLoader, PackageLoader, select_autoescape


def make_env():
    # ruleid: py-jinja2-autoescape-disabled
    env = Environment(loader=FileSystemLoader("templates"), autoescape=False)
    return env


def render_profile(user):
    # ruleid: py-jinja2-autoescape-disabled
    env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates/"))
    return env.get_template("profile.html").render(user=user)


def render_comment(comment):
    # ruleid: py-jinja2-autoescape-disabled
    return jinja2.Template("<p>{{ c }}</p>", autoescape=False).render(c=comment)


def make_safe_env():
    # ok: py-jinja2-autoescape-disabled
    env = Environment(loader=PackageLoader("shop", "templates"), autoescape=select_autoescape())
    # ok: py-jinja2-autoescape-disabled
    html = Environment(loader=FileSystemLoader("templates"), autoescape=True)
    # ok: py-jinja2-autoescape-disabled
    code = Environment(loader=FileSystemLoader("codegen"), keep_trailing_newline=True)
    return env, html, code
