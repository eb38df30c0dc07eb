"""Renders the public profile card."""


def render_profile(display_name, bio="No bio yet."):
    """Returns the HTML of the profile card."""
    return f"<div class='card'><h2>{display_name}</h2><p>{bio}</p></div>"
