"""Worker threads for the CSV scan: "run this on another thread, then wait for it".

Not `concurrent.futures`: importing it (with `logging`, which it imports) is ~22M
instructions, about 5 ms of a short `nir csv` run, for the two calls the scan
makes (`submit`, then `result`). `Workers` offers those two, as an `Executor`
does, so the scan takes either.
"""

from __future__ import annotations

import threading
from queue import SimpleQueue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Protocol, Self

    class Pending(Protocol):
        """What `submit` returns: a `Job`, or a `concurrent.futures.Future`."""

        def result(self) -> object: ...

    class Submitting(Protocol):
        """`Workers`, or a `concurrent.futures.Executor`."""

        def submit(self, fn: Callable[..., object], /, *args: object) -> Pending: ...


class Job:
    """One call run by a worker; `result` waits for it and returns or raises its outcome."""

    __slots__ = ("_args", "_call", "_done", "_error", "_value")

    def __init__(self, call: Callable[..., object], args: tuple[object, ...]) -> None:
        self._call = call
        self._args = args
        self._value: object = None
        self._error: BaseException | None = None
        self._done = threading.Lock()
        self._done.acquire()  # released when the call has ended

    def run(self) -> None:
        """Make the call (on a worker), keep its outcome, then let `result` return."""
        try:
            self._value = self._call(*self._args)
        except BaseException as error:  # noqa: BLE001  # raised by `result`, in the caller
            self._error = error
        finally:
            self._done.release()

    def cancel(self) -> None:
        """End the job uncalled: the pool is closing on an error."""
        self._error = RuntimeError("the job was not run: the scan stopped on an error")
        self._done.release()

    def result(self) -> object:
        """The call's return value, once it has ended; raises what it raised."""
        with self._done:
            pass
        if self._error is not None:
            raise self._error
        return self._value


class Workers:
    """`count` threads taking jobs in the order they were submitted.

    As a context manager: leaving it waits for the threads; on an error, the jobs
    not yet started are not run (a thread may still be finishing one).
    """

    def __init__(self, count: int, name: str) -> None:
        self._jobs: SimpleQueue[Job | None] = SimpleQueue()
        self._stopping = False
        self._closed = False
        self._threads: list[threading.Thread] = []
        try:
            for k in range(count):
                thread = threading.Thread(target=self._work, name=f"{name}_{k}")
                thread.start()
                self._threads.append(thread)
        except BaseException:  # e.g. no more threads: those started must not wait forever
            self.close(run_pending=False)
            raise

    def submit(self, call: Callable[..., object], /, *args: object) -> Job:
        """Run `call(*args)` on one of the threads."""
        if self._closed:
            raise RuntimeError("Workers.submit after close: no thread would run the job")
        job = Job(call, args)
        self._jobs.put(job)
        return job

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._stopping:
                job.cancel()
            else:
                job.run()

    def close(self, *, run_pending: bool = True) -> None:
        """Stop the threads once the jobs submitted are done (or cancelled), and wait."""
        if self._closed:
            return
        self._closed = True
        self._stopping = not run_pending
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(run_pending=kind is None)
