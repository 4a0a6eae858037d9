"""The auditor's export of the (filtered) log as CSV.

A spreadsheet program treats a cell starting with = + - @ (or tab / carriage return) as a
formula; every such cell gets a leading apostrophe, so user text never runs as a formula
(CSV injection). The export itself is an audited event.
"""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigndesk.core.cells import neutralise
from campaigndesk.units.permissions import Action, require

from .changes import change_rows
from .models import AuditEntry
from .services import record
from .views import AuditFilterForm

HEADER = ["时间", "用户名", "来源地址", "操作", "操作代码", "对象类型", "对象编号", "对象",
          "变更内容", "说明"]


def _changes_text(entry: AuditEntry) -> str:
    return "；".join(row.text for row in change_rows(entry.object_type, entry.changes))


def rows(entries) -> Iterator[list[str]]:
    yield HEADER
    for entry in entries.iterator(chunk_size=2000):
        yield [neutralise(v) for v in (
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_username,
            entry.address, entry.action_label, entry.action, entry.object_type_label,
            entry.object_id, entry.object_repr, _changes_text(entry), entry.message)]


class _Echo:
    def write(self, value: str) -> str:
        return value


@require(Action.READ_AUDIT)
def audit_csv(request):
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        entries = form.filter(entries)
    record(request.user, "audit.export", changes={"filters": request.GET.urlencode()},
           message=f"导出审计日志 {entries.count()} 条")
    writer = csv.writer(_Echo())
    # A BOM so that Excel and WPS open the UTF-8 file with the Chinese intact.
    stream = (("\ufeff" if i == 0 else "") + writer.writerow(row)
              for i, row in enumerate(rows(entries)))
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"审计日志-{stamp}.csv")
    return response
