"""Fetches a user's avatar from the URL they gave in their profile."""
import urllib.request
from urllib.parse import urlsplit

ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


def fetch_avatar(url):
    """Downloads the image at `url` and returns its bytes."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS:
        raise ValueError("avatar host not allowed")
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()
