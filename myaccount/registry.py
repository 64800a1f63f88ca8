"""Where other apps plug their resident records into My Account.

Cases, bookings and payments arrive in later apps. ``services`` sits below
``myaccount`` and must not import it, so its records are registered from this side
(``MyAccountConfig.ready()``, one small module per source, importing
``services.models``); an app above ``myaccount`` may register from its own
``AppConfig.ready()``. A source provides:

* a **timeline source** (``register_timeline_source``): one query that returns the
  resident's latest records of one kind as ``TimelineItem``s. The dashboard asks each
  source once per request, so its query count depends on the number of sources,
  never on how many records a resident has;
* an **export section** and an **erasure handler** (``register_data_handler``), so a
  data download contains every kind of record and account deletion reaches them.
  There is one handler per kind of record, and its ``erase`` is the only code that
  erases that kind when an account is deleted; where another job erases the same
  records (the retention job erases expired cases), both call one routine
  (``services.erasure``), so the two cannot drift apart. A handler names the
  ``models`` it erases: a test checks that every model pointing at a user is
  erased by some handler or is listed as holding no resident's data;
* a **guest model** (``register_guest_model``): records made without an account that
  carry an email address, attached to the user once that address is verified
  (``myaccount.guest_claim``).

Registration is by plain function call (like Wagtail's hooks), so the order of app
loading does not matter and tests can register a source for their duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class TimelineItem:
    """One interaction as the dashboard, the export and staff see it."""

    kind: str  # a myaccount.enums.TimelineKind value
    reference: str
    title: str
    occurred_at: datetime
    status: str = ""
    url: str = ""
    updates: tuple[str, ...] = field(default_factory=tuple)
    staff_url: str = ""  # where staff open the record (the single customer view)

    @property
    def kind_label(self) -> str:
        from myaccount.enums import TimelineKind

        return dict(TimelineKind.choices).get(self.kind, self.kind.capitalize())


class TimelineSource(Protocol):
    kind: str

    def items(
        self, *, user, organisation_ids: Iterable[int], limit: int
    ) -> list[TimelineItem]:
        """The newest ``limit`` items that belong to ``user`` (or to one of the
        organisations), in ONE query."""

    def residents_with_reference(self, reference: str):
        """User ids whose records carry ``reference`` (for the staff search)."""


@dataclass(frozen=True)
class DataHandler:
    """One kind of a resident's records.

    ``export(user)`` gives the data download's section (``None``: the kind is in the
    download's built-in sections, ``myaccount.exports``); ``erase(user)`` erases it
    when the account is deleted, inside that deletion's transaction (files are
    deleted once it commits); ``models`` are the labels (``"app.Model"``) of the
    models whose rows it erases or anonymises.
    """

    key: str
    label: str
    export: Callable[[object], list[dict]] | None
    erase: Callable[[object], None]
    models: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuestModel:
    model: type
    email_field: str = "email"
    user_field: str = "resident"


_timeline_sources: list[TimelineSource] = []
_data_handlers: dict[str, DataHandler] = {}
_guest_models: list[GuestModel] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    if source not in _timeline_sources:
        _timeline_sources.append(source)
    return source


def unregister_timeline_source(source: TimelineSource) -> None:
    if source in _timeline_sources:
        _timeline_sources.remove(source)


def timeline_sources(kind: str | None = None) -> list[TimelineSource]:
    return [s for s in _timeline_sources if kind is None or s.kind == kind]


def register_data_handler(handler: DataHandler) -> DataHandler:
    _data_handlers[handler.key] = handler
    return handler


def unregister_data_handler(key: str) -> None:
    _data_handlers.pop(key, None)


def data_handlers() -> list[DataHandler]:
    return list(_data_handlers.values())


def register_guest_model(
    model: type, *, email_field: str = "email", user_field: str = "resident"
) -> GuestModel:
    entry = GuestModel(model, email_field, user_field)
    if entry not in _guest_models:
        _guest_models.append(entry)
    return entry


def unregister_guest_model(model: type) -> None:
    _guest_models[:] = [g for g in _guest_models if g.model is not model]


def guest_models() -> list[GuestModel]:
    return list(_guest_models)
