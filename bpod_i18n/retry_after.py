"""The HTTP ``Retry-After`` header, read once for every client that retries (the machine
translation providers and the WordPress publisher)."""

from __future__ import annotations

import email.utils
import time


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait: the header is a number of seconds or an HTTP date (RFC 9110 §10.2.3);
    None when it is absent or unreadable. Never negative (a date in the past: now)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
