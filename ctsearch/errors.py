"""Errors the library raises; each message says what went wrong and how to fix it."""

from __future__ import annotations


class CtsearchError(Exception):
    """Base class: anything a user can cause. The CLI prints it on one line and exits 1."""

    exit_code = 1


class CorpusError(CtsearchError):
    """The corpus folder is missing or nothing in it could be read."""


class DocumentError(CtsearchError):
    """One file could not be read as text; the rest of the corpus is unaffected."""


class MetadataError(CtsearchError):
    """A sidecar .meta.toml or the people file is broken."""


class IndexMissingError(CtsearchError):
    """No index where one was expected."""


class UnusableIndexError(CtsearchError):
    """The index folder cannot be used: not ours (foreign), damaged, of another schema
    version, or locked by another process."""


class IndexLockedError(UnusableIndexError):
    """Another update holds the index lock for longer than we are willing to wait."""


class QueryError(CtsearchError):
    """The query or one of the filters cannot be understood."""


class PassageNotFoundError(QueryError):
    """No passage with that id in the index (the web app answers it with a 404)."""


class UnknownSpeakerError(QueryError):
    """A --speaker value matches nobody; the message lists the closest known names."""
