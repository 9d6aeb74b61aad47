"""nir._threads.Workers: the scan's threads, in place of concurrent.futures."""

from __future__ import annotations

import threading
import time

import pytest

from nir._threads import Workers


def test_results_and_errors_reach_the_caller() -> None:
    with Workers(2, "test") as workers:
        double = workers.submit(lambda x: 2 * x, 21)
        failing = workers.submit(int, "not a number")
        assert double.result() == 42
        with pytest.raises(ValueError, match="not a number"):
            failing.result()
        assert failing.result is not None  # the job stays readable


def test_one_worker_runs_jobs_in_submission_order() -> None:
    seen: list[int] = []
    with Workers(1, "test") as workers:
        jobs = [workers.submit(seen.append, k) for k in range(100)]
    assert seen == list(range(100))  # leaving the block ran every job
    assert all(job.result() is None for job in jobs)


def test_threads_are_named_and_stopped() -> None:
    names: list[str] = []
    with Workers(2, "nir-test") as workers:
        started = threading.Barrier(3)  # both workers busy at once, and the caller

        def meet() -> None:
            names.append(threading.current_thread().name)
            started.wait(timeout=10)

        jobs = [workers.submit(meet) for _ in range(2)]
        started.wait(timeout=10)
        for job in jobs:
            job.result()
    assert sorted(names) == ["nir-test_0", "nir-test_1"]
    assert not [t for t in threading.enumerate() if t.name.startswith("nir-test")]


def test_an_error_in_the_block_cancels_the_jobs_not_started() -> None:
    started = threading.Event()
    ran: list[int] = []
    jobs = []

    def busy_until_closing(workers: Workers) -> str:
        started.set()
        deadline = time.monotonic() + 10
        while not workers._stopping and time.monotonic() < deadline:  # the test's point
            time.sleep(0.001)
        return "finished"

    def fail_while_busy() -> None:
        with Workers(1, "test") as workers:
            jobs.append(workers.submit(busy_until_closing, workers))
            jobs.append(workers.submit(ran.append, 1))
            started.wait(timeout=10)
            raise KeyError

    with pytest.raises(KeyError):
        fail_while_busy()
    assert jobs[0].result() == "finished"  # the job under way ends normally
    with pytest.raises(RuntimeError, match="not run"):
        jobs[1].result()
    assert ran == []


def test_a_closed_pool_refuses_jobs_and_closes_once() -> None:
    workers = Workers(1, "test")
    assert workers.submit(sum, (1, 2)).result() == 3
    workers.close()
    workers.close()  # a second close does nothing
    with pytest.raises(RuntimeError, match="after close"):
        workers.submit(sum, (1, 2))


def test_a_base_exception_of_a_job_reaches_the_caller() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with Workers(1, "test") as workers:
        job = workers.submit(interrupted)
        with pytest.raises(KeyboardInterrupt):
            job.result()
        assert workers.submit(int, "7").result() == 7  # the thread goes on
