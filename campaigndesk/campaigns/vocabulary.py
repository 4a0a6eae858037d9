"""The lists of the 2022 notice, used by the demo and offered when a campaign starts blank."""

from .models import VocabularyKind

FOCUS_TOPICS_2022 = [
    "社会工作基本知识、政策法规、发展成果",
    "社会工作领域先进典型、有代表性的服务项目",
    "优秀社会工作者感人事迹",
    "社会工作参与疫情防控工作的经验做法",
    "苏木乡镇（街道）社工站建设成果",
    "社区、社会组织、社会工作者、社区志愿者、社会慈善资源“五社联动”的意义和作用",
    "“五社联动”助力乡村振兴、社区治理、民政事业高质量发展典型案例",
]

ACTIVITY_TYPES_2022 = [
    "积极联动各类媒体资源",
    "广泛发动社会工作行业力量",
    "做好社会工作服务场所宣传",
    "强化社会工作职业激励",
    "开展社会工作教育活动",
    "开展“全屏社会工作宣传活动”",
]

SERVICE_AREAS = ["老年人", "残疾人", "妇女", "儿童青少年", "困难群体", "其他"]

FIVE_SOCIAL = ["社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"]

DEFAULT_LISTS = {
    VocabularyKind.FOCUS_TOPIC: FOCUS_TOPICS_2022,
    VocabularyKind.ACTIVITY_TYPE: ACTIVITY_TYPES_2022,
    VocabularyKind.SERVICE_AREA: SERVICE_AREAS,
    VocabularyKind.FIVE_SOCIAL: FIVE_SOCIAL,
}


def takes_free_text(label: str) -> bool:
    # 其他 (with or without a note such as 其他（请注明）) is the entry that asks for text.
    return label.startswith("其他")
