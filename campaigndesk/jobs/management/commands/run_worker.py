"""`campaigndesk run_worker`: the background job worker (django-q2's cluster) and, beside
it, the sweep that takes up jobs whose worker died. `make run` starts it beside runserver;
in production it runs under systemd (README, Production)."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from django_q.brokers import get_broker
from django_q.cluster import Cluster

from campaigndesk.jobs.services import start_due, sweep


class Command(BaseCommand):
    help = "后台任务进程：运行排队的任务（汇总表、海报包、总结等），并接管中断的任务"

    def handle(self, *args, **options):
        broker = get_broker()
        where = "Redis" if settings.JOBS_BROKER else "数据库"
        self._sweep()
        cluster = Cluster(broker)
        cluster.start()
        self.stdout.write(f"后台任务进程已启动（队列：{where}，{settings.JOBS_WORKERS}个工作进程）")
        stop = []
        previous = signal.getsignal(signal.SIGTERM)

        def on_term(signum, frame):
            stop.append(signum)
            if callable(previous):
                previous(signum, frame)

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        # Sweep every few seconds while the cluster lives; its own signal handler stops it.
        period = max(1, min(settings.JOBS_STALE_SECONDS // 2, 30))
        while not stop and cluster.sentinel.is_alive():
            time.sleep(period)
            if not stop:
                self._sweep()
        if cluster.sentinel.is_alive():
            cluster.stop()
        self.stdout.write("后台任务进程已停止")

    def _sweep(self):
        counts = sweep()
        start_due()  # the periodic kinds (the mail fetch): no cron line for them
        if counts["requeued"] or counts["failed"]:
            self.stdout.write(f"接管中断的任务：重新排队{counts['requeued']}个，"
                              f"失败{counts['failed']}个")
        # The cluster forks its workers: they must not share this process's connection.
        connections.close_all()
