"""The dict form of a training run's config, stored in every checkpoint so a run resumes with its own."""

from __future__ import annotations

from dataclasses import asdict
from typing import ClassVar

from renderer.model_v2 import ModelConfigV2


class RunConfigDict:
    """``to_dict`` / ``from_dict`` of a training run's dataclass config with a ``model`` config
    (of class ``model_class``) and Adam ``betas`` inside."""

    model_class: ClassVar[type[ModelConfigV2]]

    def to_dict(self) -> dict:
        """JSON-friendly dict (model config included)."""
        d = asdict(self)  # type: ignore[call-overload]
        d["model"] = self.model.to_dict()  # type: ignore[attr-defined]
        d["betas"] = list(self.betas)  # type: ignore[attr-defined]
        return d

    @classmethod
    def from_dict(cls, d: dict):
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["model"] = cls.model_class.from_dict(d["model"])
        d["betas"] = tuple(d["betas"])
        return cls(**d)
