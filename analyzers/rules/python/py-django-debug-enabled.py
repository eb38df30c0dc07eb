import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# ruleid: py-django-debug-enabled
DEBUG = True
# ruleid: py-django-debug-enabled
TEMPLATE_DEBUG = True
# ok: py-django-debug-enabled
DEBUG_TOOLBAR = True
INSTALLED_APPS = ["django.contrib.auth", "shop"]
ROOT_URLCONF = "shop.urls"


def show_toolbar(request):
    # ok: py-django-debug-enabled
    DEBUG = True
    return DEBUG


if os.environ.get("CI"):
    # ok: py-django-debug-enabled
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
