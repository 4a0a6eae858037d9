"""Briefs saved before the forms kept LF line breaks hold CRLF. A page shows CRLF as one
character, so a reviewer's selection after the first line break was saved one character
earlier per break (selected 核算检测, saved 社区开展): the browser's offsets were right for
the text as shown, the stored text was not. Here every title and body becomes canonical
(LF, NFC); the comments on a version whose body changed keep their offsets, which now
point where the reviewer selected, and take their quote from there.

The 退回修改意见 of returns made before it was kept on the version is taken from the audit
log (the message of each article.return entry) for the version then under review.
"""

from django.db import migrations

from campaigndesk.proofing.text import canonical


def _canonical_texts(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    ReviewComment = apps.get_model("articles", "ReviewComment")
    for article in Article.objects.all().only("pk", "title", "body").iterator():
        title, body = canonical(article.title), canonical(article.body)
        if (title, body) != (article.title, article.body):
            Article.objects.filter(pk=article.pk).update(title=title, body=body)
    for version in ArticleVersion.objects.all().only("pk", "title", "body").iterator():
        title, body = canonical(version.title), canonical(version.body)
        if (title, body) == (version.title, version.body):
            continue
        ArticleVersion.objects.filter(pk=version.pk).update(title=title, body=body)
        for comment in ReviewComment.objects.filter(version_id=version.pk):
            end = min(comment.end, len(body))
            start = min(comment.start, end - 1) if end else 0
            if end > start:
                ReviewComment.objects.filter(pk=comment.pk).update(
                    start=start, end=end, quote=body[start:end])


def _return_reasons(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    users = ArticleVersion._meta.get_field("returned_by").related_model.objects
    entries = AuditEntry.objects.filter(action="article.return",
                                        object_type="articles.article").order_by("at", "id")
    for entry in entries.iterator():
        if not entry.object_id.isdigit():
            continue
        version = (ArticleVersion.objects.filter(article_id=int(entry.object_id),
                                                 submitted_at__lte=entry.at)
                   .order_by("-number").first())
        if version is not None:
            # The audit keeps the actor's id without a constraint: the account may be gone.
            actor = entry.actor_id if users.filter(pk=entry.actor_id).exists() else None
            ArticleVersion.objects.filter(pk=version.pk).update(
                return_reason=entry.message, returned_by_id=actor, returned_at=entry.at)


def forwards(apps, schema_editor):
    _canonical_texts(apps, schema_editor)
    _return_reasons(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_return_reason_full_quote"),
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
