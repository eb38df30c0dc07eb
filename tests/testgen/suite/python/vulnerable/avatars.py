"""Fetches a user's avatar from the URL they gave in their profile."""
import urllib.request


def fetch_avatar(url):
    """Downloads the image at `url` and returns its bytes."""
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()
