"""A job kind for the worker tests only (tests/settings.py installs this app): slow enough
to be killed half-way, and one that fails on request."""

import time

from django.apps import AppConfig


def run_counting(job, out, step):
    from campaigndesk.jobs.registry import Result

    steps = int(job.params.get("steps", 5))
    for n in range(steps):
        if job.params.get("fail_at") == n:
            raise ValueError(f"第{n + 1}步的数据有误")
        out.write(f"第{n + 1}步（第{job.attempts}次运行）\n".encode())
        out.flush()
        step(100 * (n + 1) / steps, f"第{n + 1}/{steps}步")
        time.sleep(float(job.params.get("sleep", 0)))
    return Result("计数.txt")


class TestJobsConfig(AppConfig):
    name = "tests.jobs"
    label = "test_jobs"

    def ready(self):
        from campaigndesk.jobs.registry import Kind, register

        register(Kind("tests.counting", "计数（测试）", "campaigns.overview", run_counting))
