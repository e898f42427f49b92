"""The fitted ranker beside the catalog: built once, rebuilt when the catalog changes.

The matching library never sees the database: this module turns catalog records into
``matching.Resource`` values and owns the ranker's lifecycle so that no request pays for it:

- the catalog keeps a revision counter that every write bumps (``content`` for what the
  ranker indexes, ``availability`` for free places and status), so a request reads one row
  instead of hashing the catalog;
- free places and status are applied as a query-time filter, so a placement (one place
  less) never refits;
- a content change is refitted in a background thread on its own session and swapped in
  atomically; requests keep ranking with the previous ranker meanwhile. Each worker process
  checks the counter per request, so several uvicorn workers see a change within seconds.
- ``refit="inline"`` refits in the calling request instead (single-process tools, tests that
  read the catalog through the request's own uncommitted transaction).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from matching import Encoder, Outcome, Ranker, Resource, SuggestionLog
from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord

logger = logging.getLogger(__name__)

RefitMode = Literal["background", "inline"]
SessionScope = Callable[[], AbstractContextManager[Session]]


def to_matching_resource(record: ResourceRecord) -> Resource:
    """The matching library's view of a catalog record (contract fields only)."""
    return Resource(
        resource_id=record.resource_id,
        name=record.name,
        organization=record.organization,
        description=record.description,
        categories=list(record.categories),
        ward=record.ward or "",
        address=record.address or "",
        lat=record.lat,
        lon=record.lon,
        days=list(record.days),
        start_time=record.start_time or "",
        end_time=record.end_time or "",
        capacity_total=record.capacity_total,
        capacity_remaining=record.capacity_remaining,
        min_age=record.min_age,
        max_age=record.max_age,
        requires_certificate=record.requires_certificate,
        wheelchair_accessible=record.wheelchair_accessible,
        quiet_environment=record.quiet_environment,
        small_group=record.small_group,
        visit_ok=record.visit_ok,
        trial_ok=record.trial_ok,
        paid=record.paid,
        participant_cost_yen=record.participant_cost_yen,
        cooperation_fee_yen=record.cooperation_fee_yen,
        cooperation_fee_unit=record.cooperation_fee_unit,
        status=record.status,
    )


@dataclass(frozen=True)
class _Fitted:
    """One immutable generation: the ranker and the catalog revisions it reflects."""

    ranker: Ranker
    content: int
    availability: int
    fitted_at: float


class RankerProvider:
    """Owns one fitted ranker for the current catalog and keeps it current without blocking.

    ``fits`` counts every fit (tests use it to show that a placement does not refit).
    """

    def __init__(
        self,
        *,
        encoder_factory: Callable[[], Encoder] | None = None,
        cache_dir: Path | None = None,
        outcomes_loader: Callable[[Session], Sequence[Outcome]] | None = None,
        runs_loader: Callable[[Session], Sequence[SuggestionLog]] | None = None,
        session_scope: SessionScope | None = None,
        refit: RefitMode = "background",
        outcomes_ttl_s: float = 3600.0,
    ) -> None:
        self._encoder_factory = encoder_factory
        self._cache_dir = cache_dir
        self._outcomes_loader = outcomes_loader
        # Stored suggestion lists with their decisions (the pairwise stage; see matching.pairwise).
        self._runs_loader = runs_loader
        self._session_scope = session_scope
        self._refit: RefitMode = refit if session_scope is not None else "inline"
        # Outcomes arrive without touching the catalog: refit at least this often to learn them.
        self._outcomes_ttl_s = outcomes_ttl_s
        self._encoder: Encoder | None = None
        self._fit_lock = threading.Lock()
        self._swap_lock = threading.Lock()
        self._current: _Fitted | None = None
        self._rebuilding = False
        self.fits = 0

    @property
    def is_fitted(self) -> bool:
        """True once a ranker has been fitted (after warm-up or the first request)."""
        return self._current is not None

    @property
    def encoder(self) -> Encoder | None:
        """The encoder rankers are built with (None until the first fit)."""
        return self._encoder

    def current(self, session: Session) -> Ranker:
        """A ranker for the catalog as ``session`` sees it now (free places always live).

        Reads the revision row; fits only when nothing is fitted yet (or inline mode and the
        content changed); otherwise a content change starts a background rebuild.
        """
        revision = catalog.catalog_revision(session)
        fitted = self._current
        if fitted is None or (self._refit == "inline" and self._stale(fitted, revision.content)):
            fitted = self._fit_now(session, revision.content)
        elif self._stale(fitted, revision.content):
            self._rebuild_in_background()
        if fitted.availability != revision.availability:
            fitted = self._refresh_availability(session, fitted, revision.availability)
        return fitted.ranker

    def warm(self) -> None:
        """Fit once from a session of our own (at start-up, before the first coordinator)."""
        if self._session_scope is None:
            return
        with self._session_scope() as session:
            self.current(session)

    # ------------------------------------------------------------------ internals
    def _stale(self, fitted: _Fitted, content: int) -> bool:
        expired = time.monotonic() - fitted.fitted_at >= self._outcomes_ttl_s
        return fitted.content != content or expired

    def _fit(self, session: Session) -> _Fitted:
        return self._fit_from(*self._read(session))

    def _read(
        self, session: Session
    ) -> tuple[
        catalog.CatalogRevision,
        list[ResourceRecord],
        Sequence[Outcome] | None,
        Sequence[SuggestionLog] | None,
    ]:
        """What a fit needs from the database: revision, records, outcomes, decided runs."""
        revision = catalog.catalog_revision(session)
        records = catalog.all_records(session)
        outcomes = self._outcomes_loader(session) if self._outcomes_loader else None
        runs = self._runs_loader(session) if self._runs_loader else None
        return revision, records, outcomes, runs

    def _fit_from(
        self,
        revision: catalog.CatalogRevision,
        records: list[ResourceRecord],
        outcomes: Sequence[Outcome] | None,
        runs: Sequence[SuggestionLog] | None = None,
    ) -> _Fitted:
        if self._encoder is None and self._encoder_factory is not None:
            self._encoder = self._encoder_factory()
        ranker = Ranker(encoder=self._encoder, cache_dir=self._cache_dir).fit(
            [to_matching_resource(r) for r in records], outcomes=outcomes, runs=runs
        )
        self.fits += 1
        return _Fitted(ranker, revision.content, revision.availability, time.monotonic())

    def _fit_now(self, session: Session, content: int) -> _Fitted:
        with self._fit_lock:
            fitted = self._current
            # Another request may have fitted while this one waited for the lock.
            if fitted is not None and not self._stale(fitted, content):
                return fitted
            fitted = self._fit(session)
            self._swap(fitted)
            return fitted

    def _rebuild_in_background(self) -> None:
        with self._swap_lock:
            if self._rebuilding:
                return
            self._rebuilding = True
        threading.Thread(target=self._rebuild, name="ranker-rebuild", daemon=True).start()

    def _rebuild(self) -> None:
        assert self._session_scope is not None
        try:
            with self._fit_lock:
                # Read in a short transaction, then fit outside it: on SQLite every
                # transaction holds the write lock, and encoding the catalog takes seconds,
                # during which every other request would wait (found by scripts/soak.py).
                with self._session_scope() as session:
                    inputs = self._read(session)
                self._swap(self._fit_from(*inputs))
        except Exception:  # the previous ranker keeps serving; the next request retries
            logger.exception("ranker rebuild failed")
        finally:
            with self._swap_lock:
                self._rebuilding = False

    def _refresh_availability(self, session: Session, fitted: _Fitted, rev: int) -> _Fitted:
        live = catalog.availability(session)
        ranker = fitted.ranker.with_availability(
            remaining={rid: n for rid, (n, _) in live.items()},
            status={rid: s for rid, (_, s) in live.items()},
        )
        fresh = _Fitted(ranker, fitted.content, rev, fitted.fitted_at)
        self._swap(fresh, only_if=fitted)
        return fresh

    def _swap(self, fitted: _Fitted, only_if: _Fitted | None = None) -> None:
        with self._swap_lock:
            current = self._current
            if only_if is not None and current is not only_if:
                return  # a newer generation arrived meanwhile; keep it
            if current is None or fitted.content >= current.content or only_if is not None:
                self._current = fitted
