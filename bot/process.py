"""What every child process of the stack does before it starts, shared by the supervisor and the Rasa launcher."""

from __future__ import annotations

import ctypes
import signal


def die_with_parent() -> None:
    """Runs in a child before it starts: if its parent is killed outright (SIGKILL, OOM), the child gets
    SIGTERM from the kernel instead of running on unsupervised."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
