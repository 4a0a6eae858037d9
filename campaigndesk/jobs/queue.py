"""The transport: django-q2 carries a job's id to a worker (JOBS_BROKER: the database, or
Redis for several hosts). Nothing else of the library is used; the Job row is the truth."""

from django_q.brokers import get_broker
from django_q.tasks import async_task

TASK = "campaigndesk.jobs.services.run_job"


def enqueue(job_id: int) -> None:
    # One task name for every kind: the worker looks the kind up on the row.
    async_task(TASK, job_id, broker=get_broker(), task_name=f"job-{job_id}", save=False)
