"""Django's Redis cache, with one client object per connection pool.

Django's own backend builds a new ``redis.Redis`` for every cache call, and
redis-py fills a table of ~170 reply handlers each time it does: a fifth of a
millisecond per call, several calls in every hospital check. The client is
thread-safe (it takes a connection from the pool for each command), so one
per pool serves every thread of a worker.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
