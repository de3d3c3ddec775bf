"""`flask create-user`: add an account from the command line (e.g. the first administrator)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from database import db

from . import passwords, people
from .models import ROLES


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--family-name", required=True)
@click.option("--given-names", default="")
@click.option(
    "--role", "roles", multiple=True, type=click.Choice(ROLES), default=("admin",), show_default=True
)
@click.password_option(help="Prompted for, hidden, when not given.")
def create_user(
    email: str, family_name: str, given_names: str, roles: tuple[str, ...], password: str
) -> None:
    """Create a user with the given roles."""
    if people.find_user(email):
        sys.exit(f"A user with email {email} already exists.")
    if problem := passwords.problem(password):
        sys.exit(problem)
    user = people.create_user(email, family_name, given_names, roles, password)
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(user.roles)}).")
