"""The ``tsunagu`` command: database setup, catalog import/export, and serving the app.

Every command builds the settings once (``--database-url`` overrides them) and runs its
database work in one unit of work.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Every domain's models, so `rotate-key` finds every encrypted column.
import consultation.models  # noqa: F401
import development.models  # noqa: F401
from api.settings import Settings
from casework.errors import CaseworkError
from casework.permissions import ROLE_PERMISSIONS, ROLES, Principal
from casework.schemas import ApiClientIn, UserIn
from casework.services import accounts, audit, key_rotation, sign_in_guard
from consultation.services.agencies import load_demo_directory
from resources_catalog import service as catalog
from resources_catalog.errors import ImportRejected, UnsupportedFile
from resources_catalog.importers.welfare_open_data import parse_welfare_open_data
from resources_catalog.validation import ImportReport, RowError
from storage import backup
from storage.base import Base
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade

app = typer.Typer(
    name="tsunagu",
    help="つなぐ(Tsunagu): 参加支援の受入先カタログとマッチング / Chiba participation support.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

LOCAL_ENV_FILE = Path("tsunagu.local.env")
READ_CHUNK = 1 << 20


@dataclass
class CliState:
    """Options given before the command name."""

    database_url: str | None = None

    def settings(self) -> Settings:
        """Settings from the environment and tsunagu.local.env, with the CLI overrides."""
        if self.database_url:
            return Settings(database_url=self.database_url)
        return Settings()


# Accounts made on the command line are recorded in the audit log as ``system:0`` / "cli".
CLI_PRINCIPAL = Principal(kind="system", id=0, client="cli")

RoleOption = StrEnum("RoleOption", {role: role for role in ROLES})  # type: ignore[misc]


class ImportFormatOption(StrEnum):
    """Import formats: ``auto`` (CSV / xlsx / HSDS by content) or public welfare open data."""

    auto = "auto"
    wam = "wam"
    kaigo = "kaigo"


class ExportFormatOption(StrEnum):
    """Export formats offered on the command line."""

    csv = "csv"
    xlsx = "xlsx"
    hsds = "hsds"


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL; overrides TSUNAGU_DATABASE_URL "
            "(default sqlite:///var/tsunagu.db).",
        ),
    ] = None,
) -> None:
    """Tsunagu command line."""
    ctx.obj = CliState(database_url=database_url)


def _state(ctx: typer.Context) -> CliState:
    state = ctx.obj
    assert isinstance(state, CliState)
    return state


@contextmanager
def _database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A migrated database for one command; the engine is disposed afterwards."""
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@app.command("init-db")
def init_db(ctx: typer.Context) -> None:
    """Create or migrate the database to the newest schema."""
    settings = _state(ctx).settings()
    with _database(settings):
        pass
    console.print(
        f"データベースを準備しました / Database ready: {_safe_url(settings.database_url)}"
    )


def _summary_table(report: ImportReport, *, title: str) -> Table:
    table = Table(title=title)
    table.add_column("区分 / Outcome")
    table.add_column("件数 / Count", justify="right")
    for label, n in (
        ("新規 / new", len(report.new)),
        ("更新 / updated", len(report.updated)),
        ("変更なし / unchanged", len(report.unchanged)),
        ("無効化 / deactivated", len(report.deactivated)),
        ("誤り / errors", len(report.errors)),
        ("位置の警告 / location warnings", len(report.warnings)),
        ("行数 / rows", report.total_rows),
    ):
        table.add_row(label, str(n))
    return table


def _error_table(errors: list[RowError], limit: int) -> Table:
    table = Table(title="誤りのある行 / Invalid rows (row 1 = header)")
    table.add_column("行 Row", justify="right")
    table.add_column("列 Column")
    table.add_column("ID")
    # fold: Japanese has no spaces to wrap at, and a cut-off message is useless.
    table.add_column("値 Value", overflow="fold")
    table.add_column("内容", overflow="fold")
    table.add_column("Message", overflow="fold")
    for e in errors[:limit]:
        table.add_row(
            str(e.row), e.column, e.resource_id or "", e.value or "", e.message_ja, e.message_en
        )
    return table


def _read_with_progress(path: Path, progress: Progress) -> bytes:
    size = path.stat().st_size
    task = progress.add_task("読み込み / reading", total=size)
    chunks: list[bytes] = []
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            chunks.append(chunk)
            progress.advance(task, len(chunk))
    return b"".join(chunks)


@app.command("import-catalog")
def import_catalog(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV, xlsx or HSDS JSON"),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; change nothing.")
    ] = False,
    valid_only: Annotated[
        bool, typer.Option("--valid-only", help="Import the valid rows despite invalid ones.")
    ] = False,
    deactivate_missing: Annotated[
        bool,
        typer.Option("--deactivate-missing", help="Deactivate resources absent from the file."),
    ] = False,
    actor: Annotated[str, typer.Option("--actor", help="Name recorded in the history.")] = "cli",
    show_errors: Annotated[
        int, typer.Option("--show-errors", min=0, help="Most invalid rows to list.")
    ] = 200,
    fmt: Annotated[
        ImportFormatOption,
        typer.Option(
            "--format",
            help="auto, wam (WAM NET 障害福祉サービス CSV) or kaigo (介護サービス情報公表 CSV).",
        ),
    ] = ImportFormatOption.auto,
    municipality: Annotated[
        str | None,
        typer.Option("--municipality", help="wam / kaigo: keep offices in this 市区町村."),
    ] = None,
) -> None:
    """Import resources by resource_id (upsert). Exit code 1 when any row is invalid."""
    settings = _state(ctx).settings()
    rejected = False
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=err_console,
        transient=True,
    )
    try:
        with progress:
            data = _read_with_progress(file, progress)
            step = progress.add_task("検証・取込 / validating and importing", total=None)
            try:
                with _database(settings) as factory, unit_of_work(factory) as session:
                    if fmt is ImportFormatOption.auto:
                        report = catalog.import_file(
                            session,
                            data,
                            file.name,
                            actor=actor,
                            dry_run=dry_run,
                            valid_only=valid_only,
                            deactivate_missing=deactivate_missing,
                        )
                    else:
                        records, errors, total = parse_welfare_open_data(
                            data, fmt.value, municipality
                        )
                        report = catalog.import_records(
                            session,
                            records,
                            errors,
                            total_rows=total,
                            actor=actor,
                            dry_run=dry_run,
                            valid_only=valid_only,
                            deactivate_missing=deactivate_missing,
                        )
            except ImportRejected as exc:  # rolled back by the unit of work
                report, rejected = exc.report, True
            progress.update(step, completed=1, total=1)
    except UnsupportedFile as exc:
        err_console.print(
            f"[red]読み込めないファイルです / Unsupported file:[/red] {file.name}: {exc}"
        )
        raise typer.Exit(1) from exc

    if rejected:
        title = "取込結果(取り込んでいません)/ Result (nothing imported)"
    elif dry_run:
        title = "確認結果(変更していません)/ Dry run (nothing changed)"
    else:
        title = "取込結果 / Import result"
    console.print(_summary_table(report, title=title))
    if report.errors:
        console.print(_error_table(report.errors, show_errors))
        if len(report.errors) > show_errors:
            console.print(f"… ほか {len(report.errors) - show_errors} 件 / more not shown")
    if rejected:
        err_console.print(
            f"[red]{len(report.errors)} 件の誤りがあるため取り込みませんでした。"
            "誤りを直すか --valid-only を付けてください / "
            "Rejected: fix the rows or pass --valid-only.[/red]"
        )
    if report.errors:
        raise typer.Exit(1)


@app.command("export-catalog")
def export_catalog(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormatOption, typer.Option("--format", help="csv (Excel-ready), xlsx or hsds")
    ] = ExportFormatOption.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="File to write (default stdout)."),
    ] = None,
) -> None:
    """Write the whole catalog as CSV, xlsx or HSDS 3.1 JSON."""
    if output is None and fmt is ExportFormatOption.xlsx:
        err_console.print("xlsx には --output が必要です / xlsx needs --output FILE")
        raise typer.Exit(2)
    settings = _state(ctx).settings()
    with _database(settings) as factory, unit_of_work(factory) as session:
        content = catalog.export_catalog(session, fmt.value)
    if output is None:
        stream = typer.get_binary_stream("stdout")
        stream.write(content)
        stream.flush()
        return
    output.write_bytes(content)
    err_console.print(f"書き出しました / Wrote {len(content)} bytes to {output}")


@app.command("create-user")
def create_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name (letters, digits, _ . @ -).")],
    role: Annotated[RoleOption, typer.Option("--role", help="The user's role.")],
    team: Annotated[str | None, typer.Option("--team", help="Team (coordinators).")] = None,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown in the app.")
    ] = None,
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt="パスワード / Password (12+ characters)",
            hide_input=True,
            confirmation_prompt=True,
            help="Prompted for (hidden) when not given.",
        ),
    ] = "",
) -> None:
    """Create a staff account; the password is stored as an argon2 hash."""
    settings = _state(ctx).settings()
    try:
        data = UserIn(
            username=username,
            display_name=display_name or username,
            role=role.value,
            team=team,
            password=password,
        )
        with _database(settings) as factory, unit_of_work(factory) as session:
            user = accounts.create_user(session, CLI_PRINCIPAL, data)
            user_id = user.id
    except (ValueError, CaseworkError) as exc:  # pydantic's ValidationError is a ValueError
        err_console.print(f"[red]作成できません / Cannot create the user:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"職員アカウントを作成しました / Created user {username} (id {user_id}, role {role.value})"
    )


@app.command("create-api-key")
def create_api_key(
    ctx: typer.Context,
    role: Annotated[RoleOption, typer.Option("--role", help="The key gets this role's rights.")],
    name: Annotated[str, typer.Option("--name", help="Which case system uses the key.")],
) -> None:
    """Create an API client key with a role's permissions; the key is printed ONCE."""
    settings = _state(ctx).settings()
    scopes = sorted(ROLE_PERMISSIONS[role.value])  # type: ignore[index]
    try:
        with _database(settings) as factory, unit_of_work(factory) as session:
            client, token = accounts.create_api_client(
                session, CLI_PRINCIPAL, ApiClientIn(name=name, scopes=scopes)
            )
            client_id = client.id
    except (ValueError, CaseworkError) as exc:
        err_console.print(f"[red]作成できません / Cannot create the key:[/red] {exc}")
        raise typer.Exit(1) from exc
    err_console.print(
        f"API クライアント {client_id} ({name}, {role.value}) を作成しました。"
        "キーは今回だけ表示されます / The key is shown only this once:"
    )
    # The key alone on stdout, so scripts can capture it.
    typer.echo(token)


@app.command("verify-audit")
def verify_audit(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A head hash printed by an earlier run and kept outside the database: "
            "fails when the chain no longer holds it (rows deleted from the end).",
        ),
    ] = None,
) -> None:
    """Recompute the audit log's hash chain. Exit code 0 when intact, 1 when tampered.

    Prints the head hash: record it outside the database (a ticket, a signed mail) and pass
    it later as ``--expect-head`` to detect truncation.
    """
    settings = _state(ctx).settings()
    with _database(settings) as factory, unit_of_work(factory) as session:
        report = audit.check_chain(session)
        recorded_at = (
            audit.find_recorded_head(session, expect_head.strip().lower())
            if expect_head and report.ok
            else None
        )
    if not report.ok:
        err_console.print(
            f"[red]監査ログの不整合 / Audit chain broken at row {report.first_bad_id} "
            f"({report.rows_checked} rows verified before it).[/red]"
        )
        raise typer.Exit(1)
    if expect_head and recorded_at is None:
        err_console.print(
            "[red]記録済みの先頭ハッシュが監査ログにありません。末尾の記録が削除された可能性が"
            "あります / The recorded head is not in the audit chain: rows were removed from "
            f"its end ({report.rows_checked} rows now, head {report.head_hash}).[/red]"
        )
        raise typer.Exit(1)
    console.print(
        f"監査ログは改ざんされていません / Audit chain intact: {report.rows_checked} rows, "
        f"head {report.head_hash}"
    )
    if expect_head:
        console.print(f"記録済みの先頭（記録 {recorded_at}）を含みます / Holds the recorded head")
    # The head alone on stdout's last line, so scripts can record it.
    typer.echo(report.head_hash)


def _row_counts(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in sorted(inspect(engine).get_table_names())
            }
    finally:
        engine.dispose()


@app.command("backup")
def backup_database(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to write.")],
) -> None:
    """Copy the whole database to a file (SQLite backup API; pg_dump custom format)."""
    settings = _state(ctx).settings()
    try:
        backup.backup(settings.database_url, path)
    except backup.BackupError as exc:
        err_console.print(f"[red]バックアップできません / Backup failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    counts = _row_counts(settings)
    console.print(
        f"バックアップしました / Backed up {sum(counts.values())} rows "
        f"in {len(counts)} tables to {path}"
    )


@app.command("restore")
def restore_database(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file written by `tsunagu backup`.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that is not empty.")
    ] = False,
) -> None:
    """Load a backup into the database (empty unless --replace), then verify the audit chain."""
    settings = _state(ctx).settings()
    try:
        backup.restore(settings.database_url, path, replace=replace)
    except backup.BackupError as exc:
        err_console.print(f"[red]復元できません / Restore failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    with _database(settings) as factory, unit_of_work(factory) as session:
        report = audit.check_chain(session)
    counts = _row_counts(settings)
    console.print(
        f"復元しました / Restored {sum(counts.values())} rows in {len(counts)} tables; "
        f"audit chain {'intact' if report.ok else 'BROKEN'} ({report.rows_checked} rows, "
        f"head {report.head_hash})"
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command("rotate-key")
def rotate_key(
    ctx: typer.Context,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per transaction (resumable unit).")
    ] = 500,
) -> None:
    """Re-encrypt every sensitive field with TSUNAGU_ENCRYPTION_KEY (the new key).

    Set TSUNAGU_ENCRYPTION_KEY to the new key and TSUNAGU_ENCRYPTION_KEY_PREVIOUS to the old
    one (comma-separated if several). Each batch commits on its own, so an interrupted run is
    started again and carries on; at the end every value must open with the new key alone.
    """
    settings = _state(ctx).settings()
    keys = settings.encryption_keys()
    if not keys:
        err_console.print("[red]TSUNAGU_ENCRYPTION_KEY が未設定です / not set[/red]")
        raise typer.Exit(1)
    try:
        new, every = key_rotation.ciphers(keys[0], keys[1:])
    except key_rotation.RotationError as exc:
        err_console.print(f"[red]鍵を使えません / Bad key:[/red] {exc}")
        raise typer.Exit(1) from exc
    tables = key_rotation.encrypted_tables(Base.metadata)
    rewritten = 0
    with _database(settings) as factory:
        try:
            for target in tables:
                after: int | None = None
                while True:
                    with unit_of_work(factory) as session:
                        batch = key_rotation.rotate_batch(
                            session, target, new, every, after_id=after, batch_size=batch_size
                        )
                    rewritten += batch.rewritten
                    if batch.last_id is None:
                        break
                    after = batch.last_id
                console.print(f"{target.table.name}: ok")
        except key_rotation.RotationError as exc:
            err_console.print(f"[red]鍵を更新できません / Rotation stopped:[/red] {exc}")
            raise typer.Exit(1) from exc
        with unit_of_work(factory) as session:
            report = key_rotation.verify(session, tables, new)
            key_rotation.record_rotation(session, CLI_PRINCIPAL, rewritten=rewritten, report=report)
    if not report.ok:
        err_console.print(
            f"[red]新しい鍵で開けない値があります / {len(report.failures)} values do not open "
            f"with the new key:[/red] {', '.join(report.failures[:10])}"
        )
        raise typer.Exit(1)
    console.print(
        f"暗号鍵を更新しました / Rotated: {rewritten} values rewritten, {report.checked} "
        "verified with the new key. TSUNAGU_ENCRYPTION_KEY_PREVIOUS can now be removed."
    )


@app.command("unlock-sign-in")
def unlock_sign_in(
    ctx: typer.Context,
    username: Annotated[
        str | None, typer.Option("--user", help="Lift the lock on this user name.")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="Lift the lock on this client address.")
    ] = None,
) -> None:
    """Lift a sign-in lock before it expires (recorded in the audit log)."""
    settings = _state(ctx).settings()
    try:
        with _database(settings) as factory, unit_of_work(factory) as session:
            sign_in_guard.unlock(session, CLI_PRINCIPAL, username=username, address=address)
    except CaseworkError as exc:
        err_console.print(f"[red]解除できません / Cannot unlock:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print("ログインのロックを解除しました / Sign-in lock lifted")


def _new_secret() -> str:
    """32 random bytes, URL-safe base64 (also a valid Fernet / AES-256 key)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def ensure_local_env(settings: Settings, path: Path = LOCAL_ENV_FILE) -> bool:
    """Write ``path`` with fresh secret and encryption keys when neither the environment nor
    an existing file configures them. Never touches an existing file; True when written."""
    if settings.secret_key is not None and settings.encryption_key is not None:
        return False
    if path.exists():
        err_console.print(
            f"[yellow]{path} はありますが鍵が未設定です / {path} exists but lacks "
            "TSUNAGU_SECRET_KEY or TSUNAGU_ENCRYPTION_KEY; it was left unchanged.[/yellow]"
        )
        return False
    content = (
        "# Generated by `tsunagu serve` on first run. Keep private; never commit.\n"
        f"TSUNAGU_SECRET_KEY={_new_secret()}\n"
        f"TSUNAGU_ENCRYPTION_KEY={_new_secret()}\n"
    )
    # O_EXCL: a file created meanwhile is not overwritten; 0600: keys readable by the owner only.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content)
    return True


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="Default TSUNAGU_HOST.")] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Default TSUNAGU_PORT.")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo catalog when the catalog is empty.")
    ] = False,
) -> None:
    """Migrate the database, optionally load the demo catalog, and serve the app."""
    import uvicorn

    from api.app import create_app

    state = _state(ctx)
    if ensure_local_env(state.settings()):
        console.print(f"鍵を生成しました / Generated keys in {LOCAL_ENV_FILE}")
    settings = state.settings()  # again, so the generated keys are read
    settings = settings.model_copy(
        update={
            "host": host or settings.host,
            "port": port or settings.port,
            "load_demo_catalog": demo or settings.load_demo_catalog,
            "warm_ranker": True,
        }
    )
    with _database(settings) as factory:
        if settings.load_demo_catalog:
            with unit_of_work(factory) as session:
                report = catalog.load_demo_catalog(session, actor="demo")
            loaded = len(report.new) if report else 0
            if loaded:
                console.print(
                    f"デモ用の受入先を {loaded} 件登録しました / Loaded {loaded} demo resources"
                )
            with unit_of_work(factory) as session:
                directory = load_demo_directory(session, CLI_PRINCIPAL)
            if directory is not None:
                console.print(
                    f"デモ用の支援関係機関を {len(directory.created)} 件登録しました / "
                    f"Loaded {len(directory.created)} demo agencies"
                )
            password = secrets.token_urlsafe(12)
            with unit_of_work(factory) as session:
                created = accounts.create_demo_users(session, CLI_PRINCIPAL, password)
            if created:
                # Printed once, like API keys; only the argon2 hash is stored.
                console.print(
                    "デモ用アカウント / Demo accounts: "
                    f"{', '.join(created)}  パスワード / password: {password}"
                )
    shown_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    console.print(f"Tsunagu: http://{shown_host}:{settings.port}/")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)
