"""The port a server started with port 0 is listening on, read from its log: no port is freed
and taken again, so two test runs side by side (CI) cannot collide on one."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

LISTENING = re.compile(r"(?:HTTP mode on|listening on) [^\s:]+:(\d+)")


def port_from_log(log: Path, process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    """Wait until `log` names the port `process` listens on; RuntimeError when it exits or
    takes longer than `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text(errors="replace") if log.exists() else ""
        found = LISTENING.search(text)
        if found and int(found.group(1)):
            return int(found.group(1))
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {text[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server named no port within {timeout:g} s: {text[-2000:]}")
        time.sleep(0.05)
