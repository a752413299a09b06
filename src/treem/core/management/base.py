"""What Treem's own commands share."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class DescribedCommand(BaseCommand):
    """A command whose `--help` shows `description` (several paragraphs, as written) under the usage line."""

    description = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = self.description
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser
