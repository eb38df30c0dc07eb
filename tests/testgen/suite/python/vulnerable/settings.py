"""Reads settings overrides typed into the admin form ("[1, 2]", "{'retries': 3}")."""


def parse_override(text):
    """Turns the text of an override into a Python value."""
    return eval(text)
