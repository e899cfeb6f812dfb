"""Logging filters named in ``settings.LOGGING``."""
from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep "Forbidden (Permission denied): /path" one line: a refused request (a viewer's
    submit) is the user's, not a server fault, so its exception's traceback is left out.
    Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
