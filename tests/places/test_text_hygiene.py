"""Control and invisible characters in another app's form than the brief's (core.textforms):
the same refusal naming the field, a NUL included, and the same removal said once."""

import pytest
from django.urls import reverse

from campaigndesk.places.models import Place

from .test_register import FORM


@pytest.mark.parametrize("bad", ["社工室\x00", "社工室\x07"])
def test_a_control_character_in_a_place_is_refused_naming_the_field(personas, client, bad):
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_create", kwargs={"code": "150100"}),
                           {**FORM, "unit": "150100", "address": "赛罕区" + bad})
    html = response.content.decode()
    assert response.status_code == 200 and "“地址”第 7 个字处有不可显示的" in html
    assert FORM["name"] in html and not Place.objects.exists()


def test_invisible_characters_in_a_place_are_removed_and_said(personas, client):
    client.force_login(personas["reporter"])
    response = client.post(reverse("place_create", kwargs={"code": "150100"}),
                           {**FORM, "unit": "150100", "name": "赛罕区\u200b大学路\u202e社工室"},
                           follow=True)
    assert Place.objects.get().name == "赛罕区大学路社工室"
    assert "已删除2个不可见字符" in response.content.decode()


def test_the_api_names_the_field_of_a_control_character(personas):
    from campaigndesk.api.api import BadBody, _check_text

    with pytest.raises(BadBody, match=r"“activity.name”第 2 个字处有不可显示的控制字符 "
                                      r"BEL（响铃符，U\+0007）"):
        _check_text({"activity": {"name": "坏\x07字"}})
