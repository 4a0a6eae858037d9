from django.utils.translation import gettext as _

from .middleware import limit_message, refused


def bad_request(request, exception=None):
    message = limit_message(exception) or _("请求无法处理，请返回上一页后重试")
    return refused(request, message, 400)
