"""The one error an import raises for bad input."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in words an editor understands."""
