"""Importing printed issues, stage by stage: reading a file into lines, then blocks, structure."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in words an editor understands."""
