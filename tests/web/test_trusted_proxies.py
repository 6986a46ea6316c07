"""Behind a reverse proxy every request comes from the proxy's address: TRUSTED_PROXIES tells the app
to take the client's address from X-Forwarded-For, so per-address login throttling keeps working."""
from __future__ import annotations

from helpers import PASSWORD


def _login(client, email: str, password: str, forwarded_for: str):
    return client.post("/logg-inn", data={"email": email, "password": password},
                       headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": "10.0.0.2"})


def test_behind_a_trusted_proxy_the_client_address_is_throttled_not_the_proxy(world, make_app):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3, TRUSTED_PROXIES=1)
    client = app.test_client()
    for i in range(3):
        _login(client, f"nobody{i}@lia.no", "wrong", "203.0.113.7")
    assert _login(client, world.approver.email, PASSWORD, "203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    assert _login(client, world.approver.email, PASSWORD, "198.51.100.9").status_code == 302


def test_without_trusted_proxies_the_forwarded_header_is_ignored(world, make_app):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    client = app.test_client()
    for i in range(3):
        _login(client, f"nobody{i}@lia.no", "wrong", f"203.0.113.{i}")  # a spoofed header changes nothing
    assert _login(client, world.approver.email, PASSWORD, "198.51.100.9").status_code == 429
