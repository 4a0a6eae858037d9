"""Submit a rendered form exactly as a browser would: the tests' stand-in for clicking 保存.

It follows the HTML standard's "constructing the entry list": every named, enabled control
whose form owner is the form (descendants, and elements elsewhere with form="<id>"); checked
checkboxes and radios only (value "on" when none is given); every selected option, or the
first one of a single select when none is marked; the clicked submit button only; textareas
without the newline the parser drops after <textarea> and with line breaks sent as CRLF; file
inputs left empty are not sent. Nothing is added by hand, so a field the page forgets to
render, or a spare row the server cannot take back, shows up as it does for a user.
"""

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html

BUTTON_TYPES = {"submit", "image", "button", "reset"}


@dataclass
class Submission:
    action: str
    method: str
    data: list[tuple[str, str]]
    multipart: bool

    def as_dict(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for name, value in self.data:
            grouped.setdefault(name, []).append(value)
        return grouped

    def value(self, name: str) -> str:
        return dict(self.data)[name]

    def replace(self, name: str, value: str) -> None:
        """Type into a field: the first entry of that name gets the new value."""
        for index, (key, _old) in enumerate(self.data):
            if key == name:
                self.data[index] = (key, value)
                return
        raise KeyError(name)


def _disabled(element) -> bool:
    if element.get("disabled") is not None:
        return True
    for fieldset in element.iterancestors("fieldset"):
        if fieldset.get("disabled") is not None:
            return True
    return False


def _owned_by(element, form) -> bool:
    owner_id = element.get("form")
    if owner_id is not None:
        return owner_id == form.get("id")
    return form in element.iterancestors("form")


def _textarea_value(element) -> str:
    text = element.text or ""
    if text.startswith("\r\n"):
        text = text[2:]
    elif text.startswith("\n"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _select_values(element) -> list[str]:
    options = [o for o in element.iter("option") if o.get("disabled") is None]
    chosen = [o for o in options if o.get("selected") is not None]
    if not chosen and element.get("multiple") is None and options:
        chosen = options[:1]
    return [o.get("value") if o.get("value") is not None else " ".join(o.text_content().split())
            for o in chosen]


def form_submission(html: str | bytes, url: str, *, form: str | None = None,
                    button: str | None = None) -> Submission:
    """The request a browser sends when the submit button whose text is `button` (default the
    form's first one) of the form with id `form` (default the page's only form in <main> with
    method=post) is clicked on the page at `url`."""
    document = lxml.html.fromstring(html)
    if form is not None:
        forms = document.xpath("//form[@id=$id]", id=form)
    else:
        forms = [f for f in document.xpath("//main//form")
                 if (f.get("method") or "get").lower() == "post"]
    assert len(forms) == 1, f"expected one form {form or 'in <main> with method=post'}, " \
                            f"found {len(forms)}"
    element = forms[0]
    controls = [c for c in document.iter("input", "select", "textarea", "button")
                if _owned_by(c, element)]
    buttons = [c for c in controls if c.tag == "button" and (c.get("type") or "submit") == "submit"
               or c.tag == "input" and c.get("type") in {"submit", "image"}]
    if button is not None:
        chosen = [b for b in buttons
                  if " ".join((b.text_content() or b.get("value") or "").split()) == button]
        assert len(chosen) == 1, f"expected one submit button {button!r}, found {len(chosen)}"
        submitter = chosen[0]
    else:
        submitter = buttons[0] if buttons else None
    data: list[tuple[str, str]] = []
    for control in controls:
        name = control.get("name")
        if not name or _disabled(control):
            continue
        kind = (control.get("type") or ("submit" if control.tag == "button" else "text")).lower()
        if control.tag == "button" or kind in BUTTON_TYPES:
            if control is submitter:
                data.append((name, control.get("value") or ""))
        elif control.tag == "select":
            data.extend((name, value) for value in _select_values(control))
        elif control.tag == "textarea":
            data.append((name, _textarea_value(control)))
        elif kind in {"checkbox", "radio"}:
            if control.get("checked") is not None:
                data.append((name, control.get("value") or "on"))
        elif kind == "file":
            continue
        else:
            data.append((name, control.get("value") or ""))
    action = element.get("action") or ""
    if submitter is not None and submitter.get("formaction"):
        action = submitter.get("formaction")
    return Submission(
        action=urljoin(url, action),
        method=(element.get("method") or "get").lower(),
        data=data,
        multipart=(element.get("enctype") or "") == "multipart/form-data",
    )


def submit(client, submission: Submission, **extra):
    """POST the submission with the test client, multipart or urlencoded like the browser."""
    from urllib.parse import urlencode

    assert submission.method == "post"
    if submission.multipart:
        return client.post(submission.action, submission.as_dict(), **extra)
    return client.post(submission.action, urlencode(submission.data),
                       content_type="application/x-www-form-urlencoded", **extra)
