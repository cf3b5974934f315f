import socket

import pytest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Unit tests are pure: any attempt to open a connection (database or network) fails loudly."""

    def refuse(*args, **kwargs):
        raise RuntimeError("unit tests must not open connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
