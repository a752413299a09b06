"""Screenshots for the docs, from a running demo (`make demo`), small palette PNGs in docs/screenshots/: the commune
officer's home on a desktop (1280 × 800) and a phone (375 × 812); the province specialist's dashboard of Lai Châu
(its first 2,400 pixels) and its map of the communes. Usage:

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
LOGIN, PASSWORD = "canbo.khunha", "treem-demo-2026"  # the demo's synthetic officer of Xã Khun Há
SIZES = {"home-desktop.png": (1280, 800), "home-phone.png": (375, 812)}
DASHBOARD_LOGIN = "tinh.laichau"  # the demo's synthetic province specialist of Lai Châu


def small_png(raw: bytes, path: Path) -> None:
    """A 128-colour palette PNG: a few tens of kB instead of a few hundred."""
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def login(page, base: str, username: str) -> None:  # noqa: ANN001 - a Playwright page
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def dashboard_shots(browser, base: str) -> None:  # noqa: ANN001 - a Playwright browser
    """The province dashboard (its top) and its map, once the charts are drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    login(page, base, DASHBOARD_LOGIN)
    page.goto(f"{base}/dashboards/")
    page.wait_for_selector("[data-chart=map] svg")
    shots = {"dashboard.png": page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 2400}),
             "dashboard-map.png": page.locator("#map").screenshot()}  # fmt: skip
    for name, raw in shots.items():
        small_png(raw, OUT / name)
        sys.stdout.write(f"{OUT / name} {(OUT / name).stat().st_size // 1024} kB\n")
    page.close()


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
            login(page, base, LOGIN)
            small_png(page.screenshot(), OUT / name)
            sys.stdout.write(f"{OUT / name} {(OUT / name).stat().st_size // 1024} kB\n")
            page.close()
        dashboard_shots(browser, base)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
