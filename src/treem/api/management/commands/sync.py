"""`treem sync push|pull --remote URL --token T [--user USERNAME]`: exchange records and figures with another Treem.

`pull --dhis2 PERIOD --unit CODE [--out FILE]` fetches the remote's figures of a unit as a DHIS2 dataValueSet."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from treem.accounts.models import User
from treem.api.sync import SyncError, http_send, pull, pull_dhis2, push
from treem.core.outfile import replaced_atomically


class Command(BaseCommand):
    help = "Exchange households, children, intervals and entered figures with another Treem (push or pull)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("direction", choices=["push", "pull"])
        parser.add_argument("--remote", required=True, help="The other Treem's address, e.g. https://tinh.example.vn")
        parser.add_argument("--token", required=True, help="An API token of a user there")
        parser.add_argument("--user", default="", help="Pull: the local user the records are written as")
        parser.add_argument("--dhis2", default="", metavar="PERIOD", help="Pull the figures as a DHIS2 dataValueSet")
        parser.add_argument("--unit", default="", help="With --dhis2: the unit's official code")
        parser.add_argument("--out", default="", help="With --dhis2: write to this file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        send = http_send(options["remote"], options["token"])
        try:
            if options["dhis2"]:
                self._dhis2(send, options)
                return
            if options["direction"] == "push":
                report = push(remote=options["remote"], send=send)
            else:
                report = pull(remote=options["remote"], send=send, actor=self._actor(options["user"]))
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines() or ["nothing to exchange"]:
            self.stdout.write(line)
        if report.conflicts:
            self.stderr.write(f"{len(report.conflicts)} conflict(s): resolve them on either side, then sync again")

    def _actor(self, username: str) -> User:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("No such active local user (--user)")
        return user

    def _dhis2(self, send: Any, options: dict[str, Any]) -> None:
        if options["direction"] != "pull" or not options["unit"]:
            raise CommandError("--dhis2 goes with pull and --unit CODE")
        data = pull_dhis2(send=send, unit_code=options["unit"], period=options["dhis2"])
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if options["out"]:
            with replaced_atomically(options["out"], newline=None) as f:
                f.write(text)
            self.stdout.write(f"{len(data['dataValues'])} values written to {options['out']}")
        else:
            self.stdout.write(text)
