"""Configuration with non-ASCII identifiers (PEP 3131) and text."""
import yaml

naïve_token = "tok_live_8f1c2e"
clé_secret = "s3cr3t-clé"
plain_token = "tok_test_1234"
token_count = 3
mot_de_passe = "motdepasse"   # « password » in French


def load_settings(stream):
    settings = yaml.load(stream)
    if settings is None:
        settings = yaml.load(open("/etc/shop/defaults.yml"))
    return settings


def compare(a, b):
    return a.key == a .key or a.key == a.key  # same key


default_pin = "١٢٣٤"   # Arabic-Indic digits
backup_pin = "1234"
pin_hint = "12345"

SETTINGS = {'DEBUG': True, 'SECRET_KEY': 'changeme'}
PROD = {'ALLOWED_HOSTS': ['*'], 'DEBUG': True}
STAGING = {'NAME': 'staging', 'DEBUG': True, 'CACHE': None}
SAFE = {'DEBUG': False}
