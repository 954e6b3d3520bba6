"""An overall deadline for one HTTP request: connection, status line, headers and body.

``requests`` only bounds each wait for the socket (its read timeout): a server that sends its
status line or headers a byte every few seconds holds the client for as long as it likes, since
the body is the first thing the transport reads itself (and checks the clock while reading).
A :class:`Watchdog` is a timer that, at the deadline, shuts the request's socket down: the
blocked read returns at once with an error, which the transport reports as the deadline.

The socket is found through the connection class of the pools of a :class:`WatchedAdapter`:
each connection, as it sends a request (new or kept alive), registers itself with the watchdog
of the current thread. Written here because neither requests nor urllib3 offers a total timeout:
urllib3's ``Timeout(total=)`` (which requests does not pass on) only shortens the read timeout,
which still bounds each wait for the socket, not their sum.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Any

import requests.adapters
import urllib3.connection
import urllib3.connectionpool

__all__ = ["Watchdog", "WatchedAdapter"]

_current = threading.local()  # the watchdog of the request this thread is making, if any


class Watchdog:
    """Shuts down the socket of the request made in the block once ``seconds`` have passed.

    ``fired`` says whether it did (then the request's error is the deadline's, whatever it says).
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._connection: urllib3.connection.HTTPConnection | None = None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True  # never keeps a finished run alive

    def watch(self, connection: urllib3.connection.HTTPConnection) -> None:
        """The connection the request uses now (shut at once if the deadline has passed)."""
        with self._lock:
            self._connection = connection
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        sock = getattr(self._connection, "sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # already closed: nothing left to stop
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Watchdog:
        _current.watchdog = self
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._timer.cancel()
        _current.watchdog = None


def _register(connection: urllib3.connection.HTTPConnection) -> None:
    watchdog: Watchdog | None = getattr(_current, "watchdog", None)
    if watchdog is not None:
        watchdog.watch(connection)


class _HTTPConnection(urllib3.connection.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _register(self)  # the socket exists from now on

    def request(self, *args: Any, **kwargs: Any) -> None:
        _register(self)  # a kept-alive connection is not connected again
        super().request(*args, **kwargs)


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _register(self)
        super().request(*args, **kwargs)


class _HTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections register with the thread's :class:`Watchdog`.

    Connections through a proxy are not watched (they are the proxy manager's): for them the
    read timeout per wait is the bound, as without the watchdog.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
