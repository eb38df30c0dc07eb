import os

# ruleid: py-django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["*"]
# ruleid: py-django-allowed-hosts-wildcard
ALLOWED_HOSTS = ("localhost", "*")
# ruleid: py-django-allowed-hosts-wildcard
ALLOWED_HOSTS += ['*']
# ok: py-django-allowed-hosts-wildcard
ALLOWED_HOSTS = [".example.com", "localhost"]
# ok: py-django-allowed-hosts-wildcard
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
# ok: py-django-allowed-hosts-wildcard
CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
