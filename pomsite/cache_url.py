"""Turn a CACHE_URL into Django's CACHES["default"].

    locmem://                       this process only (the default: fine for one server)
    redis://[:password@]host:6379/0 Django's built-in RedisCache (needs the `redis` package)
    rediss://...                    the same over TLS
    memcached://host:11211[,host2]  Django's PyMemcacheCache (needs the `pymemcache` package)
    dummy://                        no caching at all

Several app servers must share one Redis or Memcached: a per-process cache cannot tell the
other servers that an editor has changed a page (see docs/deployment.md).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "pymemcache": "django.core.cache.backends.memcached.PyMemcacheCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_from_url(url: str, key_prefix: str = "", timeout: int = 300) -> dict:
    """One entry of CACHES from a URL. An unknown scheme stops start-up with a clear message."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in BACKENDS:
        known = ", ".join(f"{name}://" for name in BACKENDS)
        raise ImproperlyConfigured(f"CACHE_URL must start with one of {known}")
    config = {"BACKEND": BACKENDS[scheme], "KEY_PREFIX": key_prefix, "TIMEOUT": timeout}
    if scheme in {"redis", "rediss"}:
        config["LOCATION"] = url
        # redis-py waits forever by default; a hung server must cost a second, not a request.
        config["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    elif scheme in {"memcached", "pymemcache"}:
        netloc = url.split("://", 1)[1].strip("/")
        config["LOCATION"] = [host for host in netloc.split(",") if host]
    elif scheme == "locmem":
        config["LOCATION"] = url.split("://", 1)[1] or "pomsite"
    return config
