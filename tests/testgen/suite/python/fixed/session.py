"""Restores a user's saved session from the cookie the browser sends back."""
import json


def load_session(cookie):
    """Decodes the session cookie into a dict."""
    data = json.loads(cookie)
    if not isinstance(data, dict):
        raise ValueError("a session is a JSON object")
    return data
