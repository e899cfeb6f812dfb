"""The one error every model reader raises: what was wrong and where (1-based line/column)."""
from __future__ import annotations


class FormatError(ValueError):
    """An unusable model document.

    ``reason`` says what was wrong and, where possible, how to fix it; ``line`` and ``column``
    (1-based) point at the offending node, or are None when no position applies (e.g. a
    document that is too large to read at all).
    """

    def __init__(
        self,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        source: str = "<string>",
    ) -> None:
        """Build the error; ``source`` names the file for callers that want to print it."""
        self.reason = reason
        self.line = line
        self.column = column
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        """``"line 12, column 5: reason"``, or just the reason when no position is known."""
        if self.line is None:
            return self.reason
        if self.column is None:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}, column {self.column}: {self.reason}"

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, int | None, int | None, str]]:
        """Pickle with all attributes (errors cross process boundaries in Celery tasks)."""
        return (FormatError, (self.reason, self.line, self.column, self.source))


class ExternalReferenceError(FormatError):
    """A document whose ``$ref``s name other files, read without them (``load_any``).

    Callers that can gather the files (the CLI, from the disk next to the document) catch it
    and read the document again with ``load_files``; everyone else shows the reason.
    """
