"""Case API reads answered from the cache while nothing they show has changed.

Back-office systems poll: the same list of submitted cases every minute, the same
case until it moves. Reading it again from the database each time costs several
queries and the JSON writing for an answer that is nearly always the one given a
moment ago. So a read's answer (its JSON, as sent) is kept in the cache under the
token that asked and the whole URL it asked for, together with the **version** of
the case data it was read at, and given again while that version stands.

The version is a random value under ``VERSION_KEY``. Anything that changes what the
API shows sets a new one: saving or deleting a case, a timeline entry, an attachment,
a service definition or an API client, a change to a client's services, and the
same through a queryset (``update``, ``delete``, ``bulk_create``, ``bulk_update``
on the querysets of those models, ``CaseApiQuerySet``). It is set at once and again
after the transaction commits: a read that started before the commit and cached
what it saw under the new version is dropped by the second. A change made around
the ORM (raw SQL) would not move the version, so answers also expire after
``API_READ_CACHE_SECONDS`` (0 turns the cache off).

API clients have a version of their own (``CLIENTS_KEY``), so a worker can keep the
client a token belongs to (``remembered_client``) until any client changes: a
revoked token is refused on its next call.

While the cache cannot be reached the versions read as missing, and every read goes
to the database as before; nothing is cached under a version nobody set.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

VERSION_KEY = "caseapi:version"
CLIENTS_KEY = "caseapi:clients"
_MEMO_SIZE = 1000

# token hash -> (clients version, client) in this process.
_clients: dict[str, tuple[str, object]] = {}


def _new_versions(*keys: str) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)


def changed(*, clients: bool = False) -> None:
    """What the API shows has changed (``clients``: an API client too)."""
    keys = (VERSION_KEY, CLIENTS_KEY) if clients else (VERSION_KEY,)
    _new_versions(*keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _new_versions(*keys))


class CaseApiQuerySet(models.QuerySet):
    """Queryset writes that change what the case API shows move its version."""

    _changes_clients = False

    def _changed(self) -> None:
        changed(clients=self._changes_clients)

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            self._changed()
        return rows

    def delete(self):
        answer = super().delete()
        if answer[0]:
            self._changed()
        return answer

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        if made:
            self._changed()
        return made

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            self._changed()
        return rows


class ApiClientChangesQuerySet(CaseApiQuerySet):
    _changes_clients = True


class Read:
    """What the cache holds for one read, fetched in one round trip with both
    versions before the token is checked."""

    def __init__(self, token_hash: str, url: str):
        url_hash = hashlib.sha256(url.encode()).hexdigest()
        self.key = f"caseapi:read:{token_hash}:{url_hash}"
        self.token_hash = token_hash
        self.version = self.clients_version = None
        self.answer: bytes | None = None
        if not enabled():
            return
        got = cache.get_many([VERSION_KEY, CLIENTS_KEY, self.key])
        self.version = got.get(VERSION_KEY)
        self.clients_version = got.get(CLIENTS_KEY)
        if self.version is None or self.clients_version is None:
            # First read since the cache was emptied: start both versions (a
            # concurrent start wins or loses harmlessly; this read stays uncached).
            cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
            cache.add(CLIENTS_KEY, secrets.token_hex(8), timeout=None)
            self.version = self.clients_version = None
            return
        entry = got.get(self.key)
        if entry is not None and entry[0] == self.version:
            self.answer = entry[1]

    def keep(self, content: bytes) -> None:
        if self.version is not None:
            cache.set(
                self.key,
                (self.version, content),
                timeout=settings.API_READ_CACHE_SECONDS,
            )

    def client(self):
        """The client this token belonged to at the current clients version."""
        if self.clients_version is None:
            return None
        memo = _clients.get(self.token_hash)
        if memo is not None and memo[0] == self.clients_version:
            return memo[1]
        return None

    def remember_client(self, client) -> None:
        if self.clients_version is None:
            return
        if len(_clients) >= _MEMO_SIZE:
            _clients.clear()
        _clients[self.token_hash] = (self.clients_version, client)


def enabled() -> bool:
    return settings.API_READ_CACHE_SECONDS > 0
