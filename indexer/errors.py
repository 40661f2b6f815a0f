"""Errors a user can cause, with messages written for a librarian."""


class CitymigError(Exception):
    """Base class of errors that are reported to the user without a traceback.

    An error is raised with a message *template* and its values (``BadQuery("unknown sort %(value)s",
    value="'x'")``): ``str(error)`` is the English sentence the CLI prints, and an interface in another
    language looks the template up in its catalogue and puts the same values into its own sentence.
    """

    exit_code = 1

    def __init__(self, template: str = "", **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


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
