"""URL helpers shared by blueprints."""
from typing import TypeGuard
from urllib.parse import urlsplit


def is_safe_next(target: str | None, host: str | None = None) -> TypeGuard[str]:
    """Only same-site targets are followed (no open redirects): a relative path, or,
    when ``host`` is given (e.g. for the Referer header), an absolute URL on that host."""
    if not target:
        return False
    parts = urlsplit(target)
    if host is not None and parts.scheme in ("http", "https") and parts.netloc == host:
        return True
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
