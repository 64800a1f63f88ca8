"""Headless Chromium for the audit (Debian's chromium and chromedriver)."""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WINDOW = (1280, 1024)


class BrowserMissing(RuntimeError):
    pass


def browser_available() -> bool:
    return bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))


def start_browser(host_rules: dict[str, str] | None = None):
    """A headless Chromium WebDriver.

    ``host_rules`` maps host names to addresses (``--host-resolver-rules``), so a
    microsite's own hostname can be visited on a local server.
    """
    if not browser_available():
        raise BrowserMissing(
            f"headless Chromium needs {CHROMIUM} and {CHROMEDRIVER} "
            "(apt-get install chromium chromium-driver)"
        )
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    if host_rules:
        rules = ", ".join(f"MAP {host} {ip}" for host, ip in sorted(host_rules.items()))
        options.add_argument(f"--host-resolver-rules={rules}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    # A headless window never has the system focus, so without this ``:focus``
    # styles would not apply and focus indicators could not be checked.
    driver.execute_cdp_cmd("Emulation.setFocusEmulationEnabled", {"enabled": True})
    return driver
