"""Restores a user's saved session from the cookie the browser sends back."""
import base64
import pickle


def load_session(cookie):
    """Decodes the session cookie into a dict."""
    return pickle.loads(base64.b64decode(cookie))
