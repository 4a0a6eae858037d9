"""MAIL_INTAKE_URL as the settings read it; a wrong one stops start-up naming it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaigndesk.settings import mailbox_from_url


def test_imaps_with_an_address_as_user_name_and_a_chinese_folder():
    assert mailbox_from_url("imaps://mz6946872%40163.com:Ab%2Fc%40d@imap.163.com/"
                            "%E8%BF%9B%E5%B1%95%E6%8A%A5%E9%80%81") == {
        "tls": True, "host": "imap.163.com", "port": 993, "user": "mz6946872@163.com",
        "password": "Ab/c@d", "mailbox": "进展报送"}


def test_plain_imap_on_a_local_port_defaults_to_the_inbox():
    config = mailbox_from_url("imap://intake:secret@127.0.0.1:1143")
    assert (config["tls"], config["port"], config["mailbox"]) == (False, 1143, "INBOX")
    assert mailbox_from_url("") is None


@pytest.mark.parametrize("url", ["pop3://u:p@host/", "imaps://host/INBOX", "imaps://u@host/",
                                 "imaps://u:p@host:port/"])
def test_a_wrong_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="MAIL_INTAKE_URL"):
        mailbox_from_url(url)
