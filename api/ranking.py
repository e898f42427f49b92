"""The fitted ranker for the current catalog, shared by the JSON API and the web pages.

The matching library never sees the database: this adapter turns catalog records into
``matching.Resource`` values and refits the ranker only when the catalog (including live
capacity) has changed since the last fit.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from matching import Encoder, Outcome, Ranker, Resource
from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord


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


def _fingerprint(records: Sequence[ResourceRecord]) -> str:
    digest = hashlib.sha256()
    for record in records:
        digest.update(record.model_dump_json(exclude={"extra"}).encode())
    return digest.hexdigest()


class RankerProvider:
    """Holds one fitted ranker; refits when the catalog or its capacity changed.

    Fitting is guarded by a lock so concurrent requests never fit twice for the same catalog.
    """

    def __init__(
        self,
        *,
        cache_dir: Path | None,
        encoder_factory: Callable[[], Encoder] | None = None,
        outcomes_loader: Callable[[Session], Sequence[Outcome]] | None = None,
        outcomes_ttl_s: float = 3600.0,
    ) -> None:
        self._cache_dir = cache_dir
        self._encoder_factory = encoder_factory
        self._outcomes_loader = outcomes_loader
        # Outcomes arrive without touching the catalog: refit at least this often to learn them.
        self._outcomes_ttl_s = outcomes_ttl_s
        self._fitted_at = 0.0
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()
        self._ranker: Ranker | None = None
        self._fingerprint: str | None = None

    @property
    def is_fitted(self) -> bool:
        """True once a ranker has been fitted (after warm-up or the first request)."""
        return self._ranker is not None

    def get(self, session: Session) -> Ranker:
        """The ranker fitted on the catalog as it is now in ``session``'s view."""
        records = catalog.all_records(session)
        fingerprint = _fingerprint(records)
        with self._lock:
            fresh = time.monotonic() - self._fitted_at < self._outcomes_ttl_s
            if self._ranker is not None and fingerprint == self._fingerprint and fresh:
                return self._ranker
            if self._encoder is None and self._encoder_factory is not None:
                self._encoder = self._encoder_factory()
            outcomes = self._outcomes_loader(session) if self._outcomes_loader else None
            ranker = Ranker(encoder=self._encoder, cache_dir=self._cache_dir).fit(
                [to_matching_resource(r) for r in records], outcomes=outcomes
            )
            self._ranker, self._fingerprint = ranker, fingerprint
            self._fitted_at = time.monotonic()
            return ranker
