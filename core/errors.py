"""Errors that reach the user as one clear message.

Every error here names what was wrong, the value that was given and what is
allowed, so the GUI and the command line can show it without a traceback.
"""


class ConfiguratorError(Exception):
    """Base class for errors caused by input, files or the catalog, not by bugs."""


class InputError(ConfiguratorError, ValueError):
    """A value typed by the user or read from a project file is out of range.

    Attributes
    ----------
    field : str
        Human-readable path of the field, for example ``"Workload 'Chat' > concurrent users"``.
    value : object
        The rejected value, shown as given.
    allowed : str
        What the field accepts, for example ``"an integer from 1 to 10000"``.
    """

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is invalid; expected {allowed}.")


class FileFormatError(ConfiguratorError):
    """A file could not be read: it is missing, truncated or not in the expected format."""

    def __init__(self, path: object, problem: str, fix: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" {fix}"
        super().__init__(message)


class CatalogError(ConfiguratorError):
    """The spec catalog is missing a row, is corrupted or cannot be opened."""
