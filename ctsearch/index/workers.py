"""Worker processes for a build: fork, collect results in order, fail cleanly, never hang.

The build (build.py) hands `run_forked` one share of the work per process. Each worker is
forked, so it inherits every loaded module and object (nothing is pickled on the way in); it
reports each item it finishes (for the progress bar) and then its result, which is pickled
back through a pipe.

Failure handling: a worker that raises sends its exception; one that dies (killed, out of
memory) closes its pipe; either way the parent kills the others and raises — never a hang (and
the caller writes no table of contents; store.swap_in then deletes the generation folder).
Workers ignore SIGINT (the parent handles Ctrl-C and kills them) and die with the parent
(PR_SET_PDEATHSIG), so a SIGKILLed build leaves no orphan writing into a dead generation.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ctsearch.errors import CtsearchError, UnusableIndexError

Say = Callable[[str], None]
Progress = Callable[[int, int], None]  # (items done, items to do)
# work(share, tick, say) -> a result with a `messages` attribute; tick(items done so far).
Work = Callable[[Sequence[Any], Callable[[int], None], Say], Any]


def can_fork() -> bool:
    """fork is the only start method that costs nothing to set up (the workers inherit every
    loaded module and the people data). Forking a process that runs other threads (`watch`)
    could leave a child waiting forever on a lock one of them held: one process then."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def run_forked(
    work: Work,
    shares: Sequence[Sequence[Any]],
    progress: Progress | None = None,
) -> list[Any]:
    """`work(share, tick, say)` for each share, each in a forked process; their results in
    share order, each with the messages it said as `.messages`. Raises if any fails."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    total = sum(len(s) for s in shares)
    parent = os.getpid()
    workers: dict[Any, tuple[int, Any]] = {}  # pipe → (share number, process)
    results: list[Any] = [None] * len(shares)
    done = 0
    try:
        for k, share in enumerate(shares):
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_worker,
                args=(writer, work, share, parent),
                name=f"ctsearch-index-{k}",
                daemon=True,
            )
            proc.start()
            writer.close()  # the worker holds the only write end: EOF means it is gone
            workers[reader] = (k, proc)
        while workers:
            for conn in wait(list(workers)):
                k, proc = workers[conn]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    raise _died(proc) from None
                if kind == "file":
                    done += 1
                    if progress is not None:
                        progress(done, total)
                elif kind == "done":
                    results[k] = payload
                    del workers[conn]
                    conn.close()
                    proc.join()
                else:
                    raise _failed(payload)
    finally:
        for conn, (_, proc) in workers.items():
            if proc.is_alive():
                proc.kill()
            proc.join()
            conn.close()
    return [r for r in results if r is not None]


def _worker(conn, work: Work, share: Sequence[Any], parent: int) -> None:
    """In a forked child: do `work` on `share`, report each item and then the result on
    `conn`."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    messages: list[str] = []
    position = [0]  # files done: share[position[0]] is the one being parsed

    def tick(done: int) -> None:
        position[0] = done
        conn.send(("file", None))

    try:
        result = work(share, tick, messages.append)
        result.messages = messages
        conn.send(("done", result))
    except BaseException as exc:  # everything goes back to the parent, which raises it
        at = getattr(share[position[0]], "path", None) if position[0] < len(share) else None
        conn.send(("error", _error_payload(exc, at)))
    finally:
        conn.close()


def _error_payload(exc: BaseException, path: Path | None) -> tuple[Any, str, str | None]:
    """(the exception if it is ours and can be pickled, a one-line description, a traceback)."""
    import pickle
    import traceback

    mine = None
    if isinstance(exc, CtsearchError):
        try:
            mine = pickle.loads(pickle.dumps(exc))
        except Exception:  # an unpicklable argument: the description still says it all
            mine = None
    where = f" while indexing {path}" if path is not None else ""
    text = f"{type(exc).__name__}{where}: {exc}"
    return mine, text, "".join(traceback.format_exception(exc))


class WorkerTraceback(Exception):
    """The traceback of an unexpected error in a worker process (shown with CTSEARCH_DEBUG)."""


def _failed(payload: tuple[Any, str, str | None]) -> CtsearchError:
    mine, text, trace = payload
    if mine is not None:
        return mine
    error = UnusableIndexError(f"an indexing process failed ({text}); the index was not changed")
    error.__cause__ = WorkerTraceback(trace)
    return error


def _died(proc) -> UnusableIndexError:
    proc.join(timeout=5)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit status {code}"
    return UnusableIndexError(
        f"an indexing process died ({how}; out of memory?); the index was not changed"
    )


def _die_with(parent: int) -> None:
    """Have the kernel SIGKILL this worker when its parent dies (Linux PR_SET_PDEATHSIG): a
    SIGKILLed build must not leave workers writing into a generation nobody will use."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
