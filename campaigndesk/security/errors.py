from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _

from .middleware import TOO_BIG, TOO_MANY_FIELDS, TOO_MANY_FILES, refused


def bad_request(request, exception=None):
    from django.conf import settings

    if isinstance(exception, RequestDataTooBig):
        message = TOO_BIG % {"limit": settings.REQUEST_MAX_BYTES // 1024 // 1024}
    elif isinstance(exception, TooManyFilesSent):
        message = TOO_MANY_FILES % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    elif isinstance(exception, TooManyFieldsSent):
        message = TOO_MANY_FIELDS % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    else:
        message = _("请求无法处理，请返回上一页后重试")
    return refused(request, message, 400)
