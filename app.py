"""The application factory: `flask run` finds create_app() here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, request, request_started
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from accounts import passwords
from database import INTEGER_MAX, SAFE_METHODS, db, end_reading, expect_writes, render_migration_item
from extensions import CONTENT_SECURITY_POLICY, csrf, limiter, login_manager, migrate, talisman

# Environment variables read at start-up, with their defaults (documented in the README).
SETTINGS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "UPLOAD_DIR": None,
    "CERTIFICATE_DIR": None,
    "REDIS_URL": None,
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "TIMEZONE": "Australia/Sydney",
    "RTO_NAME": "Demonstration Training Institute",
    "RTO_CODE": "0000",
    "RTO_CONTACT": "Registrar",
    "RTO_PHONE": "02 9000 0000",
    "RTO_EMAIL": "records@example.com",
    "RTO_SUBURB": "Sydney",
    "RTO_POSTCODE": "2000",
    "RTO_STATE": "01",
    "DELIVERY_LOCATION_ID": "ONLINE",
    "DELIVERY_LOCATION_NAME": "Online campus",
    "RTO_LOGO": None,
    "SIGNATORY_NAME": "Alex Morgan",
    "SIGNATORY_TITLE": "Chief Executive Officer",
    "SIGNATURE_IMAGE": None,
    "NRT_LOGO": None,
    "MAX_ATTEMPTS": 3,
    "EVIDENCE_RETENTION_YEARS": 2,
    "CERTIFICATE_RETENTION_YEARS": 30,
    "JOB_RUNNER": None,
    "UPLOAD_MAX_MB": 20,
    "RECORDING_MAX_MB": 100,
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    "PROXY_COUNT": 0,
    "PASSWORD_HASH_METHOD": "scrypt",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides settings (tests pass their own)."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config or {})
    passwords.HASH_METHOD = app.config["PASSWORD_HASH_METHOD"]
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_templates(app)
    register_commands(app)
    return app


def configure(app: Flask, overrides: Mapping[str, Any]) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for key, default in SETTINGS.items():
        value = overrides.get(key, os.environ.get(key, default))
        app.config[key] = type(default)(value) if isinstance(default, int) and value is not None else value
    instance = Path(app.instance_path)
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or _instance_secret(instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config["DATABASE_URL"] or f"sqlite:///{instance / 'platform.db'}"
    )
    app.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"] or str(instance / "uploads")
    app.config["CERTIFICATE_DIR"] = app.config["CERTIFICATE_DIR"] or str(instance / "certificates")
    app.config.update(
        MAX_CONTENT_LENGTH=(app.config["RECORDING_MAX_MB"] + 5) * 1024 * 1024,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
        SESSION_REFRESH_EACH_REQUEST=False,  # expire_sessions renews it as the user is seen
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["PUBLIC_URL"].startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which expires itself
        RATELIMIT_STORAGE_URI=app.config["REDIS_URL"] or "memory://",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    app.config.update({k: v for k, v in overrides.items() if k not in SETTINGS})


def database_uri(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _instance_secret(instance: Path) -> str:
    """A per-installation key kept in instance/, so a demo needs no set-up and survives restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def trust_proxies(app: Flask) -> None:
    """Behind nginx, believe its X-Forwarded-* headers (client address, https), and nobody else's."""
    if count := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (every model, so metadata is complete for migrations and create_all)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    https = app.config["PUBLIC_URL"].startswith("https://")
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy (deploy/nginx.conf), which redirects http
        strict_transport_security=https,
        session_cookie_secure=https,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )


class RecordId(IntegerConverter):
    """`<int:...>` in a URL: a number beyond any id the database can hold is simply not found."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INTEGER_MAX)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = RecordId  # before any route is added
    from accounts import admin, views
    from assessments import evidence_views, mapping_views, marking_views
    from assessments import views as assessments
    from audit import views as audit
    from courseware import staff as teach
    from courseware import views as courseware
    from errors import bp as errors
    from records import dashboard, export_views
    from records import views as records
    from units import views as units

    blueprints = (
        views.bp,
        admin.bp,
        units.bp,
        courseware.bp,
        teach.bp,
        assessments.bp,
        marking_views.bp,
        evidence_views.bp,
        mapping_views.bp,
        audit.bp,
        records.bp,
        dashboard.bp,
        export_views.bp,
        errors,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    # A signal, not a before_request hook: it fires before every hook, and hooks (signing in the user,
    # expiring sessions) already read the database, which begins the request's transaction.
    def declare_write_intent(sender: Flask, **_: object) -> None:
        view = sender.view_functions.get(request.endpoint or "")
        expect_writes(request.method not in SAFE_METHODS or getattr(view, "writes_on_get", False))

    request_started.connect(declare_write_intent, app, weak=False)
    app.teardown_request(end_reading)  # before the app context's teardown closes the session


def register_templates(app: Flask) -> None:
    from templating import init_templates

    init_templates(app)


def register_commands(app: Flask) -> None:
    from accounts.cli import create_user
    from audit.cli import audit_cli
    from backups.cli import backup_command, restore_command
    from content.cli import content_cli
    from demo import seed_demo
    from housekeeping import storage_cli
    from privacy import retention_cli
    from records.cli import certificates_cli, export_cli
    from records.jobs import jobs_cli

    for command in (
        content_cli,
        audit_cli,
        certificates_cli,
        export_cli,
        create_user,
        seed_demo,
        backup_command,
        restore_command,
        jobs_cli,
        retention_cli,
        storage_cli,
    ):
        app.cli.add_command(command)
