"""`treem api token USERNAME [--days N] [--name TEXT]`: print a new API token for scripts (shown once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.accounts.models import User
from treem.accounts.twofactor import token_allowed
from treem.api.tokens import DEFAULT_DAYS, MAX_DAYS, token_create


class Command(BaseCommand):
    help = "API tokens: `token USERNAME` prints a new token for that user (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        token = sub.add_parser("token", help="Print a new token for USERNAME")
        token.add_argument("username")
        token.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"Valid for N days (1…{MAX_DAYS})")
        token.add_argument("--name", default="script", help="What the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}")
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}")
        new = token_create(user=user, days=options["days"], name=options["name"])
        self.stdout.write(new.clear)
        if not token_allowed(user, new.token.created_at):
            self.stderr.write(
                f"{user.username} must use two-factor authentication and has no authenticator app set up yet: the "
                "token works once they set one up and a new token is made after it (docs/security.md)."
            )
