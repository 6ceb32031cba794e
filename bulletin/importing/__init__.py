"""Importing a printed issue, stage by stage (being split out of ``bulletin.importer``)."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in words an editor understands."""
