"""The people of bench/load.py, for locust: commune officers, case workers and province specialists.

Run by bench/load.py (`locust -f bench/load_users.py --headless ...`), which seeds the database, writes the plan
(accounts and what each person opens) to the file named by TREEM_LOAD_PLAN and starts the server; every request's
time goes to the file named by TREEM_LOAD_SAMPLES when locust quits. Each locust user
signs in with an account of its own (a case worker also types the TOTP code of its authenticator) and then works;
`TREEM_LOAD_THINK` ("1-5", "0") is the pause between two actions, in seconds.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django_otp.oath import totp
from locust import HttpUser, between, constant, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["TREEM_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
_low, _, _high = os.environ.get("TREEM_LOAD_THINK", "1-5").partition("-")
THINK = constant(0) if float(_low) == float(_high or _low) == 0 else between(float(_low), float(_high or _low))
HTMX = {"HX-Request": "true"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_TYPED = 3, 8  # a person types the first letters of a name: from 3 to 8 characters sent by the search box


SAMPLES: list[tuple[str, float, int]] = []  # (action, response time in ms, 1 if it failed)


@events.request.add_listener
def _sample(name: str, response_time: float, exception: Any, **_: Any) -> None:
    SAMPLES.append((name, response_time, 1 if exception else 0))


@events.quitting.add_listener
def _write_samples(environment: Any, **_: Any) -> None:
    """Every request's time, for bench/load.py to compute exact percentiles (locust's own are rounded)."""
    with open(os.environ["TREEM_LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        errors = [f"{e.method} {e.name}: {e.error} ({e.occurrences}×)" for e in environment.stats.errors.values()]
        json.dump({"samples": SAMPLES, "errors": errors}, out)


@events.test_start.add_listener
def _loopback_only(environment: Any, **_: Any) -> None:
    host = urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"bench/load_users.py only loads 127.0.0.1, not {environment.host!r}")


class FormFields(HTMLParser):
    """The fields of each <form method="post"> of a page, as a browser would send them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        form = self._form
        if form is None or not a.get("name"):
            if tag == "option" and form is not None and self._select and "selected" in a:
                form[self._select] = a.get("value", "")
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    form[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                form[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            form.setdefault(self._select, "")
        elif tag == "textarea":
            self._textarea = a["name"]
            form[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            self._form[self._textarea] = self._form[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_fields(html: str, field: str) -> dict[str, str]:
    """The fields of the page's post form that has `field` (the header's sign-out form has not)."""
    parser = FormFields()
    parser.feed(html)
    return next((form for form in parser.forms if field in form), {})


class Person(HttpUser):
    """Signs in with the next account of its kind, then works (the tasks of the subclasses)."""

    abstract = True
    wait_time = THINK
    kind = ""
    _next: dict[str, itertools.count[int]] = {}

    def on_start(self) -> None:
        accounts = PLAN[self.kind]
        counter = self._next.setdefault(self.kind, itertools.count())
        self.me: dict[str, Any] = accounts[next(counter) % len(accounts)]
        self.rng = random.Random(self.me["username"])
        page = self.client.get("/accounts/login/", name="sign in (page)")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/", name="sign in",
            data={"username": self.me["username"], "password": "Bench-load-2026!",
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            catch_response=True,
        ) as answer:  # fmt: skip
            if "/accounts/login/" in answer.url:
                answer.failure(f"{self.me['username']} could not sign in")
                return
            if "/two-factor/" in answer.url:  # the code of the authenticator app, as the person types it
                token = CSRF.search(answer.text)
                code = f"{totp(bytes.fromhex(self.me['otp_key'])):06d}"
                with self.client.post(
                    answer.url, name="sign in (code)", catch_response=True,
                    data={"token": code, "csrfmiddlewaretoken": token.group(1) if token else ""},
                ) as second:  # fmt: skip
                    if "/two-factor/" in second.url:
                        second.failure(f"{self.me['username']}: the second factor was refused")

    def typed(self, name: str) -> str:
        """What a person has typed of a name when the search box sends it (diacritics or not)."""
        text = name[: self.rng.randint(*SEARCH_TYPED)].strip() if self.rng.random() < 0.5 else name
        return text.lower() if self.rng.random() < 0.5 else text

    def search(self, names: list[str], label: str) -> None:
        self.client.get(
            "/registry/children/", params={"q": self.typed(self.rng.choice(names))}, headers=HTMX, name=label
        )


class CommuneOfficer(Person):
    kind = "officers"
    fixed_count = len(PLAN["officers"])

    @task(4)
    def search_child(self) -> None:
        self.search(self.me["names"], "officer: search (HTMX results)")

    @task(3)
    def household(self) -> None:
        self.client.get(f"/registry/households/{self.rng.choice(self.me['households'])}/", name="officer: household")

    @task(2)
    def child(self) -> None:
        self.client.get(f"/registry/children/{self.rng.choice(self.me['children'])}/", name="officer: child")

    @task(1)
    def edit_child(self) -> None:
        pk = self.rng.choice(self.me["children"])
        page = self.client.get(f"/registry/children/{pk}/edit/", name="officer: child edit (form)")
        fields = form_fields(page.text, "full_name")
        fields["note"] = f"Đã thăm hộ gia đình lần {self.rng.randint(1, 99)}."
        with self.client.post(
            f"/registry/children/{pk}/edit/", data=fields, name="officer: child edit (save)", catch_response=True
        ) as answer:
            if urlsplit(answer.url).path != f"/registry/children/{pk}/":
                answer.failure("the edit was not saved (the form came back)")

    @task(1)
    def list_page(self) -> None:
        query = {"age": self.rng.choice(["0-5", "6-10", "11-15"]), "sex": self.rng.choice(["", "F", "M"])}
        self.client.get("/registry/children/", params=query, name="officer: filtered list")


class CaseWorker(Person):
    kind = "case_workers"
    fixed_count = len(PLAN["case_workers"])

    @task(2)
    def case_list(self) -> None:
        self.client.get("/cases/", name="case worker: case list")

    @task(4)
    def case(self) -> None:
        self.client.get(f"/cases/{self.rng.choice(self.me['cases'])}/", name="case worker: case")

    @task(1)
    def search_child(self) -> None:
        self.search(self.me["names"], "case worker: search (HTMX results)")


class ProvinceSpecialist(Person):
    kind = "specialists"
    fixed_count = len(PLAN["specialists"])

    @task(4)
    def indicator_table(self) -> None:
        table = self.rng.choice(PLAN["tables"])
        query = {**table, "unit": self.me["province"], "by": self.rng.choice([0, 0, 1, 2])}
        self.client.get("/indicators/", params=query, name="specialist: indicator table")

    @task(2)
    def search_province(self) -> None:
        names = PLAN["officers"][self.rng.randrange(len(PLAN["officers"]))]["names"]
        self.search(names, "specialist: province search (HTMX)")
