"""Point 12: two people editing the same record; the second save is refused with a clear
message and their input stays on screen; nothing is silently overwritten."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from campaigndesk.articles import services as article_services
from campaigndesk.campaigns.models import Campaign
from campaigndesk.progress import services as progress_services
from campaigndesk.progress.models import Activity
from campaigndesk.units.models import Unit, User

pytestmark = pytest.mark.django_db
CONFLICT = "其他人已修改并保存了这条记录"


def two_sessions(user) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    return first, second


def form_data(response) -> dict:
    """The form's initial values as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    return data


def test_unit_edit(demo, personas):
    unit = Unit.objects.get(code="150100")
    url = reverse("unit_edit", kwargs={"pk": unit.pk})
    first, second = two_sessions(personas["region_admin"])
    a, b = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, a | {"name": "呼和浩特市（甲）"}).status_code == 302
    response = second.post(url, b | {"name": "呼和浩特市（乙）"})
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text and "呼和浩特市（乙）" in text
    assert Unit.objects.get(pk=unit.pk).name == "呼和浩特市（甲）"
    # The form now carries the new version: saving again is a deliberate overwrite.
    again = form_data(response)
    assert second.post(url, again).status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == "呼和浩特市（乙）"


def test_account_edit(demo, personas):
    account = personas["reporter"]
    url = reverse("account_edit", kwargs={"pk": account.pk})
    first, second = two_sessions(personas["region_admin"])
    a, b = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, a | {"full_name": "甲"}).status_code == 302
    response = second.post(url, b | {"full_name": "乙"})
    assert response.status_code == 409
    assert CONFLICT in response.content.decode() and 'value="乙"' in response.content.decode()
    assert User.objects.get(pk=account.pk).full_name == "甲"


def test_campaign_edit(demo, personas):
    url = reverse("campaign_edit", kwargs={"pk": demo.pk})
    first, second = two_sessions(personas["region_admin"])
    one, two = first.get(url), second.get(url)

    def posted(response, slogan):
        data = form_data(response) | {"slogan": slogan}
        for formset in ("contacts", "deadlines"):
            management = response.context[formset].management_form
            for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
                data[f"{formset}-{name}"] = str(management[name].value())
            for form in response.context[formset].forms:
                for name in form.fields:
                    value = form[name].value()
                    if value not in (None, False, ""):
                        data[form.add_prefix(name)] = (
                            value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime")
                            else str(value))
        return data

    assert first.post(url, posted(one, "甲的主题")).status_code == 302
    response = second.post(url, posted(two, "乙的主题"))
    assert response.status_code == 409
    assert CONFLICT in response.content.decode() and "乙的主题" in response.content.decode()
    assert Campaign.objects.get(pk=demo.pk).slogan == "甲的主题"


def test_article_edit(demo, personas):
    unit = Unit.objects.get(code="150100")
    article = article_services.create_article(personas["reporter"], campaign=demo, unit=unit,
                                              title="原标题", body="原正文")
    url = reverse("article_edit", kwargs={"pk": article.pk})
    first, second = two_sessions(personas["reporter"])
    a, b = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, a | {"title": "甲改的标题"}).status_code == 302
    response = second.post(url, b | {"title": "乙改的标题", "body": "乙写的正文"})
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text and "乙改的标题" in text and "乙写的正文" in text
    article.refresh_from_db()
    assert article.title == "甲改的标题"


def test_progress_grid(demo, personas):
    url = reverse("campaign_unit_progress", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    first, second = two_sessions(personas["reporter"])
    first.get(url)
    second.get(url)
    report = progress_services.current_report(demo, Unit.objects.get(code="150100"))
    revision = str(report.revision)

    def grid(name):
        return {"row_count": "1", "r-0-name": name, "r-0-dates": "2022-03-18",
                "revision": revision, "action": "save"}

    assert first.post(url, grid("甲的活动")).status_code == 302
    response = second.post(url, grid("乙的活动"))
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text and "乙的活动" in text
    assert list(Activity.objects.live().values_list("name", flat=True)) == ["甲的活动"]
    # The re-shown grid carries the current revision; saving again replaces deliberately.
    report.refresh_from_db()
    assert f'name="revision" value="{report.revision}"' in text
    assert second.post(url, grid("乙的活动") | {"revision": str(report.revision)}
                       ).status_code == 302
    assert list(Activity.objects.live().values_list("name", flat=True)) == ["乙的活动"]


def test_an_import_confirmed_after_the_grid_was_opened_is_not_saved_over(demo, personas):
    """Issue 12 point 4: every write to a report bumps the one revision, imports included;
    a grid opened before the import gets a conflict instead of deleting the imported rows."""
    from campaigndesk.progress.table import ActivityRow

    url = reverse("campaign_unit_progress", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    grid_user, _ = two_sessions(personas["reporter"])
    unit = Unit.objects.get(code="150100")
    opened = str(progress_services.current_report(demo, unit).revision)
    assert grid_user.get(url).status_code == 200
    progress_services.import_rows(personas["reporter"], demo, unit, [
        ActivityRow(name="导入的活动", start=date(2022, 3, 18))])
    response = grid_user.post(url, {"row_count": "1", "r-0-name": "网页上的活动",
                                    "r-0-dates": "2022-03-19", "revision": opened,
                                    "action": "save"})
    assert response.status_code == 409
    assert "网页上的活动" in response.content.decode()  # the typed row is still on screen
    assert list(Activity.objects.live().values_list("name", flat=True)) == ["导入的活动"]


def test_a_grid_save_without_its_revision_is_refused(demo, personas):
    url = reverse("campaign_unit_progress", kwargs={"campaign_pk": demo.pk, "code": "150100"})
    client, _ = two_sessions(personas["reporter"])
    response = client.post(url, {"row_count": "1", "r-0-name": "没有版本的保存",
                                 "r-0-dates": "2022-03-18", "action": "save"})
    assert response.status_code == 409
    assert "缺少版本信息" in response.content.decode()
    assert not Activity.objects.exists()


def test_submit_and_reopen_bump_the_revision(demo, personas):
    unit = Unit.objects.get(code="150100")
    report = progress_services.current_report(demo, unit)
    seen = [report.revision]
    progress_services.submit_report(personas["reporter"], report, reporter_name="王芳",
                                    reporter_phone="13800001234")
    report.refresh_from_db()
    seen.append(report.revision)
    progress_services.reopen_report(personas["region_admin"], report, reason="更正")
    report.refresh_from_db()
    seen.append(report.revision)
    assert seen == sorted(set(seen)) and len(seen) == 3
