"""TREEM_LOG_FORMAT=json: one JSON object per line with timestamp, level, logger, message, request id, exception."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from treem.core.logs import JsonFormatter, RequestIdFilter


def _json_logger(stream: io.StringIO, name: str) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    log = logging.getLogger(name)
    log.handlers = [handler]
    log.propagate = False
    log.setLevel(logging.INFO)
    return log


def test_a_json_log_line_parses_with_its_fields_and_the_exception() -> None:
    stream = io.StringIO()
    log = _json_logger(stream, "treem.test.json")
    log.warning("Nhập tệp: %s dòng lỗi", 3, extra={"import_id": 12})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "treem.test.json"
    assert first["message"] == "Nhập tệp: 3 dòng lỗi" and first["import_id"] == 12
    assert first["timestamp"].endswith("+00:00") and first["request_id"] is None
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exception"]


@pytest.mark.django_db
def test_log_lines_written_during_a_request_carry_its_id() -> None:
    stream = io.StringIO()
    log = _json_logger(stream, "treem.request")
    try:
        response = Client().get("/accounts/login/", headers={"X-Request-ID": "proxy-abc-123"})
        other = Client().get("/accounts/login/", headers={"X-Request-ID": "not valid\n"})
    finally:
        log.handlers, log.propagate = [], True
        log.setLevel(logging.NOTSET)
    assert response["X-Request-ID"] == "proxy-abc-123"
    assert other["X-Request-ID"] != "not valid\n" and len(other["X-Request-ID"]) == 32
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == ["proxy-abc-123", other["X-Request-ID"]]
    assert lines[1]["method"] == "GET" and lines[1]["path"] == "/accounts/login/" and lines[1]["status"] == 200
    assert "treem.core.logs.RequestIdMiddleware" in settings.MIDDLEWARE


def test_treem_log_format_json_switches_the_root_django_and_treem_loggers() -> None:
    code = (
        "import logging, django; django.setup();"
        "logging.getLogger('treem.imports').warning('from treem');"
        "logging.getLogger('django.request').error('from django');"
        "logging.getLogger('other').warning('from root')"
    )
    env = {**os.environ, "TREEM_LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "treem.config.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("treem.imports", "from treem"),
        ("django.request", "from django"),
        ("other", "from root"),
    ]


def test_an_unknown_log_format_is_refused() -> None:
    env = {**os.environ, "TREEM_LOG_FORMAT": "xml", "DJANGO_SETTINGS_MODULE": "treem.config.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "TREEM_LOG_FORMAT must be text or json" in result.stderr
