"""Errors a user can cause, with messages written for a librarian."""


class CitymigError(Exception):
    """Base class of errors that are reported to the user without a traceback."""

    exit_code = 1


class BadQuery(CitymigError):
    """The query cannot be understood."""

    exit_code = 2


class IndexMissing(CitymigError):
    """No index exists at the given location."""

    exit_code = 2


class IndexBusy(CitymigError):
    """Another process holds the index's write lock."""

    exit_code = 3


class DocumentNotFound(CitymigError):
    """No indexed document has that id or path, or its file is gone or outside the collection."""

    exit_code = 2


class ClusterError(CitymigError):
    """The Dask cluster cannot be used: distributed is not installed or the scheduler does not answer."""

    exit_code = 4


class ExtractionError(Exception):
    """A file cannot be read; the message says why in a librarian's words."""
