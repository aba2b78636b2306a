"""Kernels for executing report notebooks.

Kernels talk over IPC sockets (files in a private temporary directory) rather
than TCP ports: no port can be taken by another kernel started at the same time
(papermill's known race when run in parallel), nothing listens on the network,
and the kernel does not warn about unencrypted TCP.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager


class IPCKernelManager(AsyncKernelManager):
    """An :class:`AsyncKernelManager` that uses the ``ipc`` transport in a private directory."""

    def __init__(self, **kwargs: object) -> None:
        self._socket_dir = Path(tempfile.mkdtemp(prefix="evallib-kernel-"))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self._socket_dir / "k"))
        super().__init__(**kwargs)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        # jupyter_client's shutdown awaits this coroutine (cleanup_resources is an alias).
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources
