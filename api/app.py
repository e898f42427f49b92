"""The app factory: ``uvicorn --factory api.app:create_app`` or ``tsunagu serve``."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api import openapi_contract
from api.admission import AdmissionMiddleware
from api.errors import register_error_handlers
from api.routers import (
    catalog,
    hsds,
    system,
    v1_accounts,
    v1_agencies,
    v1_agenda,
    v1_audit,
    v1_casework_reports,
    v1_consultations,
    v1_evaluations,
    v1_fees,
    v1_matching,
    v1_people,
    v1_placements,
    v1_plans,
    v1_progress_notes,
    v1_prospects,
    v1_receiver,
    v1_referrals,
    v1_reports,
    v1_security,
)
from api.routers.docs import setup_docs
from api.security_headers import SecurityHeadersMiddleware
from api.settings import Settings
from api.strict_query import refuse_unknown_query_parameters
from api.web import setup_web
from casework import crypto
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from casework.services import outcomes as casework_outcomes
from consultation.services.agencies import load_demo_directory
from matching import (
    Encoder,
    HashingEncoder,
    Outcome,
    PersonProfile,
    SuggestionLog,
    default_encoder,
)
from resources_catalog import service as catalog_service
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade

logger = logging.getLogger(__name__)

DESCRIPTION = """\
つなぐ(Tsunagu): 千葉市 参加支援事業の受入先マッチング。
Resource catalog API for Chiba City's participation-support work.

* **Catalog** (`/api/v1/catalog`): paging with `offset`/`limit`; ETags carry the version,
  `PUT` needs `If-Match` (428 without, 412 when stale).
* **HSDS 3.1** (`/hsds`): Open Referral read endpoints with the HSDS page envelope.
* **Casework** (`/api/v1/people`, `/plans`, `/placements`, `/fees`, …): intake to closure
  for case-management systems. Send `Authorization: Bearer <key>` (`tsunagu create-api-key
  --role ROLE --name NAME`); each route names its permission in `x-required-permission`;
  401 without a valid key, 403 without the permission. Catalog reads are public; catalog
  writes need `catalog:write`.
* Errors are always `{"error": "<code>", "detail": ...}`.
"""


# The ranker reads outcome rows as the system (audited as ``system:0`` / client "ranker").
RANKER_PRINCIPAL = Principal(kind="system", id=0, client="ranker")
# The demo 支援関係機関 directory is loaded as the system (audited as ``system:0`` / "demo").
DEMO_PRINCIPAL = Principal(kind="system", id=0, client="demo")


def make_ranker_provider(settings: Settings, factory: sessionmaker[Session]) -> RankerProvider:
    """The ranker for the app: the configured encoder, learning from casework decisions."""
    encoder_factory: Callable[[], Encoder] = (
        HashingEncoder if settings.encoder == "hashing" else default_encoder
    )

    def load_outcomes(session: Session) -> list[Outcome]:
        rows = casework_outcomes.outcome_rows(
            session, RANKER_PRINCIPAL, stable_weeks=settings.outcome_stable_weeks
        )
        return [
            Outcome(
                profile=PersonProfile.from_contract(row["person"]),
                resource_id=row["resource_id"],
                outcome=row["outcome"],
                reason=row["reason_code"] or "",
            )
            for row in rows
        ]

    def load_runs(session: Session) -> list[SuggestionLog]:
        return casework_outcomes.training_runs(
            session, RANKER_PRINCIPAL, stable_weeks=settings.outcome_stable_weeks
        )

    return RankerProvider(
        cache_dir=settings.embedding_cache_dir,
        encoder_factory=encoder_factory,
        outcomes_loader=load_outcomes,
        runs_loader=load_runs,
        session_scope=lambda: unit_of_work(factory),
        refit=settings.ranker_refit,
    )


class MissingEncryptionKey(RuntimeError):
    """The service was started without an encryption key for sensitive fields."""


def _start(app: FastAPI, settings: Settings) -> None:
    """Blocking start-up work: encryption key, engine, migrations, optional demo catalog."""
    if settings.encryption_key is None:
        # Sensitive casework fields are never stored in plaintext: refuse to start instead.
        raise MissingEncryptionKey(
            "TSUNAGU_ENCRYPTION_KEY is not set: sensitive fields cannot be encrypted. "
            "Run `tsunagu serve` once to generate tsunagu.local.env, or set the variable "
            "(generate a key with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    # Fail fast on a malformed key rather than on the first sensitive write.
    crypto.configure(settings.encryption_keys())
    engine = make_engine(settings.database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    if settings.load_demo_catalog:
        with unit_of_work(factory) as session:
            report = catalog_service.load_demo_catalog(session, actor="demo")
        loaded = len(report.new) if report else 0
        if loaded:
            logger.info("loaded %d demo resources", loaded)
        with unit_of_work(factory) as session:
            directory = load_demo_directory(session, DEMO_PRINCIPAL)
        if directory is not None:
            logger.info("loaded %d demo agencies", len(directory.created))
    app.state.engine = engine
    app.state.session_factory = factory
    app.state.ranker = make_ranker_provider(settings, factory)
    if settings.warm_ranker:
        # Encoding the catalog takes seconds on first start; do it before the first coordinator
        # asks. Requests arriving meanwhile wait on the provider's lock instead of fitting twice.
        threading.Thread(
            target=_warm_ranker, args=(app,), name="ranker-warmup", daemon=True
        ).start()


def _warm_ranker(app: FastAPI) -> None:
    try:
        app.state.ranker.warm()
    except Exception:  # a failed warm-up only means the first request fits instead
        logger.exception("ranker warm-up failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; settings are read once here (from the environment when not given)."""
    settings = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Migrations and the demo import block: keep them off the event loop.
        await run_in_threadpool(_start, app, settings)
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="Tsunagu つなぐ",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc come from api.routers.docs with local assets (no CDN).
        docs_url=None,
        redoc_url=None,
        # Every documented operation refuses query parameters it does not declare.
        dependencies=[Depends(refuse_unknown_query_parameters)],
    )
    app.state.settings = settings
    register_error_handlers(app)
    # Routes are tried in order, each a regex match (~4 µs): the suggestion route, the one
    # case systems call most, goes first instead of after ~60 others. No other route matches
    # its paths, so the order changes no answer (tests/api/test_route_order.py).
    app.include_router(v1_matching.router)
    app.include_router(system.router)
    setup_docs(app)
    app.include_router(catalog.router)
    app.include_router(hsds.router)
    for casework_router in (
        v1_people,
        v1_plans,
        v1_evaluations,
        v1_placements,
        v1_fees,
        v1_casework_reports,
        v1_audit,
        v1_accounts,
    ):
        app.include_router(casework_router.router)
    # 包括的相談支援 (consultation/): consultations, 支援経過, agencies, referrals.
    for consultation_router in (v1_consultations, v1_progress_notes, v1_agencies, v1_referrals):
        app.include_router(consultation_router.router)
    app.include_router(v1_reports.router)
    app.include_router(v1_prospects.router)
    app.include_router(v1_receiver.router)
    app.include_router(v1_security.router)
    app.include_router(v1_agenda.router)
    # The coordinators' web pages (sessions, CSRF, /static): api/web.
    setup_web(app, settings)
    openapi_contract.install(app, settings)
    # Inside the headers middleware: a request waits for its slot before any thread is used.
    app.add_middleware(AdmissionMiddleware, limit=settings.max_concurrent_requests)
    # Outermost, so every answer (pages, JSON, errors, static files) carries the headers.
    app.add_middleware(SecurityHeadersMiddleware)
    return app
