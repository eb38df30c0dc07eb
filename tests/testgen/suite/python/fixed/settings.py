"""Reads settings overrides typed into the admin form ("[1, 2]", "{'retries': 3}")."""
import ast


def parse_override(text):
    """Turns the text of an override into a Python value."""
    return ast.literal_eval(text)
