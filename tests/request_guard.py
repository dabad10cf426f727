"""What pomsite.security.RequestGuardMiddleware refuses before any view sees the request."""

from urllib.parse import quote, unquote

from pomsite.security import MAX_PATH_LENGTH, MAX_QUERY_STRING_LENGTH


def refused_up_front(value: str) -> bool:
    """True for a path or parameter value with a null byte or too long to reach a view."""
    decoded = unquote(value)
    return "\x00" in decoded or len(quote(decoded)) > min(MAX_PATH_LENGTH, MAX_QUERY_STRING_LENGTH)
