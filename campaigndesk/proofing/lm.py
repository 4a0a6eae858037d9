"""The word trigram language model that decides typo candidates in context.

fcitx5's Chinese model (Debian's `libime-data-language-model`, LGPL-2.1+: `zh_CN.lm`, a
KenLM binary of 165,000 words) is opened through mmap with PyPI's `kenlm` module, so it
loads in about 0.02 s and costs no memory of its own. Scores are log10 probabilities.

There is no fallback: without the module or the model the typo check cannot decide in
context, so `model()` raises `ModelMissing` with what to install, and the engine says so.
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "libime-data-language-model"
MODULE_PIN = "kenlm==0.3.0"
# Where Debian puts the model (multiarch directory); CAMPAIGNDESK_LM_PATH overrides it.
DEFAULT_GLOBS = ("/usr/lib/*/libime/zh_CN.lm", "/usr/lib/libime/zh_CN.lm",
                 "/usr/share/libime/zh_CN.lm")
_lock = threading.Lock()


class ModelMissing(RuntimeError):
    """The language model or the module that reads it is not installed."""


@dataclass(frozen=True)
class LanguageModel:
    path: Path
    model: object  # kenlm.Model

    def score(self, words: str, bos: bool = True, eos: bool = True) -> float:
        """log10 probability of a space-separated word sequence."""
        return self.model.score(words, bos=bos, eos=eos)  # type: ignore[attr-defined]

    def full_scores(self, words: str, bos: bool = True, eos: bool = True
                    ) -> list[tuple[float, int, bool]]:
        """(log10 p, n-gram length used, out of vocabulary) for each word, then </s>."""
        return list(self.model.full_scores(words, bos=bos, eos=eos))  # type: ignore[attr-defined]


def model_path() -> Path:
    configured = os.environ.get("CAMPAIGNDESK_LM_PATH")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ModelMissing(f"语言模型文件不存在：{path}（CAMPAIGNDESK_LM_PATH）。"
                               f"请安装 Debian 软件包 {PACKAGE}，或改正该路径。")
        return path
    for pattern in DEFAULT_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return Path(found[0])
    raise ModelMissing(f"未找到错别字校对所需的语言模型 zh_CN.lm：请安装 Debian 软件包 {PACKAGE}"
                       f"（apt-get install {PACKAGE}，make install 会安装），"
                       f"或用 CAMPAIGNDESK_LM_PATH 指定其路径。")


@cache
def _load(path: Path) -> LanguageModel:
    try:
        import kenlm
    except ImportError as exc:
        raise ModelMissing(f"未安装读取语言模型的 Python 模块 kenlm：请运行 make install"
                           f"（pip install {MODULE_PIN}）。") from exc
    config = kenlm.Config()
    config.load_method = kenlm.LoadMethod.LAZY  # mmap: pages are read as queries touch them
    try:
        return LanguageModel(path, kenlm.Model(str(path), config))
    except (OSError, RuntimeError) as exc:
        raise ModelMissing(f"语言模型 {path} 无法读取（{exc}）：请重新安装 {PACKAGE}。") from exc


_loaded: list[LanguageModel] = []


def model() -> LanguageModel:
    """The model, opened on first use (the path is looked up once per process)."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            _loaded.append(_load(model_path()))
        return _loaded[0]


def vocabulary(path: Path) -> list[str]:
    """The model's words. A KenLM binary keeps them NUL-separated at its end, <unk> first."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        tail = min(size, 8 << 20)
        fh.seek(size - tail)
        data = fh.read()
    at = data.rfind(b"<unk>\x00")
    if at < 0:
        raise ModelMissing(f"语言模型 {path} 中没有词表（不是 KenLM 二进制格式？）。")
    return [w for w in data[at:].decode("utf-8", "replace").split("\x00")[1:] if w]
