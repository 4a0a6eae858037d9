"""Briefs tests: uploaded media go to a temporary MEDIA_ROOT, never the real data folder."""

import io

import pytest
from PIL import Image

from campaigndesk.articles import services
from campaigndesk.articles.models import Article

BODY = (
    "3月18日上午，呼和浩特市赛罕区民政局联合青城社会工作服务中心，在敕勒川路街道社工站开展"
    "“五社联动聚合力 社工服务暖基层”主题宣传活动。活动现场，12名社工和8名社区志愿者为辖区"
    "老年人提供政策咨询、血压测量和心理疏导等服务，并发放社会工作宣传折页300余份。\n"
    "社工们用通俗易懂的语言向居民介绍了社会工作的服务内容、服务流程和求助渠道，现场解答了"
    "居家养老、社会救助等方面的问题。针对行动不便的独居老人，社工与社区网格员一起登记了入户"
    "探访需求，建立了服务台账，计划在月底前完成首轮上门服务。\n"
    "社区居民王秀兰说：“以前只知道有事找社区，现在知道社工也能帮我们解决实际困难。”据了解，"
    "本次活动共服务群众200余人次。下一步，赛罕区民政局将以苏木乡镇（街道）社工站为阵地，持续"
    "推动社区、社会组织、社会工作者、社区志愿者、社会慈善资源联动，让专业服务更好地惠及基层群众。"
)
TITLE = "赛罕区开展社会工作主题宣传活动"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.MEDIA_ROOT


def jpeg(width=1200, height=800, color=(200, 80, 40), shapes=0, **save) -> bytes:
    """A distinct picture: `shapes` moves blocks around so hashes differ."""
    from PIL import ImageDraw

    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (shapes * 97 + i * 173) % max(width - 100, 1)
        y = (shapes * 53 + i * 89) % max(height - 100, 1)
        draw.rectangle((x, y, x + width // 5, y + height // 4),
                       fill=((i * 60 + shapes * 30) % 255, (shapes * 70) % 255, i * 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, **save)
    return out.getvalue()


@pytest.fixture
def draft(personas, demo):
    """A draft of 呼和浩特市 with two photos, ready to submit."""
    article = services.create_article(personas["reporter"], campaign=demo,
                                      unit=personas["reporter"].unit, title=TITLE, body=BODY)
    for n in (1, 2):
        services.add_photo(personas["reporter"], article, jpeg(shapes=100 + n * 7,
                                                               color=(n * 90, 120, 200)),
                           caption=f"现场{n}")
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def submitted(draft, personas):
    services.submit_article(personas["reporter"], draft)
    return Article.objects.get(pk=draft.pk)


@pytest.fixture
def accepted(submitted, personas):
    services.accept_article(personas["reviewer"], submitted)
    return Article.objects.get(pk=submitted.pk)
