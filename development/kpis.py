"""KPIs of the participation-support work, with SVG charts and a CSV export.

Counts only, no personal data: intakes (相談受付) and placements by month, days from intake to
placement, retention at 3 and 6 months, 様式第3号 changes by item, placements by category and
ward, 協力費 against budget by fiscal year (April–March) and receivers' answer times.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from casework.checklists import CHANGE_ITEMS_BY_CODE
from casework.permissions import Principal, authorize
from casework.services import audit
from casework.services._common import today_in_japan
from development import charts
from development import repository as repo
from development.receiver import ReceiverStats, receiver_stats
from development.service import unmet_needs_report
from matching import Ranker
from resources_catalog import service as catalog
from resources_catalog.taxonomy import CATEGORY_NAMES_JA

JST = timezone(timedelta(hours=9))
RETENTION_MONTHS = (3, 6)


@dataclass(frozen=True)
class Stint:
    """One placement as the retention KPI sees it: JST dates placed and ended, end reason."""

    placed_on: date
    ended_on: date | None
    reason_code: str | None


def retention_rate(stints: Sequence[Stint], months: int, today: date) -> tuple[int, int]:
    """(retained, eligible): placements placed at least ``months`` ago still going then.

    A placement counts as retained when it had not ended by ``placed_on + months`` or ended
    as stable (関係が安定し定着支援を終了).
    """
    span = timedelta(days=round(months * 30.4375))
    eligible = [s for s in stints if s.placed_on + span <= today]
    kept = [
        s
        for s in eligible
        if s.ended_on is None or s.ended_on >= s.placed_on + span or s.reason_code == "stable"
    ]
    return len(kept), len(eligible)


def fiscal_label(year: int) -> str:
    """「2026年度」 for the fiscal year starting April 2026."""
    return f"{year}年度"


@dataclass
class KpiReport:
    """Every KPI series; (label, value) pairs ready for charts and CSV."""

    on: date
    intakes_by_month: list[tuple[str, float]] = field(default_factory=list)
    placements_by_month: list[tuple[str, float]] = field(default_factory=list)
    days_to_placement_median: float | None = None
    days_to_placement_n: int = 0
    retention: list[tuple[str, float]] = field(default_factory=list)
    retention_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    evaluation_changes: list[tuple[str, float]] = field(default_factory=list)
    placements_by_category: list[tuple[str, float]] = field(default_factory=list)
    placements_by_ward: list[tuple[str, float]] = field(default_factory=list)
    fees_vs_budget: list[tuple[str, float, float]] = field(default_factory=list)
    receivers: list[ReceiverStats] = field(default_factory=list)
    unmet_themes: list[tuple[str, float]] = field(default_factory=list)


def _jst(value: datetime) -> date:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(JST).date()


def _by_month(days: Sequence[date]) -> list[tuple[str, float]]:
    counts = Counter(d.strftime("%Y-%m") for d in days)
    return [(k, float(v)) for k, v in sorted(counts.items())]


def kpi_report(
    session: Session,
    principal: Principal,
    *,
    on: date | None = None,
    ranker: Ranker | None = None,
) -> KpiReport:
    """All KPIs as of ``on`` (default today in Japan); anonymised counts, audited.

    With a fitted ``ranker`` the unmet-needs themes of the waiting list are included.
    """
    authorize(principal, "report:read")
    today = on or today_in_japan()
    report = KpiReport(on=today)
    report.intakes_by_month = _by_month(repo.intake_dates(session))
    placed = repo.placed_placements(session)
    placed_days = [_jst(p.placed_at) for p in placed if p.placed_at is not None]
    report.placements_by_month = _by_month(placed_days)
    first: dict[int, date] = {}
    for p in placed:
        if p.placed_at is not None:
            first.setdefault(p.person_id, _jst(p.placed_at))
    received = repo.received_on_of(session, list(first))
    waits = [(first[pid] - received[pid]).days for pid in first if pid in received]
    if waits:
        report.days_to_placement_median = float(statistics.median(waits))
        report.days_to_placement_n = len(waits)
    stints = [
        Stint(_jst(p.placed_at), _jst(p.ended_at) if p.ended_at else None, p.reason_code)
        for p in placed
        if p.placed_at is not None
    ]
    for months in RETENTION_MONTHS:
        kept, eligible = retention_rate(stints, months, today)
        label = f"{months}か月"
        report.retention_counts[label] = (kept, eligible)
        report.retention.append((label, round(100 * kept / eligible, 1) if eligible else 0.0))
    changes = Counter(c for sheet in repo.evaluation_changes(session) for c in sheet)
    report.evaluation_changes = [
        (CHANGE_ITEMS_BY_CODE[c].label_ja if c in CHANGE_ITEMS_BY_CODE else c, float(n))
        for c, n in changes.most_common()
    ]
    records = {r.resource_id: r for r in catalog.all_records(session)}
    cats: Counter[str] = Counter()
    wards: Counter[str] = Counter()
    for p in placed:
        record = records.get(p.resource_id)
        if record is None:
            continue
        cats.update(CATEGORY_NAMES_JA.get(c, c) for c in record.categories)
        wards[record.ward or "不明"] += 1
    report.placements_by_category = [(k, float(v)) for k, v in cats.most_common()]
    report.placements_by_ward = [(k, float(v)) for k, v in sorted(wards.items())]
    spent, budget = repo.fee_totals_by_year(session), repo.budgets(session)
    report.fees_vs_budget = [
        (fiscal_label(fy), float(budget.get(fy, 0)), float(spent.get(fy, 0)))
        for fy in sorted(set(spent) | set(budget))
    ]
    report.receivers = receiver_stats(session, principal)
    if ranker is not None:
        unmet = unmet_needs_report(session, principal, ranker, on=today)
        report.unmet_themes = [(t.label, float(t.count)) for t in unmet.themes[:12]]
    audit.record(session, principal, "report.kpis", "report", None)
    return report


def kpi_charts(report: KpiReport) -> dict[str, str]:
    """One SVG per KPI, keyed by a stable name."""
    return {
        "intakes": charts.column_chart(report.intakes_by_month, title="相談受付件数（月別）"),
        "placements": charts.column_chart(
            report.placements_by_month, title="参加開始件数（月別）"
        ),
        "retention": charts.bar_chart(report.retention, title="定着率", unit="%"),
        "evaluation": charts.bar_chart(
            report.evaluation_changes, title="評価シートで見られた変化（項目別）", unit="件"
        ),
        "category": charts.bar_chart(
            report.placements_by_category, title="参加先の分類", unit="件"
        ),
        "ward": charts.bar_chart(report.placements_by_ward, title="参加先の区", unit="件"),
        "fees": charts.paired_bar_chart(
            report.fees_vs_budget, title="協力費 予算と執行額（年度別）",
            names=("予算", "執行額（承認・支払済）"), unit="円",
        ),
        "unmet": charts.bar_chart(
            report.unmet_themes, title="満たされていないニーズ（テーマ別・人数）", unit="人"
        ),
        "receivers": charts.bar_chart(
            [(s.organization_id[:8], s.median_response_hours or 0.0) for s in report.receivers],
            title="受入先の回答までの時間（中央値）",
            unit="時間",
        ),
    }  # fmt: skip


def kpi_csv(report: KpiReport) -> str:
    """Every series as rows (kpi, label, value[, value2]) for Excel (UTF-8 with BOM)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["kpi", "label", "value", "value2"])
    series: dict[str, list[tuple[str, float]]] = {
        "intakes_by_month": report.intakes_by_month,
        "placements_by_month": report.placements_by_month,
        "retention_percent": report.retention,
        "evaluation_changes": report.evaluation_changes,
        "placements_by_category": report.placements_by_category,
        "placements_by_ward": report.placements_by_ward,
        "unmet_needs_themes": report.unmet_themes,
    }
    for name, items in series.items():
        for label, value in items:
            w.writerow([name, label, _num(value), ""])
    if report.days_to_placement_median is not None:
        w.writerow(["days_to_placement_median", "", _num(report.days_to_placement_median), ""])
    for label, budget, spent in report.fees_vs_budget:
        w.writerow(["fees_budget_vs_spent_yen", label, _num(budget), _num(spent)])
    for s in report.receivers:
        w.writerow(
            ["receiver_acceptance_rate", s.organization_id, s.acceptance_rate or 0, s.answered]
        )
    return "\ufeff" + out.getvalue()


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
