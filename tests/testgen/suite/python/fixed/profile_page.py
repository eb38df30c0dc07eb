"""Renders the public profile card."""
from html import escape


def render_profile(display_name, bio="No bio yet."):
    """Returns the HTML of the profile card."""
    return f"<div class='card'><h2>{escape(display_name)}</h2><p>{escape(bio)}</p></div>"
